/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test/unit/test_x86_cr_write.c - MOV to CR0/CR3, LMSW and CLTS as the SDM
 * describes them (hv/x86/cr_write.c): each #GP condition of the instruction
 * pages, and the values that are taken.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "hv/x86/arch.h"
#include "hv/x86/cr_write.h"

#define CR0_PROT (X86_CR0_PE | X86_CR0_ET | X86_CR0_NE)
#define CR0_PAGED (CR0_PROT | X86_CR0_PG | X86_CR0_WP)

/* 64-bit mode: IA-32e paging on, CS.L set. */
static struct x86_regs long64(void)
{
	struct x86_regs r = { 0 };
	r.cr0 = CR0_PAGED;
	r.cr4 = X86_CR4_PAE;
	r.efer = X86_EFER_LME | X86_EFER_LMA;
	r.seg[X86_CS].attr = X86_SEG_P | X86_SEG_L;
	return r;
}

/* Protected mode without paging, 32-bit code. */
static struct x86_regs prot32(void)
{
	struct x86_regs r = { 0 };
	r.cr0 = CR0_PROT;
	r.seg[X86_CS].attr = X86_SEG_P | X86_SEG_DB;
	return r;
}

static void test_cr0_faults(void **state)
{
	(void)state;
	struct x86_regs r = long64(), p = prot32();

	assert_false(x86_cr0_write_faults(&r, CR0_PAGED | X86_CR0_TS));
	/* reserved high half */
	assert_true(x86_cr0_write_faults(&r, CR0_PAGED | 1ull << 32));
	/* PG without PE, NW without CD */
	assert_true(x86_cr0_write_faults(&p, X86_CR0_PG));
	assert_true(x86_cr0_write_faults(&p, CR0_PROT | X86_CR0_NW));
	assert_false(x86_cr0_write_faults(&p, CR0_PROT | X86_CR0_NW | X86_CR0_CD));
	/* paging off in 64-bit mode; in compatibility mode it is allowed */
	assert_true(x86_cr0_write_faults(&r, CR0_PROT));
	r.seg[X86_CS].attr = X86_SEG_P | X86_SEG_DB;
	assert_false(x86_cr0_write_faults(&r, CR0_PROT));
	/* ... but not with CR4.PCIDE */
	r.cr4 |= X86_CR4_PCIDE;
	assert_true(x86_cr0_write_faults(&r, CR0_PROT));
	/* IA-32e activation: needs CR4.PAE, and a CS without L */
	p.efer = X86_EFER_LME;
	assert_true(x86_cr0_write_faults(&p, CR0_PAGED));
	p.cr4 = X86_CR4_PAE;
	assert_false(x86_cr0_write_faults(&p, CR0_PAGED));
	p.seg[X86_CS].attr |= X86_SEG_L;
	assert_true(x86_cr0_write_faults(&p, CR0_PAGED));
	/* legacy paging without LME needs no PAE */
	struct x86_regs q = prot32();
	assert_false(x86_cr0_write_faults(&q, CR0_PAGED));
}

static void test_cr3(void **state)
{
	(void)state;
	struct x86_regs r = long64(), p = prot32();
	uint64_t v = 0;

	assert_false(x86_cr3_write_faults(&r, 0x123456000ull, 39, &v));
	assert_int_equal(v, 0x123456000ull);
	/* a bit at or above MAXPHYADDR */
	assert_true(x86_cr3_write_faults(&r, 1ull << 39, 39, &v));
	assert_true(x86_cr3_write_faults(&r, X86_CR3_PCID_NOFLUSH | 0x1000, 39, &v));
	/* bit 63 with PCIDE: the no-flush hint, not stored */
	r.cr4 |= X86_CR4_PCIDE;
	assert_false(x86_cr3_write_faults(&r, X86_CR3_PCID_NOFLUSH | 0x1005, 39, &v));
	assert_int_equal(v, 0x1005);
	/* outside IA-32e mode: the low 32 bits, nothing reserved */
	assert_false(x86_cr3_write_faults(&p, 0xfffff000ull, 36, &v));
	assert_int_equal(v, 0xfffff000ull);
}

static void test_lmsw_clts(void **state)
{
	(void)state;
	/* LMSW loads MP, EM, TS and sets PE; it never clears PE nor touches
	 * the other bits. */
	assert_int_equal(x86_lmsw(CR0_PAGED | X86_CR0_TS, 0x0), CR0_PAGED);
	assert_int_equal(x86_lmsw(CR0_PAGED, 0xe), CR0_PAGED | X86_CR0_MP | X86_CR0_EM | X86_CR0_TS);
	assert_int_equal(x86_lmsw(X86_CR0_ET, 0x1), X86_CR0_ET | X86_CR0_PE);
	assert_int_equal(x86_lmsw(X86_CR0_ET, 0xfff0), X86_CR0_ET);
	assert_int_equal(x86_clts(CR0_PAGED | X86_CR0_TS), CR0_PAGED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cr0_faults),
		cmocka_unit_test(test_cr3),
		cmocka_unit_test(test_lmsw_clts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
