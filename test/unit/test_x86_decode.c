/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test/unit/test_x86_decode.c - decoder: lengths, operands, prefixes,
 * high-byte registers, RIP-relative and 16-bit addressing, limits.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hv/x86/decode.h"
#include "hv/x86/regs.h"

static struct x86_insn in;

#define DEC(bits, ...)                                                      \
	({                                                                  \
		static const uint8_t b_[] = { __VA_ARGS__ };                \
		x86_decode(b_, sizeof(b_), (bits), &in);                    \
	})

static void expect_reg(const struct x86_operand *o, unsigned reg, unsigned size, bool high8)
{
	assert_int_equal(o->kind, X86_OPND_REG);
	assert_int_equal(o->reg, reg);
	assert_int_equal(o->size, size);
	assert_int_equal(o->high8, high8);
}

static void expect_mem(const struct x86_operand *o, unsigned seg, int base, int index,
		       unsigned scale, int64_t disp, unsigned size)
{
	assert_int_equal(o->kind, X86_OPND_MEM);
	assert_int_equal(o->seg, seg);
	assert_int_equal(o->base, base);
	assert_int_equal(o->index, index);
	if (index != X86_REG_NONE)
		assert_int_equal(o->scale, scale);
	assert_int_equal(o->disp, disp);
	assert_int_equal(o->size, size);
}

static void test_modrm_sib_rip(void **state)
{
	(void)state;
	/* mov eax, [rip+0x100] */
	assert_int_equal(DEC(64, 0x8b, 0x05, 0x00, 0x01, 0x00, 0x00), X86_DECODE_OK);
	assert_int_equal(in.len, 6);
	assert_int_equal(in.mnemonic, X86_MOV);
	expect_reg(&in.op[0], X86_RAX, 4, false);
	expect_mem(&in.op[1], X86_DS, X86_REG_RIP, X86_REG_NONE, 1, 0x100, 4);
	/* mov rax, [rbp+rcx*4+0x10]: SS default for rBP base */
	assert_int_equal(DEC(64, 0x48, 0x8b, 0x44, 0x8d, 0x10), X86_DECODE_OK);
	assert_int_equal(in.len, 5);
	expect_reg(&in.op[0], X86_RAX, 8, false);
	expect_mem(&in.op[1], X86_SS, X86_RBP, X86_RCX, 4, 0x10, 8);
	/* mov eax, [0x12345678] via SIB without base or index */
	assert_int_equal(DEC(64, 0x8b, 0x04, 0x25, 0x78, 0x56, 0x34, 0x12), X86_DECODE_OK);
	assert_int_equal(in.len, 7);
	expect_mem(&in.op[1], X86_DS, X86_REG_NONE, X86_REG_NONE, 1, 0x12345678, 4);
	/* in 32-bit mode mod=0 rm=5 is absolute, not RIP-relative */
	assert_int_equal(DEC(32, 0x8b, 0x05, 0xfc, 0xff, 0xff, 0xff), X86_DECODE_OK);
	expect_mem(&in.op[1], X86_DS, X86_REG_NONE, X86_REG_NONE, 1, -4, 4);
	/* [r12] needs a SIB, [r13] a displacement; both default to DS */
	assert_int_equal(DEC(64, 0x41, 0x8b, 0x04, 0x24), X86_DECODE_OK);
	assert_int_equal(in.len, 4);
	expect_mem(&in.op[1], X86_DS, X86_R12, X86_REG_NONE, 1, 0, 4);
	assert_int_equal(DEC(64, 0x41, 0x8b, 0x45, 0xf0), X86_DECODE_OK);
	expect_mem(&in.op[1], X86_DS, X86_R13, X86_REG_NONE, 1, -16, 4);
	/* REX.X extends the index; index 100b + REX.X is r12 */
	assert_int_equal(DEC(64, 0x4e, 0x8b, 0x3c, 0xa0), X86_DECODE_OK);
	expect_reg(&in.op[0], X86_R15, 8, false);
	expect_mem(&in.op[1], X86_DS, X86_RAX, X86_R12, 4, 0, 8);
	/* disp32 with mod=2 */
	assert_int_equal(DEC(64, 0x89, 0x98, 0x00, 0x00, 0x00, 0x80), X86_DECODE_OK);
	assert_int_equal(in.len, 6);
	expect_mem(&in.op[0], X86_DS, X86_RAX, X86_REG_NONE, 1, -0x80000000ll, 4);
	expect_reg(&in.op[1], X86_RBX, 4, false);
	/* 67 in 64-bit mode: 32-bit addressing, EIP-relative */
	assert_int_equal(DEC(64, 0x67, 0x8b, 0x05, 0x10, 0x00, 0x00, 0x00), X86_DECODE_OK);
	assert_int_equal(in.addr_size, 4);
	expect_mem(&in.op[1], X86_DS, X86_REG_RIP, X86_REG_NONE, 1, 0x10, 4);
}

