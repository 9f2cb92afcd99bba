/* SPDX-License-Identifier: GPL-2.0-only */
/* Extended page tables: the EPT format of the guest map (hv/mem/nested_map.h),
 * which the VMX backend and its exit handlers reach through guest_map_*. */
#ifndef VMX_EPT_H
#define VMX_EPT_H

#include <stdint.h>
#include "hv/cpu_features.h"

/* Identity-maps guest-physical memory with the largest pages that keep one
 * memory type (from the MTRRs), and makes it the guest map. Once, on the BSP. */
void ept_init(const struct cpu_features *f, uint64_t top);
/* The EPT pointer for the VMCS. */
uint64_t ept_pointer(void);
/* Drops this CPU's EPT-derived translations (INVEPT), for a vCPU that sees a
 * new guest_map_generation. */
void ept_invalidate(void);

#endif
