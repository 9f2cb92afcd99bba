/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/decode.c - prefixes, opcode, ModRM/SIB, displacement, immediates.
 * Instruction format: SDM Vol. 2A chapter 2, AMD APM Vol. 3 chapter 1.
 */
#include "decode.h"
#include "decode_tables.h"
#include "regs.h"

struct cursor {
	const uint8_t *code;
	size_t avail;
	unsigned pos;
	enum x86_decode_status err;
};

/* Fetch the next byte; a failure is remembered in c->err. */
static bool next_byte(struct cursor *c, uint8_t *b)
{
	if (c->err)
		return false;
	if (c->pos >= X86_MAX_INSN_LEN) {
		c->err = X86_DECODE_TOO_LONG;
		return false;
	}
	if (c->pos >= c->avail) {
		c->err = X86_DECODE_NEED_MORE;
		return false;
	}
	*b = c->code[c->pos++];
	return true;
}

/* Little-endian immediate/displacement of n bytes, sign-extended. */
static bool next_signed(struct cursor *c, unsigned n, int64_t *v)
{
	uint64_t u = 0;
	uint8_t b = 0;

	if (n == 0) {
		*v = 0;
		return true;
	}
	for (unsigned i = 0; i < n; i++) {
		if (!next_byte(c, &b))
			return false;
		u |= (uint64_t)b << (8 * i);
	}
	if (n < 8 && (u >> (8 * n - 1)) & 1)
		u |= ~0ull << (8 * n);
	*v = (int64_t)u;
	return true;
}

/* Legacy prefixes and REX (SDM Vol. 2A §2.1.1, §2.2.1). */
static void decode_prefixes(struct cursor *c, struct x86_insn *in)
{
	for (;;) {
		uint8_t b;

		if (!next_byte(c, &b))
			return;
		switch (b) {
		case 0x66:
			in->opsize_prefix = true;
			break;
		case 0x67:
			in->addrsize_prefix = true;
			break;
		case 0xf0:
			in->lock = true;
			break;
		case 0xf2:
		case 0xf3:
			in->rep = b;
			break;
		case 0x26: case 0x2e: case 0x36: case 0x3e:
			/* ES/CS/SS/DS overrides are ignored in 64-bit mode
			 * (APM Vol. 3 §1.2.4; SDM Vol. 1 §3.3.7.1): they do
			 * not cancel an earlier FS/GS override either. */
			if (in->code_bits != 64)
				in->seg_override = (b >> 3) & 3;
			break;
		case 0x64:
		case 0x65:
			in->seg_override = b == 0x64 ? X86_FS : X86_GS;
			break;
		default:
			if (in->code_bits == 64 && (b & 0xf0) == 0x40) {
				/* REX: only the one right before the opcode
				 * counts (SDM Vol. 2A §2.2.1). */
				in->rex = b;
				continue;
			}
			c->pos--; /* the opcode */
			return;
		}
		/* A legacy prefix after REX makes that REX void. */
		in->rex = 0;
	}
}

#define REX_W(in) (((in)->rex >> 3) & 1)
#define REX_R(in) (((in)->rex >> 2) & 1)
#define REX_X(in) (((in)->rex >> 1) & 1)
#define REX_B(in) ((in)->rex & 1)

/* Effective operand and address sizes (SDM Vol. 1 §3.6.1 Table 3-4,
 * Vol. 2A §2.2.1.2 Table 2-4). */
static void effective_sizes(struct x86_insn *in)
{
	switch (in->code_bits) {
	case 64:
		in->op_size = REX_W(in) ? 8 : in->opsize_prefix ? 2 : 4;
		in->addr_size = in->addrsize_prefix ? 4 : 8;
		break;
	case 32:
		in->op_size = in->opsize_prefix ? 2 : 4;
		in->addr_size = in->addrsize_prefix ? 2 : 4;
		break;
	default:
		in->op_size = in->opsize_prefix ? 4 : 2;
		in->addr_size = in->addrsize_prefix ? 4 : 2;
		break;
	}
}

/* The memory operand of a ModRM byte, 16-bit forms (SDM Vol. 2A Table 2-1). */
static void decode_modrm16(struct cursor *c, struct x86_insn *in,
			   struct x86_operand *m)
{
	static const int8_t base16[8] = { X86_RBX, X86_RBX, X86_RBP, X86_RBP,
					  X86_RSI, X86_RDI, X86_RBP, X86_RBX };
	static const int8_t index16[8] = { X86_RSI, X86_RDI, X86_RSI, X86_RDI,
					   X86_REG_NONE, X86_REG_NONE,
					   X86_REG_NONE, X86_REG_NONE };
	unsigned mod = in->modrm >> 6, rm = in->modrm & 7;

