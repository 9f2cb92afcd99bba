/* SPDX-License-Identifier: GPL-2.0-only */
/* Hardware task switches (SDM Vol. 3A §8.3, §8.4), which VMX hands to the
 * hypervisor on every one (exit reason 9): in 32-bit protected mode the guest
 * JMPs to a task and back, CALLs one that returns with IRET, takes an INT n and
 * a #GP through task gates, and checks what each task saw (EFLAGS.NT, the link,
 * the busy bits, CR0.TS, the #GP's error code on the new stack and the faulting
 * EIP in the old TSS) and that its own registers came back; it also CALLs a
 * task with a 16-bit TSS, whose IP the IRET back saves. taskswitch_entry.S
 * runs the 32-bit part in a world this file builds below 4 GiB. */
#include <efi.h>
#include <efilib.h>
#include <stddef.h>
#include "fidelity.h"
#include "hv/cpu.h"
#include "hv/string.h"
#include "hv/x86/descriptor.h"
#include "hv/x86/regs.h"
#include "taskswitch.h"

extern const uint8_t ts32_start[], ts32_end[], ts_enter[], ts_task_b[], ts_task_int[], ts_task_gp[],
	ts_gp_insn[], ts_task16[], ts_task16_resume[];

/* A task gate (SDM Vol. 3A §6.11, Figure 6-2): the TSS selector, P, type 5. */
static uint64_t task_gate(uint16_t tss)
{
	return (uint64_t)tss << 16 | (uint64_t)0x85 << 40;
}

static void task(uint8_t *w, unsigned off, uint32_t eip, unsigned stack)
{
	struct tss32 *t = (struct tss32 *)(w + off);
	t->eip = eip;
	t->eflags = 0x2; /* interrupts off */
	t->gpr[X86_RSP] = (uint32_t)(uintptr_t)w + stack;
	t->gpr[X86_RSI] = (uint32_t)(uintptr_t)w; /* the world, as the code expects */
	for (unsigned i = 0; i < X86_NR_SREGS; i++)
		t->sreg[i] = i == X86_CS ? TS_SEL_CODE32 : TS_SEL_DATA;
}

static void build(uint8_t *w)
{
	uint32_t base = (uint32_t)(uintptr_t)w, code = base + TS_W_CODE;
	uint64_t *gdt = (uint64_t *)(w + TS_W_GDT), *idt = (uint64_t *)(w + TS_W_IDT);
#define AT(label) (code + (uint32_t)((label)-ts32_start))

	memset(w, 0, TS_W_CODE);
	memcpy(w + TS_W_CODE, ts32_start, (size_t)(ts32_end - ts32_start));
	gdt[TS_SEL_CODE32 / 8] = x86_descriptor(0, 0xFFFFF, 0x9B, 0xC);
	gdt[TS_SEL_DATA / 8] = x86_descriptor(0, 0xFFFFF, 0x93, 0xC);
	gdt[TS_SEL_CODE64 / 8] = x86_descriptor(0, 0xFFFFF, 0x9B, 0xA);
	gdt[TS_SEL_TSS_MAIN / 8] = x86_descriptor(base + TS_W_TSS_MAIN, 0x67, 0x89, 0);
	gdt[TS_SEL_TSS_B / 8] = x86_descriptor(base + TS_W_TSS_B, 0x67, 0x89, 0);
	gdt[TS_SEL_TSS_INT / 8] = x86_descriptor(base + TS_W_TSS_INT, 0x67, 0x89, 0);
	gdt[TS_SEL_TSS_GP / 8] = x86_descriptor(base + TS_W_TSS_GP, 0x67, 0x89, 0);
	idt[TS_INT_VECTOR] = task_gate(TS_SEL_TSS_INT);
	idt[X86_EXC_GP] = task_gate(TS_SEL_TSS_GP);
	*(uint16_t *)(w + TS_W_GDTR32) = TS_GDT_ENTRIES * 8 - 1;
	*(uint64_t *)(w + TS_W_GDTR32 + 2) = base + TS_W_GDT;
	*(uint16_t *)(w + TS_W_IDTR32) = 256 * 8 - 1;
	*(uint64_t *)(w + TS_W_IDTR32 + 2) = base + TS_W_IDT;
	task(w, TS_W_TSS_B, AT(ts_task_b), TS_W_STACK_B);
	task(w, TS_W_TSS_INT, AT(ts_task_int), TS_W_STACK_INT);
	task(w, TS_W_TSS_GP, AT(ts_task_gp), TS_W_STACK_GP);
	gdt[TS_SEL_TSS16 / 8] = x86_descriptor(base + TS_W_TSS16, 0x2B, 0x81, 0);
	gdt[TS_SEL_CODE_AT / 8] = x86_descriptor(code, 0xFFFF, 0x9B, 0x4);
	gdt[TS_SEL_DATA16 / 8] = x86_descriptor(base, 0xFFFF, 0x93, 0);
	struct tss16 *t16 = (struct tss16 *)(w + TS_W_TSS16);
	t16->ip = (uint16_t)(ts_task16 - ts32_start);
	t16->flags = 0x2;
	t16->gpr[X86_RSP] = TS_W_STACK_16;
	t16->sreg[X86_ES] = t16->sreg[X86_SS] = t16->sreg[X86_DS] = TS_SEL_DATA16;
	t16->sreg[X86_CS] = TS_SEL_CODE_AT;
	*(uint32_t *)(w + TS_W_GP_INSN) = AT(ts_gp_insn);
#undef AT
}

static uint32_t r32(const uint8_t *w, unsigned phase, unsigned off)
{
	return *(const uint32_t *)(w + TS_W_RESULTS + 0x40 * phase + off);
}

/* The type of a TSS descriptor, from its high dword: 9 available, 0xB busy
 * (1 and 3 for a 16-bit TSS). */
static unsigned type(uint32_t hi)
{
	return (hi >> 8) & 0xF;
}

/* What the task of a phase saw, and main after it: nested (CALL, events) or
 * not (JMP). */
static bool task_saw(const uint8_t *w, unsigned phase, bool nested)
{
	uint32_t fl = r32(w, phase, TS_R_EFLAGS);
	unsigned own = phase == TS_PHASE_TSS16 ? X86_SEG_TYPE_TSS16_AVAIL : X86_SEG_TYPE_TSS_AVAIL;
	return r32(w, phase, TS_R_COUNT) == 1 && !!(fl & X86_RFLAGS_NT) == nested &&
	       r32(w, phase, TS_R_LINK) == (nested ? TS_SEL_TSS_MAIN : 0) &&
	       type(r32(w, phase, TS_R_MAIN_DESC)) == (nested ? 0xB : 0x9) &&
	       type(r32(w, phase, TS_R_OWN_DESC)) == (own | X86_SEG_TYPE_TSS_BUSY_BIT) &&
	       (r32(w, phase, TS_R_CR0) & X86_CR0_TS) && r32(w, phase, TS_R_DONE) == 1 &&
	       r32(w, phase, TS_R_REGS_BAD) == 0 && type(r32(w, phase, TS_R_AFTER_MAIN)) == 0xB &&
	       type(r32(w, phase, TS_R_AFTER_OWN)) == own &&
	       !(r32(w, phase, TS_R_AFTER_EFLAGS) & X86_RFLAGS_NT);
}

static void report(const uint8_t *w, unsigned phase)
{
	gprintf("guest: task switch phase %u: entries %u eflags 0x%x link 0x%x main 0x%x own 0x%x "
		"cr0 0x%x | after: main 0x%x own 0x%x eflags 0x%x regs bad %u done %u\n",
		phase, r32(w, phase, TS_R_COUNT), r32(w, phase, TS_R_EFLAGS),
		r32(w, phase, TS_R_LINK), r32(w, phase, TS_R_MAIN_DESC),
		r32(w, phase, TS_R_OWN_DESC), r32(w, phase, TS_R_CR0),
		r32(w, phase, TS_R_AFTER_MAIN), r32(w, phase, TS_R_AFTER_OWN),
		r32(w, phase, TS_R_AFTER_EFLAGS), r32(w, phase, TS_R_REGS_BAD),
		r32(w, phase, TS_R_DONE));
}

/* The TR from before, if the firmware's GDT holds it (the user-mode tests leave
 * one from a GDT of their own): its descriptor is busy, LTR wants it available
 * (SDM Vol. 2A, LTR). Otherwise TR stays the world's main TSS, and the world is
 * never freed. */
static void restore_tr(const uint8_t *w)
{
	uint16_t tr = *(const uint16_t *)(w + TS_W_SAVED_TR);
	uint16_t limit = *(const uint16_t *)(w + TS_W_SAVED_GDTR);
	if (!(tr & 0xFFF8) || (tr & 4) || (tr | 7u) > limit)
		return;
	uint8_t *gdt = (uint8_t *)*(const uint64_t *)(w + TS_W_SAVED_GDTR + 2);
	gdt[(tr & 0xFFF8) + 5] &= (uint8_t)~X86_SEG_TYPE_TSS_BUSY_BIT;
	__asm__ volatile("ltr %0" ::"r"(tr));
}

void test_task_switch(void)
{
	if (read_cr3() >> 32 || (read_cr4() & X86_CR4_PCIDE)) {
		gprintf("guest: skip: CR3 above 4 GiB or PCIDE set: no way to 32-bit mode\n");
		return;
	}
	EFI_PHYSICAL_ADDRESS pages = 0xFFFFFFFF;
	if (EFI_ERROR(uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress, EfiLoaderCode,
					TS_W_SIZE / 4096, &pages)) ||
	    ts32_end - ts32_start > TS_W_SIZE - TS_W_CODE) {
		guest_check(false, "a world below 4 GiB for the task-switch test");
		return;
	}
	uint8_t *w = (uint8_t *)(uintptr_t)pages;
	build(w);
	((void (*)(uint8_t *))(uintptr_t)(pages + TS_W_CODE + (ts_enter - ts32_start)))(w);
	restore_tr(w);
	for (unsigned phase = 0; phase <= TS_PHASE_TSS16; phase++)
		report(w, phase);
	guest_check(task_saw(w, 0, false), "task switch: JMP to a TSS and JMP back");
	guest_check(task_saw(w, 1, true), "task switch: CALL to a TSS, IRET back to the link");
	guest_check(task_saw(w, 2, true), "task switch: INT 0x%x through a task gate, IRET back",
		    TS_INT_VECTOR);
	uint32_t gp_eip = *(const uint32_t *)(w + TS_W_GP_INSN);
	guest_check(task_saw(w, 3, true) && r32(w, 3, TS_R_ERROR) == (TS_BAD_SELECTOR & 0xFFFC) &&
			    r32(w, 3, TS_R_MAIN_EIP) == gp_eip &&
			    r32(w, 3, TS_R_ESP) == (uint32_t)pages + TS_W_STACK_GP - 4,
		    "task switch: #GP through a task gate, error code 0x%x on the new stack, "
		    "faulting EIP 0x%x saved (want 0x%x)",
		    r32(w, 3, TS_R_ERROR), r32(w, 3, TS_R_MAIN_EIP), gp_eip);
	uint16_t ip = ((const struct tss16 *)(w + TS_W_TSS16))->ip;
	guest_check(task_saw(w, TS_PHASE_TSS16, true) && ip == ts_task16_resume - ts32_start,
		    "task switch: CALL to a 16-bit TSS, IRET back saves IP 0x%x (want 0x%x); "
		    "its EAX was 0x%x",
		    ip, (unsigned)(ts_task16_resume - ts32_start),
		    r32(w, TS_PHASE_TSS16, TS_R_ERROR));
}
