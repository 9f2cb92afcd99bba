/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/task_switch.c - a 32-bit hardware task switch (task_switch.h).
 */
#include "task_switch.h"
#include <stddef.h>
#include "descriptor.h"
#include "guest_mem.h"
#include "segment.h"

#define SEL_INDEX_MASK 0xFFF8u
#define SEL_TI 0x4u /* the selector names the LDT (SDM Vol. 3A §3.4.2) */
#define SEL_RPL 0x3u
/* EFLAGS bits a task switch loads; the others are reserved (SDM Vol. 1
 * §3.4.3, Figure 3-8): bits 3, 5, 15 and 31:22 read as 0, bit 1 as 1. */
#define EFLAGS_LOADABLE 0x3F7FD5ull

/* An error code naming a selector, with EXT (SDM Vol. 3A §6.13). */
static uint32_t sel_error(uint16_t sel, bool ext)
{
	return (sel & 0xFFFCu) | (ext ? 1u : 0u);
}

/* One resolved access to a system structure (TSS, GDT, LDT): implicit
 * supervisor accesses, whatever the CPL (SDM Vol. 3A §4.6). System
 * structures in trapped memory are not the CPU's to reach. */
static enum x86_status sys_resolve(const struct x86_regs *r, const struct x86_ops *ops, uint64_t la,
				   uint32_t len, bool write, struct x86_mem_ref *ref,
				   struct x86_result *res)
{
	struct x86_regs sv = *r;
	sv.cpl = 0;
	enum x86_status st = x86_mem_resolve(&sv, ops, la & 0xFFFFFFFFull, len,
					     write ? X86_ACC_WRITE : X86_ACC_READ, ref, res);
	if (st == X86_OK && x86_mem_any_mmio(ref))
		return X86_UNSUPPORTED;
	return st;
}

static enum x86_status sys_read(const struct x86_regs *r, const struct x86_ops *ops, uint64_t la,
				void *buf, uint32_t len, struct x86_result *res)
{
	struct x86_mem_ref ref;
	enum x86_status st = sys_resolve(r, ops, la, len, false, &ref, res);
	return st ? st : x86_mem_read(ops, &ref, 0, buf, len, res);
}

static enum x86_status sys_write(const struct x86_regs *r, const struct x86_ops *ops, uint64_t la,
				 const void *buf, uint32_t len, struct x86_result *res)
{
	struct x86_mem_ref ref;
	enum x86_status st = sys_resolve(r, ops, la, len, true, &ref, res);
	return st ? st : x86_mem_write(ops, &ref, 0, buf, len, res);
}

static unsigned desc_type(uint64_t d)
{
	return (d >> 40) & X86_SEG_TYPE_MASK;
}

static bool desc_system(uint64_t d)
{
	return !(d & (1ull << 44)); /* S clear (SDM Vol. 3A §3.4.5) */
}

static bool desc_present(uint64_t d)
{
	return d & (1ull << 47);
}

static unsigned desc_dpl(uint64_t d)
{
	return (d >> 45) & 3;
}

/* Where a TSS keeps what a switch saves and loads: 32-bit (types 9, 11) or
 * 16-bit (types 1, 3: 16-bit fields, no CR3, FS, GS or T flag). */
struct tss_format {
	uint32_t min_limit;
	uint8_t width; /* bytes of EIP, EFLAGS, each GPR, each selector slot */
	uint8_t eip, gprs, sregs, nsregs, ldt;
	uint8_t size;
};

static const struct tss_format tss32_format = {
	.min_limit = X86_TSS32_MIN_LIMIT,
	.width = 4,
	.eip = offsetof(struct tss32, eip),
	.gprs = offsetof(struct tss32, gpr),
	.sregs = offsetof(struct tss32, sreg),
	.nsregs = 6,
	.ldt = offsetof(struct tss32, ldt),
	.size = sizeof(struct tss32),
};
static const struct tss_format tss16_format = {
	.min_limit = X86_TSS16_MIN_LIMIT,
	.width = 2,
	.eip = offsetof(struct tss16, ip),
	.gprs = offsetof(struct tss16, gpr),
	.sregs = offsetof(struct tss16, sreg),
	.nsregs = 4,
	.ldt = offsetof(struct tss16, ldt),
	.size = sizeof(struct tss16),
};

