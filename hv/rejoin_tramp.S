/* SPDX-License-Identifier: GPL-2.0-only */
/* The way back into the hypervisor for a CPU that a real INIT reset
 * (hv/rejoin.h). hv/rejoin.c copies this code to a page below 1 MiB and fills
 * in its data; a SIPI with that page's vector starts a CPU in wait-for-SIPI
 * here, in real mode, CS = page >> 4, IP = 0 (SDM Vol. 3A §9.4.4.1).
 *
 * Real mode straight to 64-bit mode (SDM Vol. 3A §9.8.5: PAE, CR3, EFER.LME,
 * then CR0.PG with PE, and a far jump to a 64-bit code segment), through page
 * tables below 4 GiB that identity-map the first 2 MiB (the host's own may lie
 * higher, out of reach of a 32-bit MOV to CR3). Then the host's page tables,
 * and rejoin_stack (C) on a stack shared by all CPUs, one at a time (a lock):
 * it gives this CPU's host stack, on which rejoin_cpu (C) goes on and never
 * comes back. The values and selectors come from C (hv/x86/arch.h, hv/host.h),
 * so that each constant lives once. */
	.code16
	.text
	.globl rejoin_tramp_start, rejoin_tramp_end, rejoin_tramp_data
rejoin_tramp_start:
	cli
	cld
	mov %cs, %ax
	mov %ax, %ds
	lgdtl gdtd - rejoin_tramp_start
	movl cr4_bits - rejoin_tramp_start, %eax
	mov %eax, %cr4
	movl low_cr3 - rejoin_tramp_start, %eax
	mov %eax, %cr3
	movl efer_msr - rejoin_tramp_start, %ecx
	rdmsr
	orl efer_bits - rejoin_tramp_start, %eax
	wrmsr
	mov %cr0, %eax
	orl cr0_bits - rejoin_tramp_start, %eax
	mov %eax, %cr0
	ljmpl *far64 - rejoin_tramp_start

	.code64
	.globl rejoin_tramp_long64
rejoin_tramp_long64:
	movw data_sel(%rip), %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	movq host_cr3(%rip), %rax
	mov %rax, %cr3
1:	lock btsl $0, stack_lock(%rip)
	jnc 2f
	pause
	jmp 1b
2:	leaq rejoin_tramp_start(%rip), %rsp
	addq $4096, %rsp	/* the top of this page */
	call *stack_fn(%rip)
	movq %rax, %rsp
	movl $0, stack_lock(%rip)
	call *rejoin_fn(%rip)
3:	hlt			/* rejoin_cpu never returns */
	jmp 3b

/* struct rejoin_tramp_data in hv/rejoin.c, in this order. */
	.balign 8
rejoin_tramp_data:
gdt:       .quad 0, 0, 0	/* null, 64-bit code, data: the host's */
gdtd:      .word 3 * 8 - 1
           .long 0		/* the GDT's linear address */
           .word 0
far64:     .long 0		/* rejoin_tramp_long64's linear address */
           .word 0		/* the code selector */
data_sel:  .word 0
cr4_bits:  .long 0
cr0_bits:  .long 0
efer_msr:  .long 0
efer_bits: .long 0
low_cr3:   .long 0
stack_lock: .long 0
host_cr3:  .quad 0
stack_fn:  .quad 0
rejoin_fn: .quad 0
rejoin_tramp_end:

	.section .note.GNU-stack, "", @progbits
