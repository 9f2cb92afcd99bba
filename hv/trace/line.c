/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/format.h"
#include "hv/pci.h"
#include "hv/trace/line.h"

static const char *direction(const struct trace_record *r)
{
	if (r->kind == TRACE_MMIO)
		return r->write ? "write" : "read";
	return r->write ? "out" : "in";
}

void trace_format_line(char *buf, unsigned size, const struct trace_record *r,
		       const struct trace_text *t)
{
	char addr[32];
	if (r->kind == TRACE_PCI) {
		struct pci_config_access a =
			pci_decode((uint32_t)(r->addr >> 16), (uint16_t)r->addr);
		fmt_snprintf(addr, sizeof(addr), "pci:%02x:%02x.%u+0x%03x", a.bus, a.device,
			     a.function, a.reg);
	} else {
		fmt_snprintf(addr, sizeof(addr), "0x%lx", (unsigned long)r->addr);
	}
	fmt_snprintf(buf, size,
		     "trace: cpu%u tsc=%lu rip=%016lx rule=%u %s %s size=%u %s 0x%0*lx  %s%s%s",
		     r->cpu, (unsigned long)r->tsc, (unsigned long)r->rip, r->rule, direction(r),
		     addr, r->size, r->write ? "<-" : "->", (int)(r->size * 2),
		     (unsigned long)r->value, t->device, t->text[0] ? " " : "", t->text);
}
