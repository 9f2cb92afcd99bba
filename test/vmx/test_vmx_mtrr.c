/* SPDX-License-Identifier: GPL-2.0-only */
/* vmx/mtrr.c: the memory type of a range from MTRR contents, as the EPT builder
 * asks for it (SDM Vol. 3A §12.11). The layouts are those firmware writes: a
 * write-back default with uncached MMIO holes, fixed ranges for the legacy
 * area. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "vmx/mtrr.h"
#include "vmx/vmcs_fields.h"

#define KIB4 0x1000ull
#define MIB2 0x200000ull
#define GIB 0x40000000ull
#define ADDR_MASK_40 0xFFFFFFF000ull /* 40 physical address bits */

static void add_var(struct mtrr_state *m, uint64_t base, uint64_t size, uint8_t type)
{
	m->var[m->nvar].base = base;
	m->var[m->nvar].mask = ~(size - 1) & ADDR_MASK_40;
	m->var[m->nvar].type = type;
	m->nvar++;
}

/* What OVMF leaves under Bochs and QEMU: WB default, 2-4 GiB UC. */
static void firmware_layout(struct mtrr_state *m)
{
	memset(m, 0, sizeof(*m));
	m->enabled = true;
	m->fixed_enabled = true;
	m->default_type = MT_WB;
	memset(m->fixed, MT_WB, sizeof(m->fixed));
	for (unsigned i = 16; i < 24; i++) /* A0000-BFFFF: VGA, 16-KiB ranges */
		m->fixed[i] = MT_UC;
	add_var(m, 0x80000000, 0x80000000, MT_UC);
}

static void test_disabled_is_uc(void **state)
{
	(void)state;
	struct mtrr_state m = { 0 };
	m.default_type = MT_WB;
	assert_int_equal(mtrr_type(&m, 0, GIB), MT_UC);
	assert_int_equal(mtrr_type(&m, 5 * GIB, KIB4), MT_UC);
}

static void test_default_and_hole(void **state)
{
	(void)state;
	struct mtrr_state m;
	firmware_layout(&m);
	assert_int_equal(mtrr_type(&m, GIB, GIB), MT_WB);
	assert_int_equal(mtrr_type(&m, 2 * GIB, GIB), MT_UC);
	assert_int_equal(mtrr_type(&m, 3 * GIB, GIB), MT_UC);
	assert_int_equal(mtrr_type(&m, 0xFEE00000, KIB4), MT_UC);
	assert_int_equal(mtrr_type(&m, 4 * GIB, GIB), MT_WB);
	assert_int_equal(mtrr_type(&m, 511 * GIB, GIB), MT_WB);
}

static void test_fixed_ranges(void **state)
{
	(void)state;
	struct mtrr_state m;
	firmware_layout(&m);
	/* Anything larger than 4 KiB that touches the first MiB is split. */
	assert_int_equal(mtrr_type(&m, 0, GIB), -1);
	assert_int_equal(mtrr_type(&m, 0, MIB2), -1);
	assert_int_equal(mtrr_type(&m, 0x9F000, KIB4), MT_WB);
	assert_int_equal(mtrr_type(&m, 0xA0000, KIB4), MT_UC);
	assert_int_equal(mtrr_type(&m, 0xBF000, KIB4), MT_UC);
	assert_int_equal(mtrr_type(&m, 0xC0000, KIB4), MT_WB);
	/* The last 4-KiB range, F8000 + 7 pages. */
	m.fixed[87] = MT_WP;
	assert_int_equal(mtrr_type(&m, 0xFF000, KIB4), MT_WP);
	assert_int_equal(mtrr_type(&m, 0xFE000, KIB4), MT_WB);
	/* FE clear: the first MiB follows the variable ranges and the default. */
	m.fixed_enabled = false;
	assert_int_equal(mtrr_type(&m, 0, MIB2), MT_WB);
}

static void test_partial_overlap_splits(void **state)
{
	(void)state;
	struct mtrr_state m;
	firmware_layout(&m);
	/* 3.5-4 GiB UC inside a WB default: the GiB and its 2-MiB pages below 3.5. */
	m.nvar = 0;
	add_var(&m, 0xE0000000, 0x20000000, MT_UC);
	assert_int_equal(mtrr_type(&m, 3 * GIB, GIB), -1);
	assert_int_equal(mtrr_type(&m, 3 * GIB, MIB2), MT_WB);
	assert_int_equal(mtrr_type(&m, 0xE0000000, MIB2), MT_UC);
	assert_int_equal(mtrr_type(&m, 2 * GIB, GIB), MT_WB);
	/* A 4-KiB UC page in the middle of a 2-MiB page. */
	add_var(&m, 0x40123000, KIB4, MT_UC);
	assert_int_equal(mtrr_type(&m, 0x40000000, MIB2), -1);
	assert_int_equal(mtrr_type(&m, 0x40123000, KIB4), MT_UC);
	assert_int_equal(mtrr_type(&m, 0x40124000, KIB4), MT_WB);
}

static void test_overlap_rules(void **state)
{
	(void)state;
	struct mtrr_state m;
	firmware_layout(&m);
	m.nvar = 0;
	m.default_type = MT_UC;
	/* WB over all of 0-4 GiB, WT on top for 1-2 GiB: WT wins (§12.11.4.1). */
	add_var(&m, 0, 4 * GIB, MT_WB);
	add_var(&m, GIB, GIB, MT_WT);
	assert_int_equal(mtrr_type(&m, GIB, GIB), MT_WT);
	assert_int_equal(mtrr_type(&m, 2 * GIB, GIB), MT_WB);
	/* UC over WB wins. */
	add_var(&m, 2 * GIB, GIB, MT_UC);
	assert_int_equal(mtrr_type(&m, 2 * GIB, MIB2), MT_UC);
	/* WC over WB is undefined: UC. */
	add_var(&m, 3 * GIB, GIB, MT_WC);
	assert_int_equal(mtrr_type(&m, 3 * GIB, KIB4), MT_UC);
	/* Beyond the WB range the default (UC) applies. */
	assert_int_equal(mtrr_type(&m, 4 * GIB, GIB), MT_UC);
	/* Equal types overlapping stay that type. */
	add_var(&m, 0, GIB, MT_WB);
	assert_int_equal(mtrr_type(&m, 0x10000000, MIB2), MT_WB);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_disabled_is_uc),
		cmocka_unit_test(test_default_and_hole),
		cmocka_unit_test(test_fixed_ranges),
		cmocka_unit_test(test_partial_overlap_splits),
		cmocka_unit_test(test_overlap_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
