/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/pagewalk.c - the guest page-table walker (SDM Vol. 3A chapter 4,
 * AMD APM Vol. 2 chapter 5).
 */
#include "pagewalk.h"
#include "hv/x86/arch.h"

#define MAX_LEVELS 5

struct walk {
	const struct x86_regs *r;
	const struct x86_ops *ops;
	struct x86_result *res;
	uint64_t la;
	unsigned access;
	unsigned phys_bits;
	/* Rights accumulated over the walk (SDM Vol. 3A §4.6.1): a page is a
	 * user page only if every level allows user mode, writable only if
	 * every level allows writes, and non-executable if any level has XD. */
	bool user_page;
	bool writable;
	bool no_exec;
	/* Entries used, for the accessed/dirty update. */
	uint64_t entry_gpa[MAX_LEVELS];
	uint64_t entry_val[MAX_LEVELS];
	bool entry_has_a[MAX_LEVELS];
	unsigned n_entries;
	unsigned entry_size;
};

/* Bits lo..hi (inclusive) set; empty if lo > hi. */
static uint64_t bit_range(unsigned lo, unsigned hi)
{
	if (lo > hi)
		return 0;
	return (~0ull >> (63 - hi)) & (~0ull << lo);
}

static enum x86_status page_fault(struct walk *w, uint32_t ec)
{
	enum x86_paging_mode pm = x86_paging_mode(w->r);

	if (w->access & X86_ACC_WRITE)
		ec |= X86_PFEC_W;
	if (w->r->cpl == 3)
		ec |= X86_PFEC_U;
	/* I/D is reported only if SMEP is on, or with PAE/4-level/5-level
	 * paging and EFER.NXE (SDM Vol. 3A §4.7). */
	if ((w->access & X86_ACC_FETCH) &&
	    ((w->r->cr4 & X86_CR4_SMEP) ||
	     (pm != X86_PAGING_32 && (w->r->efer & X86_EFER_NXE))))
		ec |= X86_PFEC_I;
	return x86_raise(w->res, X86_EXC_PF, true, ec, w->la);
}

static enum x86_status read_entry(struct walk *w, uint64_t gpa, bool has_a,
				  uint64_t *val)
{
	uint64_t v = 0;
	int rc = w->ops->read_gpa(w->ops->ctx, gpa, &v, w->entry_size);

	if (rc)
		return x86_callback_failed(w->res, rc);
	if (w->entry_size == 4)
		v &= 0xffffffffull;
	*val = v;
	w->entry_gpa[w->n_entries] = gpa;
	w->entry_val[w->n_entries] = v;
	w->entry_has_a[w->n_entries] = has_a;
	w->n_entries++;
	return X86_OK;
}

static void accumulate_rights(struct walk *w, uint64_t e)
{
	if (!(e & X86_PTE_US))
		w->user_page = false;
	if (!(e & X86_PTE_RW))
		w->writable = false;
	if ((w->r->efer & X86_EFER_NXE) && (e & X86_PTE_XD))
		w->no_exec = true;
}

/* Access-rights check on the completed translation (SDM Vol. 3A §4.6.1). */
static bool access_allowed(const struct walk *w)
{
	const struct x86_regs *r = w->r;
	bool user = r->cpl == 3;
	bool smap_blocks = !user && w->user_page && (r->cr4 & X86_CR4_SMAP) &&
			   !(r->rflags & X86_RFLAGS_AC);

	if (w->access & X86_ACC_FETCH) {
		if (w->no_exec)
			return false;
		if (user)
			return w->user_page;
		return !(w->user_page && (r->cr4 & X86_CR4_SMEP));
	}
	if (user)
		return w->user_page && (!(w->access & X86_ACC_WRITE) || w->writable);
	if (smap_blocks)
		return false;
	if ((w->access & X86_ACC_WRITE) && !w->writable &&
	    (r->cr0 & X86_CR0_WP))
		return false;
	return true;
}

