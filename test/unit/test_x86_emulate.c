/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test/unit/test_x86_emulate.c - the MMIO instruction emulator: registers,
 * memory and RFLAGS for each instruction form, splits, faults, callback
 * failures and unsupported instructions.
 */
#include "x86_fake_guest.h"

static struct fake_guest *g;

#define M (FG_MMIO_LA)      /* linear address of the MMIO window */
#define MG (FG_MMIO_GPA)    /* its guest-physical address */
#define STATUS_FLAGS X86_RFLAGS_STATUS

static int setup(void **state)
{
	(void)state;
	g = fg_new_long64();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fg_free(g);
	return 0;
}

static void expect_ok(unsigned len)
{
	uint64_t rip = g->regs.rip;

	assert_int_equal(fg_emulate(g), X86_OK);
	assert_int_equal(g->regs.rip, rip + len);
	assert_int_equal(g->res.insn_len, len);
}

/* ---- MOV family ---- */

static void test_mov_store_load(void **state)
{
	(void)state;
	/* mov [rax], ecx */
	FG_CODE(g, 0x89, 0x08);
	g->regs.gpr[X86_RAX] = M + 0x10;
	g->regs.gpr[X86_RCX] = 0xaabbccdd11223344ull;
	g->regs.rflags |= X86_RFLAGS_CF | X86_RFLAGS_RF;
	expect_ok(2);
	assert_int_equal(fg_mmio_get(g, MG + 0x10, 8), 0x11223344);
	assert_int_equal(fg_mmio_accesses(g), 1);
	assert_int_equal(fg_mmio_access(g, 0)->size, 4);
	assert_true(fg_mmio_access(g, 0)->write);
	/* flags untouched, RF cleared */
	assert_int_equal(g->regs.rflags, X86_RFLAGS_FIXED1 | X86_RFLAGS_CF);

	/* mov rax, [rbx+8] */
	g->regs.rip = FG_CODE_GPA;
	FG_CODE(g, 0x48, 0x8b, 0x43, 0x08);
	g->regs.gpr[X86_RBX] = M + 0x100;
	fg_mmio_set(g, MG + 0x108, 0x0102030405060708ull, 8);
	expect_ok(4);
	assert_int_equal(g->regs.gpr[X86_RAX], 0x0102030405060708ull);
}

static void test_mov_register_widths(void **state)
{
	(void)state;
	fg_mmio_set(g, MG, 0x8899aabbccddeeffull, 8);
	g->regs.gpr[X86_RBX] = M;
	/* 32-bit load zero-extends */
	g->regs.gpr[X86_RAX] = ~0ull;
	FG_CODE(g, 0x8b, 0x03);
	expect_ok(2);
	assert_int_equal(g->regs.gpr[X86_RAX], 0xccddeeffull);
	/* 16-bit load merges */
	g->regs.rip = FG_CODE_GPA;
	g->regs.gpr[X86_RAX] = ~0ull;
	FG_CODE(g, 0x66, 0x8b, 0x03);
	expect_ok(3);
	assert_int_equal(g->regs.gpr[X86_RAX], 0xffffffffffffeeffull);
	/* mov ah, [rbx] merges into bits 15:8 */
	g->regs.rip = FG_CODE_GPA;
	g->regs.gpr[X86_RAX] = 0x1111111111111111ull;
	FG_CODE(g, 0x8a, 0x23);
	expect_ok(2);
	assert_int_equal(g->regs.gpr[X86_RAX], 0x111111111111ff11ull);
	/* mov sil, [rbx] (REX) */
	g->regs.rip = FG_CODE_GPA;
	g->regs.gpr[X86_RSI] = 0x2222222222222222ull;
	FG_CODE(g, 0x40, 0x8a, 0x33);
	expect_ok(3);
	assert_int_equal(g->regs.gpr[X86_RSI], 0x22222222222222ffull);
	/* mov [rbx+1], bh: stores bits 15:8 of rbx */
	g->regs.rip = FG_CODE_GPA;
	g->regs.gpr[X86_RBX] = M + 0x7e00;
	FG_CODE(g, 0x88, 0x7b, 0x01);
	expect_ok(3);
	assert_int_equal(fg_mmio_get(g, MG + 0x7e01, 1), 0x7e);
}

static void test_mov_immediate_and_moffs(void **state)
{
	(void)state;
	/* mov qword [rax], -2 */
	g->regs.gpr[X86_RAX] = M + 0x20;
	FG_CODE(g, 0x48, 0xc7, 0x00, 0xfe, 0xff, 0xff, 0xff);
	expect_ok(7);
	assert_int_equal(fg_mmio_get(g, MG + 0x20, 8), 0xfffffffffffffffeull);
	/* mov byte [rax+1], 0x5a */
	g->regs.rip = FG_CODE_GPA;
	FG_CODE(g, 0xc6, 0x40, 0x01, 0x5a);
	expect_ok(4);
	assert_int_equal(fg_mmio_get(g, MG + 0x21, 1), 0x5a);
	/* mov word [rax], 0x1234 */
	g->regs.rip = FG_CODE_GPA;
	FG_CODE(g, 0x66, 0xc7, 0x00, 0x34, 0x12);
	expect_ok(5);
	assert_int_equal(fg_mmio_get(g, MG + 0x20, 4), 0xffff1234);
	/* mov eax, [moffs64]; mov [moffs64], al */
	g->regs.rip = FG_CODE_GPA;
	fg_mmio_set(g, MG + 0x40, 0xcafef00d, 4);
	FG_CODE(g, 0xa1, 0x40, 0x00, 0x00, 0x07, 0, 0, 0, 0);
	expect_ok(9);
	assert_int_equal(g->regs.gpr[X86_RAX], 0xcafef00d);
	g->regs.rip = FG_CODE_GPA;
	FG_CODE(g, 0xa2, 0x44, 0x00, 0x00, 0x07, 0, 0, 0, 0);
	expect_ok(9);
	assert_int_equal(fg_mmio_get(g, MG + 0x44, 1), 0x0d);
	/* 48 A3: mov [moffs], rax */
	g->regs.rip = FG_CODE_GPA;
	g->regs.gpr[X86_RAX] = 0x1122334455667788ull;
	FG_CODE(g, 0x48, 0xa3, 0x48, 0x00, 0x00, 0x07, 0, 0, 0, 0);
	expect_ok(10);
	assert_int_equal(fg_mmio_get(g, MG + 0x48, 8), 0x1122334455667788ull);
}

