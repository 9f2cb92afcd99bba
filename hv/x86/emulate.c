/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/emulate.c - fetch, decode, dispatch; operand access; the MOV
 * family and XCHG.
 */
#include "emulate_internal.h"
#include "segment.h"
#include "io_permission.h"
#include "string_io.h"

/* ---- operand access ---------------------------------------------------- */

uint64_t x86_emu_ea(const struct x86_emu *e, const struct x86_operand *o)
{
	uint64_t ea = (uint64_t)o->disp;

	/* RIP-relative addresses are relative to the next instruction
	 * (SDM Vol. 2A §2.2.1.6). */
	if (o->base == X86_REG_RIP)
		ea += e->r.rip + e->in.len;
	else if (o->base != X86_REG_NONE)
		ea += e->r.gpr[o->base];
	if (o->index != X86_REG_NONE)
		ea += e->r.gpr[o->index] * o->scale;
	/* Address computations wrap at the address size (SDM Vol. 1
	 * §3.3.7; 16-bit forms: Vol. 2A Table 2-1). */
	return ea & x86_size_mask(e->in.addr_size);
}

enum x86_status x86_emu_mem_resolve(struct x86_emu *e, unsigned seg,
				    uint64_t off, unsigned size,
				    unsigned access, struct x86_mem_ref *ref)
{
	uint64_t la;
	enum x86_status st;

	st = x86_linear_address(&e->r, seg, off, size, access, &la, e->res);
	if (!st)
		st = x86_check_alignment(&e->r, la, size, e->res);
	if (!st)
		st = x86_mem_resolve(&e->r, e->ops, la, size, access, ref,
				     e->res);
	return st;
}

enum x86_status x86_emu_mem_load(struct x86_emu *e,
				 const struct x86_mem_ref *ref, uint64_t *val)
{
	uint8_t buf[8] = { 0 };
	uint64_t v = 0;
	enum x86_status st;

	st = x86_mem_read(e->ops, ref, 0, buf, ref->size, e->res);
	if (st)
		return st;
	for (unsigned i = 0; i < ref->size; i++)
		v |= (uint64_t)buf[i] << (8 * i);
	*val = v;
	return X86_OK;
}

enum x86_status x86_emu_mem_store(struct x86_emu *e,
				  const struct x86_mem_ref *ref, uint64_t val)
{
	uint8_t buf[8];

	for (unsigned i = 0; i < ref->size; i++)
		buf[i] = (uint8_t)(val >> (8 * i));
	return x86_mem_write(e->ops, ref, 0, buf, ref->size, e->res);
}

enum x86_status x86_emu_load(struct x86_emu *e, const struct x86_operand *o,
			     bool for_write, struct x86_mem_ref *ref,
			     uint64_t *val)
{
	struct x86_mem_ref local;
	enum x86_status st;

	switch (o->kind) {
	case X86_OPND_REG:
		*val = x86_gpr_read(&e->r, o->reg, o->high8, o->size);
		return X86_OK;
	case X86_OPND_IMM:
		*val = o->imm & x86_size_mask(o->size);
		return X86_OK;
	case X86_OPND_MEM:
		if (!ref)
			ref = &local;
		st = x86_emu_mem_resolve(e, o->seg, x86_emu_ea(e, o), o->size,
					 for_write ? X86_ACC_WRITE
						   : X86_ACC_READ, ref);
		if (st)
			return st;
		return x86_emu_mem_load(e, ref, val);
	default:
		*val = 0;
		return X86_OK;
	}
}

enum x86_status x86_emu_store(struct x86_emu *e, const struct x86_operand *o,
			      const struct x86_mem_ref *ref, uint64_t val)
{
	struct x86_mem_ref local;
	enum x86_status st;

	if (o->kind == X86_OPND_REG) {
		x86_gpr_write(&e->r, o->reg, o->high8, o->size, val);
		return X86_OK;
	}
	if (!ref) {
		st = x86_emu_mem_resolve(e, o->seg, x86_emu_ea(e, o), o->size,
					 X86_ACC_WRITE, &local);
		if (st)
			return st;
		ref = &local;
	}
	return x86_emu_mem_store(e, ref, val);
}

