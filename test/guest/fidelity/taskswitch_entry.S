/* SPDX-License-Identifier: GPL-2.0-only */
/* The task-switch test's code (taskswitch.c copies ts32_start..ts32_end into
 * its world below 4 GiB and calls ts_enter there with the world's base). It
 * leaves IA-32e mode for 32-bit protected mode without paging (SDM Vol. 3A
 * §10.8.5.4), switches tasks four ways (JMP, CALL + IRET, INT n through a task
 * gate, #GP through a task gate, CALL to a 16-bit TSS: SDM Vol. 3A §8.3,
 * §8.4, §8.6), and returns to
 * IA-32e mode and the firmware's descriptor tables. Everything is addressed
 * from the world's base in ESI: the code runs wherever it was copied. */
#include "taskswitch.h"

#define EFER_MSR 0xC0000080
#define EFER_LME 0x100
#define CR0_PG 0x80000000
#define EFLAGS_NT 0x4000
#define TSS_EIP 0x20 /* struct tss32's eip */

	.text
	.globl ts32_start, ts32_end, ts_enter, ts_task_b, ts_task_int, ts_task_gp, ts_gp_insn
	.globl ts_task16, ts_task16_resume
ts32_start:

	.code64
ts_enter:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushfq
	cli
	movq %rdi, %rsi
	movq %rsp, TS_W_SAVED_RSP(%rsi)
	movq %cr3, %rax
	movq %rax, TS_W_SAVED_CR3(%rsi)
	sgdt TS_W_SAVED_GDTR(%rsi)
	sidt TS_W_SAVED_IDTR(%rsi)
	str TS_W_SAVED_TR(%rsi)
	movw %cs, TS_W_SAVED_SEGS + 0(%rsi)
	movw %ss, TS_W_SAVED_SEGS + 2(%rsi)
	movw %ds, TS_W_SAVED_SEGS + 4(%rsi)
	movw %es, TS_W_SAVED_SEGS + 6(%rsi)
	movw %fs, TS_W_SAVED_SEGS + 8(%rsi)
	movw %gs, TS_W_SAVED_SEGS + 10(%rsi)
	lgdt TS_W_GDTR32(%rsi)
	/* To compatibility mode: a far return to the 32-bit code segment. */
	pushq $TS_SEL_CODE32
	leaq 1f(%rip), %rax
	pushq %rax
	lretq

	.code32
1:	movl $TS_SEL_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %fs
	movl %eax, %gs
	movl %eax, %ss
	leal TS_W_STACK_MAIN(%esi), %esp
	/* Out of IA-32e mode: paging off (LMA clears), then LME. */
	movl %cr0, %eax
	andl $~CR0_PG, %eax
	movl %eax, %cr0
	movl $EFER_MSR, %ecx
	rdmsr
	andl $~EFER_LME, %eax
	wrmsr
	lidt TS_W_IDTR32(%esi)
	movl $TS_SEL_TSS_MAIN, %eax
	ltr %ax
	xorl %eax, %eax
	lldt %ax
	movl $TS_MAGIC_EBX, %ebx
	movl $TS_MAGIC_EDI, %edi
	movl $TS_MAGIC_EBP, %ebp

	/* 0: JMP to task B, which JMPs back. */
	movl $0, TS_W_PHASE(%esi)
	ljmp $TS_SEL_TSS_B, $0
	call after
	/* 1: CALL task B, which returns with IRET (NT set: to its link). */
	movl $1, TS_W_PHASE(%esi)
	lcall $TS_SEL_TSS_B, $0
	call after
	/* 2: INT n through a task gate. */
	movl $2, TS_W_PHASE(%esi)
	int $TS_INT_VECTOR
	call after
	/* 3: #GP through a task gate: a selector past the GDT's limit. The
	 * task steps the saved EIP over this 2-byte MOV. */
	movl $3, TS_W_PHASE(%esi)
	movl $TS_BAD_SELECTOR, %eax
ts_gp_insn:
	movl %eax, %ds
	call after
	/* 4: CALL a task with a 16-bit TSS, which IRETs. */
	movl $TS_PHASE_TSS16, TS_W_PHASE(%esi)
	lcall $TS_SEL_TSS16, $0
	call after

	/* Back to IA-32e mode: the firmware needs CR0.TS clear (it uses SSE). */
	clts
	movl $EFER_MSR, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl TS_W_SAVED_CR3(%esi), %eax
	movl %eax, %cr3
	movl %cr0, %eax
	orl $CR0_PG, %eax
	movl %eax, %cr0
	/* Compatibility mode now: a far return to the 64-bit code segment. */
	pushl $TS_SEL_CODE64
	call 2f
2:	addl $(3f - 2b), (%esp)
	lret

	.code64
3:	movl %esi, %esi /* upper halves are undefined after compatibility mode */
	lgdt TS_W_SAVED_GDTR(%rsi)
	lidt TS_W_SAVED_IDTR(%rsi)
	movw TS_W_SAVED_SEGS + 2(%rsi), %ss
	movq TS_W_SAVED_RSP(%rsi), %rsp
	movw TS_W_SAVED_SEGS + 4(%rsi), %ds
	movw TS_W_SAVED_SEGS + 6(%rsi), %es
	movw TS_W_SAVED_SEGS + 8(%rsi), %fs
	movw TS_W_SAVED_SEGS + 10(%rsi), %gs
	movzwl TS_W_SAVED_SEGS + 0(%rsi), %eax
	pushq %rax
	leaq 4f(%rip), %rax
	pushq %rax
	lretq