static const struct tss_format *tss_format(unsigned type)
{
	return (type & X86_SEG_TYPE_TSS_32BIT) ? &tss32_format : &tss16_format;
}

/* A little-endian field of width bytes. */
static uint32_t field(const uint8_t *t, unsigned off, unsigned width)
{
	uint32_t v = 0;
	for (unsigned i = 0; i < width; i++)
		v |= (uint32_t)t[off + i] << (8 * i);
	return v;
}

static void put_field(uint8_t *t, unsigned off, unsigned width, uint32_t v)
{
	for (unsigned i = 0; i < width; i++)
		t[off + i] = (uint8_t)(v >> (8 * i));
}

/* ---- Before the switch: the new TSS descriptor (steps 1-2) ---- */

/* The checks of the pseudocode's TASK-GATE / TASK-STATE-SEGMENT / TASK-RETURN
 * paths (SDM Vol. 2A CALL, JMP, Vol. 2A INT n, IRET) on the new TSS, in their
 * order. A failed check is a fault in the old task. */
static enum x86_status check_new_tss(const struct x86_regs *r, const struct x86_task_sys *sys,
				     const struct x86_ops *ops, const struct x86_task_switch *ts,
				     uint64_t *desc, struct x86_result *res)
{
	bool iret = ts->source == X86_TASK_IRET;
	uint16_t sel = ts->selector;
	uint32_t ec = sel_error(sel, ts->ext);
	/* IRET's link failures are #TS, the others' #GP (Table 6-6). */
	uint8_t bad = iret ? X86_EXC_TS : X86_EXC_GP;

	if (!(sel & SEL_INDEX_MASK) || (sel & SEL_TI) || (sel | 7u) > sys->gdtr_limit)
		return x86_raise(res, bad, true, ec, 0);
	enum x86_status st =
		sys_read(r, ops, sys->gdtr_base + (sel & SEL_INDEX_MASK), desc, 8, res);
	if (st)
		return st;
	unsigned type = desc_type(*desc);
	bool busy = type & X86_SEG_TYPE_TSS_BUSY_BIT;
	/* A TSS: types 1, 3 (16-bit) and 9, 11 (32-bit), busy or not. */
	if (!desc_system(*desc) ||
	    (type & ~(X86_SEG_TYPE_TSS_BUSY_BIT | X86_SEG_TYPE_TSS_32BIT)) !=
		    X86_SEG_TYPE_TSS16_AVAIL ||
	    busy != iret)
		return x86_raise(res, bad, true, ec, 0);
	if (!desc_present(*desc))
		return x86_raise(res, X86_EXC_NP, true, ec, 0);
	struct x86_segment s;
	x86_segment_from_descriptor(&s, sel, *desc);
	if (s.limit < tss_format(type)->min_limit)
		return x86_raise(res, X86_EXC_TS, true, ec, 0);
	return X86_OK;
}

/* ---- The switch itself (steps 2-5) ---- */

/* The writes the switch makes to memory, each resolved before the first. */
struct ts_writes {
	struct x86_mem_ref old_state; /* old TSS: EIP .. GS */
	struct x86_mem_ref old_type;  /* old descriptor's type byte: JMP, IRET */
	struct x86_mem_ref new_type;  /* new descriptor's type byte: JMP, CALL, events */
	struct x86_mem_ref new_link;  /* new TSS's link: CALL, events */
	bool clear_old, set_new, link;
};

#define DESC_TYPE_BYTE 5 /* bits 47:40 of a descriptor: P, DPL, S, type */

static enum x86_status resolve_writes(const struct x86_regs *r, const struct x86_task_sys *sys,
				      const struct x86_ops *ops, const struct x86_task_switch *ts,
				      uint64_t new_base, struct ts_writes *w,
				      struct x86_result *res)
{
	const struct tss_format *f = tss_format(r->tr.attr);
	uint16_t old_sel = r->tr.selector;
	enum x86_status st;

