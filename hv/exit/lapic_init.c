/* SPDX-License-Identifier: GPL-2.0-only */
/* The local APIC after INIT, in software (hv/exit/lapic_init.h). Register offsets:
 * SDM Vol. 3A §11.4.1, Table 11-1; in x2APIC mode the same register is MSR
 * 0x800 + offset / 16 (§11.12.1.2). */
#include "hv/exit/lapic_init.h"
#include "hv/console/console.h"
#include "hv/cpu.h"

#define APIC_REG_ISR0    0x100 /* 8 registers, 16 bytes apart */
#define APIC_REG_IRR0    0x200
#define APIC_REG_ESR     0x280
#define APIC_REG_LVT_CMCI 0x2F0
#define APIC_REG_LVT_THERMAL 0x330
#define APIC_REG_LVT_PERF 0x340
#define APIC_REG_LVT_LINT0 0x350
#define APIC_REG_LVT_LINT1 0x360
#define APIC_REG_LVT_ERROR 0x370
#define APIC_REG_TIMER_INIT 0x380
#define APIC_REG_TIMER_DIV 0x3E0
#define APIC_LVT_MASKED (1u << 16)
#define APIC_SVR_ENABLE (1u << 8)
#define APIC_SVR_AFTER_INIT 0xFF /* software-disabled, spurious vector 0xFF */
/* Bounds the drain: each round retires at least one vector unless a device
 * keeps sending; then the APIC is left software-disabled, which holds them. */
#define DRAIN_ROUNDS 512

static volatile uint32_t *xapic;
static bool x2apic;

static uint32_t rd(uint32_t off)
{
	return x2apic ? (uint32_t)rdmsr(MSR_X2APIC_FIRST + off / 16) : xapic[off / 4];
}

static void wr(uint32_t off, uint32_t v)
{
	if (x2apic)
		wrmsr(MSR_X2APIC_FIRST + off / 16, v);
	else
		xapic[off / 4] = v;
}

static bool any_set(uint32_t first)
{
	for (uint32_t i = 0; i < 8; i++)
		if (rd(first + 16 * i))
			return true;
	return false;
}

static void load_mode(void)
{
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
	x2apic = base & APIC_BASE_X2APIC;
	xapic = (volatile uint32_t *)(base & APIC_BASE_ADDR_MASK);
}

void lapic_host_interrupt(uint64_t vector)
{
	(void)vector;
	load_mode();
	wr(APIC_REG_EOI, 0);
}

void lapic_init_reset(void (*accept_pending)(void))
{
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
	if (!(base & APIC_BASE_ENABLE))
		return; /* hardware-disabled: nothing to reset */
	load_mode();

	/* No new local interrupts: every LVT masked, the timer stopped. The
	 * CMCI LVT exists only where IA32_MCG_CAP[10] says; writing it elsewhere
	 * is an APIC error at worst, which the ESR clear below forgets. */
	static const uint16_t lvts[] = { APIC_REG_LVT_TIMER, APIC_REG_LVT_THERMAL,
					 APIC_REG_LVT_PERF, APIC_REG_LVT_LINT0,
					 APIC_REG_LVT_LINT1, APIC_REG_LVT_ERROR };
	for (unsigned i = 0; i < sizeof(lvts) / sizeof(lvts[0]); i++)
		wr(lvts[i], APIC_LVT_MASKED);
	wr(APIC_REG_TIMER_INIT, 0);

	/* In-service vectors end with an EOI each; pending ones must be
	 * accepted, which needs the APIC enabled and TPR 0. */
	wr(APIC_REG_TPR, 0);
	wr(APIC_REG_SVR, rd(APIC_REG_SVR) | APIC_SVR_ENABLE);
	unsigned round = 0;
	for (; round < DRAIN_ROUNDS; round++) {
		if (any_set(APIC_REG_ISR0))
			wr(APIC_REG_EOI, 0);
		else if (any_set(APIC_REG_IRR0))
			accept_pending();
		else
			break;
	}
	log_debug("lapic: INIT reset, %u interrupts retired", round);
	if (round == DRAIN_ROUNDS)
		log_warn("lapic: interrupts still pending after INIT; held in the disabled APIC");

	wr(APIC_REG_TIMER_DIV, 0);
	if (!x2apic) { /* read-only in x2APIC mode (§11.12.1.2) */
		wr(APIC_REG_LDR, 0);
		wr(APIC_REG_DFR, 0xFFFFFFFF);
	}
	wr(APIC_REG_ESR, 0); /* clears the error status: write, then it reads 0 */
	wr(APIC_REG_ESR, 0);
	wr(APIC_REG_SVR, APIC_SVR_AFTER_INIT);
}
