/* Nested page tables (AMD APM Vol. 2 §15.25). The format is the host's 4-level
 * long-mode format; every level must allow user access, because the nested walk
 * treats all guest accesses as user accesses (§15.25.5).
 *
 * MMIO traps are leaf entries with a reserved physical-address bit set: any
 * access faults with EXITINFO1.RSVD (§15.25.6). Bits from MAXPHYADDR up to 51 are
 * reserved; bit 51 is used when the CPU has fewer than 52 address bits, which is
 * every CPU at the time of writing. (Bits 52-62 are ignored by the walk and
 * would not fault: docs/emulators.md.) On a CPU with 52 address bits the
 * trap falls back to a not-present entry, which the NPF handler also routes to
 * the IOM. The hypervisor's own memory is not present. */
#include "svm/npt.h"
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/idmap.h"
#include "hv/panic.h"
#include "hv/pool.h"
#include "hv/spinlock.h"

#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_U (1ull << 2)
#define PTE_PS (1ull << 7)
#define PTE_ADDR_MASK 0x000FFFFFFFFFF000ull
#define PTE_TABLE (PTE_P | PTE_W | PTE_U)
#define PTE_LEAF (PTE_P | PTE_W | PTE_U)
#define PTE_RSVD_TRAP (1ull << 51)
/* A software-available bit (9) marks hidden pages so that they are not confused
 * with ordinary holes. */
#define PTE_HIDDEN (1ull << 9)

#define GIB (1ull << 30)
#define MIB2 (1ull << 21)
#define KIB4 (1ull << 12)

static uint64_t trap_bits; /* PTE_RSVD_TRAP, or 0 for the not-present fallback */
static uint64_t generation;
static bool gib_pages;

static uint64_t npt_gib(uint64_t g)
{
	return idmap_long_mode_gib(g, gib_pages, PTE_LEAF);
}

/* Its lock also guards the leaves below (set_range). */
static struct idmap npt = {
	.name = "npt", .present = PTE_P, .table_flags = PTE_TABLE, .make_gib = npt_gib,
	.lock = SPINLOCK_INIT,
};

uint64_t npt_root(void)
{
	return (uint64_t)npt.pml4;
}

uint64_t npt_generation(void)
{
	return __atomic_load_n(&generation, __ATOMIC_ACQUIRE);
}

static uint64_t *table_of(uint64_t entry)
{
	return (uint64_t *)(entry & PTE_ADDR_MASK);
}

/* With 1-GiB pages (CPUID.80000001H:EDX[26], which also governs nested paging:
 * APM Vol. 2 §15.25.1) the whole guest-physical space, else what the host map
 * has from the start (hv/idmap.h); the rest on first use (npt_map_on_demand). */
void npt_init(const struct cpu_features *f, uint64_t top)
{
	gib_pages = f->gib_pages;
	trap_bits = f->phys_addr_bits < 52 ? PTE_RSVD_TRAP : 0;

	idmap_init(&npt, f->phys_addr_bits, gib_pages, top);
	log_info("npt: identity map of %lu GiB with %s pages%s, MMIO traps %s",
		 (unsigned long)(npt.eager_end / GIB), gib_pages ? "1-GiB" : "2-MiB",
		 npt.eager_end < npt.phys_end ? ", the rest on first use" : "",
		 trap_bits ? "by reserved bit 51" : "by not-present entries");
}

/* Replaces a large leaf with a table of leaves one level down, same mapping. */
static bool split(uint64_t *entry, uint64_t child_size)
{
	uint64_t *t = pool_alloc_pages(1);
	if (!t)
		return false;
	uint64_t base = *entry & PTE_ADDR_MASK, flags = *entry & ~PTE_ADDR_MASK & ~PTE_PS;
	for (uint64_t i = 0; i < 512; i++)
		t[i] = (base + i * child_size) | flags | (child_size > KIB4 ? PTE_PS : 0);
	*entry = (uint64_t)t | PTE_TABLE;
	return true;
}

/* The 4-KiB leaf for gpa, mapping its GiB and splitting large pages on the way;
 * NULL when out of memory or gpa lies beyond the physical address space. */
static uint64_t *leaf_4k(uint64_t gpa)
{
	if (!idmap_map_locked(&npt, gpa))
		return NULL;
	uint64_t *e = &table_of(npt.pml4[(gpa >> 39) & 511])[(gpa >> 30) & 511];
	if ((*e & PTE_PS) && !split(e, MIB2))
		return NULL;
	e = &table_of(*e)[(gpa >> 21) & 511];
	if ((*e & PTE_PS) && !split(e, KIB4))
		return NULL;
	return &table_of(*e)[(gpa >> 12) & 511];
}

static int set_range(uint64_t gpa, uint64_t size, uint64_t (*make)(uint64_t gpa))
{
	uint64_t flags = irq_save();
	int rc = 0;
	spin_lock(&npt.lock);
	for (uint64_t a = gpa & ~(KIB4 - 1); a < gpa + size; a += KIB4) {
		uint64_t *leaf = leaf_4k(a);
		if (!leaf) {
			rc = -1;
			break;
		}
		__atomic_store_n(leaf, make(a), __ATOMIC_RELEASE);
	}
	__atomic_add_fetch(&generation, 1, __ATOMIC_ACQ_REL);
	spin_unlock(&npt.lock);
	irq_restore(flags);
	return rc;
}

static uint64_t make_hidden(uint64_t gpa)
{
	return gpa | PTE_HIDDEN; /* not present */
}

static uint64_t make_trap(uint64_t gpa)
{
	return trap_bits ? gpa | PTE_LEAF | trap_bits : gpa;
}

static uint64_t make_plain(uint64_t gpa)
{
	return gpa | PTE_LEAF;
}

void npt_hide(uint64_t gpa, uint64_t size)
{
	if (set_range(gpa, size, make_hidden))
		panic("npt: cannot hide 0x%lx+0x%lx", (unsigned long)gpa, (unsigned long)size);
}

int npt_set_trap(uint64_t gpa, uint64_t size, bool trap)
{
	return set_range(gpa, size, trap ? make_trap : make_plain);
}

bool npt_is_hidden(uint64_t gpa)
{
	uint64_t e = idmap_entry(&npt, gpa);
	return !(e & PTE_P) && (e & PTE_HIDDEN);
}

bool npt_map_on_demand(uint64_t gpa)
{
	if (gpa < npt.eager_end || !idmap_map(&npt, gpa))
		return false;
	/* Mapped now, by this CPU or another: the guest runs the access again,
	 * unless it faulted on a trap (a configured MMIO range up there). */
	uint64_t e = idmap_entry(&npt, gpa);
	return (e & PTE_P) && !(e & trap_bits);
}
