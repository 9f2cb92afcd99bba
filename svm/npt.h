/* SPDX-License-Identifier: GPL-2.0-only */
/* Nested page tables: the NPT format of the guest map (hv/mem/nested_map.h), which
 * the SVM backend and its exit handlers reach through guest_map_*. */
#ifndef SVM_NPT_H
#define SVM_NPT_H

#include <stdint.h>
#include "hv/cpu_features.h"

/* Identity-maps guest-physical memory with the largest pages possible, and
 * makes it the guest map. Once. */
void npt_init(const struct cpu_features *f, uint64_t top);
/* For the VMCB's nested CR3. */
uint64_t npt_root(void);

#endif
