/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test/unit/test_x86_pagewalk.c - the guest page walker and split accesses.
 */
#include "x86_fake_guest.h"
#include "hv/x86/guest_mem.h"
#include "hv/x86/segment.h"

static struct fake_guest *g;

static int setup(void **state)
{
	(void)state;
	g = fg_new();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fg_free(g);
	return 0;
}

static enum x86_status xlate(uint64_t la, unsigned acc, uint64_t *gpa)
{
	memset(&g->res, 0, sizeof(g->res));
	return x86_translate(&g->regs, &g->ops, la, acc, gpa, &g->res);
}

static void expect_pf(uint64_t la, unsigned acc, uint32_t ec)
{
	uint64_t gpa = 0;

	assert_int_equal(xlate(la, acc, &gpa), X86_FAULT);
	assert_int_equal(g->res.fault.vector, X86_EXC_PF);
	assert_true(g->res.fault.has_error_code);
	assert_int_equal(g->res.fault.error_code, ec);
	assert_int_equal(g->res.fault.cr2, la);
}

static void expect_gpa(uint64_t la, unsigned acc, uint64_t want)
{
	uint64_t gpa = 0;

	assert_int_equal(xlate(la, acc, &gpa), X86_OK);
	assert_int_equal(gpa, want);
}

static void test_unpaged(void **state)
{
	(void)state;
	fg_set_paging(g, X86_PAGING_NONE);
	expect_gpa(0x12345678, X86_ACC_WRITE, 0x12345678);
	/* linear addresses are 32 bits without paging */
	expect_gpa(0x1fee00010ull, X86_ACC_READ, 0xfee00010);
}

static void test_paging32_4k_and_4m(void **state)
{
	(void)state;
	fg_set_paging(g, X86_PAGING_32);
	fg_map(g, 0x00401000, 0x00abc000, PG_P | PG_RW);
	expect_gpa(0x00401234, X86_ACC_WRITE, 0x00abc234);
	/* 4 MiB page with PSE-36 high address bits 35:32 = 0x3 */
	fg_map_ex(g, 0x80000000, 0x3fec00000ull, 4u << 20, PG_P | PG_RW, 0);
	expect_gpa(0x80123456, X86_ACC_READ, 0x3fed23456ull);
	/* without CR4.PSE the PS bit is ignored: the PDE is a table pointer
	 * (here to gpa 0xfec00000 + 0x?? - outside RAM, so read_gpa fails) */
	g->regs.cr4 &= ~X86_CR4_PSE;
	memset(&g->res, 0, sizeof(g->res));
	{
		uint64_t gpa;

		assert_int_equal(x86_translate(&g->regs, &g->ops, 0x80123456,
					       0, &gpa, &g->res), X86_CALLBACK);
		assert_int_equal(g->res.cb_status, -77);
	}
	g->regs.cr4 |= X86_CR4_PSE;
	/* bit 21 of a 4 MiB PDE is reserved */
	fg_wr(g, g->regs.cr3 + (0x80000000u >> 22) * 4,
	      fg_rd(g, g->regs.cr3 + (0x80000000u >> 22) * 4, 4) | (1u << 21), 4);
	expect_pf(0x80000000, X86_ACC_READ, X86_PFEC_P | X86_PFEC_RSVD);
	/* 32-bit paging: no I/D bit without SMEP */
	expect_pf(0x00800000, X86_ACC_FETCH, 0);
	g->regs.cr4 |= X86_CR4_SMEP;
	expect_pf(0x00800000, X86_ACC_FETCH, X86_PFEC_I);
}

