/* SPDX-License-Identifier: GPL-2.0-only */
/* The other CPUs, through the firmware's MP services (a function run on an
 * AP, the APs' APIC IDs) and through IPIs from the BSP's xAPIC (for guests
 * that start and restart APs themselves). */
#ifndef GUEST_MP_H
#define GUEST_MP_H

#include <stdbool.h>
#include <stdint.h>

/* Runs fn(arg) on the first application processor and waits for it to
 * return; false (fn not run) on a machine with one CPU or without MP
 * services. fn runs with interrupts off and may not call boot services. */
bool guest_on_ap(void (*fn)(void *), void *arg);

/* The APIC IDs of the enabled APs, at most max of them; 0 when there is one
 * CPU or no MP services. */
unsigned guest_ap_ids(uint32_t *ids, unsigned max);
/* The BSP's xAPIC registers; NULL when its APIC is off or in x2APIC mode. */
volatile uint32_t *guest_xapic(void);
/* One IPI through the xAPIC registers at apic, once the previous one has
 * been delivered (ICR delivery status, SDM Vol. 3A §11.6.1). */
void guest_xapic_ipi(volatile uint32_t *apic, uint32_t apic_id, uint32_t icr_low);

#endif
