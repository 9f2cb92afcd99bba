/* SPDX-License-Identifier: GPL-2.0-only */
/* RDMSR and WRMSR that exit, for both vendors: what the guest reads and what
 * its writes do. Each backend intercepts only the MSRs below (its permission
 * map or MSR bitmap), plus those outside the map's ranges, which always exit. */
#ifndef HV_MSR_H
#define HV_MSR_H

#include <stdbool.h>
#include "hv/vcpu.h"

/* RDMSR (write false) or WRMSR, ECX naming the MSR: the value in EDX:EAX, RIP
 * past the instruction, or #GP where the CPU would give it. */
void hv_exit_msr(struct vcpu *v, bool write);

#endif
