/* SPDX-License-Identifier: GPL-2.0-only */
/* Starting application processors under the hypervisor. INIT and SIPI are caught
 * where they are sent: writes to the local APIC's interrupt command register
 * (xAPIC page through the IOM, x2APIC MSR 0x830 through the MSR intercepts).
 *
 * A real INIT must not reach a CPU the hypervisor runs: on AMD it stays pending
 * while the host runs (GIF=0) and then resets the CPU out of the hypervisor
 * (QEMU's TCG does the same even with the INIT intercept). So an INIT for a
 * virtualized CPU becomes "INIT pending" plus an NMI IPI; the NMI brings the CPU
 * to the host (NMI intercept), which then waits as a real CPU waits for a SIPI,
 * and the SIPI, caught the same way, starts it in real mode at its vector. */
#ifndef HV_IPI_H
#define HV_IPI_H

#include <stdint.h>
#include "hv/vcpu.h"

/* Handles a guest write of the 64-bit ICR value (xAPIC: ICR high << 32 | low, the
 * destination in bits 56-63; x2APIC: the destination in bits 32-63). IPIs that
 * the hypervisor does not take over are sent with send(icr). */
void hv_icr_write(struct vcpu *from, uint64_t icr, bool x2apic, void (*send)(uint64_t icr));

/* icr (in the layout above) for the CPU with this APIC ID alone: physical
 * destination, no shorthand. */
uint64_t hv_icr_to(uint64_t icr, uint32_t apic_id, bool x2apic);
/* An NMI IPI to the CPU with this APIC ID (physical destination), as an ICR
 * value in the layout above. */
uint64_t hv_nmi_icr(uint32_t apic_id, bool x2apic);

/* Called by a backend for an INIT (an NMI exit with init_pending, or an INIT exit):
 * waits, in the host, for a SIPI to this vCPU and returns its vector. */
uint8_t hv_wait_for_sipi(struct vcpu *v);
/* What INIT drops of v's state (SDM Vol. 3A §9.1.1): an NMI or exception
 * waiting for delivery, an event whose delivery was cut short, and the xAPIC
 * logical destination the hypervisor keeps for the guest (LDR 0, DFR flat
 * model all ones). The APIC itself is the caller's. */
void hv_init_forget(struct vcpu *v);

#endif
