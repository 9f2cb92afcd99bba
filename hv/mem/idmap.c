/* SPDX-License-Identifier: GPL-2.0-only */
/* Identity maps built a GiB at a time, eagerly and on demand (hv/mem/idmap.h). */
#include "hv/mem/idmap.h"
#include "hv/console/console.h"
#include "hv/cpu.h"
#include "hv/panic.h"
#include "hv/mem/pool.h"

#define PML4_SPAN (512 * PAGE_SIZE_1G)	/* one PML4 entry: 512 GiB */

/* The address (bits 51:12) and the large-leaf bit (7) are where the long-mode
 * format has them in the NPT and the EPT as well (Vol. 3C §29.3.2). */
static uint64_t *table_of(uint64_t entry)
{
	return (uint64_t *)(entry & X86_PTE_ADDR_MASK);
}

bool idmap_mapped(const struct idmap *m, uint64_t addr)
{
	if (addr < m->eager_end)
		return true;
	if (addr >= m->phys_end)
		return false;
	uint64_t e4 = __atomic_load_n(&m->pml4[(addr >> 39) & 511], __ATOMIC_ACQUIRE);
	if (!(e4 & m->present))
		return false;
	uint64_t e3 = __atomic_load_n(&table_of(e4)[(addr >> 30) & 511], __ATOMIC_ACQUIRE);
	return e3 & m->present;
}

uint64_t idmap_entry(const struct idmap *m, uint64_t addr)
{
	uint64_t e = __atomic_load_n(&m->pml4[(addr >> 39) & 511], __ATOMIC_ACQUIRE);
	for (int shift = 30; shift >= 12; shift -= 9) {
		if (!(e & m->present))
			return 0;
		e = __atomic_load_n(&table_of(e)[(addr >> shift) & 511], __ATOMIC_ACQUIRE);
		if (e & X86_PTE_PS)
			break;
	}
	return e;
}

/* Builds GiB g's entry, and its PDPT if there is none yet, before linking
 * either: out of memory, nothing was linked and every page taken is given back
 * (a linked table may live on in other CPUs' paging-structure caches, so it
 * could not be freed). */
static bool map_gib(struct idmap *m, uint64_t g)
{
	uint64_t *e4 = &m->pml4[(g >> 9) & 511], *pdpt = NULL;
	if (!(*e4 & m->present) && !(pdpt = pool_alloc_pages(1)))
		return false;
	uint64_t e = m->make_gib(m, g);
	if (!e) {
		if (pdpt)
			pool_free_page(pdpt);
		return false;
	}
	if (pdpt) {
		pdpt[g & 511] = e;
		__atomic_store_n(e4, (uint64_t)pdpt | m->table_flags, __ATOMIC_RELEASE);
	} else {
		__atomic_store_n(&table_of(*e4)[g & 511], e, __ATOMIC_RELEASE);
	}
	return true;
}

uint64_t idmap_long_mode_gib(uint64_t g, bool gib_pages, uint64_t flags)
{
	if (gib_pages)
		return g * PAGE_SIZE_1G | flags | X86_PTE_PS;
	uint64_t *pd = pool_alloc_pages(1);
	if (!pd)
		return 0;
	for (uint64_t i = 0; i < 512; i++)
		pd[i] = (g * PAGE_SIZE_1G + i * PAGE_SIZE_2M) | flags | X86_PTE_PS;
	return (uint64_t)pd | flags;
}

void idmap_init(struct idmap *m, unsigned phys_bits, bool gib_pages, uint64_t top)
{
	uint64_t eager_end = top < 4 * PAGE_SIZE_1G ? 4 * PAGE_SIZE_1G : top;

	if (gib_pages)
		eager_end = 1ull << phys_bits;
	m->phys_end = 1ull << phys_bits;
	if (m->phys_end > 512 * PML4_SPAN)
		m->phys_end = 512 * PML4_SPAN; /* one PML4 covers 256 TiB */
	if (eager_end > m->phys_end)
		eager_end = m->phys_end;
	m->eager_end = (eager_end + PAGE_SIZE_1G - 1) & ~(PAGE_SIZE_1G - 1);
	m->pml4 = pool_must_alloc_pages(1, m->name);
	for (uint64_t g = 0; g < m->eager_end / PAGE_SIZE_1G; g++)
		if (!map_gib(m, g))
			panic("%s: out of memory mapping GiB %lu", m->name, (unsigned long)g);
}

bool idmap_map_locked(struct idmap *m, uint64_t addr)
{
	if (idmap_mapped(m, addr))
		return true;
	if (addr >= m->phys_end)
		return false;
	if (!map_gib(m, addr / PAGE_SIZE_1G)) {
		if (!m->out_of_memory_said)
			log_err("%s: out of memory: cannot map 0x%lx on demand; accesses there "
				"read all ones and drop writes", m->name, (unsigned long)addr);
		m->out_of_memory_said = true;
		return false;
	}
	m->on_demand++;
	log_info("%s: mapped the GiB at 0x%lx on first use (%u so far)", m->name,
		 (unsigned long)(addr & ~(PAGE_SIZE_1G - 1)), m->on_demand);
	return true;
}

bool idmap_map(struct idmap *m, uint64_t addr)
{
	if (idmap_mapped(m, addr))
		return true;
	uint64_t flags = irq_save();
	spin_lock(&m->lock);
	bool ok = idmap_map_locked(m, addr);
	spin_unlock(&m->lock);
	irq_restore(flags);
	return ok;
}
