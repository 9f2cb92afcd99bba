/* SPDX-License-Identifier: GPL-2.0-only */
/* PCI configuration space (PCI Local Bus Specification 3.0 §6.1, Figure 6-1:
 * the type 0 header), reached through 0xCF8/0xCFC (the record's address holds
 * the configuration address, hv/dev/pcimon.c) or through PCI Express ECAM
 * (PCI Express Base Specification §7.2.2: bus << 20 | device << 15 | function
 * << 12 | register). An access wider than one register is split into the
 * registers it covers. Writing all ones to a BAR and reading it back sizes the
 * BAR (§6.2.5.1): the read reports the size. */
#include "hv/pci.h"
#include "hv/trace/decode/family.h"

struct pci_reg {
	uint16_t offset;
	uint8_t size;
	const char *name;
};

static const struct pci_reg header[] = {
	{ 0x00, 2, "vendor ID" },
	{ 0x02, 2, "device ID" },
	{ 0x04, 2, "command" },
	{ 0x06, 2, "status" },
	{ 0x08, 1, "revision ID" },
	{ 0x09, 1, "prog IF" },
	{ 0x0A, 1, "subclass" },
	{ 0x0B, 1, "class" },
	{ 0x0C, 1, "cache line size" },
	{ 0x0D, 1, "latency timer" },
	{ 0x0E, 1, "header type" },
	{ 0x0F, 1, "BIST" },
	{ 0x10, 4, "BAR0" },
	{ 0x14, 4, "BAR1" },
	{ 0x18, 4, "BAR2" },
	{ 0x1C, 4, "BAR3" },
	{ 0x20, 4, "BAR4" },
	{ 0x24, 4, "BAR5" },
	{ 0x28, 4, "CardBus CIS" },
	{ 0x2C, 2, "subsystem vendor ID" },
	{ 0x2E, 2, "subsystem ID" },
	{ 0x30, 4, "expansion ROM" },
	{ 0x34, 1, "capabilities" },
	{ 0x35, 3, "reserved" },
	{ 0x38, 4, "reserved" },
	{ 0x3C, 1, "interrupt line" },
	{ 0x3D, 1, "interrupt pin" },
	{ 0x3E, 1, "min grant" },
	{ 0x3F, 1, "max latency" },
};

/* Command register bits (§6.2.2, Figure 6-2). */
static const char *const command_bits[16] = {
	"I/O",	  "memory", "bus master", "special cycles",    "MWI",	       "VGA snoop",
	"parity", 0,	    "SERR",	  "fast back-to-back", "INTx disable",
};

#define BAR_IO 0x1     /* bit 0: I/O space BAR */
#define BAR_MEM_64 0x4 /* bits 2:1 = 10: 64-bit memory BAR */
#define BAR_PREFETCH 0x8

static const struct pci_reg *find(unsigned offset)
{
	for (unsigned i = 0; i < sizeof(header) / sizeof(header[0]); i++)
		if (offset >= header[i].offset && offset < header[i].offset + header[i].size)
			return &header[i];
	return 0;
}

static bool is_bar(unsigned offset)
{
	return offset >= 0x10 && offset <= 0x24 && !(offset & 3);
}

static void bar(struct trace_decoder *d, const struct trace_record *r, uint32_t v,
		struct trace_text *t)
{
	uint64_t key = (uint64_t)r->kind << 62 ^ r->addr;
	if (r->write) {
		d->pci_sizing_valid = v == 0xFFFFFFFF;
		d->pci_sizing = key;
		if (d->pci_sizing_valid)
			dec_add(t, " (sizing)");
		return;
	}
	bool sizing = d->pci_sizing_valid && d->pci_sizing == key;
	d->pci_sizing_valid = false;
	if (v & BAR_IO)
		dec_add(t, " (I/O");
	else
		dec_add(t, " (memory %s%s", v & BAR_MEM_64 ? "64-bit" : "32-bit",
			v & BAR_PREFETCH ? " prefetchable" : "");
	uint32_t mask = v & BAR_IO ? ~3u : ~15u;
	uint32_t size = ~(v & mask) + 1;
	if (v & BAR_IO)
		size &= 0xFFFF;
	if (sizing && (v & mask))
		dec_add(t, ", size %u %s",
			size >= 1024 ? size >> (size >= (1u << 20) ? 20 : 10) : size,
			size >= (1u << 20) ? "MiB"
			: size >= 1024	   ? "KiB"
					   : "bytes");
	dec_add(t, ")");
}

/* "pci BB:DD.F REG = VALUE [, REG = VALUE]...". The register's name alone
 * (without the function) is what is counted and limited: an OS scanning
 * every bus reads "vendor ID" thousands of times, each of another function. */
static void header_access(struct trace_decoder *d, const struct trace_record *r, unsigned bus,
			  unsigned dev, unsigned fn, unsigned reg, struct trace_text *t)
{
	t->device = "pci";
	const struct pci_reg *first = find(reg);
	if (reg >= 0x40) {
		dec_reg(t, "%s 0x%03x", reg >= 0x100 ? "extended" : "device-specific", reg & ~3u);
		t->text[0] = 0;
		dec_add(t, "%02x:%02x.%u %s", bus, dev, fn, t->reg);
		dec_value(t, r);
		return;
	}
	dec_reg(t, "%s", first ? first->name : "?");
	t->text[0] = 0;
	dec_add(t, "%02x:%02x.%u", bus, dev, fn);
	/* Each register the access covers, with its part of the value. */
	for (unsigned off = reg; off < reg + r->size && off < 0x40;) {
		const struct pci_reg *p = find(off);
		unsigned start = off - p->offset, n = p->size - start;
		if (off + n > reg + r->size)
			n = reg + r->size - off;
		uint32_t v = (uint32_t)(r->value >> ((off - reg) * 8));
		if (n < 4)
			v &= (1u << (n * 8)) - 1;
		dec_add(t, "%s %s%s = 0x%0*x", off == reg ? "" : ",", p->name,
			start || n < p->size ? " (part)" : "", (int)(n * 2), v);
		if (p->offset == 0x04 && !start)
			dec_bits(t, v, command_bits, 11);
		if (is_bar(off) && n == 4)
			bar(d, r, v, t);
		off += n;
	}
}

bool decode_pci_cf8(struct trace_decoder *d, const struct trace_record *r, struct trace_text *t)
{
	if (r->kind != TRACE_PCI)
		return false;
	struct pci_config_access a = pci_decode((uint32_t)(r->addr >> 16), (uint16_t)r->addr);
	header_access(d, r, a.bus, a.device, a.function, a.reg, t);
	if (!a.enabled)
		dec_add(t, " (config address disabled)");
	return true;
}

bool decode_pci_ecam(struct trace_decoder *d, const struct trace_record *r, struct trace_text *t)
{
	const struct trace_platform *p = d->plat;
	if (r->kind != TRACE_MMIO || !p || !p->ecam)
		return false;
	uint64_t first = p->ecam + ((uint64_t)p->ecam_bus_first << 20);
	uint64_t end = p->ecam + ((uint64_t)(p->ecam_bus_last + 1) << 20);
	if (r->addr < first || r->addr >= end)
		return false;
	uint64_t off = r->addr - p->ecam;
	header_access(d, r, (unsigned)(off >> 20), (unsigned)(off >> 15) & 31,
		      (unsigned)(off >> 12) & 7, (unsigned)off & 0xFFF, t);
	return true;
}