static void test_pae(void **state)
{
	(void)state;
	fg_set_paging(g, X86_PAGING_PAE);
	fg_map(g, 0xc0201000, 0x7654321000ull, PG_P | PG_RW);
	expect_gpa(0xc0201ffc, X86_ACC_WRITE, 0x7654321ffcull);
	fg_map_ex(g, 0x40200000, 0x1fe00000, 2u << 20, PG_P | PG_RW | PG_XD, PG_P | PG_RW);
	expect_gpa(0x40323456, X86_ACC_READ, 0x1ff23456);
	expect_pf(0x40323456, X86_ACC_FETCH, X86_PFEC_P | X86_PFEC_I);
	/* NXE off: XD is a reserved bit */
	g->regs.efer &= ~X86_EFER_NXE;
	expect_pf(0x40323456, X86_ACC_READ, X86_PFEC_P | X86_PFEC_RSVD);
	g->regs.efer |= X86_EFER_NXE;
	/* PAE reserves PDE/PTE bits 62:M (M = 40 here) */
	fg_map(g, 0xc0202000, 0x1000, PG_P | PG_RW | (1ull << 52));
	expect_pf(0xc0202000, X86_ACC_READ, X86_PFEC_P | X86_PFEC_RSVD);
	/* the PDPTE registers win over memory when valid */
	g->regs.pdpte_valid = true;
	for (int i = 0; i < 4; i++)
		g->regs.pdpte[i] = fg_rd(g, g->regs.cr3 + i * 8, 8);
	g->regs.pdpte[3] = 0; /* not present */
	expect_pf(0xc0201000, X86_ACC_WRITE, X86_PFEC_W);
	g->regs.pdpte_valid = false;
	expect_gpa(0xc0201000, X86_ACC_WRITE, 0x7654321000ull);
	/* PDPTE reserved bits 2:1 */
	fg_wr(g, g->regs.cr3 + 3 * 8, fg_rd(g, g->regs.cr3 + 3 * 8, 8) | 2, 8);
	expect_pf(0xc0201000, X86_ACC_READ, X86_PFEC_P | X86_PFEC_RSVD);
}

static void test_4level_sizes(void **state)
{
	(void)state;
	fg_set_paging(g, X86_PAGING_4LEVEL);
	fg_map(g, 0xffff800000001000ull, 0x123456000ull, PG_P | PG_RW);
	expect_gpa(0xffff800000001abcull, X86_ACC_READ, 0x123456abcull);
	fg_map_ex(g, 0x7f0000200000ull, 0x80000000ull, 2u << 20, PG_P | PG_RW, PG_P | PG_RW);
	expect_gpa(0x7f00002fffffull, X86_ACC_WRITE, 0x800fffffull);
	fg_map_ex(g, 0x8000000000ull, 0xc0000000ull, 1u << 30, PG_P | PG_RW, PG_P | PG_RW);
	expect_gpa(0x803fffffffull, X86_ACC_READ, 0xffffffffull);
	/* a 1 GiB frame must be aligned: bit 13 is reserved there */
	fg_map_ex(g, 0x8040000000ull, 0xc0000000ull, 1u << 30, PG_P, PG_P);
	fg_wr(g, fg_leaf_entry(g, 0x8040000000ull),
	      fg_rd(g, fg_leaf_entry(g, 0x8040000000ull), 8) | (1u << 13), 8);
	expect_pf(0x8040000000ull, X86_ACC_READ, X86_PFEC_P | X86_PFEC_RSVD);
	/* PS in a PML4E is reserved */
	fg_wr(g, g->regs.cr3 + 0x100 * 8, fg_rd(g, g->regs.cr3 + 0x100 * 8, 8) | PG_PS, 8);
	expect_pf(0xffff800000001000ull, X86_ACC_READ, X86_PFEC_P | X86_PFEC_RSVD);
	/* bits at or above MAXPHYADDR are reserved (40 here) */
	fg_map(g, 0x5000, 0x10000000000ull, PG_P);
	expect_pf(0x5000, X86_ACC_READ, X86_PFEC_P | X86_PFEC_RSVD);
	g->ops.phys_bits = 48;
	expect_gpa(0x5000, X86_ACC_READ, 0x10000000000ull);
}

