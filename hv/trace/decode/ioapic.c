/* SPDX-License-Identifier: GPL-2.0-only */
/* I/O APIC (Intel 82093AA datasheet §3.0-3.2): IOREGSEL at the base selects a
 * register, IOWIN at base + 0x10 reads or writes it; the redirection table's
 * entry N is registers 0x10 + 2N (low half) and 0x11 + 2N (high half). The
 * newer EOI register is at base + 0x40. */
#include "hv/x86/arch.h"
#include "hv/trace/decode/family.h"

#define IOAPIC_SIZE 0x100
#define IOREGSEL 0x00
#define IOWIN 0x10
#define IOAPIC_EOI 0x40
#define IOAPIC_REDTBL 0x10

/* Delivery modes are the local APIC's (SDM Vol. 3A §11.6.1); 3 and 7 reserved
 * in the ICR, 7 is ExtINT in the IOAPIC. */
const char *const apic_delivery_names[8] = {
	"fixed", "lowest priority", "SMI", "reserved", "NMI", "INIT", "startup", "ExtINT",
};

static void redirection(uint32_t v, bool high, struct trace_text *t)
{
	if (high) {
		dec_add(t, ": destination %u", v >> 24);
		return;
	}
	/* Datasheet §3.2.4, Table "IOREDTBL": vector 7:0, delivery mode 10:8,
	 * logical 11, pending 12, active low 13, remote IRR 14, level 15, masked 16. */
	dec_add(t, ": vector 0x%02x, %s, %s, %s, %s%s%s", v & 0xFF,
		apic_delivery_names[ICR_DELIVERY(v)], v & ICR_DEST_LOGICAL ? "logical" : "physical",
		v & (1u << 13) ? "active low" : "active high",
		v & ICR_TRIGGER_LEVEL ? "level" : "edge", v & APIC_LVT_MASKED ? ", masked" : "",
		v & (1u << 14) ? ", remote IRR" : "");
}

bool decode_ioapic(struct trace_decoder *d, const struct trace_record *r, struct trace_text *t)
{
	unsigned off;
	if (!dec_mmio_offset(r, d->plat ? d->plat->ioapic : 0, IOAPIC_SIZE, &off))
		return false;
	t->device = "ioapic";
	uint32_t v = (uint32_t)r->value;
	if (off == IOREGSEL) {
		if (r->write)
			d->ioapic_sel = (int16_t)(v & 0xFF);
		dec_reg(t, "IOREGSEL");
		dec_value(t, r);
	} else if (off == IOWIN) {
		int sel = d->ioapic_sel;
		if (sel < 0)
			dec_reg(t, "IOWIN");
		else if (sel == 0)
			dec_reg(t, "ID");
		else if (sel == 1)
			dec_reg(t, "version");
		else if (sel == 2)
			dec_reg(t, "arbitration");
		else if (sel >= IOAPIC_REDTBL)
			dec_reg(t, "redirection %d %s", (sel - IOAPIC_REDTBL) / 2,
				sel & 1 ? "high" : "low");
		else
			dec_reg(t, "register 0x%02x", sel);
		dec_value(t, r);
		if (sel < 0)
			dec_add(t, " (register unknown)");
		else if (sel == 1)
			dec_add(t, ": version 0x%02x, %u entries", v & 0xFF, (v >> 16 & 0xFF) + 1);
		else if (sel >= IOAPIC_REDTBL)
			redirection(v, sel & 1, t);
	} else if (off == IOAPIC_EOI) {
		dec_reg(t, "EOI");
		dec_add(t, " = vector 0x%02x", v & 0xFF);
	} else {
		dec_reg(t, "reserved 0x%02x", off);
		dec_value(t, r);
	}
	return true;
}
