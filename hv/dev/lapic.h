/* SPDX-License-Identifier: GPL-2.0-only */
/* The local APIC's xAPIC page as an IOM client: every access passes through to
 * the CPU's own local APIC, except interrupt-command writes, which go through
 * hv_icr_write (hv/exit/ipi.h) so that INIT and SIPI keep CPUs under the hypervisor. */
#ifndef HV_DEV_LAPIC_H
#define HV_DEV_LAPIC_H

#include "hv/vcpu.h"

void lapic_register(void);
/* Reads this CPU's LDR and DFR into v (at take-over, on the CPU itself: only
 * it can read its APIC). */
void lapic_read_logical_id(struct vcpu *v);

#endif
