/* Extended page tables: the guest-physical to host-physical map all vCPUs share. */
#ifndef VMX_EPT_H
#define VMX_EPT_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/cpu_features.h"

/* Identity-maps guest-physical memory with the largest pages that keep one
 * memory type (from the MTRRs). Once, on the BSP. */
void ept_init(const struct cpu_features *f, uint64_t top);
/* The EPT pointer for the VMCS. */
uint64_t ept_pointer(void);
/* Makes [gpa, gpa+size) unreachable (EPT violation): the hypervisor's memory. */
void ept_hide(uint64_t gpa, uint64_t size);
/* MMIO trap (any access: EPT misconfiguration) or back to plain memory. Page
 * aligned. Returns 0, or -1 when no page-table page could be had. */
int ept_set_trap(uint64_t gpa, uint64_t size, bool trap);
/* For an EPT violation at gpa: when gpa lies beyond what was mapped at start
 * and is plain memory, maps its GiB (hv/idmap.h) and returns true: the guest
 * runs the access again. False for everything the exit handler must handle. */
bool ept_map_on_demand(uint64_t gpa);
/* Bumped on every change: a vCPU invalidates its EPT-derived TLB entries when
 * it sees a new value (INVEPT). */
uint64_t ept_generation(void);
void ept_invalidate(void);

#endif