static void test_movzx_movsx_movsxd_movnti(void **state)
{
	(void)state;
	fg_mmio_set(g, MG, 0x80008080ull, 4);
	g->regs.gpr[X86_RSI] = M;
	g->regs.gpr[X86_RAX] = ~0ull;
	FG_CODE(g, 0x0f, 0xb6, 0x06);           /* movzx eax, byte [rsi] */
	expect_ok(3);
	assert_int_equal(g->regs.gpr[X86_RAX], 0x80);
	g->regs.rip = FG_CODE_GPA;
	g->regs.gpr[X86_RAX] = ~0ull;
	FG_CODE(g, 0x0f, 0xbe, 0x06);           /* movsx eax, byte [rsi] */
	expect_ok(3);
	assert_int_equal(g->regs.gpr[X86_RAX], 0xffffff80ull);
	g->regs.rip = FG_CODE_GPA;
	FG_CODE(g, 0x48, 0x0f, 0xbf, 0x06);     /* movsx rax, word [rsi] */
	expect_ok(4);
	assert_int_equal(g->regs.gpr[X86_RAX], 0xffffffffffff8080ull);
	g->regs.rip = FG_CODE_GPA;
	g->regs.gpr[X86_RCX] = 0;
	FG_CODE(g, 0x66, 0x0f, 0xb7, 0x0e);     /* movzx cx, word [rsi] */
	expect_ok(4);
	assert_int_equal(g->regs.gpr[X86_RCX], 0x8080);
	g->regs.rip = FG_CODE_GPA;
	FG_CODE(g, 0x48, 0x63, 0x06);           /* movsxd rax, dword [rsi] */
	expect_ok(3);
	assert_int_equal(g->regs.gpr[X86_RAX], 0xffffffff80008080ull);
	g->regs.rip = FG_CODE_GPA;
	g->regs.gpr[X86_RDX] = 0xdeadbeefcafebabeull;
	FG_CODE(g, 0x48, 0x0f, 0xc3, 0x56, 0x08); /* movnti [rsi+8], rdx */
	expect_ok(5);
	assert_int_equal(fg_mmio_get(g, MG + 8, 8), 0xdeadbeefcafebabeull);
}

static void test_rip_relative(void **state)
{
	(void)state;
	/* mov ecx, [rip + disp]: disp counts from the next instruction */
	int32_t disp = (int32_t)(M + 0x30 - (FG_CODE_GPA + 6));
	uint8_t code[6] = { 0x8b, 0x0d };

	memcpy(code + 2, &disp, 4);
	fg_code_at(g, FG_CODE_GPA, code, 6);
	fg_mmio_set(g, MG + 0x30, 0x600d, 4);
	expect_ok(6);
	assert_int_equal(g->regs.gpr[X86_RCX], 0x600d);
	assert_int_equal(fg_mmio_access(g, 0)->gpa, MG + 0x30);
	/* with an immediate after the displacement: mov dword [rip+d], imm32 */
	{
		uint8_t c2[10] = { 0xc7, 0x05 };

		g->regs.rip = FG_CODE_GPA;
		disp = (int32_t)(M + 0x34 - (FG_CODE_GPA + 10));
		memcpy(c2 + 2, &disp, 4);
		memcpy(c2 + 6, "\x78\x56\x34\x12", 4);
		fg_code_at(g, FG_CODE_GPA, c2, 10);
		expect_ok(10);
		assert_int_equal(fg_mmio_get(g, MG + 0x34, 4), 0x12345678);
	}
}

/* ---- ALU ---- */

static void test_alu_forms(void **state)
{
	(void)state;
	g->regs.gpr[X86_RBX] = M;
	/* add [rbx], eax: 0xffffffff + 1 = 0, CF ZF PF AF */
	fg_mmio_set(g, MG, 0xffffffff, 4);
	g->regs.gpr[X86_RAX] = 1;
	FG_CODE(g, 0x01, 0x03);
	expect_ok(2);
	assert_int_equal(fg_mmio_get(g, MG, 4), 0);
	assert_int_equal(g->regs.rflags & STATUS_FLAGS,
			 X86_RFLAGS_CF | X86_RFLAGS_ZF | X86_RFLAGS_PF | X86_RFLAGS_AF);
	assert_int_equal(fg_mmio_accesses(g), 2); /* one read, one write */
	assert_false(fg_mmio_access(g, 0)->write);
	assert_true(fg_mmio_access(g, 1)->write);

	/* sub eax, [rbx]: register destination, zero-extended */
	g->regs.rip = FG_CODE_GPA;
	fg_mmio_set(g, MG, 0x7fffffff, 4);
	g->regs.gpr[X86_RAX] = 0xffffffff80000000ull;
	FG_CODE(g, 0x2b, 0x03);
	expect_ok(2);
	assert_int_equal(g->regs.gpr[X86_RAX], 1);
	assert_int_equal(g->regs.rflags & STATUS_FLAGS, X86_RFLAGS_OF | X86_RFLAGS_AF);

	/* cmp byte [rbx], 0x80: reads only */
	g->regs.rip = FG_CODE_GPA;
	fg_mmio_set(g, MG, 0x7f, 1);
	FG_CODE(g, 0x80, 0x3b, 0x80);
	expect_ok(3);
	assert_int_equal(fg_mmio_accesses(g), 1);
	assert_int_equal(g->regs.rflags & STATUS_FLAGS,
			 X86_RFLAGS_CF | X86_RFLAGS_OF | X86_RFLAGS_SF | X86_RFLAGS_PF);

	/* adc word [rbx], 0x1234 with CF=1 */
	g->regs.rip = FG_CODE_GPA;
	fg_mmio_set(g, MG, 0x0001, 2);
	g->regs.rflags |= X86_RFLAGS_CF;
	FG_CODE(g, 0x66, 0x81, 0x13, 0x34, 0x12);
	expect_ok(5);
	assert_int_equal(fg_mmio_get(g, MG, 2), 0x1236);
	assert_int_equal(g->regs.rflags & STATUS_FLAGS, X86_RFLAGS_PF);

	/* sbb qword [rbx], -1 (83, sign-extended) with CF=1: x - (-1) - 1 = x */
	g->regs.rip = FG_CODE_GPA;
	fg_mmio_set(g, MG, 5, 8);
	g->regs.rflags |= X86_RFLAGS_CF;
	FG_CODE(g, 0x48, 0x83, 0x1b, 0xff);
	expect_ok(4);
	assert_int_equal(fg_mmio_get(g, MG, 8), 5);
	assert_int_equal(g->regs.rflags & STATUS_FLAGS,
			 X86_RFLAGS_CF | X86_RFLAGS_PF | X86_RFLAGS_AF);

	/* and/or/xor: CF=OF=AF=0 */
	g->regs.rip = FG_CODE_GPA;
	fg_mmio_set(g, MG, 0xf0, 1);
	g->regs.rflags |= X86_RFLAGS_CF | X86_RFLAGS_OF | X86_RFLAGS_AF;
	FG_CODE(g, 0x80, 0x23, 0x8f);           /* and byte [rbx], 0x8f */
	expect_ok(3);
	assert_int_equal(fg_mmio_get(g, MG, 1), 0x80);
	assert_int_equal(g->regs.rflags & STATUS_FLAGS, X86_RFLAGS_SF);
	g->regs.rip = FG_CODE_GPA;
	g->regs.gpr[X86_RCX] = 0x0f;
	FG_CODE(g, 0x08, 0x0b);                 /* or [rbx], cl */
	expect_ok(2);
	assert_int_equal(fg_mmio_get(g, MG, 1), 0x8f);
	g->regs.rip = FG_CODE_GPA;
	FG_CODE(g, 0x32, 0x0b);                 /* xor cl, [rbx] */
	expect_ok(2);
	assert_int_equal(g->regs.gpr[X86_RCX], 0x80);
	assert_int_equal(g->regs.rflags & STATUS_FLAGS, X86_RFLAGS_SF);
	/* lock add: same result */
	g->regs.rip = FG_CODE_GPA;
	FG_CODE(g, 0xf0, 0x80, 0x03, 0x81);     /* lock add byte [rbx], 0x81 */
	expect_ok(4);
	assert_int_equal(fg_mmio_get(g, MG, 1), 0x10);
	assert_int_equal(g->regs.rflags & STATUS_FLAGS,
			 X86_RFLAGS_CF | X86_RFLAGS_OF | X86_RFLAGS_AF);
}

