/* SPDX-License-Identifier: GPL-2.0-only */
/* The guest side of iomvisor's interface (hv/exit/hypercall.h): CPUID leaves and
 * hypercalls, VMMCALL on AMD and VMCALL on Intel. */
#ifndef GUEST_HVIF_H
#define GUEST_HVIF_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/exit/hypercall.h"

struct hc_result {
	int64_t rc;
	uint64_t rbx, rcx, rdx, rsi;
};

/* True when CPUID says iomvisor runs underneath (hypervisor bit and signature). */
bool hv_present(void);
struct hc_result hypercall(uint64_t nr, uint64_t rbx, uint64_t rcx, uint64_t rdx);
/* A counter of the range holding addr (HC_RANGE_STAT); ~0 on error. */
uint64_t range_stat(unsigned space, uint64_t addr, unsigned counter);
/* An IOM counter summed over all CPUs (HC_IOM_STAT). */
uint64_t iom_stat(unsigned space, unsigned counter);
/* The same counter of this vCPU alone. */
uint64_t iom_stat_this_cpu(unsigned space, unsigned counter);
/* This vCPU's number, as the hypervisor counts them (HC_INFO). */
unsigned hv_cpu_number(void);
/* A rule's hits (counter 0) or its action K's (1+K); all ones if none. */
uint64_t rule_stat(unsigned rule, unsigned counter);

#endif
