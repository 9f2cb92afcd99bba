/* SPDX-License-Identifier: GPL-2.0-only */
/* 8259A interrupt controllers (Intel 8259A datasheet): master at 0x20/0x21,
 * slave at 0xA0/0xA1; and the edge/level control registers (ELCR) at
 * 0x4D0/0x4D1 (Intel PIIX/ICH datasheets: one bit per IRQ, set = level). */
#include "hv/trace/decode/family.h"

#define PIC_MASTER 0x20
#define PIC_SLAVE 0xA0
#define ELCR1 0x4D0
#define ELCR2 0x4D1

/* Command-port writes (datasheet, "Initialization Command Words" and
 * "Operation Command Words"): D4 set is ICW1; else D3 set is OCW3, clear OCW2. */
#define ICW1_IC4 0x01  /* ICW4 follows */
#define ICW1_SNGL 0x02 /* single PIC: no ICW3 */
#define ICW1_LTIM 0x08 /* level-triggered */
#define ICW1 0x10
#define OCW3 0x08
#define OCW3_RR 0x02  /* read register command: RIS picks the register */
#define OCW3_RIS 0x01 /* ISR (else IRR) */
#define OCW3_POLL 0x04
#define ICW4_8086 0x01
#define ICW4_AEOI 0x02

/* OCW2 bits 7:5 (R, SL, EOI). */
static const char *const ocw2_names[8] = {
	"rotate in automatic EOI mode (clear)",
	"non-specific EOI",
	"no operation",
	"specific EOI",
	"rotate in automatic EOI mode (set)",
	"rotate on non-specific EOI",
	"set priority",
	"rotate on specific EOI",
};

static void irq_list(struct trace_text *t, const char *what, uint8_t bits, unsigned first)
{
	dec_add(t, " (%s:", what);
	if (!bits)
		dec_add(t, " none");
	for (unsigned i = 0; i < 8; i++)
		if (bits >> i & 1)
			dec_add(t, " %u", first + i);
	dec_add(t, ")");
}

static void command(struct trace_decoder *d, unsigned p, uint8_t v, struct trace_text *t)
{
	if (v & ICW1) {
		d->pic_icw1[p] = v;
		d->pic_icw[p] = 2;
		dec_reg(t, "ICW1");
		dec_add(t, " = 0x%02x: initialize, %s, %s, %s", v, v & ICW1_LTIM ? "level" : "edge",
			v & ICW1_SNGL ? "single" : "cascade",
			v & ICW1_IC4 ? "ICW4 follows" : "no ICW4");
	} else if (v & OCW3) {
		if (v & OCW3_RR)
			d->pic_read_isr[p] = v & OCW3_RIS;
		dec_reg(t, "OCW3");
		dec_add(t, " = 0x%02x", v);
		if (v & OCW3_POLL)
			dec_add(t, ": poll");
		else if (v & OCW3_RR)
			dec_add(t, ": read %s", v & OCW3_RIS ? "ISR" : "IRR");
		if ((v & 0x60) == 0x60) /* ESMM, SMM */
			dec_add(t, ", special mask on");
		else if ((v & 0x60) == 0x40)
			dec_add(t, ", special mask off");
	} else {
		dec_reg(t, "OCW2");
		dec_add(t, " = 0x%02x: %s", v, ocw2_names[v >> 5]);
		if (v & 0x40) /* SL: the level applies */
			dec_add(t, " IRQ %u", (p ? 8 : 0) + (v & 7));
	}
}

static void data_write(struct trace_decoder *d, unsigned p, uint8_t v, struct trace_text *t)
{
	unsigned step = d->pic_icw[p];
	uint8_t icw1 = d->pic_icw1[p];
	if (step == 2) {
		dec_reg(t, "ICW2");
		dec_add(t, " = 0x%02x: vectors 0x%02x-0x%02x", v, v & 0xF8, (v & 0xF8) + 7);
		step = icw1 & ICW1_SNGL ? 4 : 3;
	} else if (step == 3) {
		dec_reg(t, "ICW3");
		if (p)
			dec_add(t, " = 0x%02x: slave identity %u", v, v & 7);
		else
			dec_add(t, " = 0x%02x", v), irq_list(t, "slaves on IRQ", v, 0);
		step = 4;
	} else if (step == 4 && (icw1 & ICW1_IC4)) {
		dec_reg(t, "ICW4");
		dec_add(t, " = 0x%02x: %s%s", v, v & ICW4_8086 ? "8086 mode" : "MCS-80 mode",
			v & ICW4_AEOI ? ", automatic EOI" : "");
		step = 0;
	} else {
		step = 0;
	}
	if (step == 4 && !(icw1 & ICW1_IC4))
		step = 0;
	d->pic_icw[p] = (uint8_t)step;
	if (t->reg[0])
		return;
	dec_reg(t, "IMR");
	dec_add(t, " = 0x%02x", v);
	irq_list(t, "masked", v, p ? 8 : 0);
}

bool decode_pic(struct trace_decoder *d, const struct trace_record *r, struct trace_text *t)
{
	if (r->kind != TRACE_PORT)
		return false;
	uint8_t v = (uint8_t)r->value;
	if (r->addr == ELCR1 || r->addr == ELCR2) {
		t->device = "pic";
		dec_reg(t, "ELCR%u", (unsigned)(r->addr - ELCR1) + 1);
		dec_add(t, " = 0x%02x", v);
		irq_list(t, "level", v, r->addr == ELCR1 ? 0 : 8);
		return true;
	}
	unsigned base = r->addr & ~1u;
	if (base != PIC_MASTER && base != PIC_SLAVE)
		return false;
	unsigned p = base == PIC_SLAVE;
	t->device = "pic";
	if (r->addr & 1) {
		if (r->write)
			data_write(d, p, v, t);
		else
			dec_reg(t, "IMR"), dec_add(t, " = 0x%02x", v),
				irq_list(t, "masked", v, p ? 8 : 0);
	} else if (r->write) {
		command(d, p, v, t);
	} else {
		dec_reg(t, "%s", d->pic_read_isr[p] ? "ISR" : "IRR");
		dec_add(t, " = 0x%02x", v);
		irq_list(t, d->pic_read_isr[p] ? "in service" : "requested", v, p ? 8 : 0);
	}
	/* The same registers on both chips: the name says which. */
	dec_prefix(t, p ? "slave " : "master ");
	return true;
}
