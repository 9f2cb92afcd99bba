/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/decode.h - x86 instruction decoder for the emulated subset.
 *
 * Decodes legacy prefixes, REX, the one-byte and 0F opcode maps, ModRM, SIB,
 * displacements (incl. RIP-relative and the 16-bit addressing forms) and
 * immediates (SDM Vol. 2A chapter 2, AMD APM Vol. 3 chapter 1), and always
 * computes the instruction length. Only the opcodes listed in
 * decode_tables.c are known; anything else is X86_DECODE_UNKNOWN, never a
 * guess. Operands come out in Intel order (destination first).
 */
#ifndef HV_X86_DECODE_H
#define HV_X86_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The architectural limit on instruction length; longer is #GP(0)
 * (SDM Vol. 2A §2.1; Vol. 3A §6.15, interrupt 13). */
#define X86_MAX_INSN_LEN 15

enum x86_mnemonic {
	X86_INVALID = 0,
	/* Group-1 ALU operations, in their ModRM.reg / opcode-bits-5:3
	 * order (SDM Vol. 2A Table A-6, group 1). */
	X86_ADD, X86_OR, X86_ADC, X86_SBB, X86_AND, X86_SUB, X86_XOR, X86_CMP,
	X86_TEST, X86_XCHG, X86_NOT, X86_NEG, X86_INC, X86_DEC,
	X86_MOV, X86_MOVZX, X86_MOVSX, X86_MOVSXD, X86_MOVNTI,
	/* Bit tests, in 0F BA /4../7 order. */
	X86_BT, X86_BTS, X86_BTR, X86_BTC,
	X86_MOVS, X86_CMPS, X86_STOS, X86_LODS, X86_SCAS, X86_INS, X86_OUTS,
	X86_NR_MNEMONICS
};

enum x86_operand_kind {
	X86_OPND_NONE = 0,
	X86_OPND_REG,
	X86_OPND_MEM,
	X86_OPND_IMM,
};

/* Special base register value for RIP-relative memory operands. */
#define X86_REG_RIP 16
#define X86_REG_NONE (-1)

struct x86_operand {
	uint8_t kind;   /* enum x86_operand_kind */
	uint8_t size;   /* bytes: 1, 2, 4 or 8 */
	/* X86_OPND_REG */
	uint8_t reg;    /* enum x86_gpr */
	bool high8;     /* AH, CH, DH, BH: bits 15:8 of reg 0..3 */
	/* X86_OPND_MEM: seg:[base + index*scale + disp] truncated to the
	 * instruction's address size. base/index are GPR numbers,
	 * X86_REG_NONE, or X86_REG_RIP for base. */
	uint8_t seg;    /* enum x86_sreg, after overrides */
	int8_t base;
	int8_t index;
	uint8_t scale;
	int64_t disp;   /* sign-extended; moffs: the offset, zero-extended */
	/* X86_OPND_IMM: sign-extended to 64 bits from its encoded size
	 * (zero-extended for unsigned immediates: 0F BA's bit offset). */
	uint64_t imm;
};

struct x86_insn {
	uint8_t len;
	uint8_t mnemonic;     /* enum x86_mnemonic */
	uint8_t code_bits;    /* 16, 32, 64: the mode decoded for */
	uint8_t op_size;      /* effective operand size in bytes */
	uint8_t addr_size;    /* effective address size in bytes */
	uint8_t rep;          /* 0, 0xf2 or 0xf3: the last REP prefix */
	bool lock;
	bool opsize_prefix;   /* 66 seen */
	bool addrsize_prefix; /* 67 seen */
	int8_t seg_override;  /* enum x86_sreg or -1 */
	uint8_t rex;          /* effective REX byte, 0 if none */
	bool two_byte;        /* 0F map */
	uint8_t opcode;       /* the opcode byte (after 0F for two_byte) */
	bool has_modrm;
	uint8_t modrm;
	bool has_sib;
	uint8_t sib;
	uint8_t disp_size;    /* bytes of displacement encoded */
	uint8_t imm_size;     /* bytes of immediate / moffs encoded */
	uint8_t n_operands;
	struct x86_operand op[2];
};

enum x86_decode_status {
	X86_DECODE_OK = 0,
	X86_DECODE_NEED_MORE,  /* the bytes given end inside the instruction */
	X86_DECODE_TOO_LONG,   /* more than 15 bytes: #GP(0) */
	X86_DECODE_UNKNOWN,    /* an opcode/form this decoder does not know */
	X86_DECODE_INVALID,    /* a known opcode in a form the CPU rejects
				  with #UD (LOCK misuse, register form of a
				  memory-only instruction) */
};

/*
 * Decode one instruction from code[0..avail) for a CPU whose default code
 * size is code_bits (16, 32, 64; see x86_mode_code_bits()). On
 * X86_DECODE_OK insn is complete and insn->len is the length.
 */
enum x86_decode_status x86_decode(const uint8_t *code, size_t avail,
				  unsigned code_bits, struct x86_insn *insn);

const char *x86_mnemonic_name(unsigned mnemonic);

#endif
