/* SPDX-License-Identifier: GPL-2.0-only */
/* IA32_APIC_BASE writes, as the CPU checks them (SDM Vol. 3A §11.4.4, Figure
 * 11-5; §11.12.1, §11.12.5, Figure 11-28): pure, so that the rules can be
 * tested on the host. The hypervisor tracks the guest's writes (hv/dev/lapic.c)
 * because the xAPIC page it traps moves with the base, and only an enabled
 * xAPIC has a page. */
#ifndef HV_DEV_APIC_BASE_H
#define HV_DEV_APIC_BASE_H

#include <stdbool.h>
#include <stdint.h>

/* What the CPU implements: the width of a physical address (CPUID
 * 80000008H:EAX[7:0]) and x2APIC mode (CPUID.1:ECX[21]). */
struct apic_base_cpu {
	unsigned phys_bits;
	bool x2apic;
};

/* True when WRMSR IA32_APIC_BASE with value from old completes; false when
 * the CPU raises #GP: a reserved bit set (bits 7:0 and 9, the address bits
 * from phys_bits up, EXTD without x2APIC), EXTD without EN, or a transition
 * Figure 11-28 leaves out (x2APIC to xAPIC, disabled to x2APIC). */
bool apic_base_write_ok(const struct apic_base_cpu *cpu, uint64_t old, uint64_t value);

/* The guest-physical page of the xAPIC registers IA32_APIC_BASE gives, or
 * APIC_BASE_NO_PAGE when the APIC is disabled or in x2APIC mode (no MMIO
 * interface then, §11.12.1.2). */
#define APIC_BASE_NO_PAGE (~0ull)
uint64_t apic_base_xapic_page(uint64_t value);

#endif