static void test_16bit_forms(void **state)
{
	(void)state;
	/* mov ax, [bp+2]: SS */
	assert_int_equal(DEC(16, 0x8b, 0x46, 0x02), X86_DECODE_OK);
	assert_int_equal(in.len, 3);
	expect_reg(&in.op[0], X86_RAX, 2, false);
	expect_mem(&in.op[1], X86_SS, X86_RBP, X86_REG_NONE, 1, 2, 2);
	/* mov ax, [0x1234] (mod=0 rm=6 is disp16, not [bp]) */
	assert_int_equal(DEC(16, 0x8b, 0x06, 0x34, 0x12), X86_DECODE_OK);
	assert_int_equal(in.len, 4);
	expect_mem(&in.op[1], X86_DS, X86_REG_NONE, X86_REG_NONE, 1, 0x1234, 2);
	/* mov [bx+si-1], cl */
	assert_int_equal(DEC(16, 0x88, 0x48, 0xff), X86_DECODE_OK);
	expect_mem(&in.op[0], X86_DS, X86_RBX, X86_RSI, 1, -1, 1);
	expect_reg(&in.op[1], X86_RCX, 1, false);
	/* [bp+di+disp16] */
	assert_int_equal(DEC(16, 0x8b, 0x83, 0x00, 0x80), X86_DECODE_OK);
	expect_mem(&in.op[1], X86_SS, X86_RBP, X86_RDI, 1, -0x8000, 2);
	/* 67 in 16-bit code: 32-bit addressing with SIB; 66: 32-bit operand */
	assert_int_equal(DEC(16, 0x66, 0x67, 0x8b, 0x04, 0x58), X86_DECODE_OK);
	assert_int_equal(in.len, 5);
	expect_reg(&in.op[0], X86_RAX, 4, false);
	expect_mem(&in.op[1], X86_DS, X86_RAX, X86_RBX, 2, 0, 4);
	/* 16-bit moffs */
	assert_int_equal(DEC(16, 0xa1, 0x00, 0x80), X86_DECODE_OK);
	assert_int_equal(in.len, 3);
	expect_mem(&in.op[1], X86_DS, X86_REG_NONE, X86_REG_NONE, 1, 0x8000, 2);
}

static void test_byte_registers(void **state)
{
	(void)state;
	/* mov [rsi], ah without REX ... */
	assert_int_equal(DEC(64, 0x88, 0x26), X86_DECODE_OK);
	expect_reg(&in.op[1], X86_RAX, 1, true);
	/* ... and spl with an empty REX */
	assert_int_equal(DEC(64, 0x40, 0x88, 0x26), X86_DECODE_OK);
	expect_reg(&in.op[1], X86_RSP, 1, false);
	/* mov bh, [rax]; with REX.R: r15b */
	assert_int_equal(DEC(64, 0x8a, 0x38), X86_DECODE_OK);
	expect_reg(&in.op[0], X86_RBX, 1, true);
	assert_int_equal(DEC(64, 0x44, 0x8a, 0x38), X86_DECODE_OK);
	expect_reg(&in.op[0], X86_R15, 1, false);
	/* register r/m: add ch, dl */
	assert_int_equal(DEC(32, 0x00, 0xd5), X86_DECODE_OK);
	expect_reg(&in.op[0], X86_RCX, 1, true);
	expect_reg(&in.op[1], X86_RDX, 1, false);
}

