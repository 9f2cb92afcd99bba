/* SPDX-License-Identifier: GPL-2.0-only */
/* A driver's MMIO accesses repeat: a polling loop reads one register from one
 * instruction, an accessor writes the same one again, an interrupt handler
 * ends with the same EOI after its own device's accesses (or the local
 * APIC's: a timer re-armed, an IPI sent). Each vCPU remembers the last few
 * accesses the fast path made (hv/exit/mmio_fast.c), one per instruction and
 * address, with every input of its checks, and an exit that is one of them
 * again is let through on those inputs alone:
 *   - the exit's RIP and guest-physical address, and the code key
 *     (hv/exit/code_key.h: the control registers, CS.L, the CPL class,
 *     RFLAGS.AC and the nested map's generation), what both walks and their
 *     checks read besides the paging entries;
 *   - the paging entries both walks read, read again: the same values at the
 *     same addresses reach the same pages with the same checks (SDM Vol. 3A
 *     §4.5);
 *   - the 16 bytes at RIP, read again from where the walk found them and
 *     compared: a rewritten instruction is decoded afresh, never replayed;
 *   - the operand's linear address, computed again from the registers: the
 *     same address in the same page as before, so the access still fits its
 *     page and lands on the exit's address.
 * Only accesses that passed every check are remembered, the page's place in
 * the trap map included (the generation covers it, hv/exit/mmio_fast.c), so
 * a match needs nothing else of them. Only this CPU touches its entries. */
#include "hv/exit/mmio_last.h"
#include "hv/exit/code_page.h"
#include "hv/percpu.h"

/* Accesses remembered per vCPU: an interrupt handler's EOI and the one or
 * two other accesses it makes each time, beside a polling loop's read. */
#define MMIO_LAST_WAYS 4

struct mmio_last {
	bool valid;
	uint64_t rip, gpa, la;
	struct code_key key;
	uint64_t bytes[2];
	uint64_t code_gpa;
	struct x86_fast_mov m;
	struct x86_fetch_walk code_walk, data_walk;
} __attribute__((aligned(64)));

struct mmio_last_cpu {
	struct mmio_last way[MMIO_LAST_WAYS];
	unsigned next; /* the way a new access replaces: round robin */
};
static struct mmio_last_cpu last[HV_MAX_CPUS];

static bool same_bytes(const struct mmio_last *l)
{
	const volatile uint64_t *code = (const volatile uint64_t *)(uintptr_t)l->code_gpa;
	return code[0] == l->bytes[0] && code[1] == l->bytes[1];
}

/* The way remembering the access at rip and gpa (one way per access), or
 * NULL. */
static struct mmio_last *find(struct mmio_last_cpu *c, uint64_t rip, uint64_t gpa)
{
	for (unsigned i = 0; i < MMIO_LAST_WAYS; i++) {
		struct mmio_last *l = &c->way[i];
		if (l->valid && l->rip == rip && l->gpa == gpa)
			return l;
	}
	return NULL;
}

const struct x86_fast_mov *mmio_last_match(struct vcpu *v, const struct code_key *k, uint64_t gpa,
					   uint64_t *la)
{
	const struct x86_regs *r = &v->regs;
	const struct mmio_last *l = find(&last[v->index], r->rip, gpa);

	if (!l || !code_key_same(&l->key, k) || !code_walk_current(&l->code_walk) ||
	    !code_walk_current(&l->data_walk) || !same_bytes(l))
		return NULL;
	*la = x86_fast_mov_address(r, &l->m);
	return *la == l->la ? &l->m : NULL;
}

void mmio_last_record(struct vcpu *v, const struct code_key *k, uint64_t gpa,
		      const struct mmio_access *a)
{
	const struct x86_regs *r = &v->regs;
	struct mmio_last_cpu *c = &last[v->index];
	struct mmio_last *l = find(c, r->rip, gpa);

	if (!l) { /* a new access: in the oldest way's place */
		l = &c->way[c->next];
		c->next = (c->next + 1) % MMIO_LAST_WAYS;
	}
	*l = (struct mmio_last){
		.valid = true,
		.rip = r->rip,
		.gpa = gpa,
		.la = a->la,
		.key = *k,
		.code_gpa = a->code_gpa,
		.m = *a->m,
		.code_walk = *a->code_walk,
		.data_walk = *a->data_walk,
	};
	__builtin_memcpy(l->bytes, a->code, sizeof(l->bytes));
}
