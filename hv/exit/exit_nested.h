/* SPDX-License-Identifier: GPL-2.0-only */
/* Nested page faults on trapped or hidden pages, for both vendors. */
#ifndef HV_EXIT_NESTED_H
#define HV_EXIT_NESTED_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/vcpu.h"

/* The access at gpa faulted in the nested page tables and the page is trapped
 * or hidden (not merely unmapped yet). guest_walk: the guest's own page-table
 * walk made the access (SVM: EXITINFO1 bit 33; VMX: the qualification's
 * linear address valid without "translated"). Delivering an event there is a
 * triple fault, a page walk #GP, anything else the MMIO emulator's. */
void hv_exit_nested_fault(struct vcpu *v, uint64_t gpa, bool guest_walk);

#endif
