/* SPDX-License-Identifier: GPL-2.0-only */
/* The local APIC's xAPIC page as an IOM client: every access passes through to
 * the CPU's own local APIC, except interrupt-command writes, which go through
 * hv_icr_write (hv/exit/ipi.h) so that INIT and SIPI keep CPUs under the
 * hypervisor. The trap follows each CPU's IA32_APIC_BASE. */
#ifndef HV_DEV_LAPIC_H
#define HV_DEV_LAPIC_H

#include "hv/vcpu.h"

void lapic_register(void);
/* Reads this CPU's IA32_APIC_BASE, LDR and DFR into v (at take-over, on the
 * CPU itself: only it can read its APIC), and traps its xAPIC page. */
void lapic_read_logical_id(struct vcpu *v);
/* The guest's WRMSR IA32_APIC_BASE on v's CPU: false for the #GP the CPU
 * gives (hv/dev/apic_base.h); else written, and the trap moved with the
 * xAPIC page (or dropped with the last vCPU whose xAPIC is there). */
bool lapic_base_write(struct vcpu *v, uint64_t value);
/* IA32_APIC_BASE.EN of cpu's APIC, as the guest last set it. Clear, the CPU
 * is as one without an APIC, which no IPI reaches (SDM Vol. 3A §11.4.3). */
bool lapic_enabled(unsigned cpu);
/* The shortest path for the writes every interrupt makes (EOI) and many
 * kernels make around locks (TPR): a 32-bit write at gpa by cpu, which the
 * MMIO fast path decoded, goes straight to the CPU's own APIC when gpa is
 * its EOI or TPR register; true when done. Neither register takes part in
 * INIT or SIPI, and the IOM has nothing to add to a pass-through write. */
bool lapic_fast_write(unsigned cpu, uint64_t gpa, uint32_t value);

#endif
