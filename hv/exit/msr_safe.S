/* SPDX-License-Identifier: GPL-2.0-only */
/* msr_read_safe / msr_write_safe (hv/exit/msr_safe.h). A #GP on the RDMSR or WRMSR
 * below reaches host_exception, which asks msr_safe_fixup for the failure
 * return: the faulting instruction did nothing (SDM Vol. 2B, RDMSR/WRMSR:
 * #GP(0) for a reserved or unimplemented MSR, or a reserved bit in the value). */
	.text

/* bool msr_read_safe(uint32_t msr [edi], uint64_t *value [rsi]) */
	.globl msr_read_safe
msr_read_safe:
	movl %edi, %ecx
	.globl msr_read_insn
msr_read_insn:
	rdmsr
	shlq $32, %rdx
	orq %rdx, %rax
	movq %rax, (%rsi)
	movl $1, %eax
	ret

/* bool msr_write_safe(uint32_t msr [edi], uint64_t value [rsi]) */
	.globl msr_write_safe
msr_write_safe:
	movl %edi, %ecx
	movl %esi, %eax
	movq %rsi, %rdx
	shrq $32, %rdx
	.globl msr_write_insn
msr_write_insn:
	wrmsr
	movl $1, %eax
	ret

	.globl msr_safe_failed
msr_safe_failed:
	xorl %eax, %eax
	ret
	.section .note.GNU-stack, "", @progbits
