/* EPT (SDM Vol. 3C §29.3): a 4-level identity map. Entries: bits 2:0 read, write,
 * execute; leaves bits 5:3 memory type, bit 6 ignore PAT (kept 0, so the guest's
 * PAT combines with the EPT type as on bare metal, §29.3.7), bit 7 large page in
 * PDPTEs (1 GiB) and PDEs (2 MiB).
 *
 * The memory type of every leaf comes from the MTRRs (vmx/mtrr.c): with EPT on
 * the CPU uses the EPT type instead of the MTRRs, so a map that said WB
 * everywhere would make device memory cacheable (docs/real-hardware.md).
 * A large page is used only where the MTRRs give its whole range one type.
 *
 * MMIO traps are 4-KiB leaves with W=1, R=0: any access to them is an EPT
 * misconfiguration (§29.3.3.1), which reports the guest-physical address
 * (exit 49). The hypervisor's memory is not present (EPT violation, exit 48). */
#include "vmx/ept.h"
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/idmap.h"
#include "hv/panic.h"
#include "hv/pool.h"
#include "hv/spinlock.h"
#include "vmx/mtrr.h"
#include "vmx/vmcs_fields.h"
#include "vmx/vmx.h"

#define GIB (1ull << 30)
#define MIB2 (1ull << 21)
#define KIB4 (1ull << 12)
#define EPT_TABLE EPT_RWX
#define EPT_TRAP EPT_W /* write-only: a misconfiguration */

static uint64_t eptp;
static uint64_t generation;
static unsigned counts[3]; /* leaves built: 1 GiB, 2 MiB, 4 KiB */
static struct mtrr_state mtrrs;

uint64_t ept_pointer(void)
{
	return eptp;
}

uint64_t ept_generation(void)
{
	return __atomic_load_n(&generation, __ATOMIC_ACQUIRE);
}

static uint64_t *table_of(uint64_t entry)
{
	return (uint64_t *)(entry & EPT_ADDR_MASK);
}

static uint64_t leaf(uint64_t gpa, int type, bool large)
{
	return gpa | EPT_RWX | (uint64_t)type << EPT_MT_SHIFT | (large ? EPT_LARGE : 0);
}

/* A table of 4-KiB leaves for the 2-MiB range at base; 0 out of memory. */
static uint64_t build_pt(uint64_t base)
{
	uint64_t *pt = pool_alloc_pages(1);
	if (!pt)
		return 0;
	for (uint64_t i = 0; i < 512; i++)
		pt[i] = leaf(base + i * KIB4, mtrr_type(&mtrrs, base + i * KIB4, KIB4), false);
	counts[2] += 512;
	return (uint64_t)pt | EPT_TABLE;
}

static uint64_t build_pd(uint64_t base)
{
	uint64_t *pd = pool_alloc_pages(1);
	if (!pd)
		return 0;
	for (uint64_t i = 0; i < 512; i++) {
		uint64_t a = base + i * MIB2;
		int t = mtrr_type(&mtrrs, a, MIB2);
		if (t >= 0) {
			pd[i] = leaf(a, t, true);
			counts[1]++;
		} else if (!(pd[i] = build_pt(a))) {
			return 0; /* the pages taken so far stay with the pool's user */
		}
	}
	return (uint64_t)pd | EPT_TABLE;
}

static bool gib_pages;

static uint64_t ept_gib(uint64_t g)
{
	int t = gib_pages ? mtrr_type(&mtrrs, g * GIB, GIB) : -1;
	if (t < 0)
		return build_pd(g * GIB);
	counts[0]++;
	return leaf(g * GIB, t, true);
}

/* Its lock also guards the leaves below (set_range). */
static struct idmap ept = {
	.name = "ept", .present = EPT_RWX, .table_flags = EPT_TABLE, .make_gib = ept_gib,
	.lock = SPINLOCK_INIT,
};

void ept_init(const struct cpu_features *f, uint64_t top)
{
	unsigned phys_bits = f->phys_addr_bits ? f->phys_addr_bits : 36;
	mtrr_read(&mtrrs, phys_bits);

	/* Like the host map (hv/host.c): the whole physical address space with
	 * 1-GiB pages, else [0, top) and at least the 4 GiB of 32-bit MMIO; the
	 * rest on first use (ept_map_on_demand). */
	gib_pages = f->vmx_ept_1g;
	idmap_init(&ept, phys_bits, gib_pages, top);
	/* EPTP (§25.6.11): bits 2:0 the paging-structure memory type, bits 5:3
	 * the walk length minus one; A/D flags off. */
	eptp = (uint64_t)ept.pml4 | EPTP_WALK_LENGTH_4 | (f->vmx_ept_wb ? MT_WB : MT_UC);
	log_info("ept: identity map of %lu GiB (%u 1-GiB, %u 2-MiB, %u 4-KiB pages)%s, "
		 "memory types from the MTRRs, MMIO traps by misconfiguration",
		 (unsigned long)(ept.eager_end / GIB), counts[0], counts[1], counts[2],
		 ept.eager_end < ept.phys_end ? ", the rest on first use" : "");
}

