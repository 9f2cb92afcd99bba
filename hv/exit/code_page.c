/* SPDX-License-Identifier: GPL-2.0-only */
/* A driver's MMIO accesses come from a few code pages (one accessor, one
 * polling loop), so each vCPU keeps the walk of the last page it fetched from:
 * the linear page, everything else the walk's checks depend on (its code
 * key, hv/exit/code_key.h: the control registers, CS.L, the CPL class and the
 * nested map's generation), and the guest-physical address and value of each
 * paging entry it read. On the next exit from that page it reads those
 * entries again: if each still holds the same value, a fresh walk would read
 * the same entries and reach the same page with the same checks (SDM Vol. 3A
 * §4.5), so the bytes come from there at once. Anything else walks afresh.
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
	uint64_t la_page;
	struct code_key key;
	struct x86_fetch_walk walk;
} __attribute__((aligned(64)));
static struct code_page pages[HV_MAX_CPUS];

/* The same for the last data access the fast path let through: a polling
 * loop reads the same register from the same code, so the walk of its linear
 * page is kept under the same key, with the access's kind (read or write),
 * and re-read as the code page's is. Only "allowed" is kept: anything else
 * goes to the full emulator anyway. */
struct data_page {
	bool valid, write;
	uint64_t la_page, gpa_page;
	struct code_key key;
	struct x86_fetch_walk walk;
} __attribute__((aligned(64)));
static struct data_page data_pages[HV_MAX_CPUS];

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

static bool same_walk(const struct code_page *p, const struct vcpu *v, const struct code_key *k)
{
	return p->valid && p->la_page == (v->regs.rip >> 12) && code_key_same(&p->key, k) &&
	       code_walk_current(&p->walk);
}

static bool same_data_walk(const struct data_page *p, const struct code_key *k, uint64_t la,
			   bool write, uint64_t gpa)
{
	return p->valid && p->la_page == (la >> 12) && p->gpa_page == (gpa >> 12) &&
	       !((la ^ gpa) & (PAGE_SIZE_4K - 1)) && p->write == write &&
	       code_key_same(&p->key, k) && code_walk_current(&p->walk);
}

unsigned code_page_fetch(struct vcpu *v, const struct x86_code_state *cs, const struct code_key *k,
			 uint8_t buf[X86_FETCH64_BUF])
{
	struct code_page *p = &pages[v->index];

	if (same_walk(p, v, k))
		return x86_fetch64_copy(0, p->walk.page | (v->regs.rip & (PAGE_SIZE_4K - 1)), buf);

	struct x86_fetch_ops ops = fetch_ops();
	p->valid = false;
	unsigned n = x86_fetch64_walk(&v->regs, cs, &ops, buf, &p->walk);
	if (!n)
		return 0;
	p->valid = true;
	p->la_page = v->regs.rip >> 12;
	p->key = *k;
	return n;
}

bool code_page_data_allowed(struct vcpu *v, const struct x86_code_state *cs,
			    const struct code_key *k, uint64_t la, bool write, uint64_t gpa)
{
	struct data_page *p = &data_pages[v->index];

	if (same_data_walk(p, k, la, write, gpa))
		return true;
	struct x86_fetch_ops ops = fetch_ops();
	p->valid = false;
	if (!x86_data64_allowed_walk(&v->regs, cs, &ops, la, write, gpa, &p->walk))
		return false;
	p->valid = true;
	p->write = write;
	p->la_page = la >> 12;
	p->gpa_page = gpa >> 12;
	p->key = *k;
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
