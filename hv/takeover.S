/* SPDX-License-Identifier: GPL-2.0-only */
/* int hv_takeover_this_cpu(void)
 *
 * Turns the calling CPU into a guest of the hypervisor: the guest continues
 * exactly as if this call had returned 0, in the caller's code (which must be
 * guest-visible memory, unlike the hypervisor's), on the caller's stack, with
 * the caller's callee-saved registers and RFLAGS. On failure the call returns
 * a negative value and nothing changed.
 *
 * The frame handed to hv_takeover (hv/start.c), lowest address first:
 * r15 r14 r13 r12 rbp rbx rflags return-address. */
	.text
	.globl hv_takeover_this_cpu
hv_takeover_this_cpu:
	pushfq
	cli
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	/* rsp is now 8 mod 16 (the caller's call pushed 8, we pushed 56):
	 * realign for the C call; the frame pointer is in %rdi. */
	subq $8, %rsp
	call hv_takeover	/* returns only on failure */
	addq $8, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	popfq
	ret

	.section .note.GNU-stack, "", @progbits