static void test_test_xchg(void **state)
{
	(void)state;
	g->regs.gpr[X86_RBX] = M;
	fg_mmio_set(g, MG, 0x8000000000000000ull, 8);
	g->regs.gpr[X86_RAX] = 0x8000000000000001ull;
	g->regs.rflags |= X86_RFLAGS_CF | X86_RFLAGS_OF;
	FG_CODE(g, 0x48, 0x85, 0x03);           /* test [rbx], rax */
	expect_ok(3);
	assert_int_equal(g->regs.rflags & STATUS_FLAGS, X86_RFLAGS_SF | X86_RFLAGS_PF);
	assert_int_equal(fg_mmio_accesses(g), 1);
	g->regs.rip = FG_CODE_GPA;
	FG_CODE(g, 0xf6, 0x03, 0x01);           /* test byte [rbx], 1 */
	expect_ok(3);
	assert_int_equal(g->regs.rflags & STATUS_FLAGS, X86_RFLAGS_ZF | X86_RFLAGS_PF);
	g->regs.rip = FG_CODE_GPA;
	FG_CODE(g, 0xf7, 0x0b, 0, 0, 0, 0);     /* test dword [rbx], 0 (F7 /1) */
	expect_ok(6);
	assert_int_equal(g->regs.rflags & STATUS_FLAGS, X86_RFLAGS_ZF | X86_RFLAGS_PF);

	/* xchg [rbx], ecx */
	g->regs.rip = FG_CODE_GPA;
	fg_mmio_set(g, MG, 0x11111111, 4);
	g->regs.gpr[X86_RCX] = 0xffffffff22222222ull;
	FG_CODE(g, 0x87, 0x0b);
	expect_ok(2);
	assert_int_equal(g->regs.gpr[X86_RCX], 0x11111111);
	assert_int_equal(fg_mmio_get(g, MG, 4), 0x22222222);
	assert_int_equal(fg_mmio_accesses(g), 2);
	/* xchg [rbx], dh */
	g->regs.rip = FG_CODE_GPA;
	g->regs.gpr[X86_RDX] = 0xab00;
	FG_CODE(g, 0x86, 0x33);
	expect_ok(2);
	assert_int_equal(g->regs.gpr[X86_RDX], 0x2200);
	assert_int_equal(fg_mmio_get(g, MG, 1), 0xab);
}

static void test_unary(void **state)
{
	(void)state;
	g->regs.gpr[X86_RBX] = M;
	fg_mmio_set(g, MG, 0x7fff, 2);
	g->regs.rflags |= X86_RFLAGS_CF;
	FG_CODE(g, 0x66, 0xff, 0x03);           /* inc word [rbx] */
	expect_ok(3);
	assert_int_equal(fg_mmio_get(g, MG, 2), 0x8000);
	/* CF is preserved by INC */
	assert_int_equal(g->regs.rflags & STATUS_FLAGS,
			 X86_RFLAGS_CF | X86_RFLAGS_OF | X86_RFLAGS_SF |
			 X86_RFLAGS_AF | X86_RFLAGS_PF);
	g->regs.rip = FG_CODE_GPA;
	g->regs.rflags &= ~X86_RFLAGS_CF;
	fg_mmio_set(g, MG, 0x00, 1);
	FG_CODE(g, 0xfe, 0x0b);                 /* dec byte [rbx] */
	expect_ok(2);
	assert_int_equal(fg_mmio_get(g, MG, 1), 0xff);
	assert_int_equal(g->regs.rflags & STATUS_FLAGS,
			 X86_RFLAGS_SF | X86_RFLAGS_AF | X86_RFLAGS_PF);
	g->regs.rip = FG_CODE_GPA;
	fg_mmio_set(g, MG, 0x80000000, 4);
	FG_CODE(g, 0xf7, 0x1b);                 /* neg dword [rbx] */
	expect_ok(2);
	assert_int_equal(fg_mmio_get(g, MG, 4), 0x80000000);
	assert_int_equal(g->regs.rflags & STATUS_FLAGS,
			 X86_RFLAGS_CF | X86_RFLAGS_OF | X86_RFLAGS_SF | X86_RFLAGS_PF);
	g->regs.rip = FG_CODE_GPA;
	fg_mmio_set(g, MG, 0, 4);
	FG_CODE(g, 0xf7, 0x1b);                 /* neg 0: CF=0 */
	expect_ok(2);
	assert_int_equal(g->regs.rflags & STATUS_FLAGS, X86_RFLAGS_ZF | X86_RFLAGS_PF);
	g->regs.rip = FG_CODE_GPA;
	fg_mmio_set(g, MG, 0x0ff0, 2);
	FG_CODE(g, 0x66, 0xf7, 0x13);           /* not word [rbx]: no flags */
	expect_ok(3);
	assert_int_equal(fg_mmio_get(g, MG, 2), 0xf00f);
	assert_int_equal(g->regs.rflags & STATUS_FLAGS, X86_RFLAGS_ZF | X86_RFLAGS_PF);
}