	w->clear_old = ts->source == X86_TASK_JMP || ts->source == X86_TASK_IRET;
	w->set_new = ts->source != X86_TASK_IRET;
	w->link = ts->source == X86_TASK_CALL || ts->source == X86_TASK_GATE;
	/* Stores into an old TSS too small to hold them: #TS(old TSS). */
	if (r->tr.limit < f->ldt - 1u)
		return x86_raise(res, X86_EXC_TS, true, sel_error(old_sel, ts->ext), 0);
	st = sys_resolve(r, ops, r->tr.base + f->eip, f->ldt - f->eip, true, &w->old_state, res);
	if (!st && w->clear_old)
		st = sys_resolve(r, ops,
				 sys->gdtr_base + (old_sel & SEL_INDEX_MASK) + DESC_TYPE_BYTE, 1,
				 true, &w->old_type, res);
	if (!st && w->set_new)
		st = sys_resolve(r, ops,
				 sys->gdtr_base + (ts->selector & SEL_INDEX_MASK) + DESC_TYPE_BYTE,
				 1, true, &w->new_type, res);
	if (!st && w->link)
		st = sys_resolve(r, ops, new_base, 2, true, &w->new_link, res); /* link: offset 0 */
	return st;
}

/* Flips the busy bit in a descriptor's type byte. */
static enum x86_status set_busy(const struct x86_ops *ops, const struct x86_mem_ref *ref, bool busy,
				struct x86_result *res)
{
	uint8_t b;
	enum x86_status st = x86_mem_read(ops, ref, 0, &b, 1, res);
	if (st)
		return st;
	b = busy ? b | X86_SEG_TYPE_TSS_BUSY_BIT : b & ~X86_SEG_TYPE_TSS_BUSY_BIT;
	return x86_mem_write(ops, ref, 0, &b, 1, res);
}

/* Step 3 and 4's memory: the old task's state in its TSS's format, the busy
 * bits, the link. */
static enum x86_status save_old_task(const struct x86_regs *r, const struct x86_ops *ops,
				     const struct x86_task_switch *ts, const struct ts_writes *w,
				     struct x86_result *res)
{
	const struct tss_format *f = tss_format(r->tr.attr);
	uint8_t t[sizeof(struct tss32)];
	uint64_t eflags = r->rflags;

	/* IRET clears NT in the saved image: the old task is no longer nested
	 * (SDM Vol. 3A §8.3, step 7). */
	if (ts->source == X86_TASK_IRET)
		eflags &= ~X86_RFLAGS_NT;
	put_field(t, f->eip, f->width, (uint32_t)(r->rip + ts->insn_len));
	put_field(t, f->eip + f->width, f->width, (uint32_t)eflags);
	for (unsigned i = 0; i < 8; i++)
		put_field(t, f->gprs + f->width * i, f->width, (uint32_t)r->gpr[i]);
	enum x86_status st =
		x86_mem_write(ops, &w->old_state, 0, t + f->eip, f->sregs - f->eip, res);
	/* Only the selectors' own 16 bits: a 32-bit TSS's slots have reserved
	 * upper halves. */
	for (unsigned i = 0; !st && i < f->nsregs; i++)
		st = x86_mem_write(ops, &w->old_state, f->sregs - f->eip + f->width * i,
				   &r->seg[i].selector, 2, res);
	if (!st && w->clear_old)
		st = set_busy(ops, &w->old_type, false, res);
	if (!st && w->link)
		st = x86_mem_write(ops, &w->new_link, 0, &r->tr.selector, 2, res);
	if (!st && w->set_new)
		st = set_busy(ops, &w->new_type, true, res);
	return st;
}

/* Step 5: the new task's registers, selectors first; their descriptors are
 * step 6's. Segments start unusable, CS keeps the old cache until its own
 * load (see task_switch.h). A 16-bit TSS holds the low halves; the upper
 * halves of the GPRs are "modified and not maintained" (SDM Vol. 3A §8.6):
 * ones here, as Bochs loads them (QEMU's TCG differs; no guest can rely on
 * either). EFLAGS' upper half is zero, FS and GS are null. */
