/* Starting application processors under the hypervisor. A CPU in guest mode that
 * receives INIT exits (the backends intercept it) and waits in the host as a real
 * CPU waits for a SIPI. A SIPI sent to such a CPU would be lost, so SIPIs are
 * caught where they are sent: writes to the local APIC's interrupt command
 * register (xAPIC page through the IOM, x2APIC MSR 0x830 through the MSR
 * intercepts). */
#ifndef HV_IPI_H
#define HV_IPI_H

#include <stdint.h>
#include "hv/vcpu.h"

/* Handles a guest write of the 64-bit ICR value (xAPIC: ICR high << 32 | low, the
 * destination in bits 56-63; x2APIC: the destination in bits 32-63). IPIs that
 * the hypervisor does not take over are sent with send(icr). */
void hv_icr_write(struct vcpu *from, uint64_t icr, bool x2apic, void (*send)(uint64_t icr));

/* Called by a backend on an INIT exit: waits, in the host, for a SIPI to this vCPU
 * and returns its vector. */
uint8_t hv_wait_for_sipi(struct vcpu *v);

#endif
