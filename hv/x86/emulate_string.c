/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/emulate_string.c - MOVS, CMPS, STOS, LODS, SCAS with and without
 * REP/REPE/REPNE (SDM Vol. 2B, the instruction pages and "REP/REPE/REPZ/
 * REPNE/REPNZ"; Vol. 1 §7.3.9).
 *
 * Each iteration moves one element and steps rSI/rDI by the element size
 * (down when RFLAGS.DF is set). With a REP prefix the count is rCX of
 * address size; it is checked before the first iteration and decremented
 * after each. CMPS/SCAS also stop when ZF disagrees with the prefix (F3:
 * while equal, F2: while not equal). F2 on MOVS/STOS/LODS acts as REP, as
 * on the CPU. Registers are committed to the caller after every iteration
 * so a fault, a failing callback or an exhausted rep_budget leaves them as
 * the CPU leaves an interrupted REP string instruction: RIP at the
 * instruction, rSI/rDI/rCX describing the remaining work.
 */
#include "alu.h"
#include "emulate_internal.h"

static enum x86_status load_elem(struct x86_emu *e, const struct x86_operand *o,
				 uint64_t *v)
{
	return x86_emu_load(e, o, false, NULL, v);
}

static enum x86_status one_iteration(struct x86_emu *e)
{
	const struct x86_insn *in = &e->in;
	const struct x86_operand *o0 = &in->op[0], *o1 = &in->op[1];
	unsigned size = in->op_size;
	int64_t step = (e->r.rflags & X86_RFLAGS_DF) ? -(int64_t)size : size;
	uint64_t a = 0, b = 0;
	enum x86_status st = X86_OK;
	bool uses_si = false, uses_di = false;

	switch (in->mnemonic) {
	case X86_MOVS:  /* ES:[rDI] <- seg:[rSI] */
		st = load_elem(e, o1, &a);
		if (!st)
			st = x86_emu_store(e, o0, NULL, a);
		uses_si = uses_di = true;
		break;
	case X86_CMPS:  /* flags of seg:[rSI] - ES:[rDI] */
		st = load_elem(e, o0, &a);
		if (!st)
			st = load_elem(e, o1, &b);
		if (!st)
			x86_alu(X86_CMP, size, a, b, &e->r.rflags);
		uses_si = uses_di = true;
		break;
	case X86_STOS:  /* ES:[rDI] <- rAX */
		st = x86_emu_store(e, o0, NULL,
				   x86_gpr_read(&e->r, X86_RAX, false, size));
		uses_di = true;
		break;
	case X86_LODS:  /* rAX <- seg:[rSI] */
		st = load_elem(e, o1, &a);
		if (!st)
			x86_gpr_write(&e->r, X86_RAX, false, size, a);
		uses_si = true;
		break;
	case X86_SCAS:  /* flags of rAX - ES:[rDI] */
		st = load_elem(e, o1, &b);
		if (!st)
			x86_alu(X86_CMP, size,
				x86_gpr_read(&e->r, X86_RAX, false, size), b,
				&e->r.rflags);
		uses_di = true;
		break;
	default:
		return X86_UNSUPPORTED;
	}
	if (st)
		return st;
	if (uses_si)
		x86_emu_set_addr_reg(e, X86_RSI, e->r.gpr[X86_RSI] + step);
	if (uses_di)
		x86_emu_set_addr_reg(e, X86_RDI, e->r.gpr[X86_RDI] + step);
	return X86_OK;
}

enum x86_status x86_emu_string(struct x86_emu *e)
{
	const struct x86_insn *in = &e->in;
	uint64_t amask = x86_size_mask(in->addr_size);
	bool rep = in->rep != 0;
	bool compares = in->mnemonic == X86_CMPS || in->mnemonic == X86_SCAS;
	uint64_t budget = e->ops->rep_budget ? e->ops->rep_budget : ~0ull;
	enum x86_status st;

	if (rep && (e->r.gpr[X86_RCX] & amask) == 0)
		return x86_emu_finish(e);
	for (;;) {
		st = one_iteration(e);
		if (st)
			return st;
		if (!rep)
			break;
		x86_emu_set_addr_reg(e, X86_RCX, e->r.gpr[X86_RCX] - 1);
		x86_emu_commit(e);
		if ((e->r.gpr[X86_RCX] & amask) == 0)
			break;
		if (compares) {
			bool zf = e->r.rflags & X86_RFLAGS_ZF;

			if ((in->rep == 0xf3 && !zf) || (in->rep == 0xf2 && zf))
				break;
		}
		if (--budget == 0)
			return X86_OK; /* resumes when the guest re-executes */
	}
	return x86_emu_finish(e);
}
