/* SPDX-License-Identifier: GPL-2.0-only */
/* int guest_try(void (*fn)(void)): calls fn; if an exception handler of
 * trap_stubs fires, fn is abandoned and guest_try returns its vector, else -1.
 * The handlers never return to the exception frame: they go back to the stack
 * pointer guest_try saved, so error codes (SDM Vol. 3A §6.13) need no popping,
 * and IF stays clear (the gates are interrupt gates). */
	.text
	.globl guest_try
	.hidden guest_try
guest_try:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, saved_rsp(%rip)
	movl $-1, trap_vector(%rip)
	call *%rdi
.Lrecover:
	movq saved_rsp(%rip), %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	cld
	movl trap_vector(%rip), %eax
	ret

/* One 16-byte handler per vector 0-31: record the vector, recover. */
	.globl trap_stubs
	.hidden trap_stubs
	.balign 16
trap_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.balign 16
	movl $\v, trap_vector(%rip)
	jmp .Lrecover
	.endr

	.data
saved_rsp: .quad 0
trap_vector: .long -1
	.section .note.GNU-stack, "", @progbits
