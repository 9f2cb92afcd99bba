/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test/unit/test_x86_disasm.c - instruction text for the debug console's
 * `rip`, and the register bit names of `regs` (hv/x86/disasm.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hv/x86/decode.h"
#include "hv/x86/disasm.h"
#include "hv/x86/regs.h"

/* Decodes the bytes for a CPU of `bits` and returns the text. */
#define TEXT(bits, ...)                                                       \
	({                                                                    \
		static const uint8_t b_[] = { __VA_ARGS__ };                  \
		static char t_[96];                                           \
		struct x86_insn in_;                                          \
		assert_int_equal(x86_decode(b_, sizeof(b_), (bits), &in_),    \
				 X86_DECODE_OK);                              \
		x86_disasm(&in_, t_, sizeof(t_));                             \
		(const char *)t_;                                             \
	})

static void test_registers(void **state)
{
	(void)state;
	assert_string_equal(TEXT(64, 0x89, 0x08), "mov dword [rax], ecx");
	assert_string_equal(TEXT(64, 0x48, 0x8b, 0x07), "mov rax, qword [rdi]");
	assert_string_equal(TEXT(64, 0x66, 0x89, 0x06), "mov word [rsi], ax");
	assert_string_equal(TEXT(64, 0x88, 0x27), "mov byte [rdi], ah");
	/* With REX, register 4 is SPL, not AH (SDM Vol. 2A Table 3-1). */
	assert_string_equal(TEXT(64, 0x40, 0x88, 0x27), "mov byte [rdi], spl");
	assert_string_equal(TEXT(64, 0x45, 0x8b, 0x08), "mov r9d, dword [r8]");
	assert_string_equal(TEXT(64, 0x0f, 0xb6, 0x03), "movzx eax, byte [rbx]");
}

static void test_addresses(void **state)
{
	(void)state;
	/* SIB with scale and a positive displacement. */
	assert_string_equal(TEXT(64, 0x89, 0x4c, 0x98, 0x10), "mov dword [rax+rbx*4+0x10], ecx");
	/* A negative displacement. */
	assert_string_equal(TEXT(64, 0x89, 0x48, 0xf8), "mov dword [rax-0x8], ecx");
	/* RIP-relative. */
	assert_string_equal(TEXT(64, 0x8b, 0x05, 0x00, 0x10, 0x00, 0x00),
			    "mov eax, dword [rip+0x1000]");
	/* An absolute address (moffs), with a segment override. */
	assert_string_equal(TEXT(64, 0x64, 0xa1, 0x00, 0x00, 0x80, 0xfe, 0, 0, 0, 0),
			    "mov eax, dword fs:[0xfe800000]");
	/* 32-bit addressing in 64-bit mode (67). */
	assert_string_equal(TEXT(64, 0x67, 0x89, 0x08), "mov dword [eax], ecx");
	/* 16-bit addressing: [bx+si]. */
	assert_string_equal(TEXT(16, 0x88, 0x00), "mov byte [bx+si], al");
}

static void test_immediates_and_prefixes(void **state)
{
	(void)state;
	/* 83 /0 ib: sign-extended to the operand size. */
	assert_string_equal(TEXT(64, 0x83, 0x00, 0xff), "add dword [rax], 0xffffffff");
	assert_string_equal(TEXT(64, 0xc6, 0x07, 0x42), "mov byte [rdi], 0x42");
	assert_string_equal(TEXT(64, 0xf0, 0x0f, 0xab, 0x07), "lock bts dword [rdi], eax");
	assert_string_equal(TEXT(64, 0xf3, 0xa4), "rep movsb");
	assert_string_equal(TEXT(64, 0xf3, 0x48, 0xab), "rep stosq");
	assert_string_equal(TEXT(64, 0xf2, 0xae), "repne scasb");
	assert_string_equal(TEXT(64, 0xf3, 0xa6), "repe cmpsb");
	/* In 64-bit mode only FS and GS overrides count (SDM Vol. 1 §3.3.7.1). */
	assert_string_equal(TEXT(64, 0x64, 0x6e), "fs outsb");
	assert_string_equal(TEXT(32, 0x26, 0x6e), "es outsb");
}

static void test_short_buffer(void **state)
{
	(void)state;
	static const uint8_t b[] = { 0x89, 0x4c, 0x98, 0x10 };
	struct x86_insn in;
	char small[8];
	assert_int_equal(x86_decode(b, sizeof(b), 64, &in), X86_DECODE_OK);
	size_t need = x86_disasm(&in, small, sizeof(small));
	assert_int_equal(need, strlen("mov dword [rax+rbx*4+0x10], ecx"));
	assert_string_equal(small, "mov dwo");
}

static void test_bit_names(void **state)
{
	(void)state;
	char buf[64];
	x86_bit_names(0x246, x86_rflags_bits, buf, sizeof(buf));
	assert_string_equal(buf, "PF ZF IF");
	x86_bit_names(0x80010033, x86_cr0_bits, buf, sizeof(buf));
	assert_string_equal(buf, "PE MP ET NE WP PG");
	x86_bit_names(X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE, x86_efer_bits, buf, sizeof(buf));
	assert_string_equal(buf, "LME LMA NXE");
	x86_bit_names(0, x86_cr4_bits, buf, sizeof(buf));
	assert_string_equal(buf, "-");
	assert_string_equal(x86_gpr_name(X86_R12, 2, false), "r12w");
	assert_string_equal(x86_sreg_name(X86_GS), "gs");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registers),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_immediates_and_prefixes),
		cmocka_unit_test(test_short_buffer),
		cmocka_unit_test(test_bit_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