static void test_prefixes(void **state)
{
	(void)state;
	assert_int_equal(DEC(64, 0x66, 0x89, 0x03), X86_DECODE_OK);
	assert_int_equal(in.op_size, 2);
	/* REX.W beats 66 */
	assert_int_equal(DEC(64, 0x66, 0x48, 0x89, 0x03), X86_DECODE_OK);
	assert_int_equal(in.op_size, 8);
	/* a REX followed by a legacy prefix is ignored */
	assert_int_equal(DEC(64, 0x48, 0x66, 0x89, 0x03), X86_DECODE_OK);
	assert_int_equal(in.len, 4);
	assert_int_equal(in.op_size, 2);
	assert_int_equal(in.rex, 0);
	assert_int_equal(DEC(64, 0x4c, 0x41, 0x89, 0x03), X86_DECODE_OK); /* last REX */
	expect_reg(&in.op[1], X86_RAX, 4, false);
	expect_mem(&in.op[0], X86_DS, X86_R11, X86_REG_NONE, 1, 0, 4);
	/* 16-bit code: 66 selects 32 bits */
	assert_int_equal(DEC(16, 0x66, 0x89, 0x07), X86_DECODE_OK);
	assert_int_equal(in.op_size, 4);
	expect_mem(&in.op[0], X86_DS, X86_RBX, X86_REG_NONE, 1, 0, 4);
	/* segment overrides: FS/GS count in 64-bit mode, ES/CS/SS/DS not */
	assert_int_equal(DEC(64, 0x64, 0x8b, 0x00), X86_DECODE_OK);
	assert_int_equal(in.op[1].seg, X86_FS);
	assert_int_equal(DEC(64, 0x26, 0x8b, 0x00), X86_DECODE_OK);
	assert_int_equal(in.op[1].seg, X86_DS);
	assert_int_equal(DEC(64, 0x65, 0x26, 0x8b, 0x00), X86_DECODE_OK);
	assert_int_equal(in.op[1].seg, X86_GS);
	assert_int_equal(DEC(64, 0x36, 0x8b, 0x45, 0x00), X86_DECODE_OK);
	assert_int_equal(in.op[1].seg, X86_SS);
	assert_int_equal(DEC(32, 0x26, 0x8b, 0x00), X86_DECODE_OK);
	assert_int_equal(in.op[1].seg, X86_ES);
	assert_int_equal(DEC(32, 0x3e, 0x8b, 0x45, 0x00), X86_DECODE_OK);
	assert_int_equal(in.op[1].seg, X86_DS); /* overrides the SS default */
	/* REP: the last of F2/F3 */
	assert_int_equal(DEC(64, 0xf3, 0xf2, 0xa6), X86_DECODE_OK);
	assert_int_equal(in.rep, 0xf2);
}

