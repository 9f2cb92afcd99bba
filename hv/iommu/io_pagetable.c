/* SPDX-License-Identifier: GPL-2.0-only */
/* The I/O page tables both IOMMUs walk: an identity map of [0, end) with the
 * largest pages the hardware takes, and 4-KiB holes where the hypervisor's
 * memory is (hv/iommu/iommu_internal.h). Built once, before translation is
 * turned on, and never changed. */
#include "hv/hv.h"
#include "hv/iommu/iommu_internal.h"
#include "hv/mem/pool.h"
#include "hv/x86/arch.h"

#define GIB PAGE_SIZE_1G

static uint64_t span_of(unsigned level)
{
	return 1ull << (12 + 9 * (level - 1));
}

struct io_pt_job {
	const struct io_pt_format *f;
	uint64_t end;
	const struct io_range *holes;
	unsigned nholes;
};

/* Whether [first, last] must not be reachable by DMA. */
static bool hidden(const struct io_pt_job *j, uint64_t first, uint64_t last)
{
	if (hv_memory_overlaps(first, last))
		return true;
	for (unsigned i = 0; i < j->nholes; i++)
		if (j->holes[i].size && first < j->holes[i].base + j->holes[i].size &&
		    last >= j->holes[i].base)
			return true;
	return false;
}

/* Fills `table` (of `level`) for the addresses from base; false out of memory. */
static bool fill(const struct io_pt_job *j, uint64_t *table, unsigned level, uint64_t base)
{
	const struct io_pt_format *f = j->f;
	uint64_t span = span_of(level);
	for (unsigned i = 0; i < 512; i++) {
		uint64_t a = base + i * span;
		if (a >= j->end)
			break;
		if (level <= f->max_leaf_level && !hidden(j, a, a + span - 1)) {
			table[i] = f->leaf(a, level);
			continue;
		}
		if (level == 1)
			continue; /* a page of the hypervisor's: not present */
		uint64_t *child = pool_alloc_pages(1);
		if (!child || !fill(j, child, level - 1, a))
			return false;
		table[i] = f->table((uint64_t)child, level - 1);
	}
	return true;
}

uint64_t *io_pt_build(const struct io_pt_format *f, unsigned levels, uint64_t end,
		      const struct io_range *holes, unsigned nholes)
{
	struct io_pt_job j = { f, end, holes, nholes };
	uint64_t *root = pool_alloc_pages(1);
	if (!root || !fill(&j, root, levels, 0))
		return NULL;
	return root;
}

uint64_t io_pt_end(const struct iommu_platform *p, unsigned width, unsigned max_leaf_level)
{
	unsigned bits = p->phys_bits < width ? p->phys_bits : width;
	uint64_t all = 1ull << bits;
	if (max_leaf_level >= 3)
		return all;
	uint64_t end = p->top > 4 * GIB ? p->top : 4 * GIB;
	end = (end + GIB - 1) & ~(GIB - 1);
	return end < all ? end : all;
}

void io_pt_flush_caches(void)
{
	__asm__ volatile("wbinvd" ::: "memory");
}
