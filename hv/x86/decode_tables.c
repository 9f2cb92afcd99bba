/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/decode_tables.c - the opcodes the decoder knows.
 *
 * Transcribed from the opcode maps of SDM Vol. 2D Appendix A (Tables A-2,
 * ) for exactly the instructions the emulator supports, plus
 * the register/accumulator forms of the same instructions (they share the
 * emulation code and the differential test checks their lengths). Every
 * other entry is X86_INVALID, which the decoder reports as unknown.
 */
#include "decode.h"
#include "decode_tables.h"

#define D(m, f, a, b) { .mnemonic = (m), .flags = (f), .op = { (a), (b) } }
#define G(g, f) { .mnemonic = X86_NR_MNEMONICS, .flags = F_MODRM | F_GROUP | (f), .group = (g) }

/* The six classic encodings of a group-1 ALU operation at base 8*n
 * (Table A-2 rows 0-3): Eb,Gb  Ev,Gv  Gb,Eb  Gv,Ev  AL,Ib  rAX,Iz.
 * CMP (n = 7) only reads its destination, so it is not lockable. */
#define ALU_ROW(base, m, lk)                                            \
	[(base) + 0] = D(m, F_MODRM | F_BYTE | (lk), T_Eb, T_Gb),       \
	[(base) + 1] = D(m, F_MODRM | (lk), T_Ev, T_Gv),                \
	[(base) + 2] = D(m, F_MODRM | F_BYTE, T_Gb, T_Eb),              \
	[(base) + 3] = D(m, F_MODRM, T_Gv, T_Ev),                       \
	[(base) + 4] = D(m, F_BYTE, T_AL, T_Ib),                        \
	[(base) + 5] = D(m, 0, T_rAX, T_Iz)

