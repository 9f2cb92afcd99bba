/* SPDX-License-Identifier: GPL-2.0-only */
/* Cases whose encoding holds the address itself: MOV with a moffs operand
 * (A0-A3), RIP-relative and EIP-relative (67) ModRM operands, and a SIB form
 * with no base and an absolute disp32. The instruction is written at run
 * time, for each run, into the code page of the alias window (alias.c) and
 * run from there, so a RIP-relative displacement can reach the MMIO page
 * aliased 8 KiB further on. A few start 5 bytes before the end of the code
 * page, so that fetching them means reading two pages (the next one is the
 * alias window's first RAM page, whose first bytes no region uses). */
#include "mmiotest.h"

enum kind {
	K_MOFFS64, /* 8-byte absolute address */
	K_MOFFS32, /* 4-byte absolute address (67 prefix) */
	K_RIP,     /* disp32 relative to the next instruction */
	K_EIP,     /* disp32 relative to the next instruction, modulo 2^32 (67) */
	K_ABS_M8,  /* disp32 = target - 8 (with an index of 8 bytes' worth) */
};

static const void *build(uint8_t *code, uint64_t target, enum kind k, const uint8_t *pre,
			 unsigned npre, const uint8_t *post, unsigned npost)
{
	uint8_t *p = code;
	uint64_t next, v;
	unsigned n = 4;

	for (unsigned i = 0; i < npre; i++)
		*p++ = pre[i];
	if (k == K_MOFFS64)
		n = 8;
	next = (uint64_t)p + n + npost;
	switch (k) {
	case K_MOFFS64:
		v = target;
		break;
	case K_MOFFS32:
		if (target >> 32)
			return NULL;
		v = target;
		break;
	case K_RIP: {
		int64_t d = (int64_t)(target - next);
		if (d != (int32_t)d)
			return NULL;
		v = (uint64_t)d;
		break;
	}
	case K_EIP:
		v = (uint32_t)(target - next);
		break;
	default: /* K_ABS_M8 */
		if ((target - 8) >> 32)
			return NULL;
		v = target - 8;
		break;
	}
	for (unsigned i = 0; i < n; i++)
		*p++ = (uint8_t)(v >> (8 * i));
	for (unsigned i = 0; i < npost; i++)
		*p++ = post[i];
	*p = 0xC3; /* RET */
	return code;
}

#define UNPACK(...) __VA_ARGS__
#define GEN(id, k, pre, post)                                                            \
	static const void *gen_##id(uint8_t *code, uint64_t target)                      \
	{                                                                                \
		static const uint8_t a[] = { UNPACK pre }, b[] = { 0, UNPACK post };     \
		return build(code, target, k, a, sizeof(a), b + 1, sizeof(b) - 1);       \
	}

/* moffs */
GEN(a0, K_MOFFS64, (0xA0), ())
GEN(a1_16, K_MOFFS64, (0x66, 0xA1), ())
GEN(a1_32, K_MOFFS64, (0xA1), ())
GEN(a1_64, K_MOFFS64, (0x48, 0xA1), ())
GEN(a2, K_MOFFS64, (0xA2), ())
GEN(a3_16, K_MOFFS64, (0x66, 0xA3), ())
GEN(a3_32, K_MOFFS64, (0xA3), ())
GEN(a3_64, K_MOFFS64, (0x48, 0xA3), ())
GEN(a1_a32, K_MOFFS32, (0x67, 0xA1), ())
GEN(a2_a32, K_MOFFS32, (0x67, 0xA2), ())
GEN(a3_fs, K_MOFFS64, (0x64, 0x48, 0xA3), ())
/* EIP-relative: 67 with ModRM mod 00 rm 101 */
GEN(eip_8b, K_EIP, (0x67, 0x8B, 0x05), ())
GEN(eip_89_64, K_EIP, (0x67, 0x48, 0x89, 0x0D), ())
GEN(eip_81, K_EIP, (0x67, 0x81, 0x05), (0x78, 0x56, 0x34, 0x12))
/* RIP-relative; an immediate after the displacement moves the next RIP */
GEN(rip_8b, K_RIP, (0x8B, 0x05), ())
GEN(rip_89_64, K_RIP, (0x48, 0x89, 0x15), ())
GEN(rip_8a_ah, K_RIP, (0x8A, 0x25), ())
GEN(rip_81, K_RIP, (0x81, 0x05), (0x78, 0x56, 0x34, 0x92))
GEN(rip_c6, K_RIP, (0xC6, 0x05), (0xA5))
GEN(rip_c7_64, K_RIP, (0x48, 0xC7, 0x05), (0xFE, 0xFF, 0xFF, 0x7F))
GEN(rip_c7_16, K_RIP, (0x66, 0xC7, 0x05), (0x34, 0x12))
GEN(rip_80_cmp, K_RIP, (0x80, 0x3D), (0x5A))
GEN(rip_83_w, K_RIP, (0x66, 0x83, 0x05), (0xFE))
GEN(rip_f7_64, K_RIP, (0x48, 0xF7, 0x05), (0x01, 0x00, 0x00, 0x80))
GEN(rip_ba_btr, K_RIP, (0x0F, 0xBA, 0x35), (0x0C))
GEN(rip_0fb6, K_RIP, (0x0F, 0xB6, 0x05), ())
GEN(rip_87, K_RIP, (0x87, 0x0D), ())
GEN(rip_ff_inc, K_RIP, (0xFF, 0x05), ())
GEN(rip_f6_neg, K_RIP, (0xF6, 0x1D), ())
GEN(rip_63, K_RIP, (0x48, 0x63, 0x05), ())
/* SIB, no base: [ECX*4 + disp32] with address size 32 */
GEN(sib_abs, K_ABS_M8, (0x67, 0x8B, 0x04, 0x8D), ())

