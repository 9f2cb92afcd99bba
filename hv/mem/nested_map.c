/* SPDX-License-Identifier: GPL-2.0-only */
/* One writer for the nested maps, the NPT and the EPT (hv/mem/nested_map.h).
 *
 * Other CPUs walk the map at any moment, in guest mode, without taking the
 * map's lock, and read each entry with one 64-bit load; their walks may even
 * be speculative (SDM Vol. 3A §4.10 and §4.10.5, Vol. 3C §29.4; AMD APM Vol. 2
 * §5.5 and §15.25). So an entry another CPU may see is changed by one atomic
 * 64-bit store, never by a plain assignment the compiler may split, merge or
 * move, and a new table is filled before the entry that links it is stored
 * (release order): a walk sees the old entry or the new one, never half of
 * each nor a table still being filled.
 *
 * Linked tables are never freed: another CPU's paging-structure cache may
 * point at one until that CPU flushes. Pages taken for a change are therefore
 * all taken before the first store (struct reserve): when the pool cannot give
 * them, the change gives them back, never having linked one, and nothing
 * changed. */
#include "hv/mem/nested_map.h"
#include "hv/console/console.h"
#include "hv/cpu.h"
#include "hv/panic.h"
#include "hv/mem/pool.h"
#include "hv/x86/arch.h"

#define ENTRIES 512

static struct nested_map *guest_map; /* the last nested_map_init's */

static uint64_t *table_of(uint64_t entry)
{
	return (uint64_t *)(entry & X86_PTE_ADDR_MASK);
}

static unsigned size_index(uint64_t size) /* into m->leaves */
{
	return size == PAGE_SIZE_1G ? 0 : size == PAGE_SIZE_2M ? 1 : 2;
}

static bool is_table(const struct nested_map *m, uint64_t entry)
{
	return (entry & m->format->present) && !(entry & m->format->large);
}

/* A table that was never linked, and the tables below it. */
static void free_unlinked(const struct nested_map *m, uint64_t *table, uint64_t child_size)
{
	for (unsigned i = 0; i < ENTRIES && child_size > PAGE_SIZE_4K; i++)
		if (is_table(m, table[i]))
			free_unlinked(m, table_of(table[i]), child_size / ENTRIES);
	pool_free_page(table);
}

/* The entry that maps [pa, pa + size) as plain memory: one leaf where the
 * format allows, else a table of entries one level down. 0 out of memory,
 * every page taken given back. */
static uint64_t build(struct nested_map *m, uint64_t pa, uint64_t size)
{
	uint64_t leaf = m->format->plain(pa, size);
	if (leaf || size == PAGE_SIZE_4K) {
		m->leaves[size_index(size)] += leaf != 0;
		return leaf;
	}
	uint64_t *t = pool_alloc_pages(1), child = size / ENTRIES;
	if (!t)
		return 0;
	for (unsigned i = 0; i < ENTRIES; i++) {
		t[i] = build(m, pa + i * child, child);
		if (!t[i]) {
			free_unlinked(m, t, child);
			return 0;
		}
	}
	return (uint64_t)t | m->format->table;
}

static uint64_t make_gib(struct idmap *im, uint64_t g)
{
	struct nested_map *m = (struct nested_map *)((char *)im - offsetof(struct nested_map, idmap));
	return build(m, g * PAGE_SIZE_1G, PAGE_SIZE_1G);
}

void nested_map_init(struct nested_map *m, unsigned phys_bits, bool gib_pages, uint64_t top)
{
	m->idmap.present = m->format->present;
	m->idmap.table_flags = m->format->table;
	m->idmap.make_gib = make_gib;
	idmap_init(&m->idmap, phys_bits, gib_pages, top);
	guest_map = m;
}

uint64_t nested_map_root(const struct nested_map *m)
{
	return (uint64_t)m->idmap.pml4;
}