4:	popfq
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret

	.code32
/* ECX = this phase's results block. */
phase_block:
	movl TS_W_PHASE(%esi), %ecx
	shll $6, %ecx
	leal TS_W_RESULTS(%esi, %ecx), %ecx
	ret

/* Main, back from a switch: the descriptors' busy bits, EFLAGS, and whether
 * the registers it had came back with its task. */
after:
	pushl %eax
	pushl %ecx
	pushl %edx
	call phase_block
	movl TS_W_GDT + TS_SEL_TSS_MAIN + 4(%esi), %eax
	movl %eax, TS_R_AFTER_MAIN(%ecx)
	movl TS_R_OWN_SEL(%ecx), %eax
	andl $0xFFF8, %eax
	movl TS_W_GDT + 4(%esi, %eax), %eax
	movl %eax, TS_R_AFTER_OWN(%ecx)
	pushfl
	popl %eax
	movl %eax, TS_R_AFTER_EFLAGS(%ecx)
	xorl %edx, %edx
	cmpl $TS_MAGIC_EBX, %ebx
	je 1f
	incl %edx
1:	cmpl $TS_MAGIC_EDI, %edi
	je 2f
	incl %edx
2:	cmpl $TS_MAGIC_EBP, %ebp
	je 3f
	incl %edx
3:	movl %edx, TS_R_REGS_BAD(%ecx)
	movl $1, TS_R_DONE(%ecx)
	popl %edx
	popl %ecx
	popl %eax
	ret

/* A task, on entry: what it sees. Returns ECX = the phase's block. */
record:
	call phase_block
	incl TS_R_COUNT(%ecx)
	pushfl
	popl %eax
	movl %eax, TS_R_EFLAGS(%ecx)
	movl TS_W_GDT + TS_SEL_TSS_MAIN + 4(%esi), %eax
	movl %eax, TS_R_MAIN_DESC(%ecx)
	xorl %eax, %eax
	str %ax
	movl %eax, TS_R_OWN_SEL(%ecx)
	andl $0xFFF8, %eax
	movl TS_W_GDT + 4(%esi, %eax), %edx
	movl %edx, TS_R_OWN_DESC(%ecx)
	/* The TSSs are 0x80 apart, their selectors 8: offset = (sel - main) * 16. */
	subl $TS_SEL_TSS_MAIN, %eax
	shll $4, %eax
	movzwl TS_W_TSS_MAIN(%esi, %eax), %eax
	movl %eax, TS_R_LINK(%ecx)
	movl %cr0, %eax
	movl %eax, TS_R_CR0(%ecx)
	ret

/* Task B: called (NT set) it returns with IRET, jumped to it jumps back. Each
 * entry resumes after the instruction that left it: hence the loops. */
ts_task_b:
	call record
	testl $EFLAGS_NT, TS_R_EFLAGS(%ecx)
	jz 1f
	iretl
	jmp ts_task_b
1:	ljmp $TS_SEL_TSS_MAIN, $0
	jmp ts_task_b

/* The INT n task. */
ts_task_int:
	call record
	iretl
	jmp ts_task_int

/* The #GP task: its error code is on its stack (SDM Vol. 3A §8.3: pushed on
 * the new task's stack); the faulting EIP is in the main TSS. */
ts_task_gp:
	call record
	movl %esp, TS_R_ESP(%ecx)
	popl %eax
	movl %eax, TS_R_ERROR(%ecx)
	movl TS_W_TSS_MAIN + TSS_EIP(%esi), %eax
	movl %eax, TS_R_MAIN_EIP(%ecx)
	addl $2, TS_W_TSS_MAIN + TSS_EIP(%esi)
	iretl
	jmp ts_task_gp

/* The 16-bit TSS's task: a 16-bit TSS loads only the low halves of the GPRs,
 * so it finds the world through its segments (DS, SS based there, CS based
 * at the code's copy) and addresses it by absolute offsets. */
#define T16(field) (TS_W_RESULTS + 0x40 * TS_PHASE_TSS16 + (field))
ts_task16:
	incl T16(TS_R_COUNT)
	movl %eax, T16(TS_R_ERROR)
	pushfl
	popl T16(TS_R_EFLAGS)
	str T16(TS_R_OWN_SEL)
	movl TS_W_GDT + TS_SEL_TSS_MAIN + 4, %eax
	movl %eax, T16(TS_R_MAIN_DESC)
	movl TS_W_GDT + TS_SEL_TSS16 + 4, %eax
	movl %eax, T16(TS_R_OWN_DESC)
	movzwl TS_W_TSS16, %eax
	movl %eax, T16(TS_R_LINK)
	movl %cr0, %eax
	movl %eax, T16(TS_R_CR0)
	iretl
ts_task16_resume:
	jmp ts_task16

ts32_end:
