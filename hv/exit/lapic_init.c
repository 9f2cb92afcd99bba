/* SPDX-License-Identifier: GPL-2.0-only */
/* The local APIC after INIT, in software (hv/exit/lapic_init.h). Register offsets:
 * SDM Vol. 3A §11.4.1, Table 11-1; in x2APIC mode the same register is MSR
 * 0x800 + offset / 16 (§11.12.1.2). */
#include "hv/exit/lapic_init.h"
#include "hv/console/console.h"
#include "hv/cpu.h"

/* Bounds the drain: each round retires at least one vector unless a device
 * keeps sending; then the APIC is left software-disabled, which holds them. */
#define DRAIN_ROUNDS 512

/* The calling CPU's own APIC, in the mode IA32_APIC_BASE gives: read on each
 * call, so nothing is shared between CPUs. */
struct lapic {
	volatile uint32_t *xapic;
	bool x2apic;
};

static struct lapic lapic_of(uint64_t base)
{
	return (struct lapic){ .xapic = (volatile uint32_t *)(base & APIC_BASE_ADDR_MASK),
			       .x2apic = base & APIC_BASE_X2APIC };
}

static uint32_t rd(const struct lapic *a, uint32_t off)
{
	return a->x2apic ? (uint32_t)rdmsr(MSR_X2APIC_FIRST + off / 16) : a->xapic[off / 4];
}

static void wr(const struct lapic *a, uint32_t off, uint32_t v)
{
	if (a->x2apic)
		wrmsr(MSR_X2APIC_FIRST + off / 16, v);
	else
		a->xapic[off / 4] = v;
}

/* ISR or IRR: eight 32-bit registers, 16 bytes apart. */
static bool any_set(const struct lapic *a, uint32_t first)
{
	for (uint32_t i = 0; i < 8; i++)
		if (rd(a, first + 16 * i))
			return true;
	return false;
}

void lapic_host_interrupt(uint64_t vector)
{
	(void)vector;
	struct lapic a = lapic_of(rdmsr(MSR_IA32_APIC_BASE));
	wr(&a, APIC_REG_EOI, 0);
}

void lapic_init_reset(void (*accept_pending)(void))
{
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
	if (!(base & APIC_BASE_ENABLE))
		return; /* hardware-disabled: nothing to reset */
	struct lapic l = lapic_of(base), *a = &l;

	/* No new local interrupts: every LVT masked, the timer stopped. (The
	 * CMCI LVT, present only where IA32_MCG_CAP[10] says, is left alone.) */
	static const uint16_t lvts[] = { APIC_REG_LVT_TIMER, APIC_REG_LVT_THERMAL,
					 APIC_REG_LVT_PERF, APIC_REG_LVT_LINT0,
					 APIC_REG_LVT_LINT1, APIC_REG_LVT_ERROR };
	for (unsigned i = 0; i < sizeof(lvts) / sizeof(lvts[0]); i++)
		wr(a, lvts[i], APIC_LVT_MASKED);
	wr(a, APIC_REG_TIMER_INIT, 0);

	/* In-service vectors end with an EOI each; pending ones must be
	 * accepted, which needs the APIC enabled and TPR 0. */
	wr(a, APIC_REG_TPR, 0);
	wr(a, APIC_REG_SVR, rd(a, APIC_REG_SVR) | APIC_SVR_ENABLE);
	unsigned round = 0;
	for (; round < DRAIN_ROUNDS; round++) {
		if (any_set(a, APIC_REG_ISR0))
			wr(a, APIC_REG_EOI, 0);
		else if (any_set(a, APIC_REG_IRR0))
			accept_pending();
		else
			break;
	}
	log_debug("lapic: INIT reset, %u interrupts retired", round);
	if (round == DRAIN_ROUNDS)
		log_warn("lapic: interrupts still pending after INIT; held in the disabled APIC");

	wr(a, APIC_REG_TIMER_DIV, 0);
	if (!a->x2apic) { /* read-only in x2APIC mode (§11.12.1.2) */
		wr(a, APIC_REG_LDR, 0);
		wr(a, APIC_REG_DFR, 0xFFFFFFFF);
	}
	wr(a, APIC_REG_ESR, 0); /* clears the error status: write, then it reads 0 */
	wr(a, APIC_REG_ESR, 0);
	wr(a, APIC_REG_SVR, APIC_SVR_AFTER_INIT);
}
