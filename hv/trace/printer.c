/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/console/console.h"
#include "hv/cpu.h"
#include "hv/pci.h"
#include "hv/percpu.h"
#include "hv/trace/printer.h"
#include "hv/vcpu.h"

/* Lines printed before one guest entry at most. Printing happens with
 * interrupts off and waits for the UART (a line is some 90 bytes: ~8 ms at
 * 115200 baud), so a flood of records (one REP OUTS to a traced port records
 * up to the ring's 256) must not hold the vCPU for seconds: the rest goes out
 * at later entries, and what is overwritten meanwhile is counted as lost. */
#define TRACE_LINES_PER_ENTRY 4

static struct trace_ring rings[HV_MAX_CPUS];
static volatile bool printing = true;

void trace_set_printing(bool on)
{
	printing = on;
}

void trace_record_for_rule(unsigned cpu, unsigned rule, enum trace_kind kind, bool write,
			   uint64_t addr, unsigned size, uint64_t value)
{
	if (cpu >= HV_MAX_CPUS)
		return;
	struct vcpu *v = vcpu_of(cpu);
	struct trace_record r = {
		.tsc = rdtsc(),
		.rip = v ? v->regs.rip : 0, /* exit context: the instruction's own RIP */
		.addr = addr,
		.value = value,
		.cpu = (uint16_t)cpu,
		.kind = (uint8_t)kind,
		.write = write,
		.size = (uint8_t)size,
		.rule = (uint16_t)rule,
	};
	trace_ring_append(&rings[cpu], &r, printing);
}

void trace_record(unsigned cpu, enum trace_kind kind, bool write, uint64_t addr, unsigned size,
		  uint64_t value)
{
	trace_record_for_rule(cpu, 0, kind, write, addr, size, value);
}

static void print_record(const struct trace_record *r)
{
	const char *dir = r->kind == TRACE_PORT ? (r->write ? "out" : "in ")
						: (r->write ? "write" : "read");
	if (r->kind == TRACE_PORT) {
		log_info("trace: cpu %u rip 0x%lx %s port 0x%lx size %u value 0x%lx tsc %lu", r->cpu,
			 (unsigned long)r->rip, dir, (unsigned long)r->addr, r->size,
			 (unsigned long)r->value, (unsigned long)r->tsc);
	} else if (r->kind == TRACE_MMIO) {
		log_info("trace: cpu %u rip 0x%lx %s mmio 0x%lx size %u value 0x%lx tsc %lu", r->cpu,
			 (unsigned long)r->rip, dir, (unsigned long)r->addr, r->size,
			 (unsigned long)r->value, (unsigned long)r->tsc);
	} else {
		struct pci_config_access a = pci_decode((uint32_t)(r->addr >> 16), (uint16_t)r->addr);
		log_info("trace: cpu %u rip 0x%lx %s pci %02x:%02x.%u reg 0x%03x size %u value 0x%lx%s "
			 "tsc %lu", r->cpu, (unsigned long)r->rip, dir, a.bus, a.device, a.function,
			 a.reg, r->size, (unsigned long)r->value, a.enabled ? "" : " (disabled)",
			 (unsigned long)r->tsc);
	}
}

static __attribute__((noinline)) void print_new(unsigned cpu, struct trace_ring *ring)
{
	unsigned budget = TRACE_LINES_PER_ENTRY;
	uint64_t lost = trace_ring_take_lost(ring);
	if (lost) {
		log_warn("trace: cpu %u: %lu records overwritten before they were printed", cpu,
			 (unsigned long)lost);
		budget--;
	}
	const struct trace_record *r;
	while (budget-- && (r = trace_ring_next_unprinted(ring)))
		print_record(r);
}

void trace_drain(unsigned cpu)
{
	if (cpu >= HV_MAX_CPUS)
		return;
	struct trace_ring *ring = &rings[cpu];
	if (ring->printed < ring->head || ring->lost)
		print_new(cpu, ring); /* else nothing new: the common case */
}

void trace_show(void)
{
	for (unsigned c = 0; c < hv_cpu_count() && c < HV_MAX_CPUS; c++) {
		unsigned n = trace_ring_count(&rings[c]);
		log_info("trace: cpu %u: last %u accesses", c, n);
		for (unsigned i = 0; i < n; i++)
			print_record(trace_ring_at(&rings[c], i));
	}
}
