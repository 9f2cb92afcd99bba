/* SPDX-License-Identifier: GPL-2.0-only */
/* RDMSR and WRMSR that report a #GP instead of taking the host down: for MSR
 * accesses the hypervisor performs on the guest's behalf, whose number or value
 * the guest chose. The host's #GP handler resumes these two instructions at a
 * failure exit (host_fixup_msr). */
#ifndef HV_MSR_SAFE_H
#define HV_MSR_SAFE_H

#include <stdbool.h>
#include <stdint.h>

/* False when RDMSR raised #GP (*value is then untouched). */
bool msr_read_safe(uint32_t msr, uint64_t *value);
/* False when WRMSR raised #GP. */
bool msr_write_safe(uint32_t msr, uint64_t value);

/* From the host's #GP handler: when rip is one of the two instructions above,
 * the RIP to resume at (their failure return); else 0. */
uint64_t msr_safe_fixup(uint64_t rip);

#endif
