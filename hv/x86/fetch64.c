/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/fetch64.c - fetch the instruction at RIP in 64-bit mode for the
 * MMIO fast path (SDM Vol. 3A §4.5 4-level and 5-level paging), and check
 * the data access it decoded with the same walk.
 */
#include "fetch64.h"
#include "hv/x86/arch.h"

/* Guest RAM the walk may read: the windows from ops, in locals so the
 * compiler keeps them in registers across the is_ram calls. */
struct ram_check {
	uint64_t lo0, len0, lo1, len1, end;
	const struct x86_fetch_ops *ops;
};

static bool is_ram(const struct ram_check *c, uint64_t gpa)
{
	if (gpa < c->end && gpa - c->lo0 >= c->len0 && gpa - c->lo1 >= c->len1)
		return true;
	return c->ops->is_ram(c->ops->ctx, gpa);
}

static struct ram_check ram_check_of(const struct x86_fetch_ops *ops)
{
	return (struct ram_check){
		.lo0 = ops->lo[0], .len0 = ops->hi[0] - ops->lo[0],
		.lo1 = ops->lo[1], .len1 = ops->hi[1] - ops->lo[1],
		.end = ops->end, .ops = ops,
	};
}

/* 64-bit mode: IA-32e mode with CS.L (SDM Vol. 3A §2.2). */
static bool long64(const struct x86_code_state *cs)
{
	return (cs->efer & X86_EFER_LMA) && (cs->cs_attr & X86_SEG_L);
}

/* What a walk found: the guest-physical address and the rights accumulated
 * over the levels (SDM Vol. 3A §4.6.1: a user page only if every level says
 * so, writable only if every level does, XD if any level has it). */
struct walk64 {
	uint64_t gpa;
	bool user, writable, xd;
};

/* Walks la through the guest's 4- or 5-level tables as the CPU does, noting
 * the entries it read in rec (if any). False when the CPU would fault on the
 * walk itself (not present, reserved bit, XD without NXE), when la is not
 * canonical, or when an entry is not in RAM. */
static inline bool walk64(const struct ram_check *c, const struct x86_code_state *cs,
			  uint64_t la, struct walk64 *w, struct x86_fetch_walk *rec)
{
	uint64_t table = cs->cr3 & X86_PTE_ADDR_MASK, rsvd, e, mask;
	unsigned va_bits = (cs->cr4 & X86_CR4_LA57) ? 57 : 48, shift, level = 0;
	uint64_t user = X86_PTE_US, writable = X86_PTE_RW, xd = 0;
	unsigned phys_bits = c->ops->phys_bits;

	/* A non-canonical address is #GP (Vol. 1 §3.3.7.1). */
	if ((uint64_t)((int64_t)(la << (64 - va_bits)) >> (64 - va_bits)) != la)
		return false;
	/* Reserved in every entry: bits MAXPHYADDR..51, and XD without NXE
	 * (§4.5.4, Table 4-20). */
	rsvd = X86_PTE_ADDR_MASK & ~((1ull << (phys_bits ? phys_bits : 52)) - 1);
	if (!(cs->efer & X86_EFER_NXE))
		rsvd |= X86_PTE_XD;
	/* 12 + 9 bits per level: the top level indexes with bits 56:48 or
	 * 47:39. */
	for (shift = va_bits - 9;; shift -= 9) {
		uint64_t ea = table + ((la >> shift) & 0x1ff) * 8;

		if (!is_ram(c, ea))
			return false;
		e = *(const volatile uint64_t *)(c->ops->ram + (uintptr_t)ea);
		if (!(e & X86_PTE_P) || (e & rsvd))
			return false;
		if (rec) {
			rec->addr[level] = ea;
			rec->entry[level] = e;
		}
		level++;
		user &= e;
		writable &= e;
		xd |= e;
		if (shift == 12)
			break;
		if (e & X86_PTE_PS) {
			/* PS is reserved in PML5Es and PML4Es; in a 1 GiB or
			 * 2 MiB leaf, bits 13..shift-1 are (bit 12 is PAT). */
			if (shift > 30 || (e & ((1ull << shift) - 1) & ~0x1fffull))
				return false;
			break;
		}
		table = e & X86_PTE_ADDR_MASK;
	}
	mask = (1ull << shift) - 1;
	w->gpa = (e & X86_PTE_ADDR_MASK & ~mask) | (la & mask);
	w->user = user;
	w->writable = writable;
	w->xd = xd & X86_PTE_XD;
	if (rec) {
		rec->levels = level;
		rec->page = w->gpa & ~(uint64_t)(PAGE_SIZE_4K - 1);
	}
	return true;
}