uint64_t nested_map_generation(const struct nested_map *m)
{
	return __atomic_load_n(&m->generation, __ATOMIC_ACQUIRE);
}

/* Pages taken from the pool before a change, chained through their first
 * word (each is overwritten whole when used). */
struct reserve {
	uint64_t *first;
	size_t count;
};

static bool reserve_fill(struct reserve *r, size_t count)
{
	while (r->count < count) {
		uint64_t *page = pool_alloc_pages(1);
		if (!page)
			return false;
		*page = (uint64_t)r->first;
		r->first = page;
		r->count++;
	}
	return true;
}

static uint64_t *reserve_take(struct reserve *r)
{
	uint64_t *page = r->first;
	r->first = (uint64_t *)*page;
	r->count--;
	return page;
}

static void reserve_give_back(struct reserve *r)
{
	while (r->count)
		pool_free_page(reserve_take(r));
}

static uint64_t *pdpte_of(const struct nested_map *m, uint64_t gpa)
{
	return &table_of(m->idmap.pml4[(gpa >> 39) & 511])[(gpa >> 30) & 511];
}

/* The tables that giving [first, last] 4-KiB leaves takes: a page directory
 * for each 1-GiB leaf and a page table for each 2-MiB block the range touches
 * that is a large leaf now or will be after its GiB is split. Its GiBs are
 * mapped. */
static size_t splits_needed(const struct nested_map *m, uint64_t first, uint64_t last)
{
	size_t n = 0;
	for (uint64_t a = first & ~(PAGE_SIZE_2M - 1); a <= last; a += PAGE_SIZE_2M) {
		uint64_t e3 = *pdpte_of(m, a);
		if (e3 & m->format->large)
			n += 1 + (a <= first || (a & (PAGE_SIZE_1G - 1)) == 0);
		else if (table_of(e3)[(a >> 21) & 511] & m->format->large)
			n++;
	}
	return n;
}

/* Replaces a large leaf by a table of leaves one level down mapping the same
 * memory with the same bits (large leaves carry neither a PAT bit, bit 12,
 * nor a trap: those are 4-KiB leaves only). */
static void split(const struct nested_map *m, uint64_t *entry, uint64_t child_size,
		  struct reserve *r)
{
	uint64_t *t = reserve_take(r);
	uint64_t base = *entry & X86_PTE_ADDR_MASK;
	uint64_t bits = *entry & ~X86_PTE_ADDR_MASK & ~m->format->large;
	if (child_size > PAGE_SIZE_4K)
		bits |= m->format->large;
	for (unsigned i = 0; i < ENTRIES; i++)
		t[i] = (base + i * child_size) | bits;
	__atomic_store_n(entry, (uint64_t)t | m->format->table, __ATOMIC_RELEASE);
}

/* The 4-KiB leaf for gpa, splitting large leaves on the way with the reserve's
 * pages (splits_needed counted them). Its GiB is mapped. */
static uint64_t *leaf_4k(const struct nested_map *m, uint64_t gpa, struct reserve *r)
{
	uint64_t *e = pdpte_of(m, gpa);
	if (*e & m->format->large)
		split(m, e, PAGE_SIZE_2M, r);
	e = &table_of(*e)[(gpa >> 21) & 511];
	if (*e & m->format->large)
		split(m, e, PAGE_SIZE_4K, r);
	return &table_of(*e)[(gpa >> 12) & 511];
}

enum leaf_kind { LEAF_PLAIN, LEAF_TRAPPED, LEAF_HIDDEN };

static const char *const kind_verb[] = { "untrap", "trap", "hide" };

static uint64_t make_leaf(const struct nested_map *m, enum leaf_kind kind, uint64_t gpa)
{
	switch (kind) {
	case LEAF_PLAIN:
		return m->format->plain(gpa, PAGE_SIZE_4K);
	case LEAF_TRAPPED:
		return m->format->trapped(gpa);
	default:
		return 0; /* hidden: not present in both formats */
	}
}

