/* SPDX-License-Identifier: GPL-2.0-only */
/* Entering the guest on VMX.
 *
 * vmx_enter leaves the caller's stack for the host stack and launches the guest,
 * whose state is in the VMCS and struct vcpu (hv/takeover.S and vmx.c set it up
 * so that the guest continues where the take-over was asked for).
 *
 * A VM exit loads the host state from the VMCS (SDM Vol. 3C §28.5): RIP =
 * vmx_exit_entry, RSP = the host stack top minus 16, where [rsp+8] holds the
 * struct vcpu pointer (vmx.c stores it there). RSP and RIP of the guest are in
 * the VMCS; every other general register, RAX included, is saved here into
 * struct vcpu (hv/vcpu_asm.h). VMLAUNCH and VMRESUME fall through only when they
 * fail (§31.4): vmx_entry_failed reports it. */
#include "hv/vcpu_asm.h"

	.text

.macro load_guest_gprs
	LOAD_GUEST_GPRS_BUT_RAX
	movq VCPU_GPR(0)(%rax), %rax
.endm

/* _Noreturn void vmx_enter(struct vcpu *v, uint64_t host_stack_top) */
	.globl vmx_enter
vmx_enter:
	leaq -16(%rsi), %rsp
	movq %rdi, 8(%rsp)
	movq %rdi, %rax
	load_guest_gprs
	vmlaunch
	jmp .Lfailed

/* The host's RIP after every VM exit. RSP = top - 16 (16-byte aligned). */
	.globl vmx_exit_entry
vmx_exit_entry:
	pushq %rax
	movq 16(%rsp), %rax
	SAVE_GUEST_GPRS_BUT_RAX
	popq %rcx
	movq %rcx, VCPU_GPR(0)(%rax)
	movq %rax, %rdi
	call vmx_handle_exit
	movq 8(%rsp), %rax
	load_guest_gprs
	vmresume
.Lfailed:
	pushfq
	popq %rsi
	movq 8(%rsp), %rdi
	call vmx_entry_failed
	ud2

	.section .note.GNU-stack, "", @progbits
