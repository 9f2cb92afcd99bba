/* SPDX-License-Identifier: GPL-2.0-only */
/* A real INIT (an I/O APIC redirection entry or an MSI with delivery mode INIT:
 * no ICR write the hypervisor could catch at the sender, hv/exit/ipi.h) and
 * how its CPU comes back.
 *
 * On SVM the INIT intercept brings the CPU to the host, but the INIT stays
 * pending (AMD APM Vol. 2 §15.13.2) and resets the CPU at the next STGI, out of
 * the hypervisor, into the real wait-for-SIPI. So the hypervisor lets it
 * happen at a known place (hv_real_init_begin: the vCPU is marked waiting for
 * a SIPI, nothing is locked), and when the guest sends that vCPU a SIPI
 * (caught at the sender, which records its vector), the sender also sends a
 * physical SIPI whose vector is a page below 1 MiB the hypervisor reserved at
 * start (hv_rejoin_wake). QEMU resets the CPU right at the INIT intercept's
 * exit, before the host runs: the hypervisor never learns of it, and the
 * vCPU still counts as running (or as waiting in the host, if the INIT came
 * there). So every guest SIPI to a vCPU, even one a running CPU ignores, is
 * recorded (rejoin_vector) and followed by one physical SIPI to the
 * trampoline (hv_rejoin_sipi). That page (hv/rejoin_tramp.S) takes the CPU back to
 * 64-bit mode, the host's page tables, GDT, IDT and stack, and the backend
 * enables virtualization again and starts the vCPU at the guest's vector. A
 * CPU not in wait-for-SIPI ignores the extra SIPI (SDM Vol. 3A §9.4.4.1). */
#ifndef HV_REJOIN_H
#define HV_REJOIN_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/vcpu.h"

/* Pages below 1 MiB the trampoline needs: its code and data, and three page
 * tables (PML4, PDPT, PD) that identity-map the first 2 MiB. */
#define REJOIN_PAGES 4

/* Copies the trampoline to base (REJOIN_PAGES pages, page-aligned, below
 * 1 MiB, hidden from the guest). Once, at start, after the host's page
 * tables exist. Without it (base 0) a real INIT is left as before. */
void rejoin_install(uint64_t base);
/* Records the calling CPU's CR0, CR4 and EFER as the host runs with them,
 * before the backend's own bits: a rejoining CPU gets them back. */
void rejoin_record_cpu(unsigned index);

/* The INIT intercept's first step: true when the INIT may now reset this CPU
 * (the vCPU waits for a SIPI, marked as in the real wait; the caller lets the
 * INIT in); false when it cannot come back (no trampoline, or the boot CPU,
 * which an INIT sends to the reset vector: SDM Vol. 3A §9.1). */
bool hv_real_init_begin(struct vcpu *v);
/* The INIT did not reset the CPU after all: the vCPU waits in the host. */
void hv_real_init_missed(struct vcpu *v);

/* Whether v's CPU sits in the real wait-for-SIPI, out of the hypervisor,
 * as far as can be known: no NMI or SMI may go there, the hypervisor's or
 * the guest's (QEMU would run it from the reset state), and the debug console
 * does not wait for it. */
bool hv_in_real_wait(struct vcpu *v);

/* Sender side: a SIPI to the trampoline for CPU i, which as far as the
 * hypervisor knows runs or waits in the host (a real INIT may have reset it
 * unseen). */
void hv_rejoin_sipi(unsigned i, bool x2apic, void (*send)(uint64_t icr));
/* Sender side: t (vCPU index i) waits in the real wait-for-SIPI and has its
 * SIPI recorded: physical SIPIs to the trampoline until it is back in the
 * host (bounded; logged if it never comes). */
void hv_rejoin_wake(struct vcpu *t, unsigned i, bool x2apic, void (*send)(uint64_t icr));

#endif
