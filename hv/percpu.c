/* SPDX-License-Identifier: GPL-2.0-only */
#include <stdbool.h>
#include "hv/percpu.h"
#include "hv/cpu.h"
#include "hv/host.h"

static uint32_t apic_ids[HV_MAX_CPUS];
static unsigned cpu_count;

uint32_t cpu_apic_id(void)
{
	/* Leaf 0BH EDX holds the full x2APIC ID where the leaf exists (SDM Vol. 2A,
	 * CPUID "Extended Topology Enumeration"); otherwise the 8-bit initial APIC ID
	 * from leaf 01H EBX[31:24]. */
	if (cpuid(0, 0).eax >= 0xB) {
		struct cpuid_regs r = cpuid(0xB, 0);
		if (r.ebx != 0)
			return r.edx;
	}
	return cpu_initial_apic_id();
}

void percpu_register(unsigned index, uint32_t apic_id)
{
	if (index >= HV_MAX_CPUS)
		return;
	apic_ids[index] = apic_id;
	if (index + 1 > cpu_count)
		__atomic_store_n(&cpu_count, index + 1, __ATOMIC_RELEASE);
}

uint32_t percpu_apic_id(unsigned index)
{
	return index < HV_MAX_CPUS ? apic_ids[index] : 0;
}

unsigned hv_cpu_count(void)
{
	unsigned n = __atomic_load_n(&cpu_count, __ATOMIC_ACQUIRE);
	return n ? n : 1;
}

unsigned hv_cpu_index(void)
{
	/* In the host, the CPU's own GDT says who it is (cheap, and no CPUID,
	 * which a nested hypervisor below us would have to emulate). */
	struct host_cpu *hc = host_cpu_self();
	if (hc)
		return hc->index;
	unsigned n = __atomic_load_n(&cpu_count, __ATOMIC_ACQUIRE);
	if (n <= 1)
		return 0;
	uint32_t me = cpu_apic_id();
	for (unsigned i = 0; i < n; i++)
		if (apic_ids[i] == me)
			return i;
	return 0;
}
