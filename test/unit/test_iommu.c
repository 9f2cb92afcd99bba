/* SPDX-License-Identifier: GPL-2.0-only */
/* hv/acpi.c and hv/iommu/io_pagetable.c: finding ACPI tables through the XSDT
 * and the RSDT, refusing bad checksums, renaming a table with a mended
 * checksum; and the I/O page tables: an identity map with the hypervisor's
 * pages and an IOMMU's registers, and only those, left out, at every page
 * size. The pool and the
 * hypervisor's memory are stand-ins. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>
#include "hv/acpi.c"
#include "hv/iommu/io_pagetable.c"

/* ---- stand-ins ---- */

#define POOL_MAX 4096
static int pages_left;
static void *taken[POOL_MAX];
static unsigned n_taken;
static uint64_t hidden_base, hidden_size;

void *pool_alloc_pages(size_t pages)
{
	if (pages_left < (int)pages)
		return NULL;
	pages_left -= (int)pages;
	void *p = aligned_alloc(4096, pages * 4096);
	assert_non_null(p);
	assert_true(n_taken < POOL_MAX);
	memset(p, 0, pages * 4096);
	return taken[n_taken++] = p;
}

static void pool_reset(int pages)
{
	while (n_taken)
		free(taken[--n_taken]);
	pages_left = pages;
}

bool hv_memory_overlaps(uint64_t first, uint64_t last)
{
	return hidden_size && first < hidden_base + hidden_size && last >= hidden_base;
}

/* ---- ACPI ---- */

/* Low memory, so that the RSDT's 32-bit entries can hold the addresses. */
static uint8_t *low_page(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
		       -1, 0);
	assert_true(p != MAP_FAILED);
	return p;
}

static void seal(struct acpi_header *t)
{
	t->checksum = 0;
	t->checksum = (uint8_t)-sum(t, t->length);
}

static struct acpi_header *table(const char *sig, uint32_t length)
{
	struct acpi_header *t = (struct acpi_header *)low_page();
	memcpy(t->signature, sig, 4);
	t->length = length;
	seal(t);
	return t;
}

/* An RSDP (revision 2 with an XSDT, or 0 with an RSDT only) listing the tables. */
static uint64_t rsdp_listing(int revision, struct acpi_header **tables, unsigned n)
{
	struct acpi_rsdp *r = (struct acpi_rsdp *)low_page();
	memcpy(r->signature, "RSD PTR ", 8);
	r->revision = (uint8_t)revision;
	struct acpi_header *rsdt = table("RSDT", sizeof(struct acpi_header) + 4 * n);
	struct acpi_header *xsdt = table("XSDT", sizeof(struct acpi_header) + 8 * n);
	for (unsigned i = 0; i < n; i++) {
		uint32_t a32 = (uint32_t)(uint64_t)tables[i];
		uint64_t a64 = (uint64_t)tables[i];
		memcpy((uint8_t *)(rsdt + 1) + 4 * i, &a32, 4);
		memcpy((uint8_t *)(xsdt + 1) + 8 * i, &a64, 8); /* 4-aligned only, as in firmware */
	}
	seal(rsdt);
	seal(xsdt);
	r->rsdt = (uint32_t)(uint64_t)rsdt;
	r->xsdt = revision >= 2 ? (uint64_t)xsdt : 0;
	r->checksum = (uint8_t)-sum(r, 20);
	return (uint64_t)r;
}

static void test_acpi_find_and_rename(void **state)
{
	struct acpi_header *t[2] = { table("APIC", 44), table("DMAR", 80) };
	for (int rev = 0; rev <= 2; rev += 2) {
		uint64_t rsdp = rsdp_listing(rev, t, 2);
		assert_ptr_equal(acpi_find_table(rsdp, "DMAR"), t[1]);
		assert_ptr_equal(acpi_find_table(rsdp, "APIC"), t[0]);
		assert_null(acpi_find_table(rsdp, "IVRS"));
	}
	uint64_t rsdp = rsdp_listing(2, t, 2);
	acpi_rename_table(t[1], "HDMR");
	assert_int_equal(sum(t[1], t[1]->length), 0);
	assert_null(acpi_find_table(rsdp, "DMAR"));
	assert_ptr_equal(acpi_find_table(rsdp, "HDMR"), t[1]);
}

static void test_acpi_refuses_bad_tables(void **state)
{
	struct acpi_header *t[1] = { table("DMAR", 80) };
	uint64_t rsdp = rsdp_listing(2, t, 1);
	t[0]->oem_revision++; /* checksum now wrong */
	assert_null(acpi_find_table(rsdp, "DMAR"));
	seal(t[0]);
	assert_non_null(acpi_find_table(rsdp, "DMAR"));
	((struct acpi_rsdp *)rsdp)->signature[0] = 'X';
	assert_null(acpi_find_table(rsdp, "DMAR"));
	assert_null(acpi_find_table(0, "DMAR"));
}

