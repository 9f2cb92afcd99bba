/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests: hv/mem/trap_map.c, which guest-physical pages are trapped or
 * hidden, and the two windows that bound them for the MMIO fast path. The
 * map is one static table that only the hypervisor's start resets, so the
 * tests run in order and each says what the earlier ones left. */
#include "test/unit/hv_fakes.h"
#include "hv/mem/trap_map.h"

#define PAGE 0x1000ull
#define HPET 0xFED00000ull
#define BAR 0xFE000000ull
#define HIDDEN 0x7F000000ull

static void windows(uint64_t lo[2], uint64_t hi[2])
{
	trap_map_windows(lo, hi);
}

static void test_empty_map_has_empty_windows(void **state)
{
	uint64_t lo[2], hi[2];
	windows(lo, hi);
	assert_int_equal(lo[0], hi[0]);
	assert_int_equal(lo[1], hi[1]);
	assert_false(trap_map_is_special(0));
	assert_false(trap_map_is_special(HPET));
	assert_false(trap_map_is_hidden(HPET));
}

static void test_trapped_page_bounds(void **state)
{
	assert_int_equal(trap_map_set(HPET, PAGE, true), 0);
	assert_int_equal(fake_irq_depth, 0); /* the lock section closed */
	assert_true(trap_map_is_special(HPET));
	assert_true(trap_map_is_special(HPET + PAGE - 1));
	assert_false(trap_map_is_special(HPET - 1));
	assert_false(trap_map_is_special(HPET + PAGE));
	assert_false(trap_map_is_hidden(HPET)); /* trapped is not hidden */

	uint64_t lo[2], hi[2];
	windows(lo, hi);
	assert_int_equal(lo[1], HPET);
	assert_int_equal(hi[1], HPET + PAGE);
	assert_int_equal(lo[0], hi[0]); /* nothing hidden yet */
}

static void test_window_grows_both_ways_and_never_shrinks(void **state)
{
	uint64_t lo[2], hi[2];

	/* Below the HPET: the window reaches down; the gap stays RAM. */
	assert_int_equal(trap_map_set(BAR, 4 * PAGE, true), 0);
	windows(lo, hi);
	assert_int_equal(lo[1], BAR);
	assert_int_equal(hi[1], HPET + PAGE);
	assert_true(trap_map_is_special(BAR + 3 * PAGE));
	assert_false(trap_map_is_special(BAR + 4 * PAGE));
	assert_false(trap_map_is_special(HPET - PAGE));

	/* Above: reaches up. */
	assert_int_equal(trap_map_set(HPET + 16 * PAGE, PAGE, true), 0);
	windows(lo, hi);
	assert_int_equal(hi[1], HPET + 17 * PAGE);

	/* Untrapped, a page is RAM again, but the window keeps covering it
	 * (a reader that took the window earlier stays right). */
	assert_int_equal(trap_map_set(HPET, PAGE, false), 0);
	assert_false(trap_map_is_special(HPET));
	assert_true(trap_map_is_special(BAR));
	assert_true(trap_map_is_special(HPET + 16 * PAGE));
	windows(lo, hi);
	assert_int_equal(lo[1], BAR);
	assert_int_equal(hi[1], HPET + 17 * PAGE);
	assert_int_equal(fake_irq_depth, 0);
}

static void test_hidden_memory(void **state)
{
	uint64_t lo[2], hi[2];

	trap_map_hide(HIDDEN, 256 * PAGE);
	assert_true(trap_map_is_hidden(HIDDEN));
	assert_true(trap_map_is_hidden(HIDDEN + 256 * PAGE - 1));
	assert_false(trap_map_is_hidden(HIDDEN + 256 * PAGE));
	assert_false(trap_map_is_hidden(HIDDEN - 1));
	/* Hidden pages are special too: never RAM for the guest. */
	assert_true(trap_map_is_special(HIDDEN + 5 * PAGE));
	windows(lo, hi);
	assert_int_equal(lo[0], HIDDEN);
	assert_int_equal(hi[0], HIDDEN + 256 * PAGE);
	/* The trapped window is its own. */
	assert_int_equal(lo[1], BAR);
}

static void test_full_table_refuses(void **state)
{
	/* Two spans are trapped (BAR, HPET + 16 pages); fill the rest. */
	unsigned added = 0;
	while (trap_map_set(0x100000000ull + added * PAGE, PAGE, true) == 0)
		added++;
	assert_int_equal(added, 128 - 2);
	assert_int_equal(fake_irq_depth, 0);
	/* What was there is still there, and the last one fits. */
	assert_true(trap_map_is_special(BAR));
	assert_true(trap_map_is_special(0x100000000ull + (added - 1) * PAGE));
	assert_false(trap_map_is_special(0x100000000ull + added * PAGE));
	/* One out, one in. */
	assert_int_equal(trap_map_set(0x100000000ull, PAGE, false), 0);
	assert_false(trap_map_is_special(0x100000000ull));
	assert_int_equal(trap_map_set(HPET, PAGE, true), 0);
	assert_true(trap_map_is_special(HPET));
	assert_true(trap_map_is_special(0x100000000ull + (added - 1) * PAGE));
}

int main(void)
{
	fake_reset();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_map_has_empty_windows),
		cmocka_unit_test(test_trapped_page_bounds),
		cmocka_unit_test(test_window_grows_both_ways_and_never_shrinks),
		cmocka_unit_test(test_hidden_memory),
		cmocka_unit_test(test_full_table_refuses),
	};
	return cmocka_run_group_tests_name("hv_trap_map", tests, NULL, NULL);
}