static void load_registers(struct x86_regs *r, struct x86_task_sys *sys,
			   const struct x86_task_switch *ts, const uint8_t *t,
			   const struct tss_format *f, uint64_t new_desc)
{
	uint32_t high = f->width == 2 ? 0xFFFF0000u : 0;

	x86_segment_from_descriptor(&r->tr, ts->selector, new_desc);
	r->tr.attr |= X86_SEG_TYPE_TSS_BUSY_BIT;
	r->cr0 |= X86_CR0_TS;
	sys->dr7 &= ~X86_DR7_LOCAL_ENABLES;
	r->rip = field(t, f->eip, f->width);
	r->rflags = (field(t, f->eip + f->width, f->width) & EFLAGS_LOADABLE) | X86_RFLAGS_FIXED1;
	/* CALL and events nest the new task (§8.4). */
	if (ts->source == X86_TASK_CALL || ts->source == X86_TASK_GATE)
		r->rflags |= X86_RFLAGS_NT;
	for (unsigned i = 0; i < 8; i++)
		r->gpr[i] = high | field(t, f->gprs + f->width * i, f->width);
	for (unsigned i = 0; i < X86_NR_SREGS; i++) {
		r->seg[i].selector =
			i < f->nsregs ? (uint16_t)field(t, f->sregs + f->width * i, 2) : 0;
		if (i != X86_CS)
			r->seg[i].attr |= X86_SEG_UNUSABLE;
	}
	sys->ldtr = (struct x86_segment){ .selector = (uint16_t)field(t, f->ldt, 2),
					  .attr = X86_SEG_UNUSABLE };
	sys->switched = true;
}

/* CR3, with paging only (the TSS's CR3 is not loaded without it). */
static enum x86_status load_cr3(struct x86_regs *r, struct x86_task_sys *sys,
				const struct x86_task_switch *ts, uint32_t cr3,
				struct x86_result *res)
{
	if (!(r->cr0 & X86_CR0_PG))
		return X86_OK;
	if (x86_paging_mode(r) == X86_PAGING_PAE) {
		uint64_t p[4];
		if (!ts->load_pdptes || !ts->load_pdptes(ts->pdptes_ctx, cr3, p))
			return x86_raise(res, X86_EXC_GP, true, ts->ext, 0);
		for (unsigned i = 0; i < 4; i++)
			r->pdpte[i] = p[i];
		r->pdpte_valid = true;
	}
	r->cr3 = cr3;
	sys->cr3_loaded = true;
	return X86_OK;
}

/* ---- Step 6: descriptors of the new task ---- */

/* Reads the descriptor sel names (GDT or the new LDT), or false when the
 * selector is outside its table: the caller's #TS. */
static enum x86_status read_descriptor(const struct x86_regs *r, const struct x86_task_sys *sys,
				       const struct x86_ops *ops, uint16_t sel, uint64_t *d,
				       uint64_t *la, bool *outside, struct x86_result *res)
{
	uint64_t base = sys->gdtr_base;
	uint32_t limit = sys->gdtr_limit;

	if (sel & SEL_TI) {
		base = sys->ldtr.base;
		limit = (sys->ldtr.attr & X86_SEG_UNUSABLE) ? 0 : sys->ldtr.limit;
	}
	*outside = (sel | 7u) > limit || ((sel & SEL_TI) && (sys->ldtr.attr & X86_SEG_UNUSABLE));
	if (*outside)
		return X86_OK;
	*la = base + (sel & SEL_INDEX_MASK);
	return sys_read(r, ops, *la, d, 8, res);
}

/* Loading a code or data descriptor sets its accessed bit in memory
 * (SDM Vol. 3A §3.4.5.1). */
static enum x86_status mark_accessed(const struct x86_regs *r, const struct x86_ops *ops,
				     uint64_t la, uint64_t d, struct x86_result *res)
{
	if (d & (1ull << 40))
		return X86_OK;
	uint8_t b = (uint8_t)(d >> 40) | X86_SEG_TYPE_A;
	return sys_write(r, ops, la + DESC_TYPE_BYTE, &b, 1, res);
}

static enum x86_status load_ldtr(struct x86_regs *r, struct x86_task_sys *sys,
				 const struct x86_ops *ops, bool ext, struct x86_result *res)
{
	uint16_t sel = sys->ldtr.selector;
	uint64_t d = 0, la;
	bool outside;

	if (!(sel & SEL_INDEX_MASK))
		return X86_OK; /* a null LDT selector: unusable */
	uint32_t ec = sel_error(sel, ext);
	if (sel & SEL_TI)
		return x86_raise(res, X86_EXC_TS, true, ec, 0);
	enum x86_status st = read_descriptor(r, sys, ops, sel, &d, &la, &outside, res);
	if (st)
		return st;
	/* An LDT selector that is outside the GDT, not an LDT, or an absent
	 * LDT: #TS (SDM Vol. 3A §8.3, Table 8-2). */
	if (outside || !desc_system(d) || desc_type(d) != X86_SEG_TYPE_LDT || !desc_present(d))
		return x86_raise(res, X86_EXC_TS, true, ec, 0);
	x86_segment_from_descriptor(&sys->ldtr, sel, d);
	return X86_OK;
}

