/* SPDX-License-Identifier: GPL-2.0-only */
/* The NMI handler of the nested-NMI test: counts entries and the deepest
 * nesting, calls nmi_body (C) with the caller-saved registers kept. The CPU
 * aligns RSP to 16 before pushing the 40-byte frame (SDM Vol. 3A §6.14.2);
 * nine pushes keep the call aligned. */
	.text
	.globl nmi_handler
nmi_handler:
	pushq %rax
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	incl nmi_depth(%rip)
	movl nmi_depth(%rip), %eax
	cmpl nmi_max_depth(%rip), %eax
	jbe 1f
	movl %eax, nmi_max_depth(%rip)
1:	incl nmi_count(%rip)
	call nmi_body
	decl nmi_depth(%rip)
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rax
	iretq

	.data
	.globl nmi_depth, nmi_max_depth, nmi_count
nmi_depth: .long 0
nmi_max_depth: .long 0
nmi_count: .long 0
	.section .note.GNU-stack, "", @progbits