static void test_bit_tests(void **state)
{
	(void)state;
	g->regs.gpr[X86_RBX] = M + 0x100;
	/* bt [rbx], ecx with ecx = 35: the dword at +4, bit 3 */
	fg_mmio_set(g, MG + 0x104, 0x8, 4);
	g->regs.gpr[X86_RCX] = 35;
	g->regs.rflags |= X86_RFLAGS_ZF | X86_RFLAGS_SF;
	FG_CODE(g, 0x0f, 0xa3, 0x0b);
	expect_ok(3);
	assert_int_equal(fg_mmio_access(g, 0)->gpa, MG + 0x104);
	assert_int_equal(fg_mmio_accesses(g), 1);
	/* only CF changes */
	assert_int_equal(g->regs.rflags & STATUS_FLAGS,
			 X86_RFLAGS_CF | X86_RFLAGS_ZF | X86_RFLAGS_SF);
	/* bts [rbx], rcx with rcx = -1: qword at -8, bit 63 */
	g->regs.rip = FG_CODE_GPA;
	g->regs.gpr[X86_RCX] = ~0ull;
	FG_CODE(g, 0x48, 0x0f, 0xab, 0x0b);
	expect_ok(4);
	assert_int_equal(fg_mmio_access(g, 0)->gpa, MG + 0xf8);
	assert_int_equal(fg_mmio_get(g, MG + 0xf8, 8), 0x8000000000000000ull);
	assert_int_equal(g->regs.rflags & X86_RFLAGS_CF, 0);
	/* btr word [rbx], cx with cx = 0xfff0 (-16): word at -2, bit 0 */
	g->regs.rip = FG_CODE_GPA;
	fg_mmio_set(g, MG + 0xfe, 0x0003, 2);
	g->regs.gpr[X86_RCX] = 0xfff0;
	FG_CODE(g, 0x66, 0x0f, 0xb3, 0x0b);
	expect_ok(4);
	assert_int_equal(fg_mmio_get(g, MG + 0xfe, 2), 0x0002);
	assert_int_equal(g->regs.rflags & X86_RFLAGS_CF, X86_RFLAGS_CF);
	/* btc dword [rbx], 33 (immediate: modulo 32, no displacement) */
	g->regs.rip = FG_CODE_GPA;
	fg_mmio_set(g, MG + 0x100, 0, 4);
	FG_CODE(g, 0x0f, 0xba, 0x3b, 33);
	expect_ok(4);
	assert_int_equal(fg_mmio_access(g, 0)->gpa, MG + 0x100);
	assert_int_equal(fg_mmio_get(g, MG + 0x100, 4), 2);
	assert_int_equal(g->regs.rflags & X86_RFLAGS_CF, 0);
	/* register form: bts eax, 40 -> bit 8 */
	g->regs.rip = FG_CODE_GPA;
	g->regs.gpr[X86_RAX] = 0xffffffff00000000ull;
	FG_CODE(g, 0x0f, 0xba, 0xe8, 40);
	expect_ok(4);
	assert_int_equal(g->regs.gpr[X86_RAX], 0x100);
}

/* ---- splits, faults, failures ---- */

static void test_page_split(void **state)
{
	(void)state;
	/* RAM page right below the MMIO window: la M-0x1000 -> gpa 0x800000 */
	fg_map(g, M - 0x1000, 0x800000, PG_P | PG_RW);
	g->regs.gpr[X86_RAX] = M - 4;
	g->regs.gpr[X86_RCX] = 0x8877665544332211ull;
	FG_CODE(g, 0x48, 0x89, 0x08);           /* mov [rax], rcx */
	expect_ok(3);
	assert_int_equal(fg_rd(g, 0x800ffc, 4), 0x44332211);
	assert_int_equal(fg_mmio_get(g, MG, 4), 0x88776655);
	assert_int_equal(fg_mmio_accesses(g), 1);
	assert_int_equal(fg_mmio_access(g, 0)->size, 4);
	/* read-modify-write across the boundary: add [rax], ecx at M-2 */
	g->regs.rip = FG_CODE_GPA;
	g->regs.gpr[X86_RAX] = M - 2;
	g->regs.gpr[X86_RCX] = 1;
	FG_CODE(g, 0x01, 0x08);
	expect_ok(2);
	/* old value: 0x6655 4433 -> +1 */
	assert_int_equal(fg_rd(g, 0x800ffe, 2), 0x4434);
	assert_int_equal(fg_mmio_get(g, MG, 2), 0x6655);

	/* an instruction that crosses into the next code page */
	g->regs.rip = FG_CODE_GPA + 0xffe;
	g->regs.gpr[X86_RAX] = M + 0x200;
	fg_code_at(g, FG_CODE_GPA + 0xffe, "\xc7\x00\x01\x02\x03\x04", 6);
	expect_ok(6);
	assert_int_equal(fg_mmio_get(g, MG + 0x200, 4), 0x04030201);
}