static void test_5level(void **state)
{
	(void)state;
	fg_set_paging(g, X86_PAGING_5LEVEL);
	fg_map(g, 0xff12345678901000ull, 0xabc000, PG_P | PG_RW);
	expect_gpa(0xff12345678901008ull, X86_ACC_READ, 0xabc008);
	/* a different PML5 index is not mapped */
	expect_pf(0xfe12345678901000ull, X86_ACC_READ, 0);
}

static void test_rights(void **state)
{
	(void)state;
	fg_set_paging(g, X86_PAGING_4LEVEL);
	fg_map(g, 0x1000, 0x1000, PG_P);                  /* supervisor RO */
	fg_map(g, 0x2000, 0x2000, PG_P | PG_US);          /* user RO */
	fg_map(g, 0x3000, 0x3000, PG_P | PG_US | PG_RW);  /* user RW */
	fg_map(g, 0x4000, 0x4000, PG_P | PG_RW | PG_XD);  /* supervisor NX */

	g->regs.cpl = 0;
	expect_gpa(0x1000, X86_ACC_READ, 0x1000);
	expect_pf(0x1000, X86_ACC_WRITE, X86_PFEC_P | X86_PFEC_W);
	g->regs.cr0 &= ~X86_CR0_WP;  /* supervisor writes ignore R/W */
	expect_gpa(0x1000, X86_ACC_WRITE, 0x1000);
	g->regs.cr0 |= X86_CR0_WP;
	expect_pf(0x4000, X86_ACC_FETCH, X86_PFEC_P | X86_PFEC_I);
	expect_pf(0x9000, X86_ACC_FETCH, X86_PFEC_I);     /* not present */

	/* SMEP: no supervisor fetch from user pages */
	expect_gpa(0x2000, X86_ACC_FETCH, 0x2000);
	g->regs.cr4 |= X86_CR4_SMEP;
	expect_pf(0x2000, X86_ACC_FETCH, X86_PFEC_P | X86_PFEC_I);
	/* SMAP: no supervisor data access to user pages unless RFLAGS.AC */
	expect_gpa(0x3000, X86_ACC_WRITE, 0x3000);
	g->regs.cr4 |= X86_CR4_SMAP;
	expect_pf(0x3000, X86_ACC_READ, X86_PFEC_P);
	expect_pf(0x3000, X86_ACC_WRITE, X86_PFEC_P | X86_PFEC_W);
	g->regs.rflags |= X86_RFLAGS_AC;
	expect_gpa(0x3000, X86_ACC_WRITE, 0x3000);

	g->regs.cpl = 3;
	expect_pf(0x1000, X86_ACC_READ, X86_PFEC_P | X86_PFEC_U);
	expect_gpa(0x2000, X86_ACC_READ, 0x2000);
	expect_pf(0x2000, X86_ACC_WRITE, X86_PFEC_P | X86_PFEC_W | X86_PFEC_U);
	g->regs.cr0 &= ~X86_CR0_WP;  /* WP does not matter for user mode */
	expect_pf(0x2000, X86_ACC_WRITE, X86_PFEC_P | X86_PFEC_W | X86_PFEC_U);
	expect_gpa(0x3000, X86_ACC_WRITE, 0x3000);
	expect_pf(0xa000, X86_ACC_WRITE, X86_PFEC_W | X86_PFEC_U);
	/* an upper level without U/S makes the page supervisor-only */
	fg_wr(g, g->regs.cr3, fg_rd(g, g->regs.cr3, 8) & ~PG_US, 8);
	expect_pf(0x3000, X86_ACC_READ, X86_PFEC_P | X86_PFEC_U);
}