const struct x86_opcode_desc x86_onebyte_map[256] = {
	ALU_ROW(0x00, X86_ADD, F_LOCK),
	ALU_ROW(0x08, X86_OR, F_LOCK),
	ALU_ROW(0x10, X86_ADC, F_LOCK),
	ALU_ROW(0x18, X86_SBB, F_LOCK),
	ALU_ROW(0x20, X86_AND, F_LOCK),
	ALU_ROW(0x28, X86_SUB, F_LOCK),
	ALU_ROW(0x30, X86_XOR, F_LOCK),
	ALU_ROW(0x38, X86_CMP, 0),
	/* 63 is ARPL outside 64-bit mode. With a 16-bit operand size the
	 * SDM lists "MOVSXD r16, r/m16", but AMD CPUs read a 32-bit memory
	 * source there (seen on an EPYC host; Zydis decodes it so too): the
	 * decoder reports that vendor-dependent form as unknown (decode.c). */
	[0x63] = D(X86_MOVSXD, F_MODRM | F_ONLY64, T_Gv, T_Ed),
	[0x6c] = D(X86_INS, F_BYTE, T_Yb, T_DX),
	[0x6d] = D(X86_INS, F_SIZE_Z, T_Yz, T_DX),
	[0x6e] = D(X86_OUTS, F_BYTE, T_DX, T_Xb),
	[0x6f] = D(X86_OUTS, F_SIZE_Z, T_DX, T_Xz),
	[0x80] = G(GRP1_EB_IB, F_BYTE),
	[0x81] = G(GRP1_EV_IZ, 0),
	/* 82 is an alias of 80 outside 64-bit mode (Table A-2, "i64"). */
	[0x82] = G(GRP1_EB_IB, F_BYTE | F_NOT64),
	[0x83] = G(GRP1_EV_IB, 0),
	[0x84] = D(X86_TEST, F_MODRM | F_BYTE, T_Eb, T_Gb),
	[0x85] = D(X86_TEST, F_MODRM, T_Ev, T_Gv),
	[0x86] = D(X86_XCHG, F_MODRM | F_BYTE | F_LOCK, T_Eb, T_Gb),
	[0x87] = D(X86_XCHG, F_MODRM | F_LOCK, T_Ev, T_Gv),
	[0x88] = D(X86_MOV, F_MODRM | F_BYTE, T_Eb, T_Gb),
	[0x89] = D(X86_MOV, F_MODRM, T_Ev, T_Gv),
	[0x8a] = D(X86_MOV, F_MODRM | F_BYTE, T_Gb, T_Eb),
	[0x8b] = D(X86_MOV, F_MODRM, T_Gv, T_Ev),
	[0xa0] = D(X86_MOV, F_BYTE, T_AL, T_Ob),
	[0xa1] = D(X86_MOV, 0, T_rAX, T_Ov),
	[0xa2] = D(X86_MOV, F_BYTE, T_Ob, T_AL),
	[0xa3] = D(X86_MOV, 0, T_Ov, T_rAX),
	[0xa4] = D(X86_MOVS, F_BYTE, T_Yb, T_Xb),
	[0xa5] = D(X86_MOVS, 0, T_Yv, T_Xv),
	[0xa6] = D(X86_CMPS, F_BYTE, T_Xb, T_Yb),
	[0xa7] = D(X86_CMPS, 0, T_Xv, T_Yv),
	[0xa8] = D(X86_TEST, F_BYTE, T_AL, T_Ib),
	[0xa9] = D(X86_TEST, 0, T_rAX, T_Iz),
	[0xaa] = D(X86_STOS, F_BYTE, T_Yb, T_AL),
	[0xab] = D(X86_STOS, 0, T_Yv, T_rAX),
	[0xac] = D(X86_LODS, F_BYTE, T_AL, T_Xb),
	[0xad] = D(X86_LODS, 0, T_rAX, T_Xv),
	[0xae] = D(X86_SCAS, F_BYTE, T_AL, T_Yb),
	[0xaf] = D(X86_SCAS, 0, T_rAX, T_Yv),
	[0xc6] = G(GRP11_EB, F_BYTE),
	[0xc7] = G(GRP11_EV, 0),
	[0xf6] = G(GRP3_EB, F_BYTE),
	[0xf7] = G(GRP3_EV, 0),
	[0xfe] = G(GRP4_EB, F_BYTE),
	[0xff] = G(GRP5_EV, 0),
};

const struct x86_opcode_desc x86_twobyte_map[256] = {
	[0xa3] = D(X86_BT, F_MODRM, T_Ev, T_Gv),
	[0xab] = D(X86_BTS, F_MODRM | F_LOCK, T_Ev, T_Gv),
	[0xb3] = D(X86_BTR, F_MODRM | F_LOCK, T_Ev, T_Gv),
	[0xb6] = D(X86_MOVZX, F_MODRM, T_Gv, T_Eb),
	[0xb7] = D(X86_MOVZX, F_MODRM, T_Gv, T_Ew),
	[0xba] = G(GRP8_EV_IB, 0),
	[0xbb] = D(X86_BTC, F_MODRM | F_LOCK, T_Ev, T_Gv),
	[0xbe] = D(X86_MOVSX, F_MODRM, T_Gv, T_Eb),
	[0xbf] = D(X86_MOVSX, F_MODRM, T_Gv, T_Ew),
	/* 66/F2/F3 0F C3 are not MOVNTI (Table A-3 lists no-prefix only). */
	[0xc3] = D(X86_MOVNTI, F_MODRM | F_MEM_ONLY | F_NO_PFX, T_My, T_Gy),
};

#define GRP1(a, b, f)                                                   \
	{ D(X86_ADD, F_LOCK | (f), a, b), D(X86_OR, F_LOCK | (f), a, b), \
	  D(X86_ADC, F_LOCK | (f), a, b), D(X86_SBB, F_LOCK | (f), a, b), \
	  D(X86_AND, F_LOCK | (f), a, b), D(X86_SUB, F_LOCK | (f), a, b), \
	  D(X86_XOR, F_LOCK | (f), a, b), D(X86_CMP, (f), a, b) }

