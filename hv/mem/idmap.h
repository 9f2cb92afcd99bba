/* SPDX-License-Identifier: GPL-2.0-only */
/* Identity maps of the physical address space, one GiB at a time. The host's page
 * tables (hv/host.c), the NPT (svm/npt.c) and the EPT (vmx/ept.c) have the same
 * shape, four levels of 512 entries, and differ only in their entries' bits.
 *
 * Where the CPU offers 1-GiB pages the whole address space is mapped from the
 * start for a few pages. Without them a map of 2^MAXPHYADDR with 2-MiB pages
 * would cost one page directory per GiB (4 MiB for a 40-bit CPU, 256 MiB for 46
 * bits), so only [0, eager_end) is mapped from the start (RAM, and the 4 GiB
 * below which 32-bit devices live) and any other GiB when something first
 * touches it: a 64-bit PCI BAR, say, which firmware puts far above RAM.
 * Making an entry present needs no TLB flush on any CPU: translations and
 * paging-structure caches are made from present entries only (SDM Vol. 3A
 * §4.10.2-4.10.3, Vol. 3C §29.4 for the EPT; AMD APM Vol. 2 §5.5). */
#ifndef HV_IDMAP_H
#define HV_IDMAP_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/spinlock.h"

#include "hv/x86/arch.h"


struct idmap {
	const char *name;	/* for the log: "host map", "npt", "ept" */
	uint64_t *pml4;
	uint64_t present;	/* the bits of which any marks an entry present */
	uint64_t table_flags;	/* a PML4E's bits besides the PDPT's address */
	/* The PDPTE for GiB g: a 1-GiB leaf or a page directory; 0 when out of
	 * memory (with every page it took given back). */
	uint64_t (*make_gib)(struct idmap *m, uint64_t g);
	uint64_t eager_end;	/* [0, eager_end) is mapped from the start */
	uint64_t phys_end;	/* 2^MAXPHYADDR: nothing is mapped beyond */
	unsigned on_demand;	/* GiBs mapped on demand so far */
	bool out_of_memory_said;
	struct spinlock lock;	/* held while the tables change */
};

/* A make_gib for the host's tables, in the long-mode format (SDM Vol. 3A
 * §4.5): GiB g as a 1-GiB leaf, or as a page directory of 2-MiB leaves; flags
 * are the bits every entry carries (P, W). 0 when out of memory. (The NPT and
 * the EPT build theirs through hv/mem/nested_map.c.) */
uint64_t idmap_long_mode_gib(uint64_t g, bool gib_pages, uint64_t flags);

/* Fills m->pml4 and maps what the start needs: with 1-GiB pages (gib_pages)
 * the whole of 2^phys_bits (MAXPHYADDR), else [0, top) and at least the 4 GiB
 * of 32-bit devices, rounded up to a GiB. Panics when the pool cannot hold it:
 * the hypervisor cannot run without it. */
void idmap_init(struct idmap *m, unsigned phys_bits, bool gib_pages, uint64_t top);
/* Maps the GiB that holds addr unless it is mapped already; with m->lock held.
 * True when addr is now mapped; false beyond 2^MAXPHYADDR or out of memory
 * (said once on the console). */
bool idmap_map_locked(struct idmap *m, uint64_t addr);
bool idmap_map(struct idmap *m, uint64_t addr);
/* The entry that maps addr at whatever level, or 0 where a table is missing;
 * lock-free (entries only ever change whole). Bit 7 marks a large page in
 * both formats (SDM Vol. 3A §4.5, Vol. 3C §29.3.2). */
uint64_t idmap_entry(const struct idmap *m, uint64_t addr);
/* Whether the GiB that holds addr is mapped (lock-free). */
bool idmap_mapped(const struct idmap *m, uint64_t addr);

/* [addr, addr + len) is mapped, on demand if need be (len 0 counts as 1). The
 * first test is all the common case costs. */
static inline bool idmap_ensure(struct idmap *m, uint64_t addr, uint64_t len)
{
	uint64_t last = addr + (len ? len - 1 : 0);
	if (last < m->eager_end && last >= addr)
		return true;
	return last >= addr && idmap_map(m, addr) && idmap_map(m, last);
}

#endif
