/* SPDX-License-Identifier: GPL-2.0-only */
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
	LOAD_GUEST_GPRS_BUT_RAX
	movq VCPU_CTL_PA(%rax), %rax
	vmload %rax
	vmrun %rax
	/* #VMEXIT: RAX holds the host's value again, the VMCB address. */
	vmsave %rax
	pushq %rax
	movq 16(%rsp), %rax
	SAVE_GUEST_GPRS_BUT_RAX
	popq %rcx
	movq %rax, %rdi
	movq VCPU_HOST_STATE_PA(%rdi), %rax
	vmload %rax
	call svm_handle_exit
	jmp .Lenter

	.section .note.GNU-stack, "", @progbits
