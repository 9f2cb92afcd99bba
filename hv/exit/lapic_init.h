/* SPDX-License-Identifier: GPL-2.0-only */
/* What an INIT does to the calling CPU's own local APIC, done in software: the
 * hypervisor catches every INIT a guest sends (hv/exit/ipi.h), so the real APIC never
 * sees it, but the guest's CPU must come out of wait-for-SIPI with its APIC as
 * INIT leaves it. */
#ifndef HV_LAPIC_INIT_H
#define HV_LAPIC_INIT_H

#include <stdint.h>

/* Resets the calling CPU's local APIC to its state after INIT (SDM Vol. 3A
 * §11.4.7.3): LVTs masked, timer stopped, IRR, ISR and TPR clear, logical
 * destination cleared, software-disabled with spurious vector 0xFF. The APIC
 * ID, IA32_APIC_BASE and the xAPIC/x2APIC mode stay. Pending interrupts can
 * leave the IRR only by being accepted: accept_pending() opens the host to
 * interrupts for an instant (the backend knows how: GIF on SVM), and the host's
 * handler acknowledges each with lapic_host_interrupt(). */
void lapic_init_reset(void (*accept_pending)(void));

/* The host's handler for an external interrupt (vectors 32-255), which only
 * lapic_init_reset lets in: EOI. */
void lapic_host_interrupt(uint64_t vector);

#endif
