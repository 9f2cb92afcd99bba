/* SPDX-License-Identifier: GPL-2.0-only */
/* The nested-map writer (hv/mem/nested_map.c) with one vendor's entry format:
 * included by test_npt_map.c and test_ept_map.c after the vendor file and
 * M, the vendor's struct nested_map; they define map_reset(gib, top): a fresh
 * map of 2^40 bytes (1-GiB pages or not) over an empty pool (pool_reset).
 * The checks compare entries with what the format itself says a plain, trapped
 * or hidden entry is, so both formats run the same cases. The pool stand-in
 * can be told to fail after N allocations; it frees what it is given back, so
 * AddressSanitizer catches a page freed while the map still holds it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define KIB4 PAGE_SIZE_4K
#define MIB2 PAGE_SIZE_2M
#define GIB PAGE_SIZE_1G
#define ABOVE_EAGER 0x8040000000ull /* a GiB past 4 GiB, in PML4 slot 1 */

static void map_reset(bool gib, uint64_t top);

static long allocs_left = -1; /* -1: no limit */
static void *pages[8192];
static unsigned n_pages; /* taken and not given back */
static int err_lines;
static char last_err[512];

void *pool_alloc_pages(size_t n)
{
	if (allocs_left == 0)
		return NULL;
	if (allocs_left > 0)
		allocs_left--;
	void *p = aligned_alloc(4096, n * 4096);
	assert_non_null(p);
	memset(p, 0, n * 4096);
	assert_true(n_pages < 8192);
	return pages[n_pages++] = p;
}

void pool_free_page(void *page)
{
	for (unsigned i = 0; i < n_pages; i++) {
		if (pages[i] == page) {
			pages[i] = pages[--n_pages];
			free(page);
			return;
		}
	}
	fail_msg("freeing a page the pool never gave");
}

void *pool_must_alloc_pages(size_t n, const char *what)
{
	void *p = pool_alloc_pages(n);
	if (!p)
		fail_msg("out of memory for %s", what);
	return p;
}

size_t pool_free_pages(void)
{
	return allocs_left < 0 ? 1000 : (size_t)allocs_left;
}

_Noreturn void panic(const char *fmt, ...)
{
	fail_msg("panic: %s", fmt);
	abort();
}

void hv_log(enum log_level level, const char *fmt, ...)
{
	if (level != LOG_ERROR)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last_err, sizeof(last_err), fmt, ap);
	va_end(ap);
	err_lines++;
}

static void pool_reset(void)
{
	while (n_pages)
		free(pages[--n_pages]);
	allocs_left = -1;
	err_lines = 0;
	last_err[0] = 0;
}

/* The entry that maps gpa, at whatever level, and the size it maps. */
static uint64_t walk(uint64_t gpa, uint64_t *size)
{
	const struct nested_format *f = M.format;
	uint64_t e = M.idmap.pml4[(gpa >> 39) & 511];
	for (unsigned shift = 30;; shift -= 9) {
		assert_true(e & f->present); /* a table */
		e = ((uint64_t *)(e & X86_PTE_ADDR_MASK))[(gpa >> shift) & 511];
		*size = 1ull << shift;
		if (shift == 12 || !(e & f->present) || (e & f->large))
			return e;
	}
}

static uint64_t leaf(uint64_t gpa) /* the 4-KiB leaf for gpa */
{
	uint64_t size, e = walk(gpa, &size);
	assert_int_equal(size, KIB4);
	return e;
}

static bool plain(uint64_t gpa, uint64_t size)
{
	uint64_t s, e = walk(gpa, &s);
	return s == size && e == M.format->plain(gpa & ~(size - 1), size);
}

/* What maps every page of [lo, hi): to see a failed change changed nothing. */
struct snapshot {
	uint64_t entry[2048], size[2048];
};

static void take(struct snapshot *s, uint64_t lo)
{
	for (unsigned i = 0; i < 2048; i++)
		s->entry[i] = walk(lo + i * KIB4, &s->size[i]);
}

static void test_split_gib_keeps_attributes(void **state)
{
	(void)state;
	map_reset(true, 4 * GIB);
	uint64_t gib = 3 * GIB, gpa = gib + 0x12345000, gen = nested_map_generation(&M);
	unsigned before = n_pages;
	assert_true(plain(gpa, GIB));

	assert_int_equal(nested_map_set_trap(&M, gpa, KIB4, true), 0);
	assert_int_equal(n_pages - before, 2); /* a page directory and a page table */
	assert_int_equal(leaf(gpa), M.format->trapped(gpa));
	assert_int_equal(nested_map_generation(&M), gen + 1);
	/* Every other 2-MiB and 4-KiB page maps what the GiB did, as the GiB
	 * did (for the EPT: the MTRRs' type of that GiB). */
	for (unsigned i = 0; i < 512; i++)
		if (i != ((gpa >> 21) & 511))
			assert_true(plain(gib + i * MIB2, MIB2));
	for (uint64_t a = gpa & ~(MIB2 - 1); a < (gpa & ~(MIB2 - 1)) + MIB2; a += KIB4)
		if (a != gpa)
			assert_true(plain(a, KIB4));
	assert_true(plain(gib - KIB4, GIB) && plain(gib + GIB, GIB)); /* neighbours */

	/* Untrapped: plain again, without another page. */
	assert_int_equal(nested_map_set_trap(&M, gpa, KIB4, false), 0);
	assert_true(plain(gpa, KIB4));
	assert_int_equal(n_pages - before, 2);
	assert_int_equal(nested_map_generation(&M), gen + 2);
	assert_int_equal(err_lines, 0);
}