static void test_accessed_dirty(void **state)
{
	uint64_t gpa, pte_gpa;

	(void)state;
	fg_set_paging(g, X86_PAGING_4LEVEL);
	fg_map(g, 0x5000, 0x9000, PG_P | PG_RW);
	/* without the callback nothing is written */
	expect_gpa(0x5000, X86_ACC_WRITE, 0x9000);
	g->ops.pte_set_bits = fg_pte_set_bits;
	expect_gpa(0x5000, X86_ACC_READ, 0x9000);
	assert_int_equal(g->set_bits_calls, 4); /* A on all four levels */
	{
		/* find the PTE: walk by hand */
		uint64_t t = g->regs.cr3;

		for (int l = 4; l > 1; l--) {
			uint64_t e = fg_rd(g, t + ((0x5000ull >> (12 + 9 * (l - 1))) & 0x1ff) * 8, 8);

			assert_true(e & PG_A);
			t = e & ~0xfffull;
		}
		pte_gpa = t + 5 * 8;
	}
	assert_true(fg_rd(g, pte_gpa, 8) & PG_A);
	assert_false(fg_rd(g, pte_gpa, 8) & PG_D);
	assert_int_equal(xlate(0x5000, X86_ACC_WRITE, &gpa), X86_OK);
	assert_int_equal(g->set_bits_calls, 5); /* only D on the leaf */
	assert_true(fg_rd(g, pte_gpa, 8) & PG_D);
	/* a failed walk sets nothing */
	g->set_bits_calls = 0;
	fg_map(g, 0x6000, 0x9000, PG_P);
	assert_int_equal(xlate(0x6000, X86_ACC_WRITE, &gpa), X86_FAULT);
	assert_int_equal(g->set_bits_calls, 0);
}

