/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test/unit/test_x86_string_io.c - memory side of INS/OUTS: REP counts,
 * DF, address sizes, partial completion, faults mid-string.
 */
#include "x86_fake_guest.h"

static struct fake_guest *g;

#define D (FG_DATA_LA)

static int setup(void **state)
{
	(void)state;
	g = fg_new_long64();
	for (unsigned i = 0; i < sizeof(g->port_in); i++)
		g->port_in[i] = (uint8_t)(i + 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fg_free(g);
	return 0;
}

static struct x86_string_io io(bool in, unsigned size, bool rep, unsigned asz)
{
	return (struct x86_string_io){ .port = 0x60, .size = size, .in = in, .rep = rep,
				       .addr_size = asz, .seg = X86_DS, .insn_len = 2 };
}

static enum x86_status run(struct x86_string_io d)
{
	memset(&g->res, 0, sizeof(g->res));
	return x86_string_io(&g->regs, &g->ops, &d, &g->res);
}

static void test_outs_rep_up_and_down(void **state)
{
	(void)state;
	memcpy(g->ram + D, "ABCDEFGH", 8);
	g->regs.gpr[X86_RSI] = D;
	g->regs.gpr[X86_RCX] = 5;
	assert_int_equal(run(io(false, 1, true, 8)), X86_OK);
	assert_memory_equal(g->port_out, "ABCDE", 5);
	assert_int_equal(g->regs.gpr[X86_RSI], D + 5);
	assert_int_equal(g->regs.gpr[X86_RCX], 0);
	assert_int_equal(g->regs.rip, FG_CODE_GPA + 2);
	assert_int_equal(g->port_calls, 1); /* RAM: one chunk */

	/* DF=1, words: from D+6 down: "GH", "EF", "CD" */
	g->port_out_pos = 0;
	g->regs.rip = FG_CODE_GPA;
	g->regs.rflags |= X86_RFLAGS_DF;
	g->regs.gpr[X86_RSI] = D + 6;
	g->regs.gpr[X86_RCX] = 3;
	assert_int_equal(run(io(false, 2, true, 8)), X86_OK);
	assert_memory_equal(g->port_out, "GHEFCD", 6);
	assert_int_equal(g->regs.gpr[X86_RSI], D);
	assert_int_equal(g->regs.gpr[X86_RCX], 0);
}

static void test_ins_rep_crossing_page(void **state)
{
	(void)state;
	/* dwords from D+0xff8: 4 elements, 2 per page */
	g->regs.gpr[X86_RDI] = D + 0xff8;
	g->regs.gpr[X86_RCX] = 4;
	assert_int_equal(run(io(true, 4, true, 8)), X86_OK);
	for (unsigned i = 0; i < 16; i++)
		assert_int_equal(g->ram[D + 0xff8 + i], i + 1);
	assert_int_equal(g->regs.gpr[X86_RDI], D + 0x1008);
	assert_int_equal(g->port_calls, 2);
	/* DF=1 INS: the first element goes to the highest address */
	g->regs.rip = FG_CODE_GPA;
	g->port_in_pos = 0;
	g->regs.rflags |= X86_RFLAGS_DF;
	g->regs.gpr[X86_RDI] = D + 0x104;
	g->regs.gpr[X86_RCX] = 3;
	assert_int_equal(run(io(true, 2, true, 8)), X86_OK);
	assert_int_equal(fg_rd(g, D + 0x104, 2), 0x0201);
	assert_int_equal(fg_rd(g, D + 0x102, 2), 0x0403);
	assert_int_equal(fg_rd(g, D + 0x100, 2), 0x0605);
	assert_int_equal(g->regs.gpr[X86_RDI], D + 0xfe);
}

static void test_element_straddling_page(void **state)
{
	(void)state;
	g->regs.gpr[X86_RDI] = D + 0xffe;
	g->regs.gpr[X86_RCX] = 2;
	assert_int_equal(run(io(true, 4, true, 8)), X86_OK);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(g->ram[D + 0xffe + i], i + 1);
	assert_int_equal(g->regs.gpr[X86_RCX], 0);
}

static void test_partial_completion(void **state)
{
	(void)state;
	g->port_max = 3;
	g->regs.gpr[X86_RDI] = D;
	g->regs.gpr[X86_RCX] = 10;
	assert_int_equal(run(io(true, 2, true, 8)), X86_OK);
	assert_int_equal(g->regs.gpr[X86_RCX], 7);
	assert_int_equal(g->regs.gpr[X86_RDI], D + 6);
	assert_int_equal(g->regs.rip, FG_CODE_GPA);     /* not done yet */
	g->port_max = 0;
	assert_int_equal(run(io(true, 2, true, 8)), X86_OK);
	assert_int_equal(g->regs.gpr[X86_RCX], 0);
	assert_int_equal(g->regs.gpr[X86_RDI], D + 20);
	assert_int_equal(g->regs.rip, FG_CODE_GPA + 2);
	for (unsigned i = 0; i < 20; i++)
		assert_int_equal(g->ram[D + i], i + 1);
	/* the device completes nothing (non-REP): nothing moves, RIP stays */
	g->regs.rip = FG_CODE_GPA;
	g->port_none = true;
	assert_int_equal(run(io(true, 1, false, 8)), X86_OK);
	assert_int_equal(g->regs.gpr[X86_RDI], D + 20);
	assert_int_equal(g->regs.rip, FG_CODE_GPA);
	/* ... and then one element */
	g->port_none = false;
	g->regs.gpr[X86_RCX] = 77;
	assert_int_equal(run(io(true, 1, false, 8)), X86_OK);
	assert_int_equal(g->regs.gpr[X86_RDI], D + 21);
	assert_int_equal(g->regs.gpr[X86_RCX], 77); /* untouched without REP */
	assert_int_equal(g->regs.rip, FG_CODE_GPA + 2);
}

static void test_callback_status(void **state)
{
	(void)state;
	g->port_max = 2;
	g->port_status = 1234;
	g->regs.gpr[X86_RSI] = D;
	g->regs.gpr[X86_RCX] = 8;
	assert_int_equal(run(io(false, 1, true, 8)), X86_CALLBACK);
	assert_int_equal(g->res.cb_status, 1234);
	assert_int_equal(g->regs.gpr[X86_RCX], 6);
	assert_int_equal(g->regs.gpr[X86_RSI], D + 2);
	assert_int_equal(g->regs.rip, FG_CODE_GPA);
}

static void test_fault_mid_string(void **state)
{
	(void)state;
	/* INS into D+0xfffc..: the page after the data window is unmapped */
	g->regs.gpr[X86_RDI] = D + 0xfffc;
	g->regs.gpr[X86_RCX] = 4;
	assert_int_equal(run(io(true, 2, true, 8)), X86_FAULT);
	assert_int_equal(g->res.fault.vector, X86_EXC_PF);
	assert_int_equal(g->res.fault.error_code, X86_PFEC_W);
	assert_int_equal(g->res.fault.cr2, D + 0x10000);
	/* the two elements that fit were done, the port was not read for
	 * the faulting one */
	assert_int_equal(g->regs.gpr[X86_RCX], 2);
	assert_int_equal(g->regs.gpr[X86_RDI], D + 0x10000);
	assert_int_equal(g->port_in_pos, 4);
	assert_int_equal(g->regs.rip, FG_CODE_GPA);
	/* OUTS from a user page at CPL 3 faults with U */
	g->regs.cpl = 3;
	g->regs.gpr[X86_RSI] = D;
	g->regs.gpr[X86_RCX] = 1;
	assert_int_equal(run(io(false, 1, true, 8)), X86_FAULT);
	assert_int_equal(g->res.fault.error_code, X86_PFEC_P | X86_PFEC_U);
	assert_int_equal(g->regs.gpr[X86_RCX], 1);
}

static void test_address_sizes_and_segments(void **state)
{
	(void)state;
	/* 32-bit address size in 64-bit mode: ECX counts, RDI zero-extends */
	g->regs.gpr[X86_RDI] = 0xffffffff00000000ull | D;
	g->regs.gpr[X86_RCX] = 0xffffffff00000002ull;
	assert_int_equal(run(io(true, 1, true, 4)), X86_OK);
	assert_int_equal(g->regs.gpr[X86_RDI], D + 2);
	assert_int_equal(g->regs.gpr[X86_RCX], 0);
	/* OUTS with an FS override: FS base counts in 64-bit mode */
	g->regs.rip = FG_CODE_GPA;
	g->regs.seg[X86_FS].base = D;
	memcpy(g->ram + D + 0x40, "seg", 3);
	g->regs.gpr[X86_RSI] = 0x40;
	g->regs.gpr[X86_RCX] = 3;
	{
		struct x86_string_io d = io(false, 1, true, 8);

		d.seg = X86_FS;
		assert_int_equal(run(d), X86_OK);
	}
	assert_memory_equal(g->port_out, "seg", 3);

	/* real mode, 16-bit address size: DI wraps within the segment and
	 * the upper bits of RDI are kept */
	fg_set_real(g, 0x0000, 0x0000);
	g->regs.seg[X86_ES].base = 0x20000;
	g->regs.seg[X86_ES].limit = 0xffff;
	g->regs.rip = 0x100;
	g->regs.gpr[X86_RDI] = 0xabcd0000fffeull;
	g->regs.gpr[X86_RCX] = 0x55550001;
	g->port_in_pos = 0;
	assert_int_equal(run(io(true, 2, true, 2)), X86_OK);
	assert_int_equal(fg_rd(g, 0x2fffe, 2), 0x0201);
	assert_int_equal(g->regs.gpr[X86_RDI], 0xabcd00000000ull);
	assert_int_equal(g->regs.gpr[X86_RCX], 0x55550000);
	assert_int_equal(g->regs.rip, 0x102);
	/* a word at offset 0xffff exceeds the 64 KiB limit: #GP(0) */
	g->regs.rip = 0x100;
	g->regs.gpr[X86_RDI] = 0xffff;
	g->regs.gpr[X86_RCX] = 1;
	assert_int_equal(run(io(true, 2, true, 2)), X86_FAULT);
	assert_int_equal(g->res.fault.vector, X86_EXC_GP);
}

static void test_mmio_memory_and_zero_count(void **state)
{
	(void)state;
	/* INS into MMIO: one element per device callback */
	g->regs.gpr[X86_RDI] = FG_MMIO_LA;
	g->regs.gpr[X86_RCX] = 3;
	assert_int_equal(run(io(true, 4, true, 8)), X86_OK);
	assert_int_equal(g->port_calls, 3);
	assert_int_equal(fg_mmio_accesses(g), 3);
	assert_int_equal(fg_mmio_get(g, FG_MMIO_GPA + 8, 4), 0x0c0b0a09);
	/* REP with rCX = 0 does nothing but finish */
	g->regs.rip = FG_CODE_GPA;
	g->regs.gpr[X86_RCX] = 0;
	g->port_calls = 0;
	assert_int_equal(run(io(true, 4, true, 8)), X86_OK);
	assert_int_equal(g->port_calls, 0);
	assert_int_equal(g->regs.rip, FG_CODE_GPA + 2);
	/* budget: at most 4 elements per call */
	g->regs.rip = FG_CODE_GPA;
	g->ops.rep_budget = 4;
	g->regs.gpr[X86_RSI] = D;
	g->regs.gpr[X86_RCX] = 10;
	assert_int_equal(run(io(false, 1, true, 8)), X86_OK);
	assert_int_equal(g->regs.gpr[X86_RCX], 6);
	assert_int_equal(g->regs.rip, FG_CODE_GPA);
}

/* SVM under QEMU does not report the OUTS segment: decode it. */
static void test_fetch_for_backend(void **state)
{
	struct x86_insn insn;

	(void)state;
	FG_CODE(g, 0x64, 0xf3, 0x67, 0x6f);     /* rep outsd fs:[esi] */
	memset(&g->res, 0, sizeof(g->res));
	assert_int_equal(x86_fetch_insn(&g->regs, &g->ops, &insn, &g->res), X86_OK);
	assert_int_equal(insn.mnemonic, X86_OUTS);
	assert_int_equal(insn.len, 4);
	assert_int_equal(insn.op_size, 4);
	assert_int_equal(insn.addr_size, 4);
	assert_int_equal(insn.rep, 0xf3);
	assert_int_equal(insn.op[1].seg, X86_FS);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_outs_rep_up_and_down),
		T(test_ins_rep_crossing_page),
		T(test_element_straddling_page),
		T(test_partial_completion),
		T(test_callback_status),
		T(test_fault_mid_string),
		T(test_address_sizes_and_segments),
		T(test_mmio_memory_and_zero_count),
		T(test_fetch_for_backend),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