/* ---- I/O page tables ---- */

/* A format of our own: bit 0 present, bit 1 leaf; the level in bits 4:2 of a
 * leaf, so a walk can check that each page sits at the level it should. */
#define P 1ull
#define LEAF 2ull
static uint64_t t_table(uint64_t child, unsigned child_level) { return child | P; }
static uint64_t t_leaf(uint64_t pa, unsigned level) { return pa | P | LEAF | (uint64_t)level << 2; }

/* The physical address addr translates to, or ~0 when blocked. */
static uint64_t translate(const uint64_t *root, unsigned levels, uint64_t addr)
{
	const uint64_t *t = root;
	for (unsigned level = levels; level >= 1; level--) {
		uint64_t e = t[(addr >> (12 + 9 * (level - 1))) & 511];
		if (!(e & P))
			return ~0ull;
		uint64_t a = e & 0x000FFFFFFFFFF000ull;
		if (e & LEAF) {
			assert_int_equal((e >> 2) & 7, level);
			return a + (addr & ((1ull << (12 + 9 * (level - 1))) - 1));
		}
		t = (const uint64_t *)a;
	}
	fail_msg("walk of 0x%lx ran past level 1", (unsigned long)addr);
	return ~0ull;
}

static void check_map(unsigned levels, unsigned max_leaf, uint64_t end)
{
	struct io_pt_format f = { t_table, t_leaf, max_leaf };
	pool_reset(POOL_MAX);
	/* Not 2-MiB aligned at either end, as the pool and image are. */
	hidden_base = 0xCA1A000;
	hidden_size = 0x1000000 + 0x196000;
	/* An IOMMU's register window, as hv/iommu/ leaves them out. */
	struct io_range hole = { 0xFED90000, 0x1000 };
	uint64_t *root = io_pt_build(&f, levels, end, &hole, 1);
	assert_non_null(root);
	if (end > hole.base) {
		assert_int_equal(translate(root, levels, hole.base), ~0ull);
		assert_int_equal(translate(root, levels, hole.base + 0xFFF), ~0ull);
		assert_int_equal(translate(root, levels, hole.base - 1), hole.base - 1);
		assert_int_equal(translate(root, levels, hole.base + 0x1000), hole.base + 0x1000);
	}
	uint64_t probes[] = { 0, 0x1000, hidden_base - 1, hidden_base + hidden_size,
			      hidden_base + hidden_size + 0x200000, 0xFEE00000, end - 1 };
	for (unsigned i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		if (probes[i] < end)
			assert_int_equal(translate(root, levels, probes[i]), probes[i]);
	for (uint64_t a = hidden_base; a < hidden_base + hidden_size; a += 0x1000) {
		assert_int_equal(translate(root, levels, a), ~0ull);
		assert_int_equal(translate(root, levels, a + 0xFFF), ~0ull);
	}
	if (end < (1ull << (12 + 9 * levels)))
		assert_int_equal(translate(root, levels, end), ~0ull);
	pool_reset(0);
}

static void test_io_pt_identity_without_hypervisor(void **state)
{
	check_map(4, 3, 1ull << 40);	/* 1-GiB pages, 4 levels */
	check_map(3, 3, 1ull << 39);	/* 3 levels: all of 512 GiB */
	check_map(4, 2, 4ull << 30);	/* 2-MiB pages: RAM and 4 GiB */
	check_map(3, 1, 1ull << 30);	/* 4-KiB pages only */
}

static void test_io_pt_end(void **state)
{
	struct iommu_platform p = { 0, 40, 0x10000000 };
	assert_int_equal(io_pt_end(&p, 48, 3), 1ull << 40);
	assert_int_equal(io_pt_end(&p, 39, 3), 1ull << 39);
	assert_int_equal(io_pt_end(&p, 48, 2), 4ull << 30);
	p.top = (5ull << 30) + 1;
	assert_int_equal(io_pt_end(&p, 48, 2), 6ull << 30);
}

static void test_io_pt_out_of_memory(void **state)
{
	struct io_pt_format f = { t_table, t_leaf, 3 };
	hidden_base = 0xCA1A000;
	hidden_size = 0x1000;
	pool_reset(3); /* root, PDPT, PD: no room for the page table */
	assert_null(io_pt_build(&f, 4, 1ull << 40, NULL, 0));
	pool_reset(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_acpi_find_and_rename),
		cmocka_unit_test(test_acpi_refuses_bad_tables),
		cmocka_unit_test(test_io_pt_identity_without_hypervisor),
		cmocka_unit_test(test_io_pt_end),
		cmocka_unit_test(test_io_pt_out_of_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
