/* Nested page tables: the guest-physical to host-physical map all vCPUs share. */
#ifndef SVM_NPT_H
#define SVM_NPT_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/cpu_features.h"

/* Identity-maps guest-physical memory with the largest pages possible. Once. */
void npt_init(const struct cpu_features *f, uint64_t top);
uint64_t npt_root(void);
/* Makes [gpa, gpa+size) unreachable: the hypervisor's own memory. */
void npt_hide(uint64_t gpa, uint64_t size);
/* MMIO trap (trap=true: accesses fault with RSVD) or back to plain memory.
 * Page aligned. Returns 0, or -1 when no page-table page could be had. */
int npt_set_trap(uint64_t gpa, uint64_t size, bool trap);
/* What the map says about a page: for the NPF handler's sanity checks. */
bool npt_is_hidden(uint64_t gpa);
/* For a nested page fault at gpa: when gpa lies beyond what was mapped at start
 * and is not trapped, maps its GiB (hv/idmap.h) and returns true: the guest
 * runs the access again. False for everything the fault handler must handle. */
bool npt_map_on_demand(uint64_t gpa);
/* Bumped on every change: a vCPU flushes its TLB when it sees a new value. */
uint64_t npt_generation(void);

#endif