static void test_split_2m_keeps_attributes(void **state)
{
	(void)state;
	map_reset(false, 4 * GIB);
	uint64_t gpa = 0x7654000, block = gpa & ~(MIB2 - 1);
	unsigned before = n_pages;
	assert_true(plain(gpa, MIB2));
	assert_int_equal(nested_map_set_trap(&M, gpa, KIB4, true), 0);
	assert_int_equal(n_pages - before, 1);
	assert_int_equal(leaf(gpa), M.format->trapped(gpa));
	for (uint64_t a = block; a < block + MIB2; a += KIB4)
		if (a != gpa)
			assert_true(plain(a, KIB4));
	assert_true(plain(block - MIB2, MIB2) && plain(block + MIB2, MIB2));
	/* A second trap in the same block needs no page. */
	assert_int_equal(nested_map_set_trap(&M, gpa + KIB4, KIB4, true), 0);
	assert_int_equal(n_pages - before, 1);
	assert_int_equal(leaf(gpa + KIB4), M.format->trapped(gpa + KIB4));
}

static void test_ranges_across_boundaries(void **state)
{
	(void)state;
	/* Across a 2-MiB boundary: two page tables, four pages trapped. */
	map_reset(false, 4 * GIB);
	uint64_t edge = 4 * MIB2;
	unsigned before = n_pages;
	assert_int_equal(nested_map_set_trap(&M, edge - 2 * KIB4, 4 * KIB4, true), 0);
	assert_int_equal(n_pages - before, 2);
	for (uint64_t a = edge - 2 * KIB4; a < edge + 2 * KIB4; a += KIB4)
		assert_int_equal(leaf(a), M.format->trapped(a));
	assert_true(plain(edge - 3 * KIB4, KIB4) && plain(edge + 2 * KIB4, KIB4));
	assert_int_equal(nested_map_set_trap(&M, edge - 2 * KIB4, 4 * KIB4, false), 0);
	for (uint64_t a = edge - 3 * KIB4; a <= edge + 2 * KIB4; a += KIB4)
		assert_true(plain(a, KIB4));
	assert_int_equal(n_pages - before, 2);

	/* Not page aligned: every page it touches. */
	assert_int_equal(nested_map_set_trap(&M, 0x3010, 0x1000, true), 0);
	assert_int_equal(leaf(0x3000), M.format->trapped(0x3000));
	assert_int_equal(leaf(0x4000), M.format->trapped(0x4000));
	assert_true(plain(0x2000, KIB4) && plain(0x5000, KIB4));

	/* Across a GiB boundary with 1-GiB pages: two directories, two tables. */
	map_reset(true, 4 * GIB);
	before = n_pages;
	assert_int_equal(nested_map_set_trap(&M, GIB - KIB4, 2 * KIB4, true), 0);
	assert_int_equal(n_pages - before, 4);
	assert_int_equal(leaf(GIB - KIB4), M.format->trapped(GIB - KIB4));
	assert_int_equal(leaf(GIB), M.format->trapped(GIB));
	assert_true(plain(GIB - 2 * KIB4, KIB4) && plain(GIB + KIB4, KIB4));
	assert_true(plain(GIB - 2 * MIB2, MIB2) && plain(GIB + MIB2, MIB2));
	assert_int_equal(err_lines, 0);
}

static void test_hide(void **state)
{
	(void)state;
	map_reset(false, 4 * GIB);
	uint64_t base = 0x2001000, gen = nested_map_generation(&M);
	assert_int_equal(nested_map_hide(&M, base, 5 * KIB4), 0);
	for (uint64_t a = base; a < base + 5 * KIB4; a += KIB4) {
		assert_int_equal(leaf(a), 0); /* not present */
		assert_false(M.format->is_plain(leaf(a)));
	}
	assert_true(plain(base - KIB4, KIB4) && plain(base + 5 * KIB4, KIB4));
	assert_int_equal(nested_map_generation(&M), gen + 1);
	/* Below what was mapped at start: never the on-demand path's business. */
	assert_false(nested_map_on_demand(&M, base));
}

