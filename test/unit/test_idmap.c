/* SPDX-License-Identifier: GPL-2.0-only */
/* hv/mem/idmap.c: identity maps built a GiB at a time. What is mapped at start, a
 * GiB mapped on first use (once, whoever asks), nothing beyond MAXPHYADDR, and
 * running out of memory reported once without harm. The pool and the log are
 * stand-ins; make_gib records which GiBs were asked for. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "hv/mem/idmap.c"

#define GIB PAGE_SIZE_1G

static int pages_left; /* the stand-in pool's budget */
static void *taken[64];
static unsigned n_taken;
static int log_lines, err_lines;
static char last_log[256];
static uint64_t gibs_made[64];
static unsigned n_made;
static bool gib_fails;

void *pool_alloc_pages(size_t pages)
{
	if (pages_left < (int)pages)
		return NULL;
	pages_left -= (int)pages;
	void *p = aligned_alloc(4096, pages * 4096);
	assert_non_null(p);
	assert_true(n_taken < 64);
	memset(p, 0, pages * 4096);
	return taken[n_taken++] = p;
}

void pool_free_page(void *page)
{
	for (unsigned i = 0; i < n_taken; i++) {
		if (taken[i] == page) {
			free(page);
			taken[i] = taken[--n_taken];
			pages_left++;
			return;
		}
	}
	fail_msg("freeing a page the pool never gave");
}

void *pool_must_alloc_pages(size_t pages, const char *what)
{
	void *p = pool_alloc_pages(pages);
	if (!p)
		fail_msg("out of memory for %s", what);
	return p;
}

_Noreturn void panic(const char *fmt, ...)
{
	fail_msg("panic: %s", fmt);
	abort();
}

void hv_log(enum log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last_log, sizeof(last_log), fmt, ap);
	va_end(ap);
	log_lines++;
	err_lines += level == LOG_ERROR;
}

/* A 1-GiB leaf (P | PS) for g; 0 when told to fail. */
static uint64_t fake_gib(struct idmap *m, uint64_t g)
{
	(void)m;
	if (gib_fails)
		return 0;
	if (n_made < 64)
		gibs_made[n_made] = g;
	n_made++;
	return g * GIB | 1 | 0x80;
}

static struct idmap map;

static void give_back(void)
{
	while (n_taken)
		free(taken[--n_taken]);
}

static void reset(unsigned phys_bits, bool gib_pages, uint64_t top, int pages)
{
	give_back();
	memset(&map, 0, sizeof(map));
	map.name = "test map";
	map.present = 1;
	map.table_flags = 3;
	map.make_gib = fake_gib;
	pages_left = pages;
	log_lines = err_lines = 0;
	n_made = 0;
	gib_fails = false;
	idmap_init(&map, phys_bits, gib_pages, top);
}

static void test_eager_part(void **state)
{
	(void)state;
	reset(40, false, 4 * GIB, 100);
	assert_int_equal(map.eager_end, 4 * GIB);
	assert_int_equal(map.phys_end, 1ull << 40);
	assert_int_equal(n_made, 4);
	for (unsigned g = 0; g < 4; g++)
		assert_int_equal(gibs_made[g], g);
	assert_true(idmap_mapped(&map, 0));
	assert_true(idmap_mapped(&map, 4 * GIB - 1));
	assert_false(idmap_mapped(&map, 4 * GIB));
	assert_false(idmap_mapped(&map, 0xe000000000ull));
	assert_int_equal(pages_left, 100 - 2); /* the PML4 and one PDPT */
	assert_int_equal(log_lines, 0);

	/* Rounded up to a GiB, and never past the address space. */
	reset(40, false, 4 * GIB + 1, 100);
	assert_int_equal(map.eager_end, 5 * GIB);
	reset(32, false, 8 * GIB, 100);
	assert_int_equal(map.eager_end, 4 * GIB);
	assert_int_equal(n_made, 4);
	/* Below RAM's top, still the 4 GiB of 32-bit devices. */
	reset(40, false, 1 * GIB, 100);
	assert_int_equal(map.eager_end, 4 * GIB);
	/* With 1-GiB pages, all of the address space. */
	reset(36, true, 1 * GIB, 100);
	assert_int_equal(map.eager_end, 64 * GIB);
	assert_int_equal(n_made, 64);
	assert_false(idmap_mapped(&map, 64 * GIB));
	/* One PML4 covers 256 TiB: a 52-bit CPU is mapped that far. */
	reset(52, false, 0, 100);
	assert_int_equal(map.phys_end, 1ull << 48);
}

