/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests: which IA32_APIC_BASE writes the CPU refuses with #GP, and where
 * the xAPIC page is (hv/dev/apic_base.c; SDM Vol. 3A §11.4.4, §11.12.5). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "hv/dev/apic_base.h"
#include "hv/x86/arch.h"

#define EN APIC_BASE_ENABLE
#define EXTD APIC_BASE_X2APIC
#define BSP APIC_BASE_BSP
#define FW (APIC_BASE_DEFAULT | BSP)

static const struct apic_base_cpu cpu = { .phys_bits = 39, .x2apic = true };

static void test_relocation_and_reserved_bits(void **state)
{
	(void)state;
	assert_true(apic_base_write_ok(&cpu, FW | EN, 0xFED00000 | BSP | EN));
	assert_true(apic_base_write_ok(&cpu, FW | EN, (1ull << 39) - 0x1000 | EN));
	/* Bits 7:0 and 9, and the address bits the CPU lacks. */
	for (unsigned b = 0; b < 8; b++)
		assert_false(apic_base_write_ok(&cpu, FW | EN, FW | EN | 1ull << b));
	assert_false(apic_base_write_ok(&cpu, FW | EN, FW | EN | 1ull << 9));
	assert_false(apic_base_write_ok(&cpu, FW | EN, FW | EN | 1ull << 39));
	assert_false(apic_base_write_ok(&cpu, FW | EN, FW | EN | 1ull << 63));
	/* EXTD on a CPU without x2APIC. */
	const struct apic_base_cpu old = { .phys_bits = 36, .x2apic = false };
	assert_false(apic_base_write_ok(&old, FW | EN, FW | EN | EXTD));
	assert_true(apic_base_write_ok(&old, FW | EN, FW));
}

/* Figure 11-28's transitions: disabled <-> xAPIC, xAPIC -> x2APIC, x2APIC ->
 * disabled; never x2APIC -> xAPIC, disabled -> x2APIC, nor EN=0 with EXTD=1. */
static void test_mode_transitions(void **state)
{
	(void)state;
	assert_true(apic_base_write_ok(&cpu, FW | EN, FW));
	assert_true(apic_base_write_ok(&cpu, FW, FW | EN));
	assert_true(apic_base_write_ok(&cpu, FW | EN, FW | EN | EXTD));
	assert_true(apic_base_write_ok(&cpu, FW | EN | EXTD, FW));
	assert_true(apic_base_write_ok(&cpu, FW | EN | EXTD, FW | EN | EXTD));
	assert_false(apic_base_write_ok(&cpu, FW | EN | EXTD, FW | EN));
	assert_false(apic_base_write_ok(&cpu, FW, FW | EN | EXTD));
	assert_false(apic_base_write_ok(&cpu, FW | EN, FW | EXTD));
	assert_false(apic_base_write_ok(&cpu, FW | EN | EXTD, FW | EXTD));
}

static void test_xapic_page(void **state)
{
	(void)state;
	assert_int_equal(apic_base_xapic_page(FW | EN), APIC_BASE_DEFAULT);
	assert_int_equal(apic_base_xapic_page(0xFED00000 | EN), 0xFED00000);
	assert_int_equal(apic_base_xapic_page(FW), APIC_BASE_NO_PAGE);
	assert_int_equal(apic_base_xapic_page(FW | EN | EXTD), APIC_BASE_NO_PAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_relocation_and_reserved_bits),
		cmocka_unit_test(test_mode_transitions),
		cmocka_unit_test(test_xapic_page),
	};
	return cmocka_run_group_tests_name("hv_apic_base", tests, NULL, NULL);
}