/* Set accessed flags on every entry used and the dirty flag on the leaf of a
 * write (SDM Vol. 3A §4.8), if the backend lets us. */
static enum x86_status set_accessed_dirty(struct walk *w)
{
	const struct x86_ops *ops = w->ops;

	if (!ops->pte_set_bits)
		return X86_OK;
	for (unsigned i = 0; i < w->n_entries; i++) {
		uint64_t bits = 0;
		bool leaf = i == w->n_entries - 1;

		if (!w->entry_has_a[i])
			continue;
		if (!(w->entry_val[i] & X86_PTE_A))
			bits |= X86_PTE_A;
		if (leaf && (w->access & X86_ACC_WRITE) &&
		    !(w->entry_val[i] & X86_PTE_D))
			bits |= X86_PTE_D;
		if (bits) {
			int rc = ops->pte_set_bits(ops->ctx, w->entry_gpa[i],
						   bits, w->entry_size);
			if (rc)
				return x86_callback_failed(w->res, rc);
		}
	}
	return X86_OK;
}

/* 32-bit paging (SDM Vol. 3A §4.3). */
static enum x86_status walk_32(struct walk *w, uint64_t *gpa)
{
	uint64_t e, table = w->r->cr3 & 0xfffff000ull;
	enum x86_status st;

	w->entry_size = 4;
	st = read_entry(w, table + ((w->la >> 22) & 0x3ff) * 4, true, &e);
	if (st)
		return st;
	if (!(e & X86_PTE_P))
		return page_fault(w, 0);
	accumulate_rights(w, e);
	if ((e & X86_PTE_PS) && (w->r->cr4 & X86_CR4_PSE)) {
		/* 4 MiB page (Table 4-5): PDE bits 20:13 hold physical bits
		 * 39:32 (PSE-36); bit 21 and the bits above MAXPHYADDR (capped
		 * at 40) are reserved. */
		unsigned m = w->phys_bits < 40 ? w->phys_bits : 40;
		uint64_t rsvd = bit_range(m - 19, 21);

		if (e & rsvd)
			return page_fault(w, X86_PFEC_P | X86_PFEC_RSVD);
		*gpa = (e & 0xffc00000ull) | (((e >> 13) & 0xffull) << 32) |
		       (w->la & 0x3fffffull);
		return X86_OK;
	}
	table = e & 0xfffff000ull;
	st = read_entry(w, table + ((w->la >> 12) & 0x3ff) * 4, true, &e);
	if (st)
		return st;
	if (!(e & X86_PTE_P))
		return page_fault(w, 0);
	accumulate_rights(w, e);
	*gpa = (e & 0xfffff000ull) | (w->la & 0xfffull);
	return X86_OK;
}

/*
 * The 8-byte-entry levels shared by PAE (levels 2..1) and 4/5-level paging
 * (levels 4|5..1). Level 3 is the PDPT, 2 the page directory, 1 the page
 * table. rsvd_addr holds the reserved address bits of this paging mode.
 */