	m->base = base16[rm];
	m->index = index16[rm];
	m->scale = 1;
	if (mod == 0 && rm == 6) {
		m->base = X86_REG_NONE;
		in->disp_size = 2;
	} else if (mod == 1) {
		in->disp_size = 1;
	} else if (mod == 2) {
		in->disp_size = 2;
	}
	/* BP-based forms default to SS (SDM Vol. 1 §3.7.5). */
	m->seg = m->base == X86_RBP ? X86_SS : X86_DS;
	next_signed(c, in->disp_size, &m->disp);
}

/* The memory operand of a ModRM byte, 32/64-bit forms with SIB
 * (SDM Vol. 2A Tables 2-2, 2-3; §2.2.1.3, §2.2.1.6 RIP-relative). */
static void decode_modrm32(struct cursor *c, struct x86_insn *in,
			   struct x86_operand *m)
{
	unsigned mod = in->modrm >> 6, rm = in->modrm & 7;

	m->scale = 1;
	m->index = X86_REG_NONE;
	if (rm == 4) {
		unsigned idx, base;

		in->has_sib = true;
		if (!next_byte(c, &in->sib))
			return;
		idx = ((in->sib >> 3) & 7) | (REX_X(in) << 3);
		base = (in->sib & 7) | (REX_B(in) << 3);
		m->scale = 1u << (in->sib >> 6);
		/* Index 100b without REX.X means "no index". */
		m->index = idx == X86_RSP ? X86_REG_NONE : (int8_t)idx;
		if ((in->sib & 7) == 5 && mod == 0) {
			m->base = X86_REG_NONE;
			in->disp_size = 4;
		} else {
			m->base = (int8_t)base;
		}
	} else if (rm == 5 && mod == 0) {
		m->base = in->code_bits == 64 ? X86_REG_RIP : X86_REG_NONE;
		in->disp_size = 4;
	} else {
		m->base = (int8_t)(rm | (REX_B(in) << 3));
	}
	if (mod == 1)
		in->disp_size = 1;
	else if (mod == 2)
		in->disp_size = 4;
	/* rSP/rBP bases default to SS (SDM Vol. 1 §3.7.5); R12/R13 do not. */
	m->seg = (m->base == X86_RSP || m->base == X86_RBP) ? X86_SS : X86_DS;
	next_signed(c, in->disp_size, &m->disp);
}

static void reg_operand(struct x86_operand *o, const struct x86_insn *in,
			unsigned reg, unsigned size)
{
	o->kind = X86_OPND_REG;
	o->size = size;
	/* Without REX, byte registers 4-7 are AH, CH, DH, BH; with any REX
	 * they are SPL, BPL, SIL, DIL (SDM Vol. 2A §3.1.1.1, Table 3-1). */
	if (size == 1 && !in->rex && reg >= 4 && reg < 8) {
		o->reg = reg - 4;
		o->high8 = true;
	} else {
		o->reg = reg;
	}
}

static void string_operand(struct x86_operand *o, const struct x86_insn *in,
			   bool dest, unsigned size)
{
	o->kind = X86_OPND_MEM;
	o->size = size;
	o->base = dest ? X86_RDI : X86_RSI;
	o->index = X86_REG_NONE;
	o->scale = 1;
	/* The destination is always ES:rDI; the source DS:rSI takes
	 * overrides (SDM Vol. 2B, MOVS). */
	o->seg = dest ? X86_ES : in->seg_override >= 0 ? in->seg_override
						       : X86_DS;
}

