/* SPDX-License-Identifier: GPL-2.0-only */
/* hv/x86/segment.c: x86_segment_from_gdt, the firmware's segments as both
 * backends capture them at take-over (SDM Vol. 3A §3.4.5, §8.2.3). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "hv/x86/segment.h"

/* null, 64-bit code (not yet accessed), flat data (accessed), 16-bit data with
 * byte granularity, a 64-bit busy TSS (two slots) */
static const uint64_t gdt[] = {
	0,
	0x00AF9A000000FFFFull,
	0x00CF93000000FFFFull,
	0x0000921234560FFFull,
	0x89008B5678000067ull, 0x00000000FFFF8000ull,
};
#define LIMIT (sizeof(gdt) - 1)

static void test_code_and_data(void **state)
{
	(void)state;
	struct x86_segment s;

	x86_segment_from_gdt(&s, 0x08, gdt, LIMIT, true);
	assert_int_equal(s.selector, 0x08);
	assert_int_equal(s.base, 0);
	assert_int_equal(s.limit, 0xFFFFFFFF); /* G: 4-KiB units */
	/* P, S, type 0xB (the load set A), L, G */
	assert_int_equal(s.attr, X86_SEG_P | X86_SEG_S | 0xB | X86_SEG_L | X86_SEG_G);
	x86_segment_from_gdt(&s, 0x10, gdt, LIMIT, true);
	assert_int_equal(s.attr, X86_SEG_P | X86_SEG_S | 0x3 | X86_SEG_DB | X86_SEG_G);
	/* RPL bits do not change the descriptor */
	x86_segment_from_gdt(&s, 0x1B, gdt, LIMIT, true);
	assert_int_equal(s.selector, 0x1B);
	assert_int_equal(s.base, 0x123456);
	assert_int_equal(s.limit, 0xFFF);
	assert_int_equal(s.attr, X86_SEG_P | X86_SEG_S | 0x3);
}

/* A system descriptor is 16 bytes in IA-32e mode: base 63:32 from the second. */
static void test_system_descriptor(void **state)
{
	(void)state;
	struct x86_segment s;

	x86_segment_from_gdt(&s, 0x20, gdt, LIMIT, true);
	assert_int_equal(s.base, 0xFFFF800089567800ull);
	assert_int_equal(s.limit, 0x67);
	assert_int_equal(s.attr, X86_SEG_P | 0xB); /* no accessed bit for system types */
	x86_segment_from_gdt(&s, 0x20, gdt, LIMIT, false);
	assert_int_equal(s.base, 0x89567800ull);
	/* the second half past the limit: the high base is not read */
	x86_segment_from_gdt(&s, 0x20, gdt, 0x27, true);
	assert_int_equal(s.base, 0x89567800ull);
}

static void test_unusable(void **state)
{
	(void)state;
	struct x86_segment s;
	static const uint16_t sels[] = { 0, 3, 0x0C /* TI: LDT */, 0x30 /* past the limit */ };

	for (unsigned i = 0; i < sizeof(sels) / sizeof(sels[0]); i++) {
		x86_segment_from_gdt(&s, sels[i], gdt, LIMIT, true);
		assert_int_equal(s.selector, sels[i]);
		assert_int_equal(s.attr, X86_SEG_UNUSABLE);
		assert_int_equal(s.base, 0);
		assert_int_equal(s.limit, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_code_and_data),
		cmocka_unit_test(test_system_descriptor),
		cmocka_unit_test(test_unusable),
	};
	return cmocka_run_group_tests_name("x86_segment_gdt", tests, NULL, NULL);
}
