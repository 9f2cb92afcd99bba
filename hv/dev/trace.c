#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/dev/trace.h"
#include "hv/format.h"
#include "hv/percpu.h"
#include "hv/vcpu.h"
#include "iom/iom.h"

#define MAX_TRACE_RANGES 16

static char names[MAX_TRACE_RANGES][24];
static unsigned ranges;
/* The RIP of the instruction that trapped, noted in exit context: a deferred
 * write is committed after the instruction completed (RIP already advanced). The
 * queue is drained before the guest runs again, so every queued access comes
 * from the one instruction noted here. */
static uint64_t exit_rip[HV_MAX_CPUS];

static uint32_t port_in(uint16_t port, unsigned size)
{
	return size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
}

static void port_out(uint16_t port, unsigned size, uint32_t v)
{
	if (size == 1)
		outb(port, (uint8_t)v);
	else if (size == 2)
		outw(port, (uint16_t)v);
	else
		outl(port, v);
}

static void log_access(unsigned cpu, const char *dir, uint16_t port, unsigned size, uint32_t v)
{
	log_info("trace: cpu %u rip 0x%lx %s port 0x%x size %u value 0x%x tsc %lu", cpu,
		 (unsigned long)exit_rip[cpu], dir, port, size, v, (unsigned long)rdtsc());
}

static iom_status_t defer_from_exit(unsigned cpu)
{
	struct vcpu *vc = vcpu_of(cpu);
	exit_rip[cpu] = vc ? vc->regs.rip : 0;
	return IOM_DEFER;
}

static iom_status_t trace_in(void *user, iom_ctx_t ctx, unsigned cpu, uint16_t port,
			     unsigned size, uint32_t *value)
{
	if (ctx == IOM_CTX_EXIT)
		return defer_from_exit(cpu);
	*value = port_in(port, size);
	log_access(cpu, "in ", port, size, *value);
	return IOM_OK;
}

static iom_status_t trace_out(void *user, iom_ctx_t ctx, unsigned cpu, uint16_t port,
			      unsigned size, uint32_t value)
{
	if (ctx == IOM_CTX_EXIT)
		return defer_from_exit(cpu);
	port_out(port, size, value);
	log_access(cpu, "out", port, size, value);
	return IOM_OK;
}

void trace_register_ports(uint16_t first, uint16_t last)
{
	if (ranges == MAX_TRACE_RANGES) {
		log_err("trace: more than %u traced ranges: 0x%x-0x%x not traced", MAX_TRACE_RANGES,
			first, last);
		return;
	}
	char *name = names[ranges++];
	fmt_snprintf(name, sizeof(names[0]), "trace 0x%x-0x%x", first, last);
	struct iom_port_config pc = {
		.name = name,
		.count = (uint32_t)last - first + 1,
		.flags = IOM_PORT_F_ABS,
		.in = trace_in,
		.out = trace_out,
	};
	iom_port_handle_t h;
	iom_err_t e;
	if ((e = iom_port_create(&pc, &h)) || (e = iom_port_map(h, first)))
		log_err("trace: cannot trace ports 0x%x-0x%x (%s)", first, last, iom_err_name(e));
	else
		log_info("trace: ports 0x%x-0x%x", first, last);
}
