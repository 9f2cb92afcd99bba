/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/alu.c - integer results and status flags (SDM Vol. 1 §3.4.3.1,
 * Appendix A; the ADD/ADC/SUB/SBB/CMP/INC/DEC/NEG/AND/OR/XOR/TEST/NOT pages
 * of Vol. 2).
 */
#include "alu.h"
#include "decode.h"
#include "regs.h"

uint64_t x86_flags_szp(uint64_t result, unsigned size)
{
	uint64_t f = 0;
	unsigned p = result & 0xff;

	if ((result & x86_size_mask(size)) == 0)
		f |= X86_RFLAGS_ZF;
	if ((result >> (size * 8 - 1)) & 1)
		f |= X86_RFLAGS_SF;
	/* PF: set when the low byte has an even number of 1 bits. Computed
	 * by folding rather than __builtin_parity, which may become a libgcc
	 * call in the freestanding build. */
	p ^= p >> 4;
	p ^= p >> 2;
	p ^= p >> 1;
	if (!(p & 1))
		f |= X86_RFLAGS_PF;
	return f;
}

/* Flags of r = a + b (+ carry-in). */
static uint64_t add_flags(uint64_t a, uint64_t b, uint64_t r, unsigned cin,
			  unsigned size)
{
	uint64_t sign = 1ull << (size * 8 - 1);
	uint64_t f = x86_flags_szp(r, size);

	if (cin ? r <= a : r < a)
		f |= X86_RFLAGS_CF;
	if ((a ^ r) & (b ^ r) & sign)
		f |= X86_RFLAGS_OF;
	if ((a ^ b ^ r) & 0x10)
		f |= X86_RFLAGS_AF;
	return f;
}

/* Flags of r = a - b (- borrow-in). */
static uint64_t sub_flags(uint64_t a, uint64_t b, uint64_t r, unsigned bin,
			  unsigned size)
{
	uint64_t sign = 1ull << (size * 8 - 1);
	uint64_t f = x86_flags_szp(r, size);

	if (bin ? a <= b : a < b)
		f |= X86_RFLAGS_CF;
	if ((a ^ b) & (a ^ r) & sign)
		f |= X86_RFLAGS_OF;
	if ((a ^ b ^ r) & 0x10)
		f |= X86_RFLAGS_AF;
	return f;
}

uint64_t x86_alu(unsigned op, unsigned size, uint64_t dst, uint64_t src,
		 uint64_t *rflags)
{
	uint64_t m = x86_size_mask(size);
	uint64_t a = dst & m, b = src & m, r, f;
	unsigned c = (*rflags & X86_RFLAGS_CF) ? 1 : 0;
	uint64_t keep = X86_RFLAGS_STATUS; /* flags replaced below */

	switch (op) {
	case X86_ADD:
		r = (a + b) & m;
		f = add_flags(a, b, r, 0, size);
		break;
	case X86_ADC:
		r = (a + b + c) & m;
		f = add_flags(a, b, r, c, size);
		break;
	case X86_SUB:
	case X86_CMP:
		r = (a - b) & m;
		f = sub_flags(a, b, r, 0, size);
		break;
	case X86_SBB:
		r = (a - b - c) & m;
		f = sub_flags(a, b, r, c, size);
		break;
	case X86_AND:
	case X86_TEST:
		r = a & b;
		f = x86_flags_szp(r, size); /* CF = OF = AF = 0 */
		break;
	case X86_OR:
		r = a | b;
		f = x86_flags_szp(r, size);
		break;
	case X86_XOR:
		r = a ^ b;
		f = x86_flags_szp(r, size);
		break;
	case X86_INC:
		/* INC/DEC leave CF alone (SDM Vol. 2A, INC/DEC). */
		r = (a + 1) & m;
		f = add_flags(a, 1, r, 0, size) & ~X86_RFLAGS_CF;
		keep &= ~X86_RFLAGS_CF;
		break;
	case X86_DEC:
		r = (a - 1) & m;
		f = sub_flags(a, 1, r, 0, size) & ~X86_RFLAGS_CF;
		keep &= ~X86_RFLAGS_CF;
		break;
	case X86_NEG:
		/* NEG is 0 - a; CF = (a != 0) (SDM Vol. 2B, NEG), which is
		 * exactly the borrow of that subtraction. */
		r = (0 - a) & m;
		f = sub_flags(0, a, r, 0, size);
		break;
	case X86_NOT:
	default:
		/* NOT changes no flags. */
		return ~a & m;
	}
	*rflags = (*rflags & ~keep) | f;
	return r;
}
