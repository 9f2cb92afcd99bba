/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/fetch64.c - fetch the instruction at RIP in 64-bit mode for the
 * MMIO fast path (SDM Vol. 3A §4.5 4-level and 5-level paging).
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
	const struct ram_check c = {
		.lo0 = ops->lo[0], .len0 = ops->hi[0] - ops->lo[0],
		.lo1 = ops->lo[1], .len1 = ops->hi[1] - ops->lo[1],
		.end = ops->end, .ops = ops,
	};
	uint64_t la = r->rip, table = cs->cr3 & X86_PTE_ADDR_MASK, rsvd, e, gpa, mask;
	uint64_t cr4 = cs->cr4, efer = cs->efer;
	unsigned va_bits = (cr4 & X86_CR4_LA57) ? 57 : 48, shift, level = 0;
	uint64_t user = X86_PTE_US, xd = 0;
	struct x86_fetch_walk scratch;
	if (!walk)
		walk = &scratch;

	/* 64-bit mode: IA-32e mode with CS.L (SDM Vol. 3A §2.2). */
	if (!(efer & X86_EFER_LMA) || !(cs->cs_attr & X86_SEG_L))
		return 0;
	/* A non-canonical RIP is #GP (Vol. 1 §3.3.7.1). */
	if ((uint64_t)((int64_t)(la << (64 - va_bits)) >> (64 - va_bits)) != la)
		return 0;
	/* Reserved in every entry: bits MAXPHYADDR..51, and XD without NXE
	 * (§4.5.4, Table 4-20). */
	rsvd = X86_PTE_ADDR_MASK & ~((1ull << (ops->phys_bits ? ops->phys_bits : 52)) - 1);
	if (!(efer & X86_EFER_NXE))
		rsvd |= X86_PTE_XD;
	/* 12 + 9 bits per level: the top level indexes with bits 56:48 or
	 * 47:39. */
	for (shift = va_bits - 9;; shift -= 9) {
		uint64_t ea = table + ((la >> shift) & 0x1ff) * 8;

		if (!is_ram(&c, ea))
			return 0;
		e = *(const volatile uint64_t *)(ops->ram + (uintptr_t)ea);
		if (!(e & X86_PTE_P) || (e & rsvd))
			return 0;
		walk->addr[level] = ea;
		walk->entry[level++] = e;
		/* A user page only if every level says so; XD at any level
		 * (§4.6.1). */
		user &= e;
		xd |= e;
		if (shift == 12)
			break;
		if (e & X86_PTE_PS) {
			/* PS is reserved in PML5Es and PML4Es; in a 1 GiB or
			 * 2 MiB leaf, bits 13..shift-1 are (bit 12 is PAT). */
			if (shift > 30 || (e & ((1ull << shift) - 1) & ~0x1fffull))
				return 0;
			break;
		}
		table = e & X86_PTE_ADDR_MASK;
	}
	/* Without NXE an XD bit was reserved above. */
	if (xd & X86_PTE_XD)
		return 0;
	/* User code runs only from user pages; supervisor code not from user
	 * pages with CR4.SMEP (§4.6.1). */
	if (r->cpl == 3 ? !user : user && (cr4 & X86_CR4_SMEP))
		return 0;
	mask = (1ull << shift) - 1;
	gpa = (e & X86_PTE_ADDR_MASK & ~mask) | (la & mask);

	if (!is_ram(&c, gpa))
		return 0;
	walk->levels = level;
	walk->page = gpa & ~(uint64_t)(PAGE_SIZE_4K - 1);
	return x86_fetch64_copy(ops->ram, gpa, buf);
}