static void test_on_demand(void **state)
{
	(void)state;
	map_reset(false, 4 * GIB);
	uint64_t gpa = ABOVE_EAGER + 0x1234;
	assert_false(M.idmap.pml4[1] & M.format->present);
	assert_true(nested_map_on_demand(&M, gpa));
	assert_true(M.format->is_plain(idmap_entry(&M.idmap, gpa)));
	assert_true(plain(ABOVE_EAGER + 4 * MIB2, MIB2));
	unsigned after = n_pages;
	assert_true(nested_map_on_demand(&M, gpa + MIB2 * 7)); /* mapped already */
	assert_int_equal(n_pages, after);

	/* A trap up there: the fault is the exit handler's. */
	uint64_t trap = ABOVE_EAGER + 0x5000;
	assert_int_equal(nested_map_set_trap(&M, trap, KIB4, true), 0);
	assert_false(nested_map_on_demand(&M, trap));
	assert_true(nested_map_on_demand(&M, trap + KIB4));
	/* A trap in a GiB never touched maps it first. */
	uint64_t far = 0x9000000000ull;
	assert_int_equal(nested_map_set_trap(&M, far, KIB4, true), 0);
	assert_int_equal(leaf(far), M.format->trapped(far));
	assert_true(nested_map_on_demand(&M, far + KIB4));
	/* Beyond the physical address space: refused and said. */
	assert_false(nested_map_on_demand(&M, 1ull << 40));
	after = n_pages;
	assert_int_equal(nested_map_set_trap(&M, (1ull << 40) - KIB4, 2 * KIB4, true), -1);
	assert_int_equal(err_lines, 1);
	assert_non_null(strstr(last_err, "beyond the physical address space"));
	assert_int_equal(n_pages, after);
}

/* A trap that cannot have all its pages changes nothing: every budget short of
 * what it needs fails, says so, leaves each entry as it was and gives every
 * page back; the exact budget succeeds. */
static void test_trap_out_of_memory_changes_nothing(void **state)
{
	(void)state;
	static struct snapshot before, after;
	for (long budget = 0; budget <= 4; budget++) {
		map_reset(true, 4 * GIB);
		uint64_t first = GIB - 2 * KIB4, gen = nested_map_generation(&M);
		unsigned pages_before = n_pages;
		take(&before, GIB - 1024 * KIB4);
		allocs_left = budget;
		int rc = nested_map_set_trap(&M, first, 4 * KIB4, true);
		if (budget == 4) {
			assert_int_equal(rc, 0);
			assert_int_equal(leaf(first), M.format->trapped(first));
			break;
		}
		assert_int_equal(rc, -1);
		assert_int_equal(err_lines, 1);
		assert_non_null(strstr(last_err, "cannot trap"));
		assert_non_null(strstr(last_err, "out of memory"));
		assert_int_equal(n_pages, pages_before);
		assert_int_equal(nested_map_generation(&M), gen);
		take(&after, GIB - 1024 * KIB4);
		assert_memory_equal(&before, &after, sizeof(before));
		assert_true(plain(first, GIB));
	}
	/* Releasing a trap needs no page: it cannot fail for want of one. */
	allocs_left = 0;
	assert_int_equal(nested_map_set_trap(&M, GIB - 2 * KIB4, 4 * KIB4, false), 0);
	assert_true(plain(GIB - 2 * KIB4, KIB4) && plain(GIB + KIB4, KIB4));
}

/* A GiB mapped on demand with no memory for it stays unmapped, all its pages
 * given back; the fault is then the handler's (reads all ones). */
static void test_on_demand_out_of_memory(void **state)
{
	(void)state;
	map_reset(false, 4 * GIB);
	unsigned before = n_pages;
	allocs_left = 0;
	assert_false(nested_map_on_demand(&M, ABOVE_EAGER));
	assert_int_equal(n_pages, before);
	assert_false(idmap_mapped(&M.idmap, ABOVE_EAGER));
	allocs_left = 1; /* a PDPT, but no page directory */
	assert_false(nested_map_on_demand(&M, ABOVE_EAGER));
	assert_int_equal(n_pages, before);
	assert_false(M.idmap.pml4[1] & M.format->present);
	assert_true(err_lines >= 1);
	/* A trap there fails the same way, and says so. */
	allocs_left = 1;
	err_lines = 0;
	assert_int_equal(nested_map_set_trap(&M, ABOVE_EAGER, KIB4, true), -1);
	assert_true(err_lines >= 1);
	assert_non_null(strstr(last_err, "cannot trap"));
	assert_int_equal(n_pages, before);
	allocs_left = -1;
	assert_true(nested_map_on_demand(&M, ABOVE_EAGER));
}

#define NESTED_MAP_CASES                                                    \
	cmocka_unit_test(test_split_gib_keeps_attributes),                  \
		cmocka_unit_test(test_split_2m_keeps_attributes),           \
		cmocka_unit_test(test_ranges_across_boundaries),            \
		cmocka_unit_test(test_hide), cmocka_unit_test(test_on_demand), \
		cmocka_unit_test(test_trap_out_of_memory_changes_nothing),  \
		cmocka_unit_test(test_on_demand_out_of_memory)
