/* SPDX-License-Identifier: GPL-2.0-only */
/* CMOS RAM and real-time clock (MC146818A datasheet; the PC's ports 0x70/0x71):
 * a write to 0x70 selects the register (bit 7 disables NMI on the PC), 0x71
 * reads or writes it. */
#include "hv/string.h"
#include "hv/trace/decode/family.h"

#define CMOS_INDEX_PORT 0x70
#define CMOS_DATA_PORT 0x71
#define CMOS_NMI_DISABLE 0x80 /* bit 7 of the index write: NMI masked */
#define STATUS_A_UIP 0x80     /* datasheet "Register A": update in progress */
#define STATUS_D_VRT 0x80     /* "Register D": valid RAM and time (battery good) */

/* MC146818A register map, Table 2 (and the PC's conventional uses). */
static const char *const rtc_regs[] = {
	[0x00] = "seconds",
	[0x01] = "seconds alarm",
	[0x02] = "minutes",
	[0x03] = "minutes alarm",
	[0x04] = "hours",
	[0x05] = "hours alarm",
	[0x06] = "day of week",
	[0x07] = "day of month",
	[0x08] = "month",
	[0x09] = "year",
	[0x0A] = "status A",
	[0x0B] = "status B",
	[0x0C] = "status C",
	[0x0D] = "status D",
	[0x0E] = "diagnostic status",
	[0x0F] = "shutdown status",
};

/* Status B bits (datasheet "Register B"). */
static const char *const status_b[8] = {
	"DSE", "24-hour", "binary", "SQWE", "UIE", "AIE", "PIE", "SET",
};
/* Status C: the interrupt flags, cleared by the read. */
static const char *const status_c[8] = {
	[4] = "UF",
	[5] = "AF",
	[6] = "PF",
	[7] = "IRQF",
};

static const char *name(const struct trace_decoder *d, unsigned index)
{
	if (index < sizeof(rtc_regs) / sizeof(rtc_regs[0]))
		return rtc_regs[index];
	if (d->plat && d->plat->cmos_century && index == d->plat->cmos_century)
		return "century";
	return "NVRAM";
}

bool decode_cmos(struct trace_decoder *d, const struct trace_record *r, struct trace_text *t)
{
	if (r->kind != TRACE_PORT || (r->addr != CMOS_INDEX_PORT && r->addr != CMOS_DATA_PORT))
		return false;
	t->device = "cmos";
	uint8_t v = (uint8_t)r->value;
	if (r->addr == CMOS_INDEX_PORT) {
		dec_reg(t, "index");
		if (!r->write) { /* write-only on most chipsets: what reads give is not an index */
			dec_value(t, r);
			return true;
		}
		d->cmos_index = v & ~CMOS_NMI_DISABLE;
		dec_add(t, " = 0x%02x (%s), NMI %s", d->cmos_index,
			name(d, (unsigned)d->cmos_index),
			v & CMOS_NMI_DISABLE ? "disabled" : "enabled");
		return true;
	}
	if (d->cmos_index < 0) {
		dec_reg(t, "data");
		dec_value(t, r);
		dec_add(t, " (index unknown)");
		return true;
	}
	unsigned i = (unsigned)d->cmos_index;
	if (strcmp(name(d, i), "NVRAM") != 0)
		dec_reg(t, "%s", name(d, i));
	else /* plain RAM: its index says which byte */
		dec_reg(t, "NVRAM 0x%02x", i);
	dec_value(t, r);
	if (i == 0x0A)
		dec_add(t, "%s", v & STATUS_A_UIP ? ", update in progress" : "");
	else if (i == 0x0B)
		dec_bits(t, v, status_b, 8);
	else if (i == 0x0C)
		dec_bits(t, v, status_c, 8);
	else if (i == 0x0D)
		dec_add(t, "%s", v & STATUS_D_VRT ? ", valid RAM and time" : ", battery dead");
	return true;
}
