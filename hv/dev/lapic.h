/* SPDX-License-Identifier: GPL-2.0-only */
/* The local APIC's xAPIC page as an IOM client: every access passes through to
 * the CPU's own local APIC, except interrupt-command writes, which go through
 * hv_icr_write (hv/exit/ipi.h) so that INIT and SIPI keep CPUs under the
 * hypervisor. The trap follows each CPU's IA32_APIC_BASE. */
#ifndef HV_DEV_LAPIC_H
#define HV_DEV_LAPIC_H

#include "hv/vcpu.h"
#include "hv/x86/arch.h"

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
/* The shortest path for the APIC accesses a kernel makes at every
 * interrupt or IPI: the EOI write, the TMICT write a one-shot timer makes at
 * each of its interrupts (the initial count, SDM Vol. 3A §11.5.4), the TPR
 * write many kernels make around locks, and the read of the ICR's delivery
 * status polled before each IPI (§11.6.1). A 32-bit access at gpa by cpu,
 * which the MMIO fast path decoded, goes straight to the CPU's own APIC when
 * gpa is one of those registers, as apic_read and apic_write would pass it
 * through: true when done (a read's value in *value). None of them takes
 * part in INIT or SIPI, and the IOM has nothing to add to a pass-through
 * access (rules and watchpoints are the caller's: hv/exit/mmio_fast.c). */
bool lapic_fast_access(unsigned cpu, uint64_t gpa, bool write, uint64_t *value);
/* Whether gpa's offset in its page is a register lapic_fast_access takes for
 * a write or a read; inline, so that other MMIO pays no call. */
static inline bool lapic_fast_register(uint64_t gpa, bool write)
{
	uint64_t off = gpa & (PAGE_SIZE_4K - 1);
	return write ? off == APIC_REG_EOI || off == APIC_REG_TPR || off == APIC_REG_TIMER_INIT
		     : off == APIC_REG_ICR_LOW;
}

#endif