static void test_split_access(void **state)
{
	struct x86_mem_ref ref;
	uint8_t buf[8];

	(void)state;
	fg_set_paging(g, X86_PAGING_4LEVEL);
	fg_set_segments(g, 64);
	fg_add_mmio(g, 0xfed00000, 0x1000);
	fg_map(g, 0x10000, 0x200000, PG_P | PG_RW);   /* RAM */
	fg_map(g, 0x11000, 0xfed00000, PG_P | PG_RW); /* MMIO */
	memcpy(g->ram + 0x200ffd, "\x01\x02\x03", 3);
	fg_mmio_set(g, 0xfed00000, 0x0807060504ull, 5);
	memset(&g->res, 0, sizeof(g->res));
	assert_int_equal(x86_mem_resolve(&g->regs, &g->ops, 0x10ffd, 8, X86_ACC_READ,
					 &ref, &g->res), X86_OK);
	assert_int_equal(ref.n, 2);
	assert_int_equal(ref.span[0].gpa, 0x200ffd);
	assert_int_equal(ref.span[0].len, 3);
	assert_false(ref.span[0].mmio);
	assert_int_equal(ref.span[1].gpa, 0xfed00000);
	assert_int_equal(ref.span[1].len, 5);
	assert_true(ref.span[1].mmio);
	g->n_log = 0;
	assert_int_equal(x86_mem_read(&g->ops, &ref, 0, buf, 8, &g->res), X86_OK);
	assert_memory_equal(buf, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	assert_int_equal(g->n_log, 2);
	assert_int_equal(g->log[1].size, 5);

	/* a write whose second page faults writes nothing */
	fg_map(g, 0x12000, 0x300000, PG_P); /* read-only */
	assert_int_equal(x86_mem_resolve(&g->regs, &g->ops, 0x11ffe, 4, X86_ACC_WRITE,
					 &ref, &g->res), X86_FAULT);
	assert_int_equal(g->res.fault.error_code, X86_PFEC_P | X86_PFEC_W);
	assert_int_equal(g->res.fault.cr2, 0x12000);
}

static void test_segmentation(void **state)
{
	uint64_t la;
	struct x86_result *res;

	(void)state;
	res = &g->res;
	/* 32-bit protected mode: base + offset, limit, type checks */
	fg_set_paging(g, X86_PAGING_NONE);
	fg_set_segments(g, 32);
	g->regs.seg[X86_DS].base = 0x10000;
	g->regs.seg[X86_DS].limit = 0xfff;
	assert_int_equal(x86_linear_address(&g->regs, X86_DS, 0xffc, 4, X86_ACC_READ, &la, res), X86_OK);
	assert_int_equal(la, 0x10ffc);
	assert_int_equal(x86_linear_address(&g->regs, X86_DS, 0xffd, 4, X86_ACC_READ, &la, res), X86_FAULT);
	assert_int_equal(res->fault.vector, X86_EXC_GP);
	assert_int_equal(res->fault.error_code, 0);
	g->regs.seg[X86_SS].limit = 0xfff;
	assert_int_equal(x86_linear_address(&g->regs, X86_SS, 0x1000, 1, X86_ACC_READ, &la, res), X86_FAULT);
	assert_int_equal(res->fault.vector, X86_EXC_SS);
	/* read-only data: no writes */
	g->regs.seg[X86_ES].attr &= ~X86_SEG_TYPE_W;
	assert_int_equal(x86_linear_address(&g->regs, X86_ES, 0, 1, X86_ACC_WRITE, &la, res), X86_FAULT);
	assert_int_equal(x86_linear_address(&g->regs, X86_ES, 0, 1, X86_ACC_READ, &la, res), X86_OK);
	/* unusable segment */
	g->regs.seg[X86_FS].attr |= X86_SEG_UNUSABLE;
	assert_int_equal(x86_linear_address(&g->regs, X86_FS, 0, 1, X86_ACC_READ, &la, res), X86_FAULT);
	/* expand-down, 16-bit: valid offsets limit+1 .. 0xffff */
	g->regs.seg[X86_GS].attr = X86_SEG_P | X86_SEG_S | X86_SEG_TYPE_W | X86_SEG_TYPE_E;
	g->regs.seg[X86_GS].limit = 0x0fff;
	assert_int_equal(x86_linear_address(&g->regs, X86_GS, 0x0fff, 1, X86_ACC_READ, &la, res), X86_FAULT);
	assert_int_equal(x86_linear_address(&g->regs, X86_GS, 0x1000, 2, X86_ACC_READ, &la, res), X86_OK);
	assert_int_equal(x86_linear_address(&g->regs, X86_GS, 0xffff, 2, X86_ACC_READ, &la, res), X86_FAULT);
	/* 32-bit linear wrap */
	g->regs.seg[X86_DS].base = 0xfffff000;
	g->regs.seg[X86_DS].limit = 0xffffffff;
	assert_int_equal(x86_linear_address(&g->regs, X86_DS, 0x2000, 4, X86_ACC_READ, &la, res), X86_OK);
	assert_int_equal(la, 0x1000);

	/* 64-bit mode: only FS/GS bases; canonical check */
	fg_set_paging(g, X86_PAGING_4LEVEL);
	fg_set_segments(g, 64);
	g->regs.seg[X86_DS].base = 0x5000;
	g->regs.seg[X86_FS].base = 0x7000;
	assert_int_equal(x86_linear_address(&g->regs, X86_DS, 0x10, 8, X86_ACC_READ, &la, res), X86_OK);
	assert_int_equal(la, 0x10);
	assert_int_equal(x86_linear_address(&g->regs, X86_FS, 0x10, 8, X86_ACC_READ, &la, res), X86_OK);
	assert_int_equal(la, 0x7010);
	assert_int_equal(x86_linear_address(&g->regs, X86_DS, 0x0000800000000000ull, 1, X86_ACC_READ, &la, res), X86_FAULT);
	assert_int_equal(res->fault.vector, X86_EXC_GP);
	assert_int_equal(x86_linear_address(&g->regs, X86_SS, 0x00007ffffffffffcull, 8, X86_ACC_READ, &la, res), X86_FAULT);
	assert_int_equal(res->fault.vector, X86_EXC_SS);
	g->regs.cr4 |= X86_CR4_LA57;
	assert_int_equal(x86_linear_address(&g->regs, X86_DS, 0x0000800000000000ull, 1, X86_ACC_READ, &la, res), X86_OK);

	/* alignment check needs CPL 3, CR0.AM and RFLAGS.AC */
	assert_int_equal(x86_check_alignment(&g->regs, 0x1002, 4, res), X86_OK);
	g->regs.cpl = 3;
	g->regs.cr0 |= X86_CR0_AM;
	g->regs.rflags |= X86_RFLAGS_AC;
	assert_int_equal(x86_check_alignment(&g->regs, 0x1002, 4, res), X86_FAULT);
	assert_int_equal(res->fault.vector, X86_EXC_AC);
	assert_int_equal(x86_check_alignment(&g->regs, 0x1004, 4, res), X86_OK);
}

static void test_modes(void **state)
{
	struct x86_regs r = { 0 };

	(void)state;
	assert_int_equal(x86_cpu_mode(&r), X86_MODE_REAL);
	r.cr0 = X86_CR0_PE;
	assert_int_equal(x86_cpu_mode(&r), X86_MODE_PROT16);
	r.seg[X86_CS].attr = X86_SEG_DB;
	assert_int_equal(x86_cpu_mode(&r), X86_MODE_PROT32);
	r.rflags = X86_RFLAGS_VM;
	assert_int_equal(x86_cpu_mode(&r), X86_MODE_V86);
	r.efer = X86_EFER_LMA | X86_EFER_LME;
	assert_int_equal(x86_cpu_mode(&r), X86_MODE_COMPAT32);
	r.seg[X86_CS].attr = 0;
	assert_int_equal(x86_cpu_mode(&r), X86_MODE_COMPAT16);
	r.seg[X86_CS].attr = X86_SEG_L;
	assert_int_equal(x86_cpu_mode(&r), X86_MODE_LONG64);
	assert_int_equal(x86_mode_code_bits(X86_MODE_LONG64), 64);
	assert_int_equal(x86_mode_code_bits(X86_MODE_V86), 16);

	assert_int_equal(x86_paging_mode(&r), X86_PAGING_NONE);
	r.cr0 |= X86_CR0_PG;
	r.cr4 = X86_CR4_PAE;
	assert_int_equal(x86_paging_mode(&r), X86_PAGING_4LEVEL);
	r.cr4 |= X86_CR4_LA57;
	assert_int_equal(x86_paging_mode(&r), X86_PAGING_5LEVEL);
	r.efer = 0;
	assert_int_equal(x86_paging_mode(&r), X86_PAGING_PAE);
	r.cr4 = 0;
	assert_int_equal(x86_paging_mode(&r), X86_PAGING_32);

	/* SVM attributes: G/D/L/AVL move from 11:8 to 15:12 */
	assert_int_equal(x86_seg_attr_from_svm(0xa9b), 0xa09b);
	assert_int_equal(x86_seg_attr_from_svm(0x000), X86_SEG_UNUSABLE);
}

static void test_gpr_access(void **state)
{
	struct x86_regs r = { 0 };

	(void)state;
	r.gpr[X86_RAX] = 0x1122334455667788ull;
	assert_int_equal(x86_gpr_read(&r, X86_RAX, true, 1), 0x77);
	x86_gpr_write(&r, X86_RAX, true, 1, 0xaa);
	assert_int_equal(r.gpr[X86_RAX], 0x112233445566aa88ull);
	x86_gpr_write(&r, X86_RAX, false, 2, 0xbbcc);
	assert_int_equal(r.gpr[X86_RAX], 0x112233445566bbccull);
	x86_gpr_write(&r, X86_RAX, false, 4, 0xdeadbeef);
	assert_int_equal(r.gpr[X86_RAX], 0xdeadbeefull);
	x86_gpr_write(&r, X86_R15, false, 1, 0x1ff);
	assert_int_equal(r.gpr[X86_R15], 0xff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unpaged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paging32_4k_and_4m, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pae, setup, teardown),
		cmocka_unit_test_setup_teardown(test_4level_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_5level, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rights, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accessed_dirty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_access, setup, teardown),
		cmocka_unit_test_setup_teardown(test_segmentation, setup, teardown),
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_gpr_access),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
