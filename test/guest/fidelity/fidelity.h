/* SPDX-License-Identifier: GPL-2.0-only */
/* The fidelity test guest: each file checks one behaviour that must be the same
 * with and without iomvisor underneath (the promise: the guest sees the machine
 * it would see on bare metal, apart from the CPUID hypervisor bit and leaves
 * 0x40000000 and up). Every check also holds on bare metal. */
#ifndef FIDELITY_H
#define FIDELITY_H

#include <stdint.h>
#include "guest.h"

void test_cpuid_state_bits(void);
void test_single_step(void);
void test_nmi_blocking(void);
void test_unimplemented_msr(void);
void test_cr_writes(void);
void test_task_switch(void);
/* The APs the firmware knows, and two start-up pages below 1 MiB for them
 * (aps.c); ap_set_init prints why not and returns false when there are none
 * or the APIC is not in xAPIC mode. */
#define AP_SET_MAX 64
struct ap_set {
	uint32_t ids[AP_SET_MAX];
	unsigned count;
	uint64_t pages;
};
bool ap_set_init(struct ap_set *set);
/* One INIT-SIPI-SIPI life of AP a, the IPIs sent through the BSP's xAPIC
 * registers at bsp_apic; false (with the reason printed) when it went wrong. */
bool ap_restart(const struct ap_set *set, unsigned a, unsigned round, uint64_t bsp_apic);
/* INIT to every AP through the BSP's xAPIC at bsp_apic: they wait for a
 * SIPI, running nothing. */
void ap_set_park(const struct ap_set *set, uint64_t bsp_apic);
void test_ap_restarts(const struct ap_set *set, unsigned rounds);
void test_apic_base_moves(const struct ap_set *set);
/* A real INIT to the first AP from the I/O APIC, then a SIPI (real_init.c). */
void test_real_init(const struct ap_set *set);

#endif