void x86_emu_set_addr_reg(struct x86_emu *e, unsigned reg, uint64_t val)
{
	x86_gpr_write(&e->r, reg, false, e->in.addr_size, val);
}

void x86_emu_commit(struct x86_emu *e)
{
	e->guest->rflags = e->r.rflags;
	__builtin_memcpy(e->guest->gpr, e->r.gpr, sizeof(e->r.gpr));
}

enum x86_status x86_emu_finish(struct x86_emu *e)
{
	unsigned bits = x86_mode_code_bits(x86_cpu_mode(&e->r));

	/* The instruction pointer wraps at the code size. */
	e->r.rip = (e->r.rip + e->in.len) & x86_size_mask(bits / 8);
	/* RF is cleared once an instruction completes (SDM Vol. 3A
	 * §18.3.1.1). */
	e->r.rflags &= ~X86_RFLAGS_RF;
	x86_emu_commit(e);
	e->guest->rip = e->r.rip;
	e->completed = true;
	return X86_OK;
}

/* ---- moves ------------------------------------------------------------- */

static uint64_t sign_extend(uint64_t v, unsigned size)
{
	unsigned shift = 64 - size * 8;

	return (uint64_t)((int64_t)(v << shift) >> shift);
}

/* MOV, MOVNTI, MOVZX, MOVSX, MOVSXD: read the source, write the
 * destination; no flags (SDM Vol. 2B MOV, MOVZX, MOVSX/MOVSXD; MOVNTI). */
static enum x86_status emu_move(struct x86_emu *e)
{
	const struct x86_operand *dst = &e->in.op[0], *src = &e->in.op[1];
	uint64_t v;
	enum x86_status st;

	st = x86_emu_load(e, src, false, NULL, &v);
	if (st)
		return st;
	if (e->in.mnemonic == X86_MOVSX || e->in.mnemonic == X86_MOVSXD)
		v = sign_extend(v, src->size);
	return x86_emu_store(e, dst, NULL, v);
}

/* XCHG r/m, reg: one read and one write of the memory operand (the bus
 * lock itself is the IOM's matter, SDM Vol. 2B XCHG). */
static enum x86_status emu_xchg(struct x86_emu *e)
{
	const struct x86_operand *a = &e->in.op[0], *b = &e->in.op[1];
	struct x86_mem_ref ref;
	uint64_t va, vb;
	enum x86_status st;

	st = x86_emu_load(e, a, true, &ref, &va);
	if (!st)
		st = x86_emu_load(e, b, false, NULL, &vb);
	if (!st)
		st = x86_emu_store(e, a, a->kind == X86_OPND_MEM ? &ref : NULL,
				   vb);
	if (!st)
		st = x86_emu_store(e, b, NULL, va);
	return st;
}

/* INS/OUTS reached through an MMIO exit on their memory operand. The CPU's
 * I/O permission check was for the instruction it ran, which may not be the
 * one fetched here: checked again (io_permission.h). */
static enum x86_status emu_string_io(struct x86_emu *e)
{
	const struct x86_insn *in = &e->in;
	const struct x86_operand *m = &in->op[in->mnemonic == X86_INS ? 0 : 1];
	struct x86_string_io io = {
		.port = (uint16_t)e->r.gpr[X86_RDX],
		.size = in->op_size,
		.in = in->mnemonic == X86_INS,
		.rep = in->rep != 0,
		.addr_size = in->addr_size,
		.seg = m->seg,
		.insn_len = in->len,
	};
	enum x86_status st = x86_io_permitted(&e->r, e->ops, io.port, io.size, e->res);

	if (st)
		return st;
	st = x86_string_io(e->guest, e->ops, &io, e->res);

	e->completed = st == X86_OK && e->guest->rip != e->r.rip;
	return st;
}

/* ---- fetch and dispatch ------------------------------------------------ */

enum x86_status x86_fetch_insn(const struct x86_regs *r,
			       const struct x86_ops *ops,
			       struct x86_insn *insn, struct x86_result *res)
{
	enum x86_cpu_mode mode = x86_cpu_mode(r);
	unsigned bits = x86_mode_code_bits(mode);
	uint64_t ip = r->rip & x86_size_mask(bits / 8);
	unsigned have = 0;
	enum x86_decode_status ds;

