/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/fast_mov.c - decode and complete the plain MOVs the MMIO fast path
 * takes. Encodings: SDM Vol. 2A chapter 2 (§2.1 format, §2.2.1 REX,
 * Table 2-2 ModRM, Table 2-3 SIB, §2.2.1.6 RIP-relative); MOV, MOVZX, MOVSX
 * in Vol. 2B.
 */
#include "fast_mov.h"

#define REX_W 0x8u
#define REX_R 0x4u
#define REX_X 0x2u
#define REX_B 0x1u

/* Little-endian, sign-extended field of n (1, 2 or 4) bytes. */
static int64_t field(const uint8_t *p, unsigned n)
{
	switch (n) {
	case 1:
		return (int8_t)p[0];
	case 2:
		return (int16_t)(p[0] | p[1] << 8);
	default:
		return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 |
				 (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
	}
}

/* What each first byte is to this decoder: a prefix (P_*) or an opcode it
 * takes (O_*); 0 for everything else. */
#define O_OK    0x01 /* MOV 88/89/8A/8B/C6/C7 */
#define O_BYTE  0x02 /* 8-bit operand */
#define O_WRITE 0x04 /* memory is the destination */
#define O_IMM   0x08 /* C6/C7: immediate source */
#define O_0F    0x10 /* escape to the two-byte map */
#define P_ANY   0x80
#define P_REX   0x81
#define P_OPSZ  0x82 /* 66 */
#define P_ADSZ  0x83 /* 67 */
#define P_SEG   0x84 /* ES, CS, SS, DS: no effect in 64-bit mode */

static const uint8_t first_byte[256] = {
	[0x26] = P_SEG, [0x2e] = P_SEG, [0x36] = P_SEG, [0x3e] = P_SEG,
	[0x40 ... 0x4f] = P_REX,
	[0x66] = P_OPSZ, [0x67] = P_ADSZ,
	[0x0f] = O_0F,
	[0x88] = O_OK | O_BYTE | O_WRITE, [0x89] = O_OK | O_WRITE,
	[0x8a] = O_OK | O_BYTE, [0x8b] = O_OK,
	[0xc6] = O_OK | O_BYTE | O_WRITE | O_IMM, [0xc7] = O_OK | O_WRITE | O_IMM,
};

bool x86_fast_mov_decode(const uint8_t *code, size_t avail,
			 struct x86_fast_mov *m)
{
	/* Longer than 15 bytes is #GP (SDM Vol. 2A §2.1): left to the full
	 * emulator, like every other fault. */
	size_t n = avail < 15 ? avail : 15;
	unsigned pos, rex = 0, op_size, mod, rm, disp_size, imm_size = 0;
	bool opsize_prefix = false;
	uint8_t b, k, modrm;

	m->addr_size = 8;
	/* Prefixes. A REX counts only right before the opcode: a legacy prefix
	 * after it voids it (§2.2.1). */
	for (pos = 0;; pos++) {
		if (pos >= n)
			return false;
		b = code[pos];
		k = first_byte[b];
		if (!(k & P_ANY))
			break;
		if (k == P_REX) {
			rex = b;
			continue;
		}
		if (k == P_OPSZ)
			opsize_prefix = true;
		else if (k == P_ADSZ)
			m->addr_size = 4;
		rex = 0;
	}
	pos++;
	op_size = (rex & REX_W) ? 8 : opsize_prefix ? 2 : 4;
	m->sign_extend = false;
	m->reg_size = (uint8_t)op_size;
	if (k & O_OK) {
		if (k & O_BYTE)
			m->reg_size = 1;
		m->size = m->reg_size;
		m->write = k & O_WRITE;
		m->has_imm = k & O_IMM;
		if (m->has_imm)
			imm_size = (k & O_BYTE) ? 1 : op_size == 2 ? 2 : 4;
	} else if (k == O_0F && pos < n && (code[pos] & 0xf6) == 0xb6) {
		/* 0F B6/B7 MOVZX, 0F BE/BF MOVSX: bit 0 picks a word source,
		 * bit 3 sign extension. */
		b = code[pos++];
		m->size = (b & 1) ? 2 : 1;
		m->sign_extend = b & 8;
		m->write = false;
		m->has_imm = false;
	} else {
		return false;
	}

	if (pos >= n)
		return false;
	modrm = code[pos++];
	mod = modrm >> 6;
	rm = modrm & 7;
	if (mod == 3)
		return false; /* a register operand: no memory access */
	/* C6/C7 are MOV only with ModRM.reg 0 (C6 F8 is XABORT, Table A-6). */
	if (m->has_imm && (modrm & 0x38))
		return false;
	m->reg = ((modrm >> 3) & 7) | ((rex & REX_R) ? 8 : 0);
	/* Without REX, byte registers 4-7 are AH, CH, DH, BH (Vol. 2A §3.1.1.1,
	 * Table 3-1). */
	m->high8 = m->reg_size == 1 && !rex && m->reg >= 4;
	if (m->high8)
		m->reg -= 4;

	/* The memory operand (Tables 2-2, 2-3); 67 changes only the width. */
	disp_size = mod == 1 ? 1 : mod == 2 ? 4 : 0;
	m->base = rm | ((rex & REX_B) ? 8 : 0);
	m->index = X86_FAST_NO_REG;
	m->scale = 1;
	if (rm == 4) {
		uint8_t sib, idx;

		if (pos >= n)
			return false;
		sib = code[pos++];
		idx = ((sib >> 3) & 7) | ((rex & REX_X) ? 8 : 0);
		/* Index 100b without REX.X is "none". */
		if (idx != 4)
			m->index = idx;
		m->scale = (uint8_t)(1u << (sib >> 6));
		m->base = (sib & 7) | ((rex & REX_B) ? 8 : 0);
		if ((sib & 7) == 5 && mod == 0) {
			m->base = X86_FAST_NO_REG;
			disp_size = 4;
		}
	} else if (rm == 5 && mod == 0) {
		m->base = X86_FAST_RIP;
		disp_size = 4;
	}

	if (pos + disp_size + imm_size > n)
		return false;
	m->disp = disp_size ? (int32_t)field(code + pos, disp_size) : 0;
	pos += disp_size;
	m->imm = imm_size ? (uint64_t)field(code + pos, imm_size) : 0;
	m->len = (uint8_t)(pos + imm_size);
	return true;
}
