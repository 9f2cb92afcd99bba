/* Entering the guest on SVM.
 *
 * svm_enter leaves the caller's stack for the host stack and runs the guest,
 * whose state is in the VMCB and struct vcpu (hv/takeover.S and svm.c set it
 * up so that the guest continues where the take-over was asked for).
 *
 * VMRUN loads and saves only part of the guest state (AMD APM Vol. 2 §15.5.1);
 * VMLOAD/VMSAVE move the rest (FS, GS, TR, LDTR with their hidden state,
 * KernelGsBase, STAR/LSTAR/CSTAR/SFMASK, SYSENTER_*; §15.5.2), so the loop keeps
 * the VMCB complete for the emulator. After the exit the CPU still holds the
 * guest's FS, GS and TR; VMLOAD of the host's own save area puts back the host
 * TSS, whose IST stacks the host's NMI, #DF and #MC handlers need. RAX and RSP
 * live in the VMCB; the other general registers in struct vcpu. */
#include "hv/vcpu_asm.h"

	.text

/* _Noreturn void svm_enter(struct vcpu *v, uint64_t host_stack_top) */
	.globl svm_enter
svm_enter:
	movq %rsi, %rsp
	jmp svm_run_loop

/* Never returns. Host stack layout: [rsp+8] = struct vcpu *, [rsp] = padding
 * that keeps the C call below 16-byte aligned. */
svm_run_loop:
	pushq %rdi
	subq $8, %rsp
.Lenter:
	movq 8(%rsp), %rax
	movq VCPU_GPR(1)(%rax), %rcx
	movq VCPU_GPR(2)(%rax), %rdx
	movq VCPU_GPR(3)(%rax), %rbx
	movq VCPU_GPR(5)(%rax), %rbp
	movq VCPU_GPR(6)(%rax), %rsi
	movq VCPU_GPR(7)(%rax), %rdi
	movq VCPU_GPR(8)(%rax), %r8
	movq VCPU_GPR(9)(%rax), %r9
	movq VCPU_GPR(10)(%rax), %r10
	movq VCPU_GPR(11)(%rax), %r11
	movq VCPU_GPR(12)(%rax), %r12
	movq VCPU_GPR(13)(%rax), %r13
	movq VCPU_GPR(14)(%rax), %r14
	movq VCPU_GPR(15)(%rax), %r15
	movq VCPU_CTL_PA(%rax), %rax
	vmload %rax
	vmrun %rax
	/* #VMEXIT: RAX holds the host's value again, the VMCB address. */
	vmsave %rax
	pushq %rax
	movq 16(%rsp), %rax
	movq %rcx, VCPU_GPR(1)(%rax)
	movq %rdx, VCPU_GPR(2)(%rax)
	movq %rbx, VCPU_GPR(3)(%rax)
	movq %rbp, VCPU_GPR(5)(%rax)
	movq %rsi, VCPU_GPR(6)(%rax)
	movq %rdi, VCPU_GPR(7)(%rax)
	movq %r8, VCPU_GPR(8)(%rax)
	movq %r9, VCPU_GPR(9)(%rax)
	movq %r10, VCPU_GPR(10)(%rax)
	movq %r11, VCPU_GPR(11)(%rax)
	movq %r12, VCPU_GPR(12)(%rax)
	movq %r13, VCPU_GPR(13)(%rax)
	movq %r14, VCPU_GPR(14)(%rax)
	movq %r15, VCPU_GPR(15)(%rax)
	popq %rcx
	movq %rax, %rdi
	movq VCPU_HOST_STATE_PA(%rdi), %rax
	vmload %rax
	call svm_handle_exit
	jmp .Lenter

	.section .note.GNU-stack, "", @progbits
