/* SPDX-License-Identifier: GPL-2.0-only */
/* The self-IPI's handler (main.c): counts the interrupt and ends it with an
 * EOI, a 32-bit register store to the APIC as kernels write it. */
	.text
	.globl self_ipi_handler
self_ipi_handler:
	pushq %rax
	pushq %rcx
	incl self_ipi_count(%rip)
	movq self_ipi_eoi(%rip), %rax
	xorl %ecx, %ecx
	movl %ecx, (%rax)
	popq %rcx
	popq %rax
	iretq

	.data
	.globl self_ipi_count, self_ipi_eoi
	.balign 8
self_ipi_eoi: .quad 0 /* the EOI register's address */
self_ipi_count: .long 0
