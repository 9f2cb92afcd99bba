/* SPDX-License-Identifier: GPL-2.0-only */
/* 8254 programmable interval timer (Intel 82C54 datasheet): counters 0-2 at
 * 0x40-0x42, the control word at 0x43; and the PC's port B (0x61), which
 * gates counter 2 to the speaker. */
#include "hv/trace/decode/family.h"

#define PIT_COUNTER0 0x40
#define PIT_CONTROL 0x43
#define PC_PORT_B 0x61
#define PIT_HZ 1193182 /* the PC's PIT input clock: 14.31818 MHz / 12 */

/* Control word (82C54 datasheet, "Control Word Format"): SC1:0 bits 7:6,
 * RW1:0 bits 5:4, M2:0 bits 3:1, BCD bit 0. */
#define CW_SC(v) ((v) >> 6 & 3)
#define CW_RW(v) ((v) >> 4 & 3)
#define CW_MODE(v) ((v) >> 1 & 7)
#define CW_READ_BACK 3 /* SC = 11 */
#define RW_LATCH 0     /* counter latch command */
#define RW_LSB 1
#define RW_MSB 2
#define RW_LSB_MSB 3

static const char *const rw_names[4] = { "latch", "LSB only", "MSB only", "LSB then MSB" };
static const char *const mode_names[8] = {
	"mode 0 (interrupt on terminal count)",
	"mode 1 (one-shot)",
	"mode 2 (rate generator)",
	"mode 3 (square wave)",
	"mode 4 (software strobe)",
	"mode 5 (hardware strobe)",
	"mode 2 (rate generator)",
	"mode 3 (square wave)",
};
/* Port B (IBM PC/AT Technical Reference, system control port B). */
static const char *const port_b_bits[8] = {
	"timer 2 gate",	  "speaker data",   "parity check off", "channel check off",
	"refresh toggle", "timer 2 output", "channel check",	"parity check",
};

static void control(struct trace_decoder *d, uint8_t v, struct trace_text *t)
{
	dec_reg(t, "control");
	dec_add(t, " = 0x%02x", v);
	if (CW_SC(v) == CW_READ_BACK) {
		/* Read-back command: bit 5 clear latches counts, bit 4 clear latches
		 * status, bits 3:1 select counters. */
		dec_add(t, ": read-back%s%s, counters", v & 0x20 ? "" : " count",
			v & 0x10 ? "" : " status");
		for (unsigned c = 0; c < 3; c++)
			if (v >> (c + 1) & 1)
				dec_add(t, " %u", c);
		return;
	}
	unsigned c = CW_SC(v);
	dec_add(t, ": channel %u, %s", c, rw_names[CW_RW(v)]);
	if (CW_RW(v) == RW_LATCH)
		return;
	d->pit_rw[c] = (uint8_t)CW_RW(v);
	d->pit_msb_next[c] = false;
	dec_add(t, ", %s%s", mode_names[CW_MODE(v)], v & 1 ? ", BCD" : ", binary");
}

static void counter(struct trace_decoder *d, const struct trace_record *r, struct trace_text *t)
{
	unsigned c = (unsigned)(r->addr - PIT_COUNTER0);
	uint8_t v = (uint8_t)r->value;
	unsigned rw = d->pit_rw[c];
	bool msb = rw == RW_MSB || (rw == RW_LSB_MSB && d->pit_msb_next[c]);
	dec_reg(t, "channel %u %s", c, r->write ? "reload" : "count");
	dec_add(t, " = 0x%02x (%s)", v, rw ? (msb ? "MSB" : "LSB") : "byte");
	if (rw == RW_LSB_MSB)
		d->pit_msb_next[c] = !d->pit_msb_next[c];
	if (!r->write)
		return;
	if (rw == RW_LSB_MSB && !msb)
		d->pit_lsb[c] = v;
	if (rw == RW_LSB_MSB && msb) {
		/* A reload of 0 counts 65536. */
		unsigned reload = (unsigned)v << 8 | d->pit_lsb[c];
		unsigned n = reload ? reload : 0x10000;
		dec_add(t, ", reload %u: %u Hz", n, (PIT_HZ + n / 2) / n);
	}
}

bool decode_pit(struct trace_decoder *d, const struct trace_record *r, struct trace_text *t)
{
	if (r->kind != TRACE_PORT)
		return false;
	if (r->addr == PC_PORT_B) {
		t->device = "pit";
		dec_reg(t, "port B");
		dec_value(t, r);
		dec_bits(t, r->value, port_b_bits, r->write ? 4 : 8);
		return true;
	}
	if (r->addr < PIT_COUNTER0 || r->addr > PIT_CONTROL)
		return false;
	t->device = "pit";
	if (r->addr == PIT_CONTROL && r->write)
		control(d, (uint8_t)r->value, t);
	else if (r->addr == PIT_CONTROL)
		dec_reg(t, "control"), dec_value(t, r), dec_add(t, " (read)");
	else
		counter(d, r, t);
	return true;
}
