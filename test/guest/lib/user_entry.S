/* SPDX-License-Identifier: GPL-2.0-only */
/* void user_enter(void (*fn)(void), uint64_t cr3, const void *gdtr): saves the
 * caller's callee-saved registers, CR3, GDT and data selectors, loads the
 * user-mode CR3
 * and GDT and the TSS, and IRETQs to user_trampoline at CPL 3 (SDM Vol. 3A
 * §6.14.3: IRETQ pops RIP, CS, RFLAGS, RSP, SS). The trampoline calls fn and
 * comes back with INT 0x81 to user_return_entry, which drops that interrupt's
 * frame and restores everything but TR (the firmware's may be 0, which LTR
 * refuses; the user TSS stays valid). An IRET to CPL 3 nulls data selectors of
 * DPL 0 (§6.14.3), so they are loaded again. */
	.text
	.globl user_enter
	.hidden user_enter
user_enter:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushfq
	movq %rsp, saved_rsp(%rip)
	movq %cr3, %rax
	movq %rax, saved_cr3(%rip)
	sgdt saved_gdtr(%rip)
	movw %ds, saved_ds(%rip)
	movw %es, saved_es(%rip)
	movw %ss, saved_ss(%rip)
	movq %rdi, %r12			/* fn, kept in user mode */
	movq %rsi, %cr3
	lgdt (%rdx)
	movzwl user_tr(%rip), %eax
	ltr %ax
	movzwl user_ss(%rip), %eax
	pushq %rax			/* SS */
	pushq user_stack_top(%rip)	/* RSP */
	pushq $0x3002			/* RFLAGS: IOPL 3, IF clear, bit 1 */
	movzwl user_cs(%rip), %eax
	pushq %rax			/* CS */
	leaq user_trampoline(%rip), %rax
	pushq %rax			/* RIP */
	iretq

user_trampoline:
	call *%r12
	int $0x81

	.globl user_return_entry
	.hidden user_return_entry
user_return_entry:
	call user_abandon
	movq saved_rsp(%rip), %rsp
	popfq
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret

/* void user_abandon(void): the firmware's CR3, GDT and selectors again; on the
 * way back from user mode, and after an exception abandoned a user_run
 * (trap.h recovers to its own saved stack). */
	.globl user_abandon
	.hidden user_abandon
user_abandon:
	movq saved_cr3(%rip), %rax
	movq %rax, %cr3
	lgdt saved_gdtr(%rip)
	movw saved_ss(%rip), %ss
	movw saved_ds(%rip), %ds
	movw saved_es(%rip), %es
	ret

	.data
saved_rsp: .quad 0
saved_cr3: .quad 0
saved_gdtr: .quad 0, 0
saved_ds: .word 0
saved_es: .word 0
saved_ss: .word 0
	.section .note.GNU-stack, "", @progbits