/* CS (SDM Vol. 3A §8.3 Table 8-2; §5.8.1 for conforming segments). */
static enum x86_status load_cs(struct x86_regs *r, const struct x86_task_sys *sys,
			       const struct x86_ops *ops, bool ext, struct x86_result *res)
{
	uint16_t sel = r->seg[X86_CS].selector;
	uint32_t ec = sel_error(sel, ext);
	uint64_t d = 0, la;
	bool outside;

	if (!(sel & SEL_INDEX_MASK))
		return x86_raise(res, X86_EXC_TS, true, ec, 0);
	enum x86_status st = read_descriptor(r, sys, ops, sel, &d, &la, &outside, res);
	if (st)
		return st;
	unsigned type = desc_type(d), rpl = sel & SEL_RPL;
	bool conforming = type & X86_SEG_TYPE_E;
	if (outside || desc_system(d) || !(type & X86_SEG_TYPE_CODE) ||
	    (conforming ? desc_dpl(d) > rpl : desc_dpl(d) != rpl))
		return x86_raise(res, X86_EXC_TS, true, ec, 0);
	if (!desc_present(d))
		return x86_raise(res, X86_EXC_NP, true, ec, 0);
	st = mark_accessed(r, ops, la, d, res);
	if (st)
		return st;
	x86_segment_from_descriptor(&r->seg[X86_CS], sel, d);
	r->seg[X86_CS].attr |= X86_SEG_TYPE_A;
	r->cpl = (uint8_t)rpl;
	return X86_OK;
}

/* SS, then DS, ES, FS, GS: SS must be a writable data segment at CPL, the
 * others readable, null allowed, DPL >= CPL and RPL unless conforming code. */
static enum x86_status load_data(struct x86_regs *r, const struct x86_task_sys *sys,
				 const struct x86_ops *ops, unsigned sreg, bool ext,
				 struct x86_result *res)
{
	struct x86_segment *s = &r->seg[sreg];
	uint16_t sel = s->selector;
	uint32_t ec = sel_error(sel, ext);
	unsigned rpl = sel & SEL_RPL;
	uint64_t d = 0, la;
	bool outside;

	if (!(sel & SEL_INDEX_MASK)) {
		if (sreg == X86_SS)
			return x86_raise(res, X86_EXC_TS, true, ec, 0);
		return X86_OK; /* a null data selector stays unusable */
	}
	enum x86_status st = read_descriptor(r, sys, ops, sel, &d, &la, &outside, res);
	if (st)
		return st;
	unsigned type = desc_type(d);
	bool code = type & X86_SEG_TYPE_CODE, ok;
	if (sreg == X86_SS)
		ok = rpl == r->cpl && !code && (type & X86_SEG_TYPE_W) && desc_dpl(d) == r->cpl;
	else
		ok = (!code || (type & X86_SEG_TYPE_W)) &&
		     ((code && (type & X86_SEG_TYPE_E)) ||
		      desc_dpl(d) >= (rpl > r->cpl ? rpl : r->cpl));
	if (outside || desc_system(d) || !ok)
		return x86_raise(res, X86_EXC_TS, true, ec, 0);
	if (!desc_present(d))
		return x86_raise(res, sreg == X86_SS ? X86_EXC_SS : X86_EXC_NP, true, ec, 0);
	st = mark_accessed(r, ops, la, d, res);
	if (st)
		return st;
	x86_segment_from_descriptor(s, sel, d);
	s->attr |= X86_SEG_TYPE_A;
	return X86_OK;
}

/* Virtual-8086 segments: base selector * 16, 64-KiB limit, DPL 3 read/write
 * accessed data (SDM Vol. 3A §20.2.1; the VMX entry checks want the same,
 * Vol. 3C §27.3.1.2). */