/* Maps the GiBs of [first, last] and reserves the tables the change splits;
 * with the lock held. NULL when it went, else why not. */
static const char *prepare(struct nested_map *m, uint64_t first, uint64_t last,
			   struct reserve *r)
{
	if (last >= m->idmap.phys_end)
		return "beyond the physical address space";
	for (uint64_t g = first & ~(PAGE_SIZE_1G - 1); g <= last; g += PAGE_SIZE_1G)
		if (!idmap_map_locked(&m->idmap, g))
			return "out of memory mapping its GiB";
	if (!reserve_fill(r, splits_needed(m, first, last)))
		return "out of memory for its page tables";
	return NULL;
}

static int set_range(struct nested_map *m, uint64_t gpa, uint64_t size, enum leaf_kind kind)
{
	uint64_t first = gpa & ~(PAGE_SIZE_4K - 1), last = gpa + size - 1;
	struct reserve r = { NULL, 0 };
	if (!size)
		return 0;
	if (last < gpa) {
		log_err("%s: cannot %s 0x%lx+0x%lx: it wraps around", m->idmap.name,
			kind_verb[kind], (unsigned long)gpa, (unsigned long)size);
		return -1;
	}

	uint64_t flags = irq_save();
	spin_lock(&m->idmap.lock);
	const char *why = prepare(m, first, last, &r);
	if (!why) {
		for (uint64_t a = first; a <= last; a += PAGE_SIZE_4K)
			__atomic_store_n(leaf_4k(m, a, &r), make_leaf(m, kind, a), __ATOMIC_RELEASE);
		__atomic_add_fetch(&m->generation, 1, __ATOMIC_ACQ_REL);
	}
	spin_unlock(&m->idmap.lock);
	irq_restore(flags);

	reserve_give_back(&r); /* all of it when the change failed */
	if (!why)
		return 0;
	log_err("%s: cannot %s 0x%lx+0x%lx: %s (%lu pages free); the map is unchanged",
		m->idmap.name, kind_verb[kind], (unsigned long)gpa, (unsigned long)size, why,
		(unsigned long)pool_free_pages());
	return -1;
}

int nested_map_set_trap(struct nested_map *m, uint64_t gpa, uint64_t size, bool trap)
{
	return set_range(m, gpa, size, trap ? LEAF_TRAPPED : LEAF_PLAIN);
}

int nested_map_hide(struct nested_map *m, uint64_t gpa, uint64_t size)
{
	return set_range(m, gpa, size, LEAF_HIDDEN);
}

/* Out of line: below eager_end (every trapped page of the first 4 GiB, so
 * nearly every MMIO exit) the answer is one compare, without this part's
 * registers. */
static __attribute__((noinline)) bool map_on_demand(struct nested_map *m, uint64_t gpa)
{
	if (!idmap_map(&m->idmap, gpa))
		return false;
	/* Mapped now, by this CPU or another: the access runs again, unless it
	 * met a trap (an MMIO range up there) or hidden memory. */
	return m->format->is_plain(idmap_entry(&m->idmap, gpa));
}

bool nested_map_on_demand(struct nested_map *m, uint64_t gpa)
{
	return gpa >= m->idmap.eager_end && map_on_demand(m, gpa);
}

int guest_map_set_trap(uint64_t gpa, uint64_t size, bool trap)
{
	return nested_map_set_trap(guest_map, gpa, size, trap);
}

void guest_map_hide(uint64_t gpa, uint64_t size)
{
	if (nested_map_hide(guest_map, gpa, size))
		panic("%s: cannot hide the hypervisor's memory 0x%lx+0x%lx", guest_map->idmap.name,
		      (unsigned long)gpa, (unsigned long)size);
}

bool guest_map_on_demand(uint64_t gpa)
{
	return nested_map_on_demand(guest_map, gpa);
}

uint64_t guest_map_generation(void)
{
	return nested_map_generation(guest_map);
}