static void test_immediates_and_lengths(void **state)
{
	(void)state;
	/* mov dword [rax], 0x12345678 */
	assert_int_equal(DEC(64, 0xc7, 0x00, 0x78, 0x56, 0x34, 0x12), X86_DECODE_OK);
	assert_int_equal(in.len, 6);
	assert_int_equal(in.op[1].kind, X86_OPND_IMM);
	assert_int_equal(in.op[1].imm, 0x12345678);
	/* mov qword [rax], -1: imm32 sign-extended */
	assert_int_equal(DEC(64, 0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0xff), X86_DECODE_OK);
	assert_int_equal(in.len, 7);
	assert_int_equal(in.op[1].imm, 0xffffffffffffffffull);
	/* 66: imm16 */
	assert_int_equal(DEC(64, 0x66, 0xc7, 0x00, 0x34, 0x12), X86_DECODE_OK);
	assert_int_equal(in.len, 5);
	assert_int_equal(in.op[1].imm, 0x1234);
	/* add dword [rax+8], -1 (83: sign-extended imm8) with disp8 */
	assert_int_equal(DEC(64, 0x83, 0x40, 0x08, 0xff), X86_DECODE_OK);
	assert_int_equal(in.len, 4);
	assert_int_equal(in.mnemonic, X86_ADD);
	assert_int_equal((uint32_t)in.op[1].imm, 0xffffffff);
	/* cmp byte [rip+0], 0x80 */
	assert_int_equal(DEC(64, 0x80, 0x3d, 0, 0, 0, 0, 0x80), X86_DECODE_OK);
	assert_int_equal(in.len, 7);
	assert_int_equal(in.mnemonic, X86_CMP);
	/* bts dword [rax], 0xff: unsigned bit offset */
	assert_int_equal(DEC(64, 0x0f, 0xba, 0x28, 0xff), X86_DECODE_OK);
	assert_int_equal(in.mnemonic, X86_BTS);
	assert_int_equal(in.op[1].imm, 0xff);
	/* test / test alias (F7 /1) */
	assert_int_equal(DEC(64, 0xf7, 0x08, 1, 2, 3, 4), X86_DECODE_OK);
	assert_int_equal(in.mnemonic, X86_TEST);
	assert_int_equal(in.len, 6);
	/* moffs are address-sized */
	assert_int_equal(DEC(64, 0xa1, 1, 2, 3, 4, 5, 6, 7, 0x88), X86_DECODE_OK);
	assert_int_equal(in.len, 9);
	assert_int_equal((uint64_t)in.op[1].disp, 0x8807060504030201ull);
	assert_int_equal(DEC(64, 0x67, 0xa2, 1, 2, 3, 0x84), X86_DECODE_OK);
	assert_int_equal(in.len, 6);
	assert_int_equal(in.op[0].disp, 0x84030201); /* zero-extended */
	assert_int_equal(DEC(32, 0x64, 0xa3, 1, 2, 3, 4), X86_DECODE_OK);
	assert_int_equal(in.len, 6);
	assert_int_equal(in.op[0].seg, X86_FS);
	/* movsxd rax, dword [rsi]; movzx cx, byte [rsi]; movsx eax, word [rsi] */
	assert_int_equal(DEC(64, 0x48, 0x63, 0x06), X86_DECODE_OK);
	expect_reg(&in.op[0], X86_RAX, 8, false);
	assert_int_equal(in.op[1].size, 4);
	assert_int_equal(DEC(64, 0x66, 0x0f, 0xb6, 0x0e), X86_DECODE_OK);
	expect_reg(&in.op[0], X86_RCX, 2, false);
	assert_int_equal(in.op[1].size, 1);
	assert_int_equal(DEC(64, 0x0f, 0xbf, 0x06), X86_DECODE_OK);
	assert_int_equal(in.mnemonic, X86_MOVSX);
	assert_int_equal(in.op[1].size, 2);
	/* movnti [rax], rcx */
	assert_int_equal(DEC(64, 0x48, 0x0f, 0xc3, 0x08), X86_DECODE_OK);
	assert_int_equal(in.op[0].size, 8);
}

static void test_strings(void **state)
{
	(void)state;
	assert_int_equal(DEC(64, 0xf3, 0x48, 0xa5), X86_DECODE_OK);
	assert_int_equal(in.mnemonic, X86_MOVS);
	assert_int_equal(in.op_size, 8);
	assert_int_equal(in.rep, 0xf3);
	expect_mem(&in.op[0], X86_ES, X86_RDI, X86_REG_NONE, 1, 0, 8);
	expect_mem(&in.op[1], X86_DS, X86_RSI, X86_REG_NONE, 1, 0, 8);
	/* the source takes overrides, the destination never does */
	assert_int_equal(DEC(32, 0x2e, 0xa4), X86_DECODE_OK);
	assert_int_equal(in.op[1].seg, X86_CS);
	assert_int_equal(in.op[0].seg, X86_ES);
	assert_int_equal(DEC(16, 0x67, 0xac), X86_DECODE_OK);
	assert_int_equal(in.mnemonic, X86_LODS);
	assert_int_equal(in.addr_size, 4);
	/* INS/OUTS: at most 32 bits */
	assert_int_equal(DEC(64, 0x48, 0x6f), X86_DECODE_OK);
	assert_int_equal(in.mnemonic, X86_OUTS);
	assert_int_equal(in.op_size, 4);
	assert_int_equal(DEC(64, 0x66, 0x6d), X86_DECODE_OK);
	assert_int_equal(in.op_size, 2);
	expect_reg(&in.op[1], X86_RDX, 2, false);
}

