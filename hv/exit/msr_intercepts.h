/* SPDX-License-Identifier: GPL-2.0-only */
/* Which guest RDMSR and WRMSR exit, for both vendors: one list, written by each
 * backend into its MSR permission map (svm/, APM Vol. 2 §15.11) or MSR bitmap
 * (vmx/, SDM Vol. 3C §25.6.9). What an exit then does is hv/exit/msr.c's. */
#ifndef HV_MSR_INTERCEPTS_H
#define HV_MSR_INTERCEPTS_H

#include <stdbool.h>
#include <stdint.h>

/* The vendors an entry applies to. */
#define MSR_ON_AMD   1u
#define MSR_ON_INTEL 2u

/* Calls intercept(msr, read, write) for every MSR the list names for vendor
 * (MSR_ON_AMD or MSR_ON_INTEL). */
void msr_intercepts_apply(unsigned vendor, void (*intercept)(uint32_t msr, bool read, bool write));

/* True for an MSR of a feature the guest's CPU lacks (VMX, Intel PT): the
 * list marks them, and hv/exit/msr.c answers every access with #GP. */
bool msr_of_absent_feature(uint32_t msr);

#endif
