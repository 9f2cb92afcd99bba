/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/emulate_alu.c - ALU-class instructions on decoded operands:
 * group-1 ALU and TEST, NOT/NEG/INC/DEC, BT/BTS/BTR/BTC. Results and flags
 * come from alu.c.
 */
#include "alu.h"
#include "emulate_internal.h"

/* ADD OR ADC SBB AND SUB XOR CMP TEST: dst op src. CMP and TEST only read
 * the destination; the others read it once and write it once. */
enum x86_status x86_emu_alu(struct x86_emu *e)
{
	const struct x86_operand *dst = &e->in.op[0], *src = &e->in.op[1];
	unsigned op = e->in.mnemonic;
	bool writes = op != X86_CMP && op != X86_TEST;
	struct x86_mem_ref ref;
	uint64_t a, b, r;
	enum x86_status st;

	st = x86_emu_load(e, dst, writes, &ref, &a);
	if (!st)
		st = x86_emu_load(e, src, false, NULL, &b);
	if (st)
		return st;
	r = x86_alu(op, dst->size, a, b, &e->r.rflags);
	if (!writes)
		return X86_OK;
	return x86_emu_store(e, dst, dst->kind == X86_OPND_MEM ? &ref : NULL, r);
}

/* NOT NEG INC DEC: one operand, read once, written once. */
enum x86_status x86_emu_unary(struct x86_emu *e)
{
	const struct x86_operand *dst = &e->in.op[0];
	struct x86_mem_ref ref;
	uint64_t a, r;
	enum x86_status st;

	st = x86_emu_load(e, dst, true, &ref, &a);
	if (st)
		return st;
	r = x86_alu(e->in.mnemonic, dst->size, a, 0, &e->r.rflags);
	return x86_emu_store(e, dst, dst->kind == X86_OPND_MEM ? &ref : NULL, r);
}

/*
 * BT BTS BTR BTC (SDM Vol. 2A "BT—Bit Test"). With a register bit offset
 * and a memory operand the offset is a signed value of operand size that
 * can reach outside the addressed word: the word actually accessed is at
 * EA + operand_size * floor(offset / operand_bits), and the bit within it
 * is offset mod operand_bits. An immediate offset is taken modulo the
 * operand size and never moves the address. Only CF is written; see alu.h
 * for the undefined flags.
 */
enum x86_status x86_emu_bittest(struct x86_emu *e)
{
	const struct x86_operand *dst = &e->in.op[0], *src = &e->in.op[1];
	unsigned op = e->in.mnemonic, size = dst->size, bits = size * 8;
	bool writes = op != X86_BT;
	struct x86_mem_ref ref;
	uint64_t v, off, mask;
	unsigned bit;
	enum x86_status st;

	if (src->kind == X86_OPND_IMM) {
		off = src->imm;
	} else {
		off = x86_gpr_read(&e->r, src->reg, src->high8, size);
	}
	bit = off & (bits - 1);
	if (dst->kind == X86_OPND_MEM) {
		uint64_t ea = x86_emu_ea(e, dst);

		if (src->kind != X86_OPND_IMM) {
			unsigned shift = 64 - bits;
			int64_t soff = (int64_t)(off << shift) >> shift;
			/* floor division by a power of two: arithmetic shift */
			int64_t words = soff >> (bits == 16 ? 4 :
						 bits == 32 ? 5 : 6);

			ea = (ea + (uint64_t)words * size) &
			     x86_size_mask(e->in.addr_size);
		}
		st = x86_emu_mem_resolve(e, dst->seg, ea, size,
					 writes ? X86_ACC_WRITE : X86_ACC_READ,
					 &ref);
		if (!st)
			st = x86_emu_mem_load(e, &ref, &v);
	} else {
		st = x86_emu_load(e, dst, writes, NULL, &v);
	}
	if (st)
		return st;

	mask = 1ull << bit;
	e->r.rflags = (e->r.rflags & ~X86_RFLAGS_CF) |
		      ((v & mask) ? X86_RFLAGS_CF : 0);
	switch (op) {
	case X86_BTS:
		v |= mask;
		break;
	case X86_BTR:
		v &= ~mask;
		break;
	case X86_BTC:
		v ^= mask;
		break;
	default:
		return X86_OK;
	}
	if (dst->kind == X86_OPND_MEM)
		return x86_emu_mem_store(e, &ref, v);
	return x86_emu_store(e, dst, NULL, v);
}
