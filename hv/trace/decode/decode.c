/* SPDX-License-Identifier: GPL-2.0-only */
#include <stdarg.h>
#include "hv/format.h"
#include "hv/string.h"
#include "hv/trace/decode/family.h"

/* Ports first (the fixed PC devices), then the memory-mapped ones; the first
 * family that knows the address decodes it. */
static decode_fn *const families[] = {
	decode_cmos,	decode_pit,	decode_pic,	 decode_uart, decode_i8042,  decode_post,
	decode_acpi_pm, decode_pci_cf8, decode_pci_ecam, decode_hpet, decode_ioapic, decode_lapic,
};

void trace_platform_defaults(struct trace_platform *p)
{
	memset(p, 0, sizeof(*p));
	p->hpet = 0xFED00000;	/* IA-PC HPET Specification 1.0a §2.3.1: the usual base */
	p->ioapic = 0xFEC00000; /* 82093AA IOAPIC datasheet §3.0: default base */
	p->lapic = 0xFEE00000;	/* SDM Vol. 3A §11.4.1: the local APIC's reset base */
	p->cmos_century = 0x32; /* the FADT's usual CENTURY index (ACPI 6.4 §5.2.9) */
}

void trace_decoder_init(struct trace_decoder *d, const struct trace_platform *plat)
{
	memset(d, 0, sizeof(*d));
	d->plat = plat;
	d->cmos_index = -1;
	d->ioapic_sel = -1;
}

static void vappend(char *buf, size_t size, const char *fmt, va_list ap)
{
	size_t used = strlen(buf);
	if (used + 1 < size)
		fmt_vsnprintf(buf + used, size - used, fmt, ap);
}

void dec_reg(struct trace_text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(t->reg, sizeof(t->reg), fmt, ap);
	va_end(ap);
	fmt_snprintf(t->text, sizeof(t->text), "%s", t->reg);
}

static void prepend(char *buf, size_t size, const char *prefix)
{
	size_t n = strlen(prefix), len = strlen(buf);
	if (n >= size)
		return;
	if (len + n >= size)
		len = size - 1 - n;
	memmove(buf + n, buf, len);
	memcpy(buf, prefix, n);
	buf[len + n] = 0;
}

void dec_prefix(struct trace_text *t, const char *prefix)
{
	prepend(t->reg, sizeof(t->reg), prefix);
	prepend(t->text, sizeof(t->text), prefix);
}

void dec_add(struct trace_text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vappend(t->text, sizeof(t->text), fmt, ap);
	va_end(ap);
}

void dec_value(struct trace_text *t, const struct trace_record *r)
{
	dec_add(t, " = 0x%0*lx", (int)(r->size * 2), (unsigned long)r->value);
}

void dec_bits(struct trace_text *t, uint64_t value, const char *const *names, unsigned n)
{
	for (unsigned i = 0; i < n && i < 64; i++)
		if ((value >> i & 1) && names[i])
			dec_add(t, ", %s", names[i]);
}

bool dec_mmio_offset(const struct trace_record *r, uint64_t base, unsigned size, unsigned *off)
{
	if (r->kind != TRACE_MMIO || !base || r->addr < base || r->addr - base >= size)
		return false;
	*off = (unsigned)(r->addr - base);
	return true;
}

/* "KIND 0xADDR", lower-case hex without leading zeros, as "%s 0x%lx" would
 * print it: the name of every record no decoder knows, made before each
 * entry, where the general formatter cost half the decoding. */
static void name_address(char *reg, const char *kind, uint64_t addr)
{
	_Static_assert(sizeof(((struct trace_text *)0)->reg) >= sizeof("mmio 0x") + 16,
		       "room for a 64-bit address");
	while (*kind)
		*reg++ = *kind++;
	*reg++ = ' ';
	*reg++ = '0';
	*reg++ = 'x';
	int shift = 60;
	while (shift > 0 && !(addr >> shift & 0xF))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		*reg++ = "0123456789abcdef"[addr >> shift & 0xF];
	*reg = 0;
}

void trace_decode(struct trace_decoder *d, const struct trace_record *r, struct trace_text *t)
{
	t->reg[0] = t->text[0] = 0;
	for (unsigned i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		t->device = "-";
		t->plain = false; /* unless the family says so */
		if (families[i](d, r, t))
			return;
		t->reg[0] = t->text[0] = 0;
	}
	/* Unknown: the register is the address itself (no family touched the
	 * decoder's state: each returns false before it does). */
	static const char *const kinds[] = { "port", "mmio", "pci" };
	t->device = "-";
	t->plain = true;
	name_address(t->reg, kinds[r->kind % 3], r->addr);
}