static enum x86_status walk_levels(struct walk *w, uint64_t table, int top,
				   uint64_t rsvd_addr, uint64_t *gpa)
{
	bool nxe = w->r->efer & X86_EFER_NXE;

	for (int level = top; level >= 1; level--) {
		unsigned shift = 12 + 9 * (level - 1);
		uint64_t e, rsvd = rsvd_addr;
		bool leaf;
		enum x86_status st;

		st = read_entry(w, table + ((w->la >> shift) & 0x1ff) * 8,
				true, &e);
		if (st)
			return st;
		if (!(e & X86_PTE_P))
			return page_fault(w, 0);
		/* XD is reserved without EFER.NXE (§4.4.2, §4.5.4); PS is
		 * reserved in PML5/PML4 entries (Tables 4-14/4-15); the large
		 * page's frame must be aligned: bits 29:13 (1 GiB, Table
		 * 4-16) or 20:13 (2 MiB, Tables 4-9/4-18) are reserved. */
		if (!nxe)
			rsvd |= X86_PTE_XD;
		leaf = level == 1;
		if (level >= 4) {
			rsvd |= X86_PTE_PS;
		} else if (level >= 2 && (e & X86_PTE_PS)) {
			leaf = true;
			rsvd |= bit_range(13, shift - 1);
		}
		if (e & rsvd)
			return page_fault(w, X86_PFEC_P | X86_PFEC_RSVD);
		accumulate_rights(w, e);
		if (leaf) {
			uint64_t off = (1ull << shift) - 1;

			*gpa = (e & X86_PTE_ADDR_MASK & ~off) | (w->la & off);
			return X86_OK;
		}
		table = e & X86_PTE_ADDR_MASK;
	}
	return X86_OK; /* not reached: level 1 is always a leaf */
}

/* PAE paging (SDM Vol. 3A §4.4): four PDPTEs, then two 8-byte levels. */
static enum x86_status walk_pae(struct walk *w, uint64_t *gpa)
{
	unsigned idx = (w->la >> 30) & 3;
	uint64_t pdpte;
	/* PAE PDPTE (Table 4-8): bits 2:1, 8:5 and 63:M reserved. */
	uint64_t rsvd = 0x1e6ull | bit_range(w->phys_bits, 63);

	w->entry_size = 8;
	if (w->r->pdpte_valid) {
		pdpte = w->r->pdpte[idx];
	} else {
		/* CR3 bits 31:5 locate the PDPT (§4.4.1). */
		enum x86_status st = read_entry(
			w, (w->r->cr3 & 0xffffffe0ull) + idx * 8, false, &pdpte);
		if (st)
			return st;
	}
	if (!(pdpte & X86_PTE_P))
		return page_fault(w, 0);
	if (pdpte & rsvd)
		return page_fault(w, X86_PFEC_P | X86_PFEC_RSVD);
	/* PAE PDEs/PTEs reserve bits 62:M as well (Tables 4-9..4-11). */
	return walk_levels(w, pdpte & X86_PTE_ADDR_MASK, 2,
			   bit_range(w->phys_bits, 62), gpa);
}

enum x86_status x86_translate(const struct x86_regs *regs,
			      const struct x86_ops *ops, uint64_t la,
			      unsigned access, uint64_t *gpa,
			      struct x86_result *res)
{
	struct walk w = {
		.r = regs, .ops = ops, .res = res, .la = la, .access = access,
		.phys_bits = ops->phys_bits ? ops->phys_bits : 52,
		.user_page = true, .writable = true, .no_exec = false,
	};
	enum x86_paging_mode pm = x86_paging_mode(regs);
	enum x86_status st;

	switch (pm) {
	case X86_PAGING_NONE:
		/* Without paging, linear addresses are 32-bit physical
		 * addresses (SDM Vol. 3A §4.1.1). */
		*gpa = la & 0xffffffffull;
		return X86_OK;
	case X86_PAGING_32:
		w.la = la & 0xffffffffull;
		st = walk_32(&w, gpa);
		break;
	case X86_PAGING_PAE:
		w.la = la & 0xffffffffull;
		st = walk_pae(&w, gpa);
		break;
	default:
		/* 4/5-level: CR3 bits M-1:12 (§4.5.2); the PCID/flags in
		 * 11:0 and bits 63:52 are not part of the address. */
		w.entry_size = 8;
		st = walk_levels(&w, regs->cr3 & X86_PTE_ADDR_MASK,
				 pm == X86_PAGING_5LEVEL ? 5 : 4,
				 bit_range(w.phys_bits, 51), gpa);
		break;
	}
	if (st)
		return st;
	if (!access_allowed(&w))
		return page_fault(&w, X86_PFEC_P);
	return set_accessed_dirty(&w);
}
