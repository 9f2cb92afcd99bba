/* SPDX-License-Identifier: GPL-2.0-only */
/* The local APIC's memory-mapped registers (SDM Vol. 3A §11.4.1, Table 11-1),
 * ICR writes decoded (§11.6.1, Figure 11-12): delivery mode, vector, and the
 * destination from the last ICR high write or the shorthand. */
#include "hv/x86/arch.h"
#include "hv/trace/decode/family.h"

#define LAPIC_SIZE 0x1000

struct lapic_reg {
	uint16_t offset;
	const char *name;
};

static const struct lapic_reg regs[] = {
	{ APIC_REG_ID, "ID" },
	{ APIC_REG_VERSION, "version" },
	{ APIC_REG_TPR, "TPR" },
	{ 0x90, "APR" },
	{ 0xA0, "PPR" },
	{ APIC_REG_EOI, "EOI" },
	{ 0xC0, "RRD" },
	{ APIC_REG_LDR, "LDR" },
	{ APIC_REG_DFR, "DFR" },
	{ APIC_REG_SVR, "SVR" },
	{ APIC_REG_ESR, "ESR" },
	{ 0x2F0, "LVT CMCI" },
	{ APIC_REG_ICR_LOW, "ICR low" },
	{ APIC_REG_ICR_HIGH, "ICR high" },
	{ APIC_REG_LVT_TIMER, "LVT timer" },
	{ APIC_REG_LVT_THERMAL, "LVT thermal" },
	{ APIC_REG_LVT_PERF, "LVT perf" },
	{ APIC_REG_LVT_LINT0, "LVT LINT0" },
	{ APIC_REG_LVT_LINT1, "LVT LINT1" },
	{ APIC_REG_LVT_ERROR, "LVT error" },
	{ APIC_REG_TIMER_INIT, "timer initial count" },
	{ 0x390, "timer current count" },
	{ APIC_REG_TIMER_DIV, "timer divide" },
};

static const char *const shorthand_names[4] = { 0, "self", "all", "all but self" };

static void icr(struct trace_decoder *d, uint32_t v, struct trace_text *t)
{
	dec_add(t, ": %s", apic_delivery_names[ICR_DELIVERY(v)]);
	if (ICR_DELIVERY(v) == ICR_DELIVERY_STARTUP)
		dec_add(t, " at 0x%05x", (v & 0xFF) << 12); /* §8.4.4.1: the vector is the page */
	else if (ICR_DELIVERY(v) == ICR_DELIVERY_FIXED || ICR_DELIVERY(v) == ICR_DELIVERY_LOWEST)
		dec_add(t, " vector 0x%02x", v & 0xFF);
	if (ICR_SHORTHAND(v) != ICR_SHORTHAND_NONE)
		dec_add(t, " to %s", shorthand_names[ICR_SHORTHAND(v)]);
	else
		dec_add(t, " to %s %u", v & ICR_DEST_LOGICAL ? "logical" : "APIC",
			d->icr_high >> 24);
	if (ICR_DELIVERY(v) == ICR_DELIVERY_INIT && !(v & ICR_LEVEL_ASSERT))
		dec_add(t, " (de-assert)");
}

bool decode_lapic(struct trace_decoder *d, const struct trace_record *r, struct trace_text *t)
{
	unsigned off;
	if (!dec_mmio_offset(r, d->plat ? d->plat->lapic : 0, LAPIC_SIZE, &off))
		return false;
	t->device = "lapic";
	off &= ~0xFu;
	/* Names follow from the offset; only an ICR high write feeds the
	 * state (the destination the ICR low write's text names). */
	t->plain = !(off == APIC_REG_ICR_HIGH && r->write);
	uint32_t v = (uint32_t)r->value;
	const char *name = 0;
	for (unsigned i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		if (regs[i].offset == off)
			name = regs[i].name;
	if (name)
		dec_reg(t, "%s", name);
	else if (off >= APIC_REG_ISR0 && off < APIC_REG_IRR0 + 0x80)
		dec_reg(t, "%s%u",
			off < 0x180	      ? "ISR"
			: off < APIC_REG_IRR0 ? "TMR"
					      : "IRR",
			(off & 0x7F) >> 4);
	else
		dec_reg(t, "reserved 0x%03x", off);
	dec_value(t, r);
	if (off == APIC_REG_ICR_HIGH && r->write)
		d->icr_high = v;
	else if (off == APIC_REG_ICR_HIGH)
		dec_add(t, ": destination %u", v >> 24);
	else if (off == APIC_REG_ICR_LOW && r->write)
		icr(d, v, t);
	else if (off >= APIC_REG_LVT_TIMER && off <= APIC_REG_LVT_ERROR)
		dec_add(t, ": vector 0x%02x%s", v & 0xFF, v & APIC_LVT_MASKED ? ", masked" : "");
	return true;
}
