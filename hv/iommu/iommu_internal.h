/* SPDX-License-Identifier: GPL-2.0-only */
/* What the VT-d and AMD-Vi drivers share (hv/iommu/iommu.h). */
#ifndef HV_IOMMU_INTERNAL_H
#define HV_IOMMU_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/iommu/iommu.h"

/* One IOMMU driver: finds its units and starts them; polls their faults. */
struct iommu_driver {
	const char *name;
	/* The number of units now translating (0: none found, or all failed;
	 * each failure said on the console). */
	unsigned (*start)(const struct iommu_platform *p);
	void (*poll)(void);
};
extern const struct iommu_driver vtd_driver, amdvi_driver;

/* ---- I/O page tables: an identity map without the hypervisor's memory ---- */

/* A page-table format: both IOMMUs use tables of 512 8-byte entries indexed
 * by 9 address bits per level, level 1 mapping 4-KiB pages. */
struct io_pt_format {
	/* An entry pointing to a table of level child_level. */
	uint64_t (*table)(uint64_t child, unsigned child_level);
	/* A leaf at level (1: 4 KiB, 2: 2 MiB, 3: 1 GiB) mapping pa. */
	uint64_t (*leaf)(uint64_t pa, unsigned level);
	unsigned max_leaf_level; /* the largest page the hardware takes */
};

/* A range of physical addresses, page aligned. */
struct io_range {
	uint64_t base, size;
};

/* Builds a table of `levels` levels identity-mapping [0, end) read-write,
 * except the pages of the hypervisor's memory (hv_memory_overlaps) and the
 * `nholes` ranges in `holes` (the IOMMUs' own registers: a device that could
 * write them could turn translation off), which stay not present. NULL when
 * the pool ran out (what was taken is not returned). */
uint64_t *io_pt_build(const struct io_pt_format *f, unsigned levels, uint64_t end,
		      const struct io_range *holes, unsigned nholes);

/* How far the identity map reaches: all of 2^min(phys_bits, width) with
 * 1-GiB pages; without them RAM and the 4 GiB of 32-bit devices (a map of
 * everything with 2-MiB pages would cost a page per GiB), rounded up to a
 * GiB. */
uint64_t io_pt_end(const struct iommu_platform *p, unsigned width, unsigned max_leaf_level);

/* Writes back the CPU's caches, for IOMMUs whose table walks do not snoop. */
void io_pt_flush_caches(void);

/* ---- The guest's view of an IOMMU's registers ---- */

/* A trapped register window: reads in [visible_first, visible_end) return
 * the real registers (the capability registers, which say what the unit
 * could do); everything else reads 0 (nothing enabled, no faults); writes are
 * dropped, logged. */
struct iommu_window {
	const char *name;	/* "vt-d unit 0" */
	uint64_t base, size;
	uint64_t visible_first, visible_end;
	unsigned writes;	/* counted; the first few logged */
};
/* Registers the window with the IOM; false (said on the console) on failure. */
bool iommu_trap_window(struct iommu_window *w);

/* ---- Reporting ---- */

/* "iommu: DMA from BB:DD.F to 0xADDR blocked (what)"; source is the PCI
 * requester ID (bus 15:8, device 7:3, function 2:0). */
void iommu_report_blocked(uint16_t segment, uint16_t source, uint64_t addr, const char *what);

/* The unit dropped fault records: more DMA was blocked than it could hold. */
void iommu_report_lost(const char *unit);

/* Waits until (*reg & mask) == want, for at most 100 ms (TSC); false on
 * timeout. reg is a 32-bit register. */
bool iommu_wait32(volatile uint32_t *reg, uint32_t mask, uint32_t want);
bool iommu_wait64(volatile uint64_t *reg, uint64_t mask, uint64_t want);

#endif
