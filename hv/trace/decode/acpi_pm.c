/* SPDX-License-Identifier: GPL-2.0-only */
/* ACPI fixed hardware (ACPI 6.4 §4.8.3): the PM1 event blocks (status, then
 * enable, each half the block), the PM1 control blocks and the PM timer, at
 * the ports the FADT names (struct trace_platform). */
#include "hv/trace/decode/family.h"

/* PM1 status and enable bits (§4.8.3.1.1, Table 4.16; §4.8.3.1.2, Table 4.17). */
static const char *const pm1_evt_bits[16] = {
	[0] = "timer",	      [4] = "bus master", [5] = "global lock", [8] = "power button",
	[9] = "sleep button", [10] = "RTC",	  [14] = "PCIe wake",  [15] = "wake",
};
/* PM1 control (§4.8.3.2.1, Table 4.18); SLP_TYPx is bits 12:10. */
static const char *const pm1_cnt_bits[16] = {
	[0] = "SCI_EN",
	[1] = "BM_RLD",
	[2] = "GBL_RLS",
	[13] = "SLP_EN",
};

static bool in(uint16_t base, unsigned len, uint64_t port)
{
	return base && port >= base && port < (uint64_t)base + len;
}

bool decode_acpi_pm(struct trace_decoder *d, const struct trace_record *r, struct trace_text *t)
{
	const struct trace_platform *p = d->plat;
	if (r->kind != TRACE_PORT || !p)
		return false;
	unsigned half = p->pm1_evt_len / 2;
	uint64_t a = r->addr;
	t->plain = true; /* names from the FADT's ports alone; no state */
	if (in(p->pm_tmr, 4, a)) {
		t->device = "acpi";
		dec_reg(t, "PM timer");
		dec_value(t, r);
	} else if (half && (in(p->pm1a_evt, half, a) || in(p->pm1b_evt, half, a))) {
		t->device = "acpi";
		dec_reg(t, "PM1 status");
		dec_value(t, r);
		dec_bits(t, r->value, pm1_evt_bits, 16);
	} else if (half && (in(p->pm1a_evt + half, half, a) || in(p->pm1b_evt + half, half, a))) {
		t->device = "acpi";
		dec_reg(t, "PM1 enable");
		dec_value(t, r);
		dec_bits(t, r->value, pm1_evt_bits, 16);
	} else if (in(p->pm1a_cnt, 2, a) || in(p->pm1b_cnt, 2, a)) {
		t->device = "acpi";
		dec_reg(t, "PM1 control");
		dec_value(t, r);
		dec_bits(t, r->value, pm1_cnt_bits, 16);
		if (r->write && (r->value & (1u << 13)))
			dec_add(t, " (sleep type %u)", (unsigned)(r->value >> 10 & 7));
	} else {
		return false;
	}
	return true;
}