static void test_limits_and_errors(void **state)
{
	uint8_t b[20];

	(void)state;
	/* 13 prefixes + 2 bytes = 15: fine; one more is too long */
	memset(b, 0x66, sizeof(b));
	b[13] = 0x8b;
	b[14] = 0x00;
	assert_int_equal(x86_decode(b, 15, 64, &in), X86_DECODE_OK);
	assert_int_equal(in.len, 15);
	b[13] = 0x66;
	b[14] = 0x8b;
	b[15] = 0x00;
	assert_int_equal(x86_decode(b, 16, 64, &in), X86_DECODE_TOO_LONG);
	/* 15 bytes only by its immediate */
	{
		static const uint8_t l[] = { 0x66, 0x66, 0x66, 0x64, 0x67, 0x48, 0xc7, 0x84, 0x88,
					     1, 2, 3, 4, 5, 6, 7, 8 };
		assert_int_equal(x86_decode(l, sizeof(l), 64, &in), X86_DECODE_TOO_LONG);
		assert_int_equal(x86_decode(l + 1, sizeof(l) - 1, 64, &in), X86_DECODE_TOO_LONG);
		assert_int_equal(x86_decode(l + 2, sizeof(l) - 2, 64, &in), X86_DECODE_OK);
		assert_int_equal(in.len, 15);
	}
	/* truncated */
	assert_int_equal(DEC(64, 0xc7, 0x00, 0x78, 0x56), X86_DECODE_NEED_MORE);
	assert_int_equal(DEC(64, 0x66), X86_DECODE_NEED_MORE);
	/* LOCK */
	assert_int_equal(DEC(64, 0xf0, 0x01, 0x00), X86_DECODE_OK);
	assert_true(in.lock);
	assert_int_equal(DEC(64, 0xf0, 0x87, 0x00), X86_DECODE_OK);
	assert_int_equal(DEC(64, 0xf0, 0x8b, 0x00), X86_DECODE_INVALID);  /* mov */
	assert_int_equal(DEC(64, 0xf0, 0x01, 0xc0), X86_DECODE_INVALID);  /* reg dest */
	assert_int_equal(DEC(64, 0xf0, 0x39, 0x00), X86_DECODE_INVALID);  /* cmp */
	assert_int_equal(DEC(64, 0xf0, 0x0f, 0xa3, 0x00), X86_DECODE_INVALID); /* bt */
	assert_int_equal(DEC(64, 0xf0, 0x0f, 0xab, 0x00), X86_DECODE_OK); /* bts */
	/* unknown and invalid */
	assert_int_equal(DEC(64, 0x0f, 0x0b), X86_DECODE_UNKNOWN);       /* ud2 */
	assert_int_equal(DEC(64, 0xf7, 0x30), X86_DECODE_UNKNOWN);       /* div */
	assert_int_equal(DEC(64, 0x0f, 0xba, 0x00, 0x01), X86_DECODE_UNKNOWN); /* grp8 /0 */
	assert_int_equal(DEC(32, 0x63, 0x00), X86_DECODE_UNKNOWN);       /* arpl */
	/* 66 63: r/m16 per the SDM, 32-bit reads on AMD: not guessed */
	assert_int_equal(DEC(64, 0x66, 0x63, 0x00), X86_DECODE_UNKNOWN);
	assert_int_equal(DEC(64, 0x63, 0x00), X86_DECODE_OK);
	assert_int_equal(DEC(64, 0x66, 0x0f, 0xc3, 0x00), X86_DECODE_UNKNOWN);
	assert_int_equal(DEC(64, 0x0f, 0xc3, 0xc0), X86_DECODE_INVALID); /* movnti reg */
	assert_int_equal(DEC(64, 0xc6, 0xf8, 0x00), X86_DECODE_UNKNOWN); /* xabort */
	assert_int_equal(DEC(32, 0x40), X86_DECODE_UNKNOWN);             /* inc eax */
	/* 82: alias of 80 outside 64-bit mode, invalid in it */
	assert_int_equal(DEC(32, 0x82, 0x00, 0x01), X86_DECODE_OK);
	assert_int_equal(in.mnemonic, X86_ADD);
	assert_int_equal(DEC(64, 0x82, 0x00, 0x01), X86_DECODE_UNKNOWN);
	assert_string_equal(x86_mnemonic_name(X86_MOVSXD), "movsxd");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modrm_sib_rip),
		cmocka_unit_test(test_16bit_forms),
		cmocka_unit_test(test_byte_registers),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_immediates_and_lengths),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_limits_and_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
