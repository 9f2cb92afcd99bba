/* SPDX-License-Identifier: GPL-2.0-only */
/* A driver's MMIO accesses repeat: a polling loop reads one register from one
 * instruction, an accessor writes the same one again. Each vCPU remembers the
 * last access the fast path made (hv/exit/mmio_fast.c) with every input of its
 * checks, and an exit that is the same access again is let through on those
 * inputs alone:
 *   - the exit's RIP and guest-physical address, the control registers, EFER,
 *     CS.L, CPL and RFLAGS.AC (whole registers, for brevity), and the nested
 *     map's generation: what both walks and their checks read besides the
 *     paging entries (hv/exit/code_page.c says why the generation covers what
 *     the walks asked of guest RAM);
 *   - the paging entries both walks read, read again: the same values at the
 *     same addresses reach the same pages with the same checks (SDM Vol. 3A
 *     §4.5);
 *   - the 16 bytes at RIP, read again from where the walk found them and
 *     compared: a rewritten instruction is decoded afresh, never replayed;
 *   - the operand's linear address, computed again from the registers: the
 *     same address in the same page as before, so the access still fits its
 *     page and lands on the exit's address.
 * Only accesses that passed every check are remembered, so a match needs
 * nothing else of them. Only this CPU touches its entry. */
#include "hv/exit/mmio_last.h"
#include "hv/exit/code_page.h"
#include "hv/mem/nested_map.h"
#include "hv/percpu.h"
#include "hv/x86/arch.h"

struct mmio_last {
	bool valid, user, ac;
	uint64_t rip, gpa, la, generation;
	struct x86_code_state cs;
	uint64_t bytes[2];
	uint64_t code_gpa;
	struct x86_fast_mov m;
	struct x86_fetch_walk code_walk, data_walk;
} __attribute__((aligned(64)));
static struct mmio_last last[HV_MAX_CPUS];

static bool same_state(const struct x86_code_state *a, const struct x86_code_state *b)
{
	return a->cr0 == b->cr0 && a->cr3 == b->cr3 && a->cr4 == b->cr4 && a->efer == b->efer &&
	       (a->cs_attr & X86_SEG_L) == (b->cs_attr & X86_SEG_L);
}

static bool same_bytes(const struct mmio_last *l)
{
	const volatile uint64_t *code = (const volatile uint64_t *)(uintptr_t)l->code_gpa;
	return code[0] == l->bytes[0] && code[1] == l->bytes[1];
}

const struct x86_fast_mov *mmio_last_match(struct vcpu *v, const struct x86_code_state *cs,
					   uint64_t gpa, uint64_t *la)
{
	const struct x86_regs *r = &v->regs;
	struct mmio_last *l = &last[v->index];

	if (!l->valid || l->rip != r->rip || l->gpa != gpa || l->user != (r->cpl == 3) ||
	    l->ac != !!(r->rflags & X86_RFLAGS_AC) || !same_state(&l->cs, cs) ||
	    l->generation != guest_map_generation() || !code_walk_current(&l->code_walk) ||
	    !code_walk_current(&l->data_walk) || !same_bytes(l))
		return NULL;
	*la = x86_fast_mov_address(r, &l->m);
	return *la == l->la ? &l->m : NULL;
}

void mmio_last_record(struct vcpu *v, const struct x86_code_state *cs, uint64_t gpa,
		      const struct mmio_access *a)
{
	const struct x86_regs *r = &v->regs;
	struct mmio_last *l = &last[v->index];

	*l = (struct mmio_last){
		.valid = true,
		.user = r->cpl == 3,
		.ac = !!(r->rflags & X86_RFLAGS_AC),
		.rip = r->rip,
		.gpa = gpa,
		.la = a->la,
		.generation = a->generation,
		.cs = *cs,
		.code_gpa = a->code_gpa,
		.m = *a->m,
		.code_walk = *a->code_walk,
		.data_walk = *a->data_walk,
	};
	__builtin_memcpy(l->bytes, a->code, sizeof(l->bytes));
}
