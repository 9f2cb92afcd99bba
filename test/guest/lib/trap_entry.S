/* bool guest_try(void (*fn)(void)): calls fn; if the installed handler fires,
 * fn is abandoned and guest_try returns true. */
	.text
	.globl guest_try
guest_try:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, saved_rsp(%rip)
	movb $0, ud_hit(%rip)
	call *%rdi
.Lrecover:
	movq saved_rsp(%rip), %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	movzbl ud_hit(%rip), %eax
	ret

/* #UD pushes no error code: the frame starts with RIP (SDM Vol. 3A §6.14.2). */
	.globl guest_ud_handler
guest_ud_handler:
	movb $1, ud_hit(%rip)
	leaq .Lrecover(%rip), %rax
	movq %rax, (%rsp)
	iretq

/* #GP pushes an error code, which IRET does not pop. */
	.globl guest_gp_handler
guest_gp_handler:
	addq $8, %rsp
	jmp guest_ud_handler

	.data
saved_rsp: .quad 0
ud_hit: .byte 0
	.section .note.GNU-stack, "", @progbits
