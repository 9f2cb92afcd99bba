/* SPDX-License-Identifier: GPL-2.0-only */
/* Single-step probes: each sets RFLAGS.TF with POPFQ, runs one instruction the
 * hypervisor may complete for the guest, and records where the #DB should
 * point: the next instruction (SDM Vol. 3B §18.3.1.4: the single-step trap
 * comes after the instruction that follows the one that set TF). */
	.text
.macro PROBE name
	.globl ss_\name
ss_\name:
	pushq %rbx
	leaq 1f(%rip), %r11
	movq %r11, ss_expected(%rip)
.endm
/* Sets TF: the trap follows the next instruction. */
.macro SET_TF
	pushfq
	orq $0x100, (%rsp)
	popfq
.endm
.macro END
1:	popq %rbx
	ret
.endm

PROBE cpuid
	xorl %eax, %eax
	xorl %ecx, %ecx
	SET_TF
	cpuid
END

/* A trapped port (test device, testdev on). */
PROBE in
	movl $0x5a0, %edx
	SET_TF
	inb %dx, %al
END

/* The test device's MMIO page (testdev on). */
PROBE mmio
	movl $0xfe800000, %edx
	SET_TF
	movl (%rdx), %eax
END

/* HC_INFO through VMMCALL (AMD) and VMCALL (Intel). */
PROBE vmmcall
	xorl %eax, %eax
	SET_TF
	vmmcall
END

PROBE vmcall
	xorl %eax, %eax
	SET_TF
	vmcall
END

/* An MSR read that exits: EFER on AMD (its bit SVME is hidden), IA32_FEATURE_
 * CONTROL on Intel. */
PROBE rdmsr_efer
	movl $0xc0000080, %ecx
	SET_TF
	rdmsr
END

PROBE rdmsr_fc
	movl $0x3a, %ecx
	SET_TF
	rdmsr
END

/* #DB: record RIP and DR6, clear TF in the interrupted RFLAGS so that one
 * trap is all, reset DR6 (the CPU never clears it: Vol. 3B §18.2.3). */
	.globl ss_db_handler
ss_db_handler:
	pushq %rax
	movq 8(%rsp), %rax
	movq %rax, ss_rip(%rip)
	movq %dr6, %rax
	movq %rax, ss_dr6(%rip)
	movq $0xffff0ff0, %rax
	movq %rax, %dr6
	andq $~0x100, 24(%rsp)
	incl ss_count(%rip)
	popq %rax
	iretq

/* #UD (a hypercall from user mode): count it, step over the 3-byte VMCALL or
 * VMMCALL, and clear TF so that no single-step trap follows. */
	.globl ss_ud_handler
ss_ud_handler:
	addq $3, (%rsp)
	andq $~0x100, 16(%rsp)
	incl ss_ud_count(%rip)
	iretq

	.data
	.globl ss_expected, ss_rip, ss_dr6, ss_count, ss_ud_count
ss_ud_count: .long 0
ss_expected: .quad 0
ss_rip: .quad 0
ss_dr6: .quad 0
ss_count: .long 0
	.section .note.GNU-stack, "", @progbits
