/* SPDX-License-Identifier: GPL-2.0-only */
/* The nested-map writer with the NPT format (svm/npt.c): see
 * nested_map_cases.h. */
#include "svm/npt.c"

#define M npt

#include "nested_map_cases.h"

static void map_reset(bool gib, uint64_t top)
{
	pool_reset();
	npt = (struct nested_map)NESTED_MAP_INIT("npt", &npt_format);
	struct cpu_features f = { .phys_addr_bits = 40, .gib_pages = gib };
	npt_init(&f, top);
}

/* The NPT's own encodings (AMD APM Vol. 2 §15.25.5-6): user-accessible
 * writable leaves, traps by reserved bit 51 while present. */
static void test_npt_encodings(void **state)
{
	(void)state;
	map_reset(false, 4 * GIB);
	assert_int_equal(nested_map_set_trap(&npt, 0x5000, KIB4, true), 0);
	assert_int_equal(leaf(0x5000), 0x5000 | 7 | (1ull << 51));
	assert_int_equal(leaf(0x6000), 0x6000 | 7);
	uint64_t size;
	assert_int_equal(walk(0x200000, &size), 0x200000 | 7 | 0x80);
}

int main(void)
{
	const struct CMUnitTest tests[] = { NESTED_MAP_CASES,
					    cmocka_unit_test(test_npt_encodings) };
	return cmocka_run_group_tests_name("nested map, NPT format", tests, NULL, NULL);
}
