/* SPDX-License-Identifier: GPL-2.0-only */
/* hv/format.c: the console's printf, checked against what C's printf prints. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "hv/format.h"

#define CHECK(expected, ...)                                                  \
	do {                                                                  \
		char buf[128];                                                \
		int n = fmt_snprintf(buf, sizeof(buf), __VA_ARGS__);          \
		assert_string_equal(buf, expected);                           \
		assert_int_equal(n, (int)strlen(expected));                   \
	} while (0)

static void test_integers(void **state)
{
	(void)state;
	CHECK("0 -1 2147483647 -2147483648", "%d %d %d %d", 0, -1, 2147483647, (int)-2147483648);
	CHECK("4294967295", "%u", 4294967295u);
	CHECK("ff FF deadbeef", "%x %X %x", 255, 255, 0xdeadbeefu);
	CHECK("ffffffffffffffff", "%lx", (unsigned long)-1);
	CHECK("-9223372036854775808", "%ld", (long)INT64_MIN);
	CHECK("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
	CHECK("42", "%zu", (size_t)42);
	CHECK("0x1000", "%p", (void *)0x1000);
}

static void test_width_and_flags(void **state)
{
	(void)state;
	CHECK("   42|42   |00042", "%5d|%-5d|%05d", 42, 42, 42);
	CHECK("-0042", "%05d", -42);
	CHECK("0x00ff", "0x%04x", 255);
	CHECK("  ab|ab  ", "%4s|%-4s", "ab", "ab");
	CHECK("    7", "%*d", 5, 7);
	CHECK("7    |", "%*d|", -5, 7);
	CHECK("x", "%c", 'x');
	CHECK("abc", "%.3s", "abcdef");
	CHECK("ab", "%.*s", 2, "abcdef");
	CHECK("(null)", "%s", (char *)NULL);
	CHECK("100%", "100%%");
}

static void test_unknown_conversion_is_visible(void **state)
{
	(void)state;
	/* An unsupported conversion consumes no argument and shows itself. (Through
	 * a variable: the compiler would reject the literal.) */
	const char *bad = "a%qb %d";
	CHECK("a<%q>b 5", bad, 5);
}

static void test_truncation(void **state)
{
	(void)state;
	char buf[6];
	int n = fmt_snprintf(buf, sizeof(buf), "%s", "hello world");
	assert_string_equal(buf, "hello");
	assert_int_equal(n, 11);
	assert_int_equal(fmt_snprintf(NULL, 0, "%d", 12345), 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_width_and_flags),
		cmocka_unit_test(test_unknown_conversion_is_visible),
		cmocka_unit_test(test_truncation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