/* Replaces a large leaf with a table of leaves one level down, the same
 * mapping, memory type and permissions. */
static bool split(uint64_t *entry, uint64_t child_size)
{
	uint64_t *t = pool_alloc_pages(1);
	if (!t)
		return false;
	uint64_t base = *entry & EPT_ADDR_MASK, flags = *entry & ~EPT_ADDR_MASK & ~EPT_LARGE;
	for (uint64_t i = 0; i < 512; i++)
		t[i] = (base + i * child_size) | flags | (child_size > KIB4 ? EPT_LARGE : 0);
	__atomic_store_n(entry, (uint64_t)t | EPT_TABLE, __ATOMIC_RELEASE);
	return true;
}

/* The 4-KiB leaf for gpa, mapping its GiB and splitting large pages on the way;
 * NULL when out of memory or gpa lies beyond the physical address space. */
static uint64_t *leaf_4k(uint64_t gpa)
{
	if (!idmap_map_locked(&ept, gpa))
		return NULL;
	uint64_t *e = &table_of(ept.pml4[(gpa >> 39) & 511])[(gpa >> 30) & 511];
	if ((*e & EPT_LARGE) && !split(e, MIB2))
		return NULL;
	e = &table_of(*e)[(gpa >> 21) & 511];
	if ((*e & EPT_LARGE) && !split(e, KIB4))
		return NULL;
	return &table_of(*e)[(gpa >> 12) & 511];
}

static int set_range(uint64_t gpa, uint64_t size, uint64_t (*make)(uint64_t gpa))
{
	uint64_t flags = irq_save();
	int rc = 0;
	spin_lock(&ept.lock);
	for (uint64_t a = gpa & ~(KIB4 - 1); a < gpa + size; a += KIB4) {
		uint64_t *e = leaf_4k(a);
		if (!e) {
			rc = -1;
			break;
		}
		__atomic_store_n(e, make(a), __ATOMIC_RELEASE);
	}
	__atomic_add_fetch(&generation, 1, __ATOMIC_ACQ_REL);
	spin_unlock(&ept.lock);
	irq_restore(flags);
	return rc;
}

static uint64_t make_hidden(uint64_t gpa)
{
	(void)gpa;
	return 0; /* not present */
}

static uint64_t make_trap(uint64_t gpa)
{
	return gpa | EPT_TRAP;
}

static uint64_t make_plain(uint64_t gpa)
{
	return leaf(gpa, mtrr_type(&mtrrs, gpa, KIB4), false);
}

void ept_hide(uint64_t gpa, uint64_t size)
{
	if (set_range(gpa, size, make_hidden))
		panic("ept: cannot hide 0x%lx+0x%lx", (unsigned long)gpa, (unsigned long)size);
}

int ept_set_trap(uint64_t gpa, uint64_t size, bool trap)
{
	return set_range(gpa, size, trap ? make_trap : make_plain);
}

bool ept_map_on_demand(uint64_t gpa)
{
	if (gpa < ept.eager_end || !idmap_map(&ept, gpa))
		return false;
	/* Mapped now, by this CPU or another: the guest runs the access again,
	 * unless it met a trap (write-only) or hidden page (not present). */
	return (idmap_entry(&ept, gpa) & EPT_RWX) == EPT_RWX;
}

/* INVEPT (Vol. 3C §29.4.3.1): drops the guest-physical and combined mappings
 * derived from this EPTP (single context), or from all (all context). */
void ept_invalidate(void)
{
	struct {
		uint64_t eptp, reserved;
	} desc = { eptp, 0 };
	uint64_t type = (vmx_cfg.ept_vpid_cap & EPT_CAP_INVEPT_SINGLE) ? INVEPT_SINGLE_CONTEXT
									 : INVEPT_ALL_CONTEXT;
	if (!(vmx_cfg.ept_vpid_cap & EPT_CAP_INVEPT))
		return;
	__asm__ volatile("invept %0, %1" ::"m"(desc), "r"(type) : "cc", "memory");
}