static void test_on_demand(void **state)
{
	(void)state;
	reset(40, false, 4 * GIB, 100);
	uint64_t bar = 0xe000000000ull + 0x1234;
	assert_true(idmap_map_locked(&map, bar));
	assert_int_equal(n_made, 5);
	assert_int_equal(gibs_made[4], 0xe000000000ull / GIB);
	assert_true(idmap_mapped(&map, 0xe000000000ull));
	assert_true(idmap_mapped(&map, 0xe000000000ull + GIB - 1));
	assert_false(idmap_mapped(&map, 0xe000000000ull + GIB));
	assert_false(idmap_mapped(&map, 0xe000000000ull - 1));
	assert_int_equal(map.on_demand, 1);
	assert_int_equal(log_lines, 1);
	assert_string_equal(last_log, "test map: mapped the GiB at 0xe000000000 on first use (1 so far)");
	/* A new PDPT for the second 512 GiB; the PDPTE is the leaf. */
	assert_int_equal(pages_left, 100 - 3);
	uint64_t *pdpt = table_of(map.pml4[1]);
	assert_int_equal(pdpt[(bar >> 30) & 511], 0xe000000000ull | 1 | 0x80);
	assert_int_equal(idmap_entry(&map, bar), 0xe000000000ull | 1 | 0x80);
	assert_int_equal(idmap_entry(&map, 0xe000000000ull + GIB), 0);
	assert_int_equal(idmap_entry(&map, 1ull << 39), 0); /* no PDPT there */

	/* Mapped once: the same GiB again, or another address in it, is free. */
	assert_true(idmap_map_locked(&map, bar + 0x1000));
	assert_int_equal(n_made, 5);
	assert_int_equal(log_lines, 1);
	/* A GiB below it under the same PDPT needs no new table. */
	assert_true(idmap_map_locked(&map, 0xdfc0000000ull));
	assert_int_equal(pages_left, 100 - 3);
	assert_int_equal(map.on_demand, 2);
}

static void test_beyond_address_space(void **state)
{
	(void)state;
	reset(40, false, 4 * GIB, 100);
	assert_false(idmap_map_locked(&map, 1ull << 40));
	assert_false(idmap_map_locked(&map, ~0ull));
	assert_false(idmap_mapped(&map, 1ull << 40));
	assert_int_equal(n_made, 4);
	assert_int_equal(log_lines, 0);
	/* The last GiB below it is fine. */
	assert_true(idmap_map_locked(&map, (1ull << 40) - 1));
}

static void test_out_of_memory(void **state)
{
	(void)state;
	reset(40, false, 4 * GIB, 2); /* the PML4 and the first PDPT: nothing left */
	assert_false(idmap_map_locked(&map, 0xe000000000ull));
	assert_false(idmap_map_locked(&map, 0xf000000000ull));
	assert_int_equal(err_lines, 1); /* said once */
	assert_non_null(strstr(last_log, "out of memory"));
	assert_false(idmap_mapped(&map, 0xe000000000ull));
	assert_int_equal(map.on_demand, 0);

	/* A GiB whose leaf cannot be built (no page for its directory) stays
	 * unmapped, and the PDPT taken for it is given back, never linked. */
	pages_left = 1;
	gib_fails = true;
	assert_false(idmap_map_locked(&map, 0xe000000000ull));
	assert_false(idmap_mapped(&map, 0xe000000000ull));
	assert_int_equal(pages_left, 1);
	assert_int_equal(map.pml4[0xe000000000ull >> 39], 0);
	assert_int_equal(err_lines, 1);

	/* With memory again, the same address maps. */
	gib_fails = false;
	assert_true(idmap_map_locked(&map, 0xe000000000ull));
	assert_true(idmap_mapped(&map, 0xe000000000ull));
}

/* The host's long-mode entries (any flags; here P|W|U). */
static void test_long_mode_gib(void **state)
{
	(void)state;
	reset(40, false, 0, 100);
	int before = pages_left;
	assert_int_equal(idmap_long_mode_gib(5, true, 7), 5 * GIB | 7 | 0x80);
	assert_int_equal(pages_left, before);
	uint64_t e = idmap_long_mode_gib(5, false, 7);
	assert_int_equal(pages_left, before - 1);
	assert_int_equal(e & 0xFFF, 7); /* a table: no PS */
	const uint64_t *pd = table_of(e);
	for (unsigned i = 0; i < 512; i++)
		assert_int_equal(pd[i], (5 * GIB + i * (2ull << 20)) | 7 | 0x80);
	pages_left = 0;
	assert_int_equal(idmap_long_mode_gib(6, false, 7), 0);
	assert_int_equal(idmap_long_mode_gib(6, true, 7), 6 * GIB | 7 | 0x80);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eager_part),
		cmocka_unit_test(test_on_demand),
		cmocka_unit_test(test_beyond_address_space),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_long_mode_gib),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	give_back();
	return failed;
}