static void test_faults(void **state)
{
	struct x86_regs before;

	(void)state;
	/* store to a read-only page: #PF W|P, nothing written */
	fg_map(g, M + 0x1000, MG + 0x1000, PG_P | PG_XD);
	g->regs.gpr[X86_RAX] = M + 0x1008;
	FG_CODE(g, 0x01, 0x08);                 /* add [rax], ecx */
	before = g->regs;
	assert_int_equal(fg_emulate(g), X86_FAULT);
	assert_int_equal(g->res.fault.vector, X86_EXC_PF);
	assert_int_equal(g->res.fault.error_code, X86_PFEC_P | X86_PFEC_W);
	assert_int_equal(g->res.fault.cr2, M + 0x1008);
	assert_int_equal(fg_mmio_accesses(g), 0); /* the read never happened */
	assert_memory_equal(&before, &g->regs, sizeof(before));

	/* user mode: supervisor page */
	g->regs.cpl = 3;
	g->regs.seg[X86_CS].attr |= 3 << X86_SEG_DPL_SHIFT;
	fg_map(g, FG_CODE_GPA, FG_CODE_GPA, PG_P | PG_RW | PG_US);
	{
		uint64_t t = g->regs.cr3; /* make the upper levels user too */

		for (int l = 4; l > 1; l--) {
			uint64_t ea = t + ((FG_CODE_GPA >> (12 + 9 * (l - 1))) & 0x1ff) * 8;

			fg_wr(g, ea, fg_rd(g, ea, 8) | PG_US, 8);
			t = fg_rd(g, ea, 8) & ~0xfffull;
		}
	}
	g->regs.gpr[X86_RAX] = M;
	FG_CODE(g, 0x8b, 0x00);
	assert_int_equal(fg_emulate(g), X86_FAULT);
	assert_int_equal(g->res.fault.error_code, X86_PFEC_P | X86_PFEC_U);
	g->regs.cpl = 0;

	/* instruction fetch from a non-executable page */
	g->regs.rip = FG_DATA_LA;
	assert_int_equal(fg_emulate(g), X86_FAULT);
	assert_int_equal(g->res.fault.error_code, X86_PFEC_P | X86_PFEC_I);
	assert_int_equal(g->res.fault.cr2, FG_DATA_LA);
	/* fetch faults only when the decoder needs the bytes: a 2-byte
	 * instruction at the end of the last code page is fine ... */
	g->regs.rip = FG_CODE_GPA + 0x3ffe;
	fg_code_at(g, FG_CODE_GPA + 0x3ffe, "\x8b\x00", 2);
	assert_int_equal(fg_emulate(g), X86_OK);
	/* ... a 6-byte one is a #PF on the next page */
	g->regs.rip = FG_CODE_GPA + 0x3ffe;
	fg_code_at(g, FG_CODE_GPA + 0x3ffe, "\xc7\x00", 2);
	assert_int_equal(fg_emulate(g), X86_FAULT);
	assert_int_equal(g->res.fault.error_code, X86_PFEC_I);
	assert_int_equal(g->res.fault.cr2, FG_CODE_GPA + 0x4000);

	/* non-canonical address: #GP(0) */
	g->regs.rip = FG_CODE_GPA;
	g->regs.gpr[X86_RAX] = 0x0000800000000000ull;
	FG_CODE(g, 0x8b, 0x00);
	assert_int_equal(fg_emulate(g), X86_FAULT);
	assert_int_equal(g->res.fault.vector, X86_EXC_GP);
	/* LOCK on MOV: #UD */
	FG_CODE(g, 0xf0, 0x89, 0x00);
	assert_int_equal(fg_emulate(g), X86_FAULT);
	assert_int_equal(g->res.fault.vector, X86_EXC_UD);
	assert_false(g->res.fault.has_error_code);
	/* 16 bytes: #GP(0) */
	{
		uint8_t p[16];

		memset(p, 0x66, 14);
		p[14] = 0x8b;
		p[15] = 0x00;
		fg_code_at(g, FG_CODE_GPA, p, 16);
		assert_int_equal(fg_emulate(g), X86_FAULT);
		assert_int_equal(g->res.fault.vector, X86_EXC_GP);
		assert_true(g->res.fault.has_error_code);
		assert_int_equal(g->res.fault.error_code, 0);
	}
}

static void test_callback_failure_restartable(void **state)
{
	struct x86_regs before;

	(void)state;
	g->regs.gpr[X86_RBX] = M;
	g->regs.gpr[X86_RAX] = 7;
	fg_mmio_set(g, MG, 1, 4);
	FG_CODE(g, 0x01, 0x03);                 /* add [rbx], eax */
	before = g->regs;
	/* calls: fetch (RAM), mmio read, mmio write */
	g->fail_at = 2;
	g->fail_status = 42;
	assert_int_equal(fg_emulate(g), X86_CALLBACK);
	assert_int_equal(g->res.cb_status, 42);
	assert_memory_equal(&before, &g->regs, sizeof(before));
	g->fail_at = 3;
	assert_int_equal(fg_emulate(g), X86_CALLBACK);
	assert_memory_equal(&before, &g->regs, sizeof(before));
	assert_int_equal(fg_mmio_get(g, MG, 4), 1);
	g->fail_at = 0;
	expect_ok(2);
	assert_int_equal(fg_mmio_get(g, MG, 4), 8);
}

static void test_unsupported(void **state)
{
	struct x86_regs before;

	(void)state;
	FG_CODE(g, 0xf7, 0x30, 0x90);           /* div dword [rax] */
	before = g->regs;
	assert_int_equal(fg_emulate(g), X86_UNSUPPORTED);
	assert_true(g->res.insn_len >= 2);
	assert_int_equal(g->res.insn[0], 0xf7);
	assert_int_equal(g->res.insn[1], 0x30);
	assert_memory_equal(&before, &g->regs, sizeof(before));
	assert_int_equal(fg_mmio_accesses(g), 0);
}

static void test_code_in_mmio_not_fetched(void **state)
{
	(void)state;
	/* RIP in the MMIO window: no device read, reported unsupported */
	fg_map(g, M + 0x2000, MG + 0x2000, PG_P | PG_RW);
	g->regs.rip = M + 0x2000;
	assert_int_equal(fg_emulate(g), X86_UNSUPPORTED);
	assert_int_equal(fg_mmio_accesses(g), 0);
	assert_int_equal(g->regs.rip, M + 0x2000);
}

static void test_single_step_flag(void **state)
{
	(void)state;
	g->regs.rflags |= X86_RFLAGS_TF;
	g->regs.gpr[X86_RAX] = M;
	FG_CODE(g, 0x8b, 0x00);
	expect_ok(2);
	assert_true(g->res.single_step);
}

/* ---- other modes ---- */

static void test_protected32_segments(void **state)
{
	(void)state;
	fg_free(g);
	g = fg_new();
	fg_add_mmio(g, FG_MMIO_GPA, 0x10000);
	fg_set_paging(g, X86_PAGING_32);
	fg_set_segments(g, 32);
	fg_map(g, 0x00400000, FG_CODE_GPA, PG_P | PG_RW);
	fg_map(g, 0xc0000000, FG_MMIO_GPA, PG_P | PG_RW);
	g->regs.seg[X86_DS].base = 0x40000000;
	g->regs.seg[X86_FS].base = 0xbfff0000;
	g->regs.rip = 0x400000;
	/* mov fs:[ebx+0x10], eax: linear 0xbfff0000 + 0x10000 + 0x10 */
	g->regs.gpr[X86_RBX] = 0x10000;
	g->regs.gpr[X86_RAX] = 0x12345678;
	FG_CODE(g, 0x64, 0x89, 0x43, 0x10);
	expect_ok(4);
	assert_int_equal(fg_mmio_get(g, FG_MMIO_GPA + 0x10, 4), 0x12345678);
	/* 16-bit operand in 32-bit code; address wraps at 4 GiB:
	 * ds base 0x40000000 + ebx 0x80000020 = 0xc0000020 */
	g->regs.rip = 0x400000;
	g->regs.gpr[X86_RBX] = 0x80000020;
	FG_CODE(g, 0x66, 0x8b, 0x03);
	fg_mmio_set(g, FG_MMIO_GPA + 0x20, 0xbeef, 2);
	g->regs.gpr[X86_RAX] = 0xffff0000;
	expect_ok(3);
	assert_int_equal(g->regs.gpr[X86_RAX], 0xffffbeef);
	/* segment limit: #GP(0) */
	g->regs.rip = 0x400000;
	g->regs.seg[X86_DS].limit = 0x7fffffff;
	assert_int_equal(fg_emulate(g), X86_FAULT);
	assert_int_equal(g->res.fault.vector, X86_EXC_GP);
	assert_int_equal(fg_mmio_accesses(g), 0);
}

