/* SPDX-License-Identifier: GPL-2.0-only */
/* Logical CPU numbering. Index 0 is the bootstrap processor; the others follow
 * the firmware's MP-services numbering, so "cpu 1" means the same CPU in our log
 * and in the firmware's. */
#ifndef HV_PERCPU_H
#define HV_PERCPU_H

#include <stdint.h>

#define HV_MAX_CPUS 64

/* The calling CPU's index (0 until the CPU table is known). */
unsigned hv_cpu_index(void);
unsigned hv_cpu_count(void);
/* Records which APIC ID belongs to which index (from EFI MP services). */
void percpu_register(unsigned index, uint32_t apic_id);
uint32_t percpu_apic_id(unsigned index);
/* The APIC ID of the calling CPU, as CPUID reports it. */
uint32_t cpu_apic_id(void);

#endif