	for (;;) {
		uint64_t off = (ip + have) & x86_size_mask(bits / 8), la;
		unsigned want = X86_MAX_INSN_LEN - have, room;
		struct x86_mem_ref ref;
		enum x86_status st;

		/* Never fetch past the CS limit or into the next page before
		 * the decoder asks for it: those bytes may not exist, and the
		 * CPU would not fault on them (SDM Vol. 3A §5.3). */
		if (mode != X86_MODE_LONG64) {
			uint32_t lim = r->seg[X86_CS].limit;

			if (off > lim)
				return x86_raise(res, X86_EXC_GP, true, 0, 0);
			if (want > lim - off + 1)
				want = lim - off + 1;
		}
		st = x86_linear_address(r, X86_CS, off, 1, X86_ACC_FETCH, &la,
					res);
		if (st)
			return st;
		room = X86_PAGE_SIZE - (la & (X86_PAGE_SIZE - 1));
		if (want > room)
			want = room;
		st = x86_mem_resolve(r, ops, la, want, X86_ACC_FETCH, &ref,
				     res);
		/* Code in trapped MMIO is not fetched: reads there have
		 * device side effects, and the CPU could not have executed
		 * it without an exit on the fetch itself. */
		if (!st && x86_mem_any_mmio(&ref))
			return X86_UNSUPPORTED;
		if (!st)
			st = x86_mem_read(ops, &ref, 0, res->insn + have, want,
					  res);
		if (st)
			return st;
		have += want;
		res->insn_len = have;
		ds = x86_decode(res->insn, have, bits, insn);
		if (ds != X86_DECODE_NEED_MORE)
			break;
	}
	switch (ds) {
	case X86_DECODE_OK:
		res->insn_len = insn->len;
		return X86_OK;
	case X86_DECODE_INVALID:
		return x86_raise(res, X86_EXC_UD, false, 0, 0);
	case X86_DECODE_UNKNOWN:
		return X86_UNSUPPORTED;
	default: /* X86_DECODE_TOO_LONG */
		return x86_raise(res, X86_EXC_GP, true, 0, 0);
	}
}

enum x86_status x86_emulate(struct x86_regs *regs, const struct x86_ops *ops,
			    struct x86_result *res)
{
	/* Field by field: an initializer would clear the whole struct (a
	 * memset call as well); e.in is cleared by the decoder. */
	struct x86_emu e;
	bool tf = regs->rflags & X86_RFLAGS_TF;
	bool self_finishing = false; /* string forms commit as they go */
	enum x86_status st;

	e.guest = regs;
	e.ops = ops;
	e.res = res;
	e.completed = false;
	e.r = *regs;
	__builtin_memset(res, 0, sizeof(*res));
	st = x86_fetch_insn(regs, ops, &e.in, res);
	if (st)
		return st;

	switch (e.in.mnemonic) {
	case X86_MOVSXD:
	case X86_MOV:
	case X86_MOVNTI:
	case X86_MOVZX:
	case X86_MOVSX:
		st = emu_move(&e);
		break;
	case X86_XCHG:
		st = emu_xchg(&e);
		break;
	case X86_ADD: case X86_OR: case X86_ADC: case X86_SBB:
	case X86_AND: case X86_SUB: case X86_XOR: case X86_CMP:
	case X86_TEST:
		st = x86_emu_alu(&e);
		break;
	case X86_NOT: case X86_NEG: case X86_INC: case X86_DEC:
		st = x86_emu_unary(&e);
		break;
	case X86_BT: case X86_BTS: case X86_BTR: case X86_BTC:
		st = x86_emu_bittest(&e);
		break;
	case X86_MOVS: case X86_CMPS: case X86_STOS: case X86_LODS:
	case X86_SCAS:
		self_finishing = true;
		st = x86_emu_string(&e);
		break;
	case X86_INS: case X86_OUTS:
		self_finishing = true;
		st = emu_string_io(&e);
		break;
	default:
		return X86_UNSUPPORTED;
	}
	if (st)
		return st;
	if (!self_finishing)
		x86_emu_finish(&e);
	res->single_step = tf && e.completed;
	return X86_OK;
}