static void test_real_mode(void **state)
{
	(void)state;
	fg_free(g);
	g = fg_new();
	fg_add_mmio(g, 0xa0000, 0x10000);
	fg_set_real(g, 0x1000, 0xa000);
	g->regs.rip = 0x0100;                  /* code at 0x10100 */
	/* mov [bx+si+2], ax: 0xa0000 + 0x10 + 0x20 + 2 */
	g->regs.gpr[X86_RBX] = 0x10;
	g->regs.gpr[X86_RSI] = 0x20;
	g->regs.gpr[X86_RAX] = 0xabcd;
	fg_code_at(g, 0x10100, "\x89\x40\x02", 3);
	expect_ok(3);
	assert_int_equal(fg_mmio_get(g, 0xa0032, 2), 0xabcd);
	/* 16-bit address wrap: bx+si = 0x1fffe -> 0xfffe; a word at
	 * 0xffff crosses the 64 KiB limit: #GP */
	g->regs.rip = 0x0100;
	g->regs.gpr[X86_RBX] = 0xfffe;
	g->regs.gpr[X86_RSI] = 0x0001;
	fg_code_at(g, 0x10100, "\x89\x00", 2);
	assert_int_equal(fg_emulate(g), X86_FAULT);
	assert_int_equal(g->res.fault.vector, X86_EXC_GP);
	g->regs.gpr[X86_RSI] = 0x10000; /* upper bits don't count */
	expect_ok(2);
	assert_int_equal(fg_mmio_get(g, 0xafffe, 2), 0xabcd);
	/* 66 67: 32-bit operand and address in real mode ("unreal" limit) */
	g->regs.rip = 0x0100;
	g->regs.seg[X86_DS].limit = 0xffffffff;
	g->regs.seg[X86_DS].base = 0;
	g->regs.gpr[X86_RBX] = 0xa0040;
	g->regs.gpr[X86_RAX] = 0xdeadbeef;
	fg_code_at(g, 0x10100, "\x66\x67\x89\x03", 4);
	expect_ok(4);
	assert_int_equal(fg_mmio_get(g, 0xa0040, 4), 0xdeadbeef);
	/* IP wraps at 16 bits */
	g->regs.rip = 0xfffe;
	fg_code_at(g, 0x1fffe, "\x89\x03", 2);
	g->regs.gpr[X86_RBX] = 0xa0044;
	fg_code_at(g, 0x10100, "\x89\x03", 2);
	g->regs.seg[X86_CS].limit = 0xffff;
	g->regs.gpr[X86_RBX] = 0x44;
	g->regs.seg[X86_DS].base = 0xa0000;
	assert_int_equal(fg_emulate(g), X86_OK);
	assert_int_equal(g->regs.rip, 0);
}

/* ---- string instructions ---- */

static void test_movs_rep(void **state)
{
	(void)state;
	/* rep movsd: MMIO -> RAM, 4 elements */
	for (int i = 0; i < 4; i++)
		fg_mmio_set(g, MG + 0x100 + 4 * i, 0x1000 + i, 4);
	g->regs.gpr[X86_RSI] = M + 0x100;
	g->regs.gpr[X86_RDI] = FG_DATA_LA;
	g->regs.gpr[X86_RCX] = 4;
	FG_CODE(g, 0xf3, 0xa5);
	expect_ok(2);
	for (int i = 0; i < 4; i++)
		assert_int_equal(fg_rd(g, FG_DATA_LA + 4 * i, 4), 0x1000 + i);
	assert_int_equal(g->regs.gpr[X86_RCX], 0);
	assert_int_equal(g->regs.gpr[X86_RSI], M + 0x110);
	assert_int_equal(g->regs.gpr[X86_RDI], FG_DATA_LA + 0x10);
	assert_int_equal(fg_mmio_accesses(g), 4);

	/* DF=1, movsw RAM -> MMIO, 3 elements */
	g->regs.rip = FG_CODE_GPA;
	g->regs.rflags |= X86_RFLAGS_DF;
	fg_wr(g, FG_DATA_LA + 0x100, 0x333322221111ull, 6);
	g->regs.gpr[X86_RSI] = FG_DATA_LA + 0x104;
	g->regs.gpr[X86_RDI] = M + 0x204;
	g->regs.gpr[X86_RCX] = 3;
	FG_CODE(g, 0xf3, 0x66, 0xa5);
	expect_ok(3);
	assert_int_equal(fg_mmio_get(g, MG + 0x200, 6), 0x333322221111ull);
	assert_int_equal(fg_mmio_access(g, 0)->gpa, MG + 0x204); /* top first */
	assert_int_equal(g->regs.gpr[X86_RSI], FG_DATA_LA + 0xfe);
	assert_int_equal(g->regs.gpr[X86_RDI], M + 0x1fe);

	/* REP with rCX = 0: nothing but RIP */
	g->regs.rip = FG_CODE_GPA;
	g->regs.gpr[X86_RCX] = 0;
	expect_ok(3);
	assert_int_equal(fg_mmio_accesses(g), 0);

	/* without REP: one element, rCX untouched */
	g->regs.rip = FG_CODE_GPA;
	g->regs.rflags &= ~X86_RFLAGS_DF;
	g->regs.gpr[X86_RCX] = 99;
	FG_CODE(g, 0xa4);
	expect_ok(1);
	assert_int_equal(g->regs.gpr[X86_RCX], 99);
	assert_int_equal(fg_mmio_accesses(g), 1);
}

