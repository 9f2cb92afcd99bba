/* SPDX-License-Identifier: GPL-2.0-only */
/* The nested-map writer with the EPT format (vmx/ept.c): see
 * nested_map_cases.h. The MTRRs are OVMF's under QEMU (WB, 2-4 GiB UC) plus
 * one UC page in the GiB above 4 GiB the on-demand cases use, so that GiB
 * needs a page table for its memory types. */
#include "vmx/ept.c"

#define M ept

struct vmx_config vmx_cfg;
static struct mtrr_state firmware;

static void add_var(uint64_t base, uint64_t size, uint8_t type)
{
	firmware.var[firmware.nvar].base = base;
	firmware.var[firmware.nvar].mask = ~(size - 1) & 0xFFFFFFF000ull;
	firmware.var[firmware.nvar].type = type;
	firmware.nvar++;
}

void mtrr_read(struct mtrr_state *m, unsigned phys_addr_bits)
{
	(void)phys_addr_bits;
	*m = firmware;
}

#include "nested_map_cases.h"

static void map_reset(bool gib, uint64_t top)
{
	pool_reset();
	memset(&firmware, 0, sizeof(firmware));
	firmware.enabled = true;
	firmware.default_type = MT_WB;
	add_var(0x80000000, 0x80000000, MT_UC);
	add_var(0x8040000000ull + 0x3000, 0x1000, MT_UC);
	ept = (struct nested_map)NESTED_MAP_INIT("ept", &ept_format);
	struct cpu_features f = { .phys_addr_bits = 40, .vmx_ept_1g = gib, .vmx_ept_wb = true };
	ept_init(&f, top);
}

/* The EPT's own encodings (SDM Vol. 3C §29.3): RWX leaves with the MTRRs'
 * memory type in bits 5:3, traps write-only (a misconfiguration), and a split
 * of the UC GiB at 3 GiB keeps UC below. */
static void test_ept_encodings(void **state)
{
	(void)state;
	map_reset(true, 4 * GIB);
	uint64_t size;
	assert_int_equal(walk(0, &size), 7 | MT_WB << 3 | 0x80);
	assert_int_equal(walk(3 * GIB, &size), 3 * GIB | 7 | MT_UC << 3 | 0x80);
	assert_int_equal(nested_map_set_trap(&ept, 3 * GIB + KIB4, KIB4, true), 0);
	assert_int_equal(leaf(3 * GIB + KIB4), 3 * GIB + KIB4 | 2);
	assert_int_equal(leaf(3 * GIB), 3 * GIB | 7 | MT_UC << 3);
	assert_int_equal(walk(3 * GIB + MIB2, &size), 3 * GIB + MIB2 | 7 | MT_UC << 3 | 0x80);
	/* The mixed GiB above 4 GiB, mapped on demand: one UC page in a table. */
	map_reset(false, 4 * GIB);
	assert_true(nested_map_on_demand(&ept, 0x8040000000ull));
	assert_int_equal(leaf(0x8040003000ull), 0x8040003000ull | 7 | MT_UC << 3);
	assert_int_equal(leaf(0x8040004000ull), 0x8040004000ull | 7 | MT_WB << 3);
	assert_int_equal(walk(0x8040200000ull, &size), 0x8040200000ull | 7 | MT_WB << 3 | 0x80);
}

/* The mixed GiB needs a PDPT, a directory and a table: with two pages or
 * fewer it stays unmapped and every page comes back. */
static void test_ept_partial_gib_given_back(void **state)
{
	(void)state;
	for (long budget = 0; budget <= 3; budget++) {
		map_reset(false, 4 * GIB);
		unsigned before = n_pages;
		allocs_left = budget;
		bool ok = nested_map_on_demand(&ept, 0x8040000000ull);
		assert_int_equal(ok, budget == 3);
		assert_int_equal(n_pages - before, budget == 3 ? 3 : 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = { NESTED_MAP_CASES,
					    cmocka_unit_test(test_ept_encodings),
					    cmocka_unit_test(test_ept_partial_gib_given_back) };
	return cmocka_run_group_tests_name("nested map, EPT format", tests, NULL, NULL);
}
