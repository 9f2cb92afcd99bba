/* SPDX-License-Identifier: GPL-2.0-only */
/* A driver's MMIO accesses come from a few code pages (one accessor, one
 * polling loop), so each vCPU keeps the walk of the last page it fetched from:
 * the linear page and everything the walk's checks depend on (CR3, CR4.LA57
 * and SMEP, EFER.LMA and NXE, CS.L, user or supervisor), the guest-physical
 * address and value of each paging entry it read, and the nested map's
 * generation. On the next exit from that page it reads those entries again: if
 * each still holds the same value, a fresh walk would read the same entries
 * and reach the same page with the same checks (SDM Vol. 3A §4.5), so the
 * bytes come from there at once. Anything else walks afresh.
 *
 * Re-reading the entries rather than waiting for the guest's TLB flushes keeps
 * it exact without intercepting MOV to CR3, INVLPG or INVPCID (nested paging
 * lets them run): the result is always the walk's over the tables as they are
 * now, as without the memory. The generation covers what the walk asked
 * is_ram about: a page trapped after the walk bumps it (hv/start.c changes
 * the emulator's trap map before the nested map; the memory is filled with the
 * generation read before the walk). */
#include "hv/exit/code_page.h"
#include "hv/host.h"
#include "hv/mem/guest_access.h"
#include "hv/mem/nested_map.h"
#include "hv/mem/trap_map.h"
#include "hv/percpu.h"
#include "hv/x86/arch.h"

struct code_page {
	bool valid;
	unsigned levels;
	uint64_t la_page, cr3, cr4, efer, generation;
	uint32_t cs_l;
	bool user;
	struct x86_fetch_walk walk;
} __attribute__((aligned(64)));
static struct code_page pages[HV_MAX_CPUS];

/* The same for the last data access the fast path let through: a polling
 * loop reads the same register from the same code, so the walk of its linear
 * page is kept with everything else its answer read (CR0.WP, CR4.SMAP, PKE
 * and PKS, EFER, CS.L, CPL, RFLAGS.AC, read or write), whole registers
 * compared for brevity, and re-read as the code page's is. Only "allowed" is
 * kept: anything else goes to the full emulator anyway. */
struct data_page {
	bool valid, write, user, ac;
	uint64_t la_page, gpa_page, cr0, cr3, cr4, efer, generation;
	uint32_t cs_l;
	struct x86_fetch_walk walk;
} __attribute__((aligned(64)));
static struct data_page data_pages[HV_MAX_CPUS];

/* What the walk's checks read besides the entries (hv/x86/fetch64.c). */
#define CR4_WALK_BITS (X86_CR4_LA57 | X86_CR4_SMEP)
#define EFER_WALK_BITS (X86_EFER_LMA | X86_EFER_NXE)

/* Paging entries and code are read from guest RAM only (identity-mapped in the
 * host): never from the hypervisor's hidden memory, nor from a trapped page,
 * whose host mapping may be a device. */
static bool is_ram(void *ctx, uint64_t gpa)
{
	(void)ctx;
	return !trap_map_is_special(gpa) && host_maps(gpa, 1);
}

/* Guest RAM as the walks see it. */
static struct x86_fetch_ops fetch_ops(void)
{
	struct x86_fetch_ops ops = { .phys_bits = guest_phys_bits(), .ram = 0,
				     .end = host_idmap.eager_end, .is_ram = is_ram };
	trap_map_windows(ops.lo, ops.hi);
	return ops;
}

static bool same_walk(const struct code_page *p, const struct vcpu *v,
		      const struct x86_code_state *cs, uint64_t generation)
{
	if (!p->valid || p->la_page != (v->regs.rip >> 12) || p->cr3 != cs->cr3 ||
	    p->cr4 != (cs->cr4 & CR4_WALK_BITS) || p->efer != (cs->efer & EFER_WALK_BITS) ||
	    p->cs_l != (cs->cs_attr & X86_SEG_L) || p->user != (v->regs.cpl == 3) ||
	    p->generation != generation)
		return false;
	return code_walk_current(&p->walk);
}

static bool same_data_walk(const struct data_page *p, const struct vcpu *v,
			   const struct x86_code_state *cs, uint64_t la, bool write, uint64_t gpa,
			   uint64_t generation)
{
	if (!p->valid || p->la_page != (la >> 12) || p->gpa_page != (gpa >> 12) ||
	    ((la ^ gpa) & (PAGE_SIZE_4K - 1)) ||
	    p->write != write || p->cr0 != cs->cr0 || p->cr3 != cs->cr3 || p->cr4 != cs->cr4 ||
	    p->efer != cs->efer || p->cs_l != (cs->cs_attr & X86_SEG_L) ||
	    p->user != (v->regs.cpl == 3) || p->ac != !!(v->regs.rflags & X86_RFLAGS_AC) ||
	    p->generation != generation)
		return false;
	return code_walk_current(&p->walk);
}

unsigned code_page_fetch(struct vcpu *v, const struct x86_code_state *cs,
			 uint8_t buf[X86_FETCH64_BUF])
{
	struct code_page *p = &pages[v->index];
	uint64_t generation = guest_map_generation();

	if (same_walk(p, v, cs, generation))
		return x86_fetch64_copy(0, p->walk.page | (v->regs.rip & (PAGE_SIZE_4K - 1)), buf);

	struct x86_fetch_ops ops = fetch_ops();
	p->valid = false;
	unsigned n = x86_fetch64_walk(&v->regs, cs, &ops, buf, &p->walk);
	if (!n)
		return 0;
	*p = (struct code_page){
		.valid = true,
		.la_page = v->regs.rip >> 12,
		.cr3 = cs->cr3,
		.cr4 = cs->cr4 & CR4_WALK_BITS,
		.efer = cs->efer & EFER_WALK_BITS,
		.generation = generation,
		.cs_l = cs->cs_attr & X86_SEG_L,
		.user = v->regs.cpl == 3,
		.walk = p->walk,
	};
	return n;
}

bool code_page_data_allowed(struct vcpu *v, const struct x86_code_state *cs, uint64_t la,
			    bool write, uint64_t gpa)
{
	struct data_page *p = &data_pages[v->index];
	uint64_t generation = guest_map_generation();

	if (same_data_walk(p, v, cs, la, write, gpa, generation))
		return true;
	struct x86_fetch_ops ops = fetch_ops();
	p->valid = false;
	if (!x86_data64_allowed_walk(&v->regs, cs, &ops, la, write, gpa, &p->walk))
		return false;
	*p = (struct data_page){
		.valid = true,
		.write = write,
		.user = v->regs.cpl == 3,
		.ac = !!(v->regs.rflags & X86_RFLAGS_AC),
		.la_page = la >> 12,
		.gpa_page = gpa >> 12,
		.cr0 = cs->cr0,
		.cr3 = cs->cr3,
		.cr4 = cs->cr4,
		.efer = cs->efer,
		.generation = generation,
		.cs_l = cs->cs_attr & X86_SEG_L,
		.walk = p->walk,
	};
	return true;
}

const struct x86_fetch_walk *code_page_walk(const struct vcpu *v)
{
	return &pages[v->index].walk;
}

const struct x86_fetch_walk *data_page_walk(const struct vcpu *v)
{
	return &data_pages[v->index].walk;
}
