/* SPDX-License-Identifier: GPL-2.0-only */
/* The pool's size (hv/mem/pool_size.h). What takes pages, measured at
 * start-up ("hypervisor memory: ... peak", docs/architecture.md):
 *
 * - per CPU: its host state and GDT, NMI stack, the 8-page host stack and the
 *   vendor's control structures (VMCB and host save area; VMXON region and
 *   VMCS): 14 pages measured on either vendor; 16 here.
 * - the maps: the host's identity map and the guest's nested map cover
 *   [0, max(top, 4 GiB)) from the start in 2-MiB pages (one page directory per
 *   GiB each), the IOMMU's DMA map as much again; a GiB above that is mapped
 *   on first use (a 64-bit BAR), a directory and perhaps a PDPT each.
 * - 4-KiB tables where a 2-MiB page is split: under each trapped range (the
 *   emulator's trap map holds at most 128), around the hypervisor's own
 *   memory, where the memory types change (VMX).
 * - the AMD IOMMU's device table: 32 bytes per device ID, at most 2 MiB.
 * - shared: the IDT, the I/O and MSR permission maps or bitmaps, the tables'
 *   roots, the IOMMU's queues. */
#include "hv/mem/pool_size.h"

#define GIB (1ull << 30)

#define POOL_SHARED_PAGES 64
#define POOL_PAGES_PER_CPU 16
#define POOL_PAGES_PER_GIB 3	      /* host map, nested map, DMA map */
#define POOL_ON_DEMAND_PAGES 128      /* 32 GiB mapped on first use, in two maps */
#define POOL_SPLIT_PAGES 512	      /* 2-MiB pages split in 4-KiB tables */
#define POOL_IOMMU_DEVTAB_PAGES 512   /* 65,536 device IDs x 32 bytes */

size_t pool_pages_for(unsigned cpus, uint64_t top)
{
	uint64_t mapped = top > 4 * GIB ? top : 4 * GIB;
	uint64_t gib = (mapped + GIB - 1) / GIB;
	return POOL_SHARED_PAGES + (size_t)cpus * POOL_PAGES_PER_CPU +
	       (size_t)gib * POOL_PAGES_PER_GIB + POOL_ON_DEMAND_PAGES + POOL_SPLIT_PAGES +
	       POOL_IOMMU_DEVTAB_PAGES;
}
