/* SPDX-License-Identifier: GPL-2.0-only */
/* High Precision Event Timer (IA-PC HPET Specification 1.0a §2.3, Table 2-1):
 * general registers, the main counter, and timer N's three registers at
 * 0x100 + 0x20 * N. A 4-byte access to the upper half of a 64-bit register is
 * named "... high". */
#include "hv/trace/decode/family.h"

#define HPET_SIZE 0x400
#define HPET_TIMER0 0x100
#define HPET_TIMER_STRIDE 0x20
#define HPET_TIMERS 32

static const char *const config_bits[2] = { "enabled", "legacy routing" }; /* §2.3.5 */
/* Timer N configuration and capability (§2.3.8, Table 2-8). */
static const char *const timer_bits[16] = {
	[1] = "level",		[2] = "interrupt enabled",
	[3] = "periodic",	[4] = "periodic capable",
	[5] = "64-bit capable", [6] = "value set",
	[8] = "32-bit mode",	[14] = "FSB delivery",
	[15] = "FSB capable",
};

bool decode_hpet(struct trace_decoder *d, const struct trace_record *r, struct trace_text *t)
{
	unsigned off;
	if (!dec_mmio_offset(r, d->plat ? d->plat->hpet : 0, HPET_SIZE, &off))
		return false;
	t->device = "hpet";
	t->plain = true; /* every name follows from the offset; no state */
	const char *high = off & 4 ? " high" : "";
	unsigned reg = off & ~7u;
	if (reg >= HPET_TIMER0 && reg < HPET_TIMER0 + HPET_TIMERS * HPET_TIMER_STRIDE) {
		unsigned n = (reg - HPET_TIMER0) / HPET_TIMER_STRIDE;
		static const char *const names[4] = { "config", "comparator", "FSB route",
						      "reserved" };
		unsigned which = (reg - HPET_TIMER0) % HPET_TIMER_STRIDE / 8;
		dec_reg(t, "timer %u %s%s", n, names[which], high);
		dec_value(t, r);
		if (which == 0 && !(off & 4)) {
			dec_bits(t, r->value, timer_bits, 16);
			dec_add(t, ", IOAPIC input %u", (unsigned)(r->value >> 9 & 31));
		}
		return true;
	}
	switch (reg) {
	case 0x000:
		dec_reg(t, "capabilities%s", high);
		dec_value(t, r);
		if (!(off & 4)) /* §2.3.4: bits 12:8 are the last timer's number */
			dec_add(t, ", %u timers, %s counter", (unsigned)(r->value >> 8 & 31) + 1,
				r->value & (1u << 13) ? "64-bit" : "32-bit");
		if (r->size == 8 || (off & 4))
			dec_add(t, ", period %lu fs",
				(unsigned long)(off & 4 ? r->value & 0xFFFFFFFF : r->value >> 32));
		break;
	case 0x010:
		dec_reg(t, "config%s", high);
		dec_value(t, r);
		if (!(off & 4))
			dec_bits(t, r->value, config_bits, 2);
		break;
	case 0x020:
		dec_reg(t, "interrupt status%s", high);
		dec_value(t, r);
		break;
	case 0x0F0:
		dec_reg(t, "main counter%s", high);
		dec_value(t, r);
		break;
	default:
		dec_reg(t, "reserved 0x%03x", reg);
		dec_value(t, r);
	}
	return true;
}