static void test_stos_lods(void **state)
{
	(void)state;
	g->regs.gpr[X86_RAX] = 0xabcdef0123456789ull;
	g->regs.gpr[X86_RDI] = M + 0x300;
	g->regs.gpr[X86_RCX] = 3;
	FG_CODE(g, 0xf3, 0x48, 0xab);           /* rep stosq */
	expect_ok(3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(fg_mmio_get(g, MG + 0x300 + 8 * i, 8), 0xabcdef0123456789ull);
	assert_int_equal(g->regs.gpr[X86_RDI], M + 0x318);
	/* lodsb with a segment override (FS base counts in 64-bit mode) */
	g->regs.rip = FG_CODE_GPA;
	g->regs.seg[X86_FS].base = M;
	g->regs.gpr[X86_RSI] = 0x300;
	FG_CODE(g, 0x64, 0xac);
	expect_ok(2);
	assert_int_equal(g->regs.gpr[X86_RAX], 0xabcdef0123456789ull);
	assert_int_equal(g->regs.gpr[X86_RSI], 0x301);
	/* lodsd zero-extends (reads bytes 0x301..0x304) */
	g->regs.rip = FG_CODE_GPA;
	FG_CODE(g, 0x64, 0xad);
	expect_ok(2);
	assert_int_equal(g->regs.gpr[X86_RAX], 0x01234567);
	/* 32-bit address size in 64-bit mode: ESI wraps, RSI zero-extends */
	g->regs.rip = FG_CODE_GPA;
	g->regs.seg[X86_FS].base = M - 0xffffffffull + 0x10;
	g->regs.gpr[X86_RSI] = 0x12345678ffffffffull;
	FG_CODE(g, 0x64, 0x67, 0xac);
	expect_ok(3);
	assert_int_equal(g->regs.gpr[X86_RSI], 0);
	assert_int_equal(fg_mmio_access(g, 0)->gpa, MG + 0x10);
}

static void test_cmps_scas(void **state)
{
	(void)state;
	/* repe cmpsb: MMIO "abcX" vs RAM "abcd": stops after the 4th */
	memcpy(fg_mmio_ptr(g, MG + 0x400, 4), "abcX", 4);
	memcpy(g->ram + FG_DATA_LA, "abcd", 4);
	g->regs.gpr[X86_RSI] = M + 0x400;
	g->regs.gpr[X86_RDI] = FG_DATA_LA;
	g->regs.gpr[X86_RCX] = 10;
	FG_CODE(g, 0xf3, 0xa6);
	expect_ok(2);
	assert_int_equal(g->regs.gpr[X86_RCX], 6);
	assert_int_equal(g->regs.gpr[X86_RSI], M + 0x404);
	/* 'X' - 'd' = 0x58 - 0x64 = 0xf4: borrow, negative, odd parity */
	assert_int_equal(g->regs.rflags & STATUS_FLAGS, X86_RFLAGS_CF | X86_RFLAGS_SF);
	/* repne scasb for 'c' in MMIO */
	g->regs.rip = FG_CODE_GPA;
	g->regs.gpr[X86_RAX] = 'c';
	g->regs.gpr[X86_RDI] = M + 0x400;
	g->regs.gpr[X86_RCX] = 10;
	FG_CODE(g, 0xf2, 0xae);
	expect_ok(2);
	assert_int_equal(g->regs.gpr[X86_RCX], 7);
	assert_int_equal(g->regs.gpr[X86_RDI], M + 0x403);
	assert_true(g->regs.rflags & X86_RFLAGS_ZF);
	/* repe scasw runs out of count with all equal */
	g->regs.rip = FG_CODE_GPA;
	fg_mmio_set(g, MG + 0x500, 0x00070007ull, 4);
	g->regs.gpr[X86_RAX] = 7;
	g->regs.gpr[X86_RDI] = M + 0x500;
	g->regs.gpr[X86_RCX] = 2;
	FG_CODE(g, 0xf3, 0x66, 0xaf);
	expect_ok(3);
	assert_int_equal(g->regs.gpr[X86_RCX], 0);
	assert_true(g->regs.rflags & X86_RFLAGS_ZF);
}

static void test_rep_interrupted(void **state)
{
	(void)state;
	/* rep stosb over 8 bytes with a budget of 3 per call */
	g->ops.rep_budget = 3;
	g->regs.gpr[X86_RAX] = 0xee;
	g->regs.gpr[X86_RDI] = M + 0x600;
	g->regs.gpr[X86_RCX] = 8;
	FG_CODE(g, 0xf3, 0xaa);
	assert_int_equal(fg_emulate(g), X86_OK);
	assert_int_equal(g->regs.rip, FG_CODE_GPA);
	assert_int_equal(g->regs.gpr[X86_RCX], 5);
	assert_int_equal(g->regs.gpr[X86_RDI], M + 0x603);
	assert_false(g->res.single_step);
	assert_int_equal(fg_emulate(g), X86_OK);
	assert_int_equal(fg_emulate(g), X86_OK);
	assert_int_equal(g->regs.rip, FG_CODE_GPA + 2);
	assert_int_equal(g->regs.gpr[X86_RCX], 0);
	assert_int_equal(fg_mmio_get(g, MG + 0x600, 8), 0xeeeeeeeeeeeeeeeeull);

	/* a fault in the middle: MMIO -> RAM, RAM destination runs into a
	 * read-only page after 2 elements */
	g->ops.rep_budget = 0;
	g->regs.rip = FG_CODE_GPA;
	fg_map(g, FG_DATA_LA + 0x10000, 0x900000, PG_P | PG_XD);
	g->regs.gpr[X86_RSI] = M + 0x600;
	g->regs.gpr[X86_RDI] = FG_DATA_LA + 0xfff8;
	g->regs.gpr[X86_RCX] = 5;
	FG_CODE(g, 0xf3, 0xa5);
	assert_int_equal(fg_emulate(g), X86_FAULT);
	assert_int_equal(g->res.fault.vector, X86_EXC_PF);
	assert_int_equal(g->res.fault.error_code, X86_PFEC_P | X86_PFEC_W);
	assert_int_equal(g->res.fault.cr2, FG_DATA_LA + 0x10000);
	assert_int_equal(g->regs.rip, FG_CODE_GPA);
	assert_int_equal(g->regs.gpr[X86_RCX], 3);
	assert_int_equal(g->regs.gpr[X86_RSI], M + 0x608);
	assert_int_equal(g->regs.gpr[X86_RDI], FG_DATA_LA + 0x10000);

	/* a failing callback mid-string: registers reflect what was done */
	g->regs.gpr[X86_RDI] = FG_DATA_LA;
	g->regs.gpr[X86_RCX] = 5;
	g->fail_at = 4; /* fetch, read#1, write#1, read#2 */
	g->fail_status = -9;
	assert_int_equal(fg_emulate(g), X86_CALLBACK);
	assert_int_equal(g->res.cb_status, -9);
	assert_int_equal(g->regs.gpr[X86_RCX], 4);
	assert_int_equal(g->regs.gpr[X86_RDI], FG_DATA_LA + 4);
	assert_int_equal(g->regs.rip, FG_CODE_GPA);
}

static void test_string_io_via_emulate(void **state)
{
	(void)state;
	/* rep outsb from MMIO (DX = port) */
	memcpy(fg_mmio_ptr(g, MG + 0x700, 3), "xyz", 3);
	g->regs.gpr[X86_RDX] = 0x3f8;
	g->regs.gpr[X86_RSI] = M + 0x700;
	g->regs.gpr[X86_RCX] = 3;
	FG_CODE(g, 0xf3, 0x6e);
	expect_ok(2);
	assert_memory_equal(g->port_out, "xyz", 3);
	assert_int_equal(g->port_calls, 3); /* MMIO: one element per call */
	assert_int_equal(g->regs.gpr[X86_RSI], M + 0x703);
	assert_int_equal(g->regs.gpr[X86_RCX], 0);
}

/* The TSS the I/O permission test uses: at a supervisor page, its bitmap
 * for ports 0-0x3ff at offset 0x68, then the all-ones byte; the limit ends
 * there (SDM Vol. 1 §19.5.2). */
#define TSS_LA 0x50000000ull
#define TSS_GPA 0xA00000ull
#define TSS_MAP 0x68u

static void set_up_tss(void)
{
	fg_map(g, TSS_LA, TSS_GPA, PG_P | PG_RW | PG_XD);
	memset(g->ram + TSS_GPA, 0, 0x1000);
	g->ram[TSS_GPA + X86_TSS_IOMAP_BASE] = TSS_MAP;
	memset(g->ram + TSS_GPA + TSS_MAP, 0xff, 0x400 / 8 + 1);
	g->ram[TSS_GPA + TSS_MAP + 0x3f8 / 8] = 0xfe; /* port 0x3f8 only */
	g->regs.tr = (struct x86_segment){ .selector = 0x28, .base = TSS_LA,
					   .limit = TSS_MAP + 0x400 / 8,
					   .attr = X86_SEG_P | X86_SEG_TYPE_TSS_BUSY };
}

/* OUTSB from MMIO at CPL 3: the port must be allowed by IOPL or the TSS's
 * bitmap, exactly as the CPU checks; otherwise #GP(0) before the device or
 * memory is touched (the bytes the emulator fetched may not be the
 * instruction the CPU checked). */
static void test_string_io_permission(void **state)
{
	(void)state;
	set_up_tss();
	fg_map(g, FG_CODE_GPA, FG_CODE_GPA, PG_P | PG_RW | PG_US);
	fg_map(g, M + 0x1000, MG + 0x1000, PG_P | PG_RW | PG_US | PG_XD);
	memcpy(fg_mmio_ptr(g, MG + 0x1000, 1), "q", 1);
	g->regs.cpl = 3;
	g->regs.seg[X86_CS].attr |= 3u << X86_SEG_DPL_SHIFT;
	g->regs.seg[X86_CS].selector |= 3;
	g->regs.rflags = 2; /* IOPL 0 */
	FG_CODE(g, 0x6e);   /* outsb */

	/* allowed by the bitmap */
	g->regs.gpr[X86_RDX] = 0x3f8;
	g->regs.gpr[X86_RSI] = M + 0x1000;
	expect_ok(1);
	assert_int_equal(g->port_calls, 1);

	/* refused: its bit is set; nothing moved */
	g->regs.rip = FG_CODE_GPA;
	g->regs.gpr[X86_RDX] = 0x3f9;
	g->regs.gpr[X86_RSI] = M + 0x1000;
	assert_int_equal(fg_emulate(g), X86_FAULT);
	assert_int_equal(g->res.fault.vector, X86_EXC_GP);
	assert_true(g->res.fault.has_error_code);
	assert_int_equal(g->res.fault.error_code, 0);
	assert_int_equal(g->port_calls, 1);
	assert_int_equal(g->regs.gpr[X86_RSI], M + 0x1000);
	assert_int_equal(g->regs.rip, FG_CODE_GPA);

	/* a 2-byte OUTSW over 0x3f7-0x3f8: one of the bits is set */
	FG_CODE(g, 0x66, 0x6f);
	g->regs.gpr[X86_RDX] = 0x3f7;
	assert_int_equal(fg_emulate(g), X86_FAULT);
	assert_int_equal(g->res.fault.vector, X86_EXC_GP);

	/* IOPL 3: no bitmap check */
	FG_CODE(g, 0x6e);
	g->regs.rflags = 2 | X86_RFLAGS_IOPL;
	g->regs.gpr[X86_RDX] = 0x3f9;
	expect_ok(1);
	assert_int_equal(g->port_calls, 2);

	/* beyond the limit: the port's bytes of the map are not in the TSS */
	g->regs.rip = FG_CODE_GPA;
	g->regs.rflags = 2;
	g->regs.gpr[X86_RDX] = 0x400;
	g->regs.gpr[X86_RSI] = M + 0x1000;
	assert_int_equal(fg_emulate(g), X86_FAULT);
	assert_int_equal(g->res.fault.vector, X86_EXC_GP);
	/* a TSS without a bitmap (16-bit, type 3) */
	g->regs.tr.attr = X86_SEG_P | 0x3;
	g->regs.gpr[X86_RDX] = 0x3f8;
	assert_int_equal(fg_emulate(g), X86_FAULT);
	assert_int_equal(g->res.fault.vector, X86_EXC_GP);
	assert_int_equal(g->port_calls, 2);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_mov_store_load),
		T(test_mov_register_widths),
		T(test_mov_immediate_and_moffs),
		T(test_movzx_movsx_movsxd_movnti),
		T(test_rip_relative),
		T(test_alu_forms),
		T(test_test_xchg),
		T(test_unary),
		T(test_bit_tests),
		T(test_page_split),
		T(test_faults),
		T(test_callback_failure_restartable),
		T(test_unsupported),
		T(test_code_in_mmio_not_fetched),
		T(test_single_step_flag),
		T(test_protected32_segments),
		T(test_real_mode),
		T(test_movs_rep),
		T(test_stos_lods),
		T(test_cmps_scas),
		T(test_rep_interrupted),
		T(test_string_io_via_emulate),
		T(test_string_io_permission),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