enum x86_decode_status x86_decode(const uint8_t *code, size_t avail,
				  unsigned code_bits, struct x86_insn *in)
{
	struct cursor c = { .code = code, .avail = avail };
	struct x86_opcode_desc d;
	struct x86_operand rm_op = { 0 };
	unsigned flags, vsize, imm_bytes = 0;
	uint8_t b = 0;
	int64_t imm = 0;

	__builtin_memset(in, 0, sizeof(*in));
	in->code_bits = code_bits;
	in->seg_override = -1;

	decode_prefixes(&c, in);
	if (!next_byte(&c, &b))
		goto out;
	effective_sizes(in);
	if (b == 0x0f) {
		in->two_byte = true;
		if (!next_byte(&c, &b))
			goto out;
		d = x86_twobyte_map[b];
	} else {
		d = x86_onebyte_map[b];
	}
	in->opcode = b;
	flags = d.flags;
	if (flags & F_MODRM) {
		in->has_modrm = true;
		if (!next_byte(&c, &in->modrm))
			goto out;
	}
	if (flags & F_GROUP) {
		const struct x86_opcode_desc *g =
			&x86_groups[d.group][(in->modrm >> 3) & 7];

		flags = (flags & (F_MODRM | F_BYTE | F_NOT64)) | g->flags;
		d = *g;
	}
	if (d.mnemonic == X86_INVALID ||
	    ((flags & F_ONLY64) && code_bits != 64) ||
	    ((flags & F_NOT64) && code_bits == 64) ||
	    (d.mnemonic == X86_MOVSXD && in->op_size == 2) ||
	    ((flags & F_NO_PFX) && (in->opsize_prefix || in->rep))) {
		c.err = X86_DECODE_UNKNOWN;
		goto out;
	}
	in->mnemonic = d.mnemonic;

	/* Operand size of the instruction. */
	vsize = in->op_size;
	if (flags & F_BYTE)
		in->op_size = 1;
	else if ((flags & F_SIZE_Z) && in->op_size == 8)
		in->op_size = 4;
	if (d.op[0] == T_My) /* MOVNTI: 32 or 64 bits, REX.W decides */
		in->op_size = vsize = REX_W(in) ? 8 : 4;

	/* ModRM memory form: SIB and displacement. */
	if (in->has_modrm && (in->modrm >> 6) != 3) {
		rm_op.kind = X86_OPND_MEM;
		if (in->addr_size == 2)
			decode_modrm16(&c, in, &rm_op);
		else
			decode_modrm32(&c, in, &rm_op);
		if (in->seg_override >= 0)
			rm_op.seg = in->seg_override;
		if (c.err)
			goto out;
	} else if (in->has_modrm) {
		if (flags & F_MEM_ONLY) {
			c.err = X86_DECODE_INVALID;
			goto out;
		}
		rm_op.kind = X86_OPND_REG;
	}

	/* Immediate or moffs: at most one per instruction in this set. */
	for (unsigned i = 0; i < 2; i++) {
		switch (d.op[i]) {
		case T_Ib:
		case T_IbU:
			imm_bytes = 1;
			break;
		case T_Iz:
			imm_bytes = vsize == 2 ? 2 : 4;
			break;
		case T_Ob:
		case T_Ov:
			imm_bytes = in->addr_size;
			break;
		default:
			break;
		}
	}
	if (imm_bytes) {
		in->imm_size = imm_bytes;
		if (!next_signed(&c, imm_bytes, &imm))
			goto out;
	}

	/* Build the operands from the templates. */
	for (unsigned i = 0; i < 2; i++) {
		struct x86_operand *o = &in->op[i];
		unsigned greg = ((in->modrm >> 3) & 7) | (REX_R(in) << 3);
		unsigned rreg = (in->modrm & 7) | (REX_B(in) << 3);
		unsigned size;

		switch (d.op[i]) {
		case T_NONE:
			continue;
		case T_Eb: case T_Ev: case T_Ew: case T_Ed: case T_My:
			size = d.op[i] == T_Eb ? 1 : d.op[i] == T_Ew ? 2 :
			       d.op[i] == T_Ed ? 4 : vsize;
			if (rm_op.kind == X86_OPND_REG) {
				reg_operand(o, in, rreg, size);
			} else {
				*o = rm_op;
				o->size = size;
			}
			break;
		case T_Gb:
			reg_operand(o, in, greg, 1);
			break;
		case T_Gv: case T_Gy:
			reg_operand(o, in, greg, vsize);
			break;
		case T_Ib: case T_IbU: case T_Iz:
			o->kind = X86_OPND_IMM;
			o->size = in->op_size;
			o->imm = d.op[i] == T_IbU ? (uint64_t)imm & 0xff
						  : (uint64_t)imm;
			break;
		case T_AL:
			reg_operand(o, in, X86_RAX, 1);
			break;
		case T_rAX:
			reg_operand(o, in, X86_RAX, in->op_size);
			break;
		case T_Ob: case T_Ov:
			/* moffs: an absolute offset of address size
			 * (SDM Vol. 2A, MOV; Table A-1 "O"). */
			o->kind = X86_OPND_MEM;
			o->size = in->op_size;
			o->base = o->index = X86_REG_NONE;
			o->scale = 1;
			o->disp = (int64_t)((uint64_t)imm &
					    x86_size_mask(imm_bytes));
			o->seg = in->seg_override >= 0 ? in->seg_override
						       : X86_DS;
			break;
		case T_Xb: case T_Xv: case T_Xz:
			string_operand(o, in, false, in->op_size);
			break;
		case T_Yb: case T_Yv: case T_Yz:
			string_operand(o, in, true, in->op_size);
			break;
		case T_DX:
			reg_operand(o, in, X86_RDX, 2);
			break;
		}
		in->n_operands = i + 1;
	}

	/* LOCK is #UD unless the instruction allows it and its destination
	 * is memory (SDM Vol. 2A, LOCK). */
	if (in->lock && (!(flags & F_LOCK) || in->op[0].kind != X86_OPND_MEM))
		c.err = X86_DECODE_INVALID;
out:
	in->len = c.pos;
	return c.err;
}