#define G(id, nm, fm, wh, ...) \
	{ .name = nm, .gen = gen_##id, .gen_off = 0x40, .fmask = fm, .mmio = 1, .where = wh, \
	  .r = { __VA_ARGS__ } },
#define GF(id, nm, fm, ...)                                                                   \
	{ .name = nm, .gen = gen_##id, .gen_off = 0x40, .fmask = fm, .mmio = 1,               \
	  .where = W_PLAIN, .flags = C_FSBASE, .r = { __VA_ARGS__ } },

#define GS_(id, nm, fm, wh, ...)                                                              \
	{ .name = nm, .gen = gen_##id, .gen_off = 0x40, .fmask = fm, .mmio = 1, .where = wh,  \
	  .flags = C_CODE_SPLIT, .r = { __VA_ARGS__ } },

static const struct tcase cases[] = {
	G(a0, "A0 MOV AL,moffs64", FL_NONE, W_PLAIN)
	G(a1_16, "66 A1 MOV AX,moffs64", FL_NONE, W_PLAIN)
	G(a1_32, "A1 MOV EAX,moffs64", FL_NONE, W_PLAIN)
	G(a1_64, "REX.W A1 MOV RAX,moffs64", FL_NONE, W_PLAIN)
	G(a2, "A2 MOV moffs64,AL", FL_NONE, W_PLAIN)
	G(a3_16, "66 A3 MOV moffs64,AX", FL_NONE, W_PLAIN)
	G(a3_32, "A3 MOV moffs64,EAX", FL_NONE, W_PLAIN)
	G(a3_64, "REX.W A3 MOV moffs64,RAX", FL_NONE, W_PLAIN)
	G(a1_a32, "67 A1 MOV EAX,moffs32 (address size 32)", FL_NONE, W_PLAIN)
	G(a2_a32, "67 A2 MOV moffs32,AL (address size 32)", FL_NONE, W_PLAIN)
	GF(a3_fs, "64 REX.W A3 MOV FS:moffs64,RAX (FS base 0x10000)", FL_NONE)
	G(eip_8b, "67 8B /r MOV EAX,[EIP+disp32] (EIP-relative, wraps at 4 GiB)", FL_NONE, W_PLAIN)
	G(eip_89_64, "67 REX.W 89 /r MOV [EIP+disp32],RCX", FL_NONE, W_PLAIN)
	G(eip_81, "67 81 /0 id ADD [EIP+disp32],imm32 (immediate after disp)", FL_ARITH, W_PLAIN)
	G(rip_8b, "8B /r MOV EAX,[RIP+disp32]", FL_NONE, W_ALIAS)
	G(rip_89_64, "REX.W 89 /r MOV [RIP+disp32],RDX", FL_NONE, W_ALIAS)
	G(rip_8a_ah, "8A /r MOV AH,[RIP+disp32] (high byte)", FL_NONE, W_ALIAS)
	G(rip_81, "81 /0 id ADD [RIP+disp32],imm32 (immediate after disp)", FL_ARITH, W_ALIAS)
	G(rip_c6, "C6 /0 ib MOV byte [RIP+disp32],imm8", FL_NONE, W_ALIAS)
	G(rip_c7_64, "REX.W C7 /0 id MOV qword [RIP+disp32],imm32", FL_NONE, W_ALIAS)
	G(rip_c7_16, "66 C7 /0 iw MOV word [RIP+disp32],imm16", FL_NONE, W_ALIAS)
	G(rip_80_cmp, "80 /7 ib CMP byte [RIP+disp32],imm8", FL_ARITH, W_ALIAS)
	G(rip_83_w, "66 83 /0 ib ADD word [RIP+disp32],imm8", FL_ARITH, W_ALIAS)
	G(rip_f7_64, "REX.W F7 /0 id TEST qword [RIP+disp32],imm32", FL_LOGIC, W_ALIAS)
	G(rip_ba_btr, "0F BA /6 ib BTR dword [RIP+disp32],imm8", FL_BT, W_ALIAS)
	G(rip_0fb6, "0F B6 /r MOVZX EAX,byte [RIP+disp32]", FL_NONE, W_ALIAS)
	G(rip_87, "87 /r XCHG [RIP+disp32],ECX", FL_NONE, W_ALIAS)
	G(rip_ff_inc, "FF /0 INC dword [RIP+disp32]", FL_ARITH, W_ALIAS)
	G(rip_f6_neg, "F6 /3 NEG byte [RIP+disp32]", FL_ARITH, W_ALIAS)
	G(rip_63, "REX.W 63 /r MOVSXD RAX,[RIP+disp32]", FL_NONE, W_ALIAS)
	GS_(a1_64, "REX.W A1 MOV RAX,moffs64 (instruction across a page boundary)", FL_NONE,
	    W_PLAIN)
	GS_(a3_32, "A3 MOV moffs64,EAX (instruction across a page boundary)", FL_NONE, W_PLAIN)
	GS_(rip_81, "81 /0 id ADD [RIP+disp32],imm32 (instruction across a page boundary)",
	    FL_ARITH, W_ALIAS)
	GS_(rip_c7_64, "REX.W C7 /0 id MOV [RIP+disp32],imm32 (instruction across a page boundary)",
	    FL_NONE, W_ALIAS)
	GS_(eip_89_64, "67 REX.W 89 /r MOV [EIP+disp32],RCX (instruction across a page boundary)",
	    FL_NONE, W_PLAIN)
	G(sib_abs, "67 8B /r MOV EAX,[ECX*4+disp32] (SIB, no base; ECX 2, RCX upper half set)",
	  FL_NONE, W_PLAIN, V(RCX, 0x5555000000000002ull))
};

void run_generated_cases(void)
{
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
}
