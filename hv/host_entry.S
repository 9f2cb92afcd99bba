/* SPDX-License-Identifier: GPL-2.0-only */
/* Host exception entry: one stub per vector 0-31 pushes a zero error code where
 * the CPU pushes none (SDM Vol. 3A §6.13, Table 6-1), then the vector, and joins
 * the common path, which saves the general registers and calls host_exception.
 * Vectors 32-255 (external interrupts, which the host takes only while it
 * resets a local APIC: hv/exit/lapic_init.h) have 16-byte stubs at host_irq_stubs. */

	.text

/* Vectors that push an error code: #DF 8, #TS 10, #NP 11, #SS 12, #GP 13,
 * #PF 14, #AC 17, #CP 21, #VC 29, #SX 30. */
.macro stub vec
	.align 16
host_stub_\vec:
	.if (\vec == 8 || \vec == 10 || \vec == 11 || \vec == 12 || \vec == 13 || \vec == 14 || \vec == 17 || \vec == 21 || \vec == 29 || \vec == 30)
	.else
	pushq $0
	.endif
	pushq $\vec
	jmp host_exception_common
.endm

.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	stub \v
.endr

	.align 16
	.globl host_irq_stubs
host_irq_stubs:
	.set vec, 32
	.rept 224
	.align 16
	pushq $0
	pushq $vec
	jmp host_exception_common
	.set vec, vec + 1
	.endr

host_exception_common:
	pushq %rax
	pushq %rcx
	pushq %rdx
	pushq %rbx
	pushq %rbp
	pushq %rsi
	pushq %rdi
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	/* Align the stack for the C call; the frame pointer is in %rdi already. */
	movq %rsp, %rbx
	andq $-16, %rsp
	call host_exception
	movq %rbx, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rdi
	popq %rsi
	popq %rbp
	popq %rbx
	popq %rdx
	popq %rcx
	popq %rax
	addq $16, %rsp		/* vector and error code */
	iretq

	.section .data.rel.ro, "aw"
	.globl host_exception_stubs
	.align 8
host_exception_stubs:
.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad host_stub_\v
.endr
	.section .note.GNU-stack, "", @progbits
