/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/console/console.h"
#include "hv/dev/passthrough.h"
#include "hv/dev/rules.h"
#include "hv/format.h"
#include "hv/mem/guest_access.h"
#include "hv/hv.h"
#include "hv/mem/pool.h"
#include "hv/trace/printer.h"
#include "iom/iom.h"

struct rule_device {
	struct io_rule rule;
	char name[40];
};

static struct rule_device devices[DEVICES_MAX_RULES];
static unsigned ndevices;

static bool covered(const struct rule_device *d, uint64_t addr, unsigned size)
{
	return addr + size - 1 >= d->rule.first && addr <= d->rule.last;
}

static iom_status_t port_in(void *user, iom_ctx_t ctx, unsigned cpu, uint16_t port,
			    unsigned size, uint32_t *value)
{
	const struct rule_device *d = user;
	if (d->rule.kind == IO_RULE_DENY)
		return IOM_UNUSED;
	*value = port_read(port, size);
	trace_record(cpu, TRACE_PORT, false, port, size, *value);
	return IOM_OK;
}

static iom_status_t port_out(void *user, iom_ctx_t ctx, unsigned cpu, uint16_t port,
			     unsigned size, uint32_t value)
{
	const struct rule_device *d = user;
	if (d->rule.kind == IO_RULE_DENY)
		return IOM_OK;
	port_write(port, size, value);
	trace_record(cpu, TRACE_PORT, true, port, size, value);
	return IOM_OK;
}

static iom_status_t mmio_read(void *user, iom_ctx_t ctx, unsigned cpu, uint64_t gpa, void *buf,
			      unsigned size)
{
	const struct rule_device *d = user;
	bool in_rule = covered(d, gpa, size);
	if (in_rule && d->rule.kind == IO_RULE_DENY)
		return IOM_UNUSED;
	uint64_t v = mmio_read_phys(gpa, size);
	__builtin_memcpy(buf, &v, size);
	if (in_rule)
		trace_record(cpu, TRACE_MMIO, false, gpa, size, v);
	return IOM_OK;
}

static iom_status_t mmio_write(void *user, iom_ctx_t ctx, unsigned cpu, uint64_t gpa,
			       const void *buf, unsigned size)
{
	const struct rule_device *d = user;
	bool in_rule = covered(d, gpa, size);
	if (in_rule && d->rule.kind == IO_RULE_DENY)
		return IOM_OK;
	uint64_t v = 0;
	__builtin_memcpy(&v, buf, size);
	mmio_write_phys(gpa, size, v);
	if (in_rule)
		trace_record(cpu, TRACE_MMIO, true, gpa, size, v);
	return IOM_OK;
}

void io_rule_register(const struct io_rule *rule)
{
	const char *what = rule->kind == IO_RULE_TRACE ? "trace" : "deny";
	bool port = rule->space == IO_RULE_PORT;
	if (ndevices == DEVICES_MAX_RULES)
		return;
	/* No access can reach an address beyond the physical address space
	 * (CPUID 80000008H), and the nested map has no entry for it: the rule
	 * is refused here, before the backend would refuse to start. */
	unsigned bits = guest_phys_bits();
	if (!port && bits < 64 && rule->last >> bits) {
		log_err("%s mmio 0x%lx-0x%lx: beyond the %u-bit physical address space: not "
			"installed", what, (unsigned long)rule->first, (unsigned long)rule->last, bits);
		return;
	}
	if (!port &&
	    hv_memory_overlaps(rule->first & ~(PAGE_SIZE - 1), rule->last | (PAGE_SIZE - 1))) {
		log_err("%s mmio 0x%lx-0x%lx: overlaps the hypervisor's own memory: not installed",
			what, (unsigned long)rule->first, (unsigned long)rule->last);
		return;
	}
	struct rule_device *d = &devices[ndevices++];
	d->rule = *rule;
	fmt_snprintf(d->name, sizeof(d->name), "%s %s 0x%lx-0x%lx", what, port ? "port" : "mmio",
		     (unsigned long)rule->first, (unsigned long)rule->last);
	iom_err_t e;
	if (port) {
		struct iom_port_config pc = {
			.name = d->name,
			.count = (uint32_t)(rule->last - rule->first + 1),
			.flags = IOM_PORT_F_ABS,
			.user = d,
			.in = port_in,
			.out = port_out,
		};
		iom_port_handle_t h;
		if (!(e = iom_port_create(&pc, &h)))
			e = iom_port_map(h, (uint16_t)rule->first);
	} else {
		uint64_t base = rule->first & ~(PAGE_SIZE - 1);
		uint64_t end = (rule->last | (PAGE_SIZE - 1)) + 1;
		/* Accesses pass through as the guest made them: exact sizes. */
		struct iom_mmio_config mc = {
			.name = d->name,
			.size = end - base,
			.flags = IOM_MMIO_F_ABS | IOM_MMIO_READ_PASSTHRU | IOM_MMIO_WRITE_PASSTHRU,
			.user = d,
			.read = mmio_read,
			.write = mmio_write,
		};
		iom_mmio_handle_t h;
		if (!(e = iom_mmio_create(&mc, &h)))
			e = iom_mmio_map(h, base);
	}
	if (e)
		log_err("%s: not installed (%s)", d->name, iom_err_name(e));
	else
		log_info("%s", d->name);
}
