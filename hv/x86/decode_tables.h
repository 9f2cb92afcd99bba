/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/decode_tables.h - opcode descriptors shared by decode.c and
 * decode_tables.c (internal to the decoder).
 */
#ifndef HV_X86_DECODE_TABLES_H
#define HV_X86_DECODE_TABLES_H

#include <stdint.h>

/*
 * Operand templates, named after the SDM's operand codes (Vol. 2D §A.2.1,
 * §A.2.2): E = ModRM r/m, G = ModRM reg, I = immediate, O = moffs,
 * X = DS:rSI, Y = ES:rDI; b = byte, w = word, d = dword, v = operand size,
 * y = dword or qword, z = word or dword (dword if v is qword).
 */
enum x86_tmpl {
	T_NONE = 0,
	T_Eb, T_Ev, T_Ew, T_Ed,
	T_My,
	T_Gb, T_Gv, T_Gy,
	T_Ib,    /* byte immediate, sign-extended to the operand size */
	T_IbU,   /* unsigned byte immediate (bit offset of 0F BA) */
	T_Iz,
	T_AL, T_rAX,
	T_Ob, T_Ov,
	T_Xb, T_Xv, T_Xz,
	T_Yb, T_Yv, T_Yz,
	T_DX,
};

/* Descriptor flags. */
#define F_MODRM    0x01  /* has a ModRM byte */
#define F_GROUP    0x02  /* ModRM.reg selects the entry in group[] */
#define F_LOCK     0x04  /* LOCK allowed when the destination is memory */
#define F_MEM_ONLY 0x08  /* register form (mod = 3) is #UD */
#define F_ONLY64   0x10  /* this meaning exists only in 64-bit mode */
#define F_NO_PFX   0x20  /* 66/F2/F3 select another instruction: unknown */
#define F_BYTE     0x40  /* operand size is 1 */
#define F_SIZE_Z   0x80  /* operand size is z (at most 4) */
#define F_NOT64    0x100 /* invalid in 64-bit mode ("i64" in Table A-2) */

struct x86_opcode_desc {
	uint8_t mnemonic;  /* enum x86_mnemonic; X86_INVALID: unknown */
	uint16_t flags;
	uint8_t group;     /* F_GROUP: index into x86_groups */
	uint8_t op[2];     /* enum x86_tmpl, destination first */
};

enum x86_group {
	GRP_NONE, GRP1_EB_IB, GRP1_EV_IZ, GRP1_EV_IB, GRP3_EB, GRP3_EV,
	GRP4_EB, GRP5_EV, GRP11_EB, GRP11_EV, GRP8_EV_IB, NR_GROUPS
};

extern const struct x86_opcode_desc x86_onebyte_map[256];
extern const struct x86_opcode_desc x86_twobyte_map[256];
extern const struct x86_opcode_desc x86_groups[NR_GROUPS][8];

#endif