static void load_v86_segments(struct x86_regs *r)
{
	for (unsigned i = 0; i < X86_NR_SREGS; i++) {
		struct x86_segment *s = &r->seg[i];
		s->base = (uint64_t)s->selector << 4;
		s->limit = 0xFFFF;
		s->attr = X86_SEG_P | X86_SEG_S | (3u << X86_SEG_DPL_SHIFT) | X86_SEG_TYPE_W |
			  X86_SEG_TYPE_A;
	}
	r->cpl = 3;
}

static enum x86_status load_segments(struct x86_regs *r, const struct x86_task_sys *sys,
				     const struct x86_ops *ops, bool ext, struct x86_result *res)
{
	static const unsigned data_order[] = { X86_SS, X86_DS, X86_ES, X86_FS, X86_GS };
	enum x86_status st;

	if (r->rflags & X86_RFLAGS_VM) {
		load_v86_segments(r);
		return X86_OK;
	}
	st = load_cs(r, sys, ops, ext, res);
	for (unsigned i = 0; !st && i < sizeof(data_order) / sizeof(data_order[0]); i++)
		st = load_data(r, sys, ops, data_order[i], ext, res);
	return st;
}

/* ---- Step 7: the error code, the new EIP ---- */

/* The error code, a word on a 16-bit TSS's task (its gate is 16-bit). */
static enum x86_status push_error_code(struct x86_regs *r, const struct x86_ops *ops,
				       const struct x86_task_switch *ts, unsigned size,
				       struct x86_result *res)
{
	bool big = r->seg[X86_SS].attr & X86_SEG_DB;
	uint64_t mask = big ? 0xFFFFFFFFull : 0xFFFFull;
	uint64_t sp = (r->gpr[X86_RSP] - size) & mask, la;
	struct x86_mem_ref ref;

	/* A push that does not fit the new stack: #SS(EXT) (SDM Vol. 2A, INT n,
	 * TASK-GATE). */
	if (x86_linear_address(r, X86_SS, sp, size, X86_ACC_WRITE, &la, res))
		return x86_raise(res, X86_EXC_SS, true, ts->ext, 0);
	enum x86_status st = x86_mem_resolve(r, ops, la, size, X86_ACC_WRITE, &ref, res);
	if (st)
		return st;
	if (x86_mem_any_mmio(&ref))
		return X86_UNSUPPORTED;
	st = x86_mem_write(ops, &ref, 0, &ts->error, size, res);
	if (st)
		return st;
	r->gpr[X86_RSP] = (r->gpr[X86_RSP] & ~mask) | sp;
	return X86_OK;
}

enum x86_status x86_task_switch(struct x86_regs *r, struct x86_task_sys *sys,
				const struct x86_ops *ops, const struct x86_task_switch *ts,
				struct x86_result *res)
{
	uint64_t new_desc;
	struct x86_segment new_tss;
	struct ts_writes w;
	uint8_t t[sizeof(struct tss32)];
	enum x86_status st;

	sys->switched = sys->cr3_loaded = sys->debug_trap = false;
	st = check_new_tss(r, sys, ops, ts, &new_desc, res);
	if (st)
		return st;
	x86_segment_from_descriptor(&new_tss, ts->selector, new_desc);
	const struct tss_format *f = tss_format(new_tss.attr);
	st = sys_read(r, ops, new_tss.base, t, f->size, res);
	if (!st)
		st = resolve_writes(r, sys, ops, ts, new_tss.base, &w, res);
	if (!st)
		st = save_old_task(r, ops, ts, &w, res);
	if (st)
		return st;
	load_registers(r, sys, ts, t, f, new_desc);
	if (f == &tss32_format)
		st = load_cr3(r, sys, ts, field(t, offsetof(struct tss32, cr3), 4), res);
	if (!st)
		st = load_ldtr(r, sys, ops, ts->ext, res);
	if (!st)
		st = load_segments(r, sys, ops, ts->ext, res);
	if (!st && ts->has_error)
		st = push_error_code(r, ops, ts, f->width, res);
	/* EIP outside the new CS: #GP(0) (EXT for an event) in the new task. */
	if (!st && r->rip > r->seg[X86_CS].limit)
		st = x86_raise(res, X86_EXC_GP, true, ts->ext, 0);
	if (!st && f == &tss32_format)
		sys->debug_trap = field(t, offsetof(struct tss32, trap), 2) & X86_TSS32_T;
	return st;
}