unsigned x86_fetch64_copy(uintptr_t ram, uint64_t gpa, uint8_t buf[X86_FETCH64_BUF])
{
	const uint8_t *code = (const uint8_t *)(ram + (uintptr_t)gpa);
	unsigned n = PAGE_SIZE_4K - (unsigned)(gpa & (PAGE_SIZE_4K - 1));
	if (n >= X86_FETCH64_BUF) {
		/* Two 8-byte loads. */
		__builtin_memcpy(buf, code, 8);
		__builtin_memcpy(buf + 8, code + 8, 8);
		return X86_FETCH64_BUF;
	}
	for (unsigned i = 0; i < n; i++)
		buf[i] = code[i];
	return n;
}

unsigned x86_fetch64(const struct x86_regs *r, const struct x86_code_state *cs,
		     const struct x86_fetch_ops *ops,
		     uint8_t buf[X86_FETCH64_BUF])
{
	return x86_fetch64_walk(r, cs, ops, buf, NULL);
}

unsigned x86_fetch64_walk(const struct x86_regs *r, const struct x86_code_state *cs,
			  const struct x86_fetch_ops *ops, uint8_t buf[X86_FETCH64_BUF],
			  struct x86_fetch_walk *walk)
{
	const struct ram_check c = ram_check_of(ops);
	struct walk64 w;

	/* Without NXE an XD bit was reserved in the walk. */
	if (!long64(cs) || !walk64(&c, cs, r->rip, &w, walk) || w.xd)
		return 0;
	/* User code runs only from user pages; supervisor code not from user
	 * pages with CR4.SMEP (§4.6.1). */
	if (r->cpl == 3 ? !w.user : w.user && (cs->cr4 & X86_CR4_SMEP))
		return 0;
	if (!is_ram(&c, w.gpa))
		return 0;
	return x86_fetch64_copy(ops->ram, w.gpa, buf);
}

bool x86_data64_allowed(const struct x86_regs *r, const struct x86_code_state *cs,
			const struct x86_fetch_ops *ops, uint64_t la, bool write, uint64_t gpa)
{
	return x86_data64_allowed_walk(r, cs, ops, la, write, gpa, NULL);
}

bool x86_data64_allowed_walk(const struct x86_regs *r, const struct x86_code_state *cs,
			     const struct x86_fetch_ops *ops, uint64_t la, bool write,
			     uint64_t gpa, struct x86_fetch_walk *walk)
{
	const struct ram_check c = ram_check_of(ops);
	struct walk64 w;

	if (!long64(cs) || !walk64(&c, cs, la, &w, walk) || w.gpa != gpa)
		return false;
	/* Protection keys depend on PKRU or IA32_PKRS, which this walk does not
	 * read (§4.6.2): left to the full emulator. */
	if ((w.user && (cs->cr4 & X86_CR4_PKE)) || (!w.user && (cs->cr4 & X86_CR4_PKS)))
		return false;
	if (r->cpl == 3) {
		/* User accesses: user pages only, writes to writable ones. */
		return w.user && (!write || w.writable);
	}
	/* Supervisor accesses to user pages with SMAP need RFLAGS.AC; writes
	 * need a writable page when CR0.WP is set (§4.6.1). */
	if (w.user && (cs->cr4 & X86_CR4_SMAP) && !(r->rflags & X86_RFLAGS_AC))
		return false;
	return !write || w.writable || !(cs->cr0 & X86_CR0_WP);
}
