/* SPDX-License-Identifier: GPL-2.0-only */
/* Offsets into struct vcpu for the run loops (svm/run.S, vmx/run.S); hv/vcpu.c
 * checks them against the C layout at compile time. */
#ifndef HV_VCPU_ASM_H
#define HV_VCPU_ASM_H

#define VCPU_CTL_PA 0
#define VCPU_HOST_STATE_PA 8
#define VCPU_GPR(n) (16 + 8 * (n)) /* regs.gpr[n] */

#ifdef __ASSEMBLER__
/* The guest's general registers other than RAX and RSP, which each vendor keeps
 * in its own way: loaded from, or saved into, the struct vcpu that %rax points
 * at. Shared by svm/run.S and vmx/run.S. */
.macro LOAD_GUEST_GPRS_BUT_RAX
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
.endm

.macro SAVE_GUEST_GPRS_BUT_RAX
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
.endm
#endif

#endif