/* Group entries inherit F_MODRM/F_BYTE from the opcode; only the operands
 * and flags specific to the /reg value are listed. Table A-6. */
const struct x86_opcode_desc x86_groups[NR_GROUPS][8] = {
	[GRP1_EB_IB] = GRP1(T_Eb, T_Ib, 0),
	[GRP1_EV_IZ] = GRP1(T_Ev, T_Iz, 0),
	[GRP1_EV_IB] = GRP1(T_Ev, T_Ib, 0),
	/* Group 3: /1 is an alias of TEST /0 on Intel and AMD (not listed
	 * in the SDM map but decoded by both; Zydis agrees). /4../7 (MUL,
	 * IMUL, DIV, IDIV) are not emulated. */
	[GRP3_EB] = { D(X86_TEST, 0, T_Eb, T_Ib), D(X86_TEST, 0, T_Eb, T_Ib),
		      D(X86_NOT, F_LOCK, T_Eb, T_NONE),
		      D(X86_NEG, F_LOCK, T_Eb, T_NONE) },
	[GRP3_EV] = { D(X86_TEST, 0, T_Ev, T_Iz), D(X86_TEST, 0, T_Ev, T_Iz),
		      D(X86_NOT, F_LOCK, T_Ev, T_NONE),
		      D(X86_NEG, F_LOCK, T_Ev, T_NONE) },
	[GRP4_EB] = { D(X86_INC, F_LOCK, T_Eb, T_NONE),
		      D(X86_DEC, F_LOCK, T_Eb, T_NONE) },
	/* Group 5 /2../6 (CALL, JMP, PUSH) are not emulated. */
	[GRP5_EV] = { D(X86_INC, F_LOCK, T_Ev, T_NONE),
		      D(X86_DEC, F_LOCK, T_Ev, T_NONE) },
	/* Group 11: /7 is XABORT/XBEGIN, not emulated. */
	[GRP11_EB] = { D(X86_MOV, 0, T_Eb, T_Ib) },
	[GRP11_EV] = { D(X86_MOV, 0, T_Ev, T_Iz) },
	/* Group 8: /0../3 are undefined. */
	[GRP8_EV_IB] = { [4] = D(X86_BT, 0, T_Ev, T_IbU),
			 [5] = D(X86_BTS, F_LOCK, T_Ev, T_IbU),
			 [6] = D(X86_BTR, F_LOCK, T_Ev, T_IbU),
			 [7] = D(X86_BTC, F_LOCK, T_Ev, T_IbU) },
};

static const char *const names[X86_NR_MNEMONICS] = {
	[X86_INVALID] = "(unknown)",
	[X86_ADD] = "add", [X86_OR] = "or", [X86_ADC] = "adc",
	[X86_SBB] = "sbb", [X86_AND] = "and", [X86_SUB] = "sub",
	[X86_XOR] = "xor", [X86_CMP] = "cmp", [X86_TEST] = "test",
	[X86_XCHG] = "xchg", [X86_NOT] = "not", [X86_NEG] = "neg",
	[X86_INC] = "inc", [X86_DEC] = "dec", [X86_MOV] = "mov",
	[X86_MOVZX] = "movzx", [X86_MOVSX] = "movsx",
	[X86_MOVSXD] = "movsxd", [X86_MOVNTI] = "movnti",
	[X86_BT] = "bt", [X86_BTS] = "bts", [X86_BTR] = "btr",
	[X86_BTC] = "btc", [X86_MOVS] = "movs", [X86_CMPS] = "cmps",
	[X86_STOS] = "stos", [X86_LODS] = "lods", [X86_SCAS] = "scas",
	[X86_INS] = "ins", [X86_OUTS] = "outs",
};

const char *x86_mnemonic_name(unsigned mnemonic)
{
	return mnemonic < X86_NR_MNEMONICS ? names[mnemonic] : "(unknown)";
}
