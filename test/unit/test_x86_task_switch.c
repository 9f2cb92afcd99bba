/* SPDX-License-Identifier: GPL-2.0-only */
/* hv/x86/task_switch.c: 32-bit task switches on a fake guest (SDM Vol. 3A
 * §8.3, §8.4): what is saved and loaded, the busy bits and the link, and each
 * check's fault, before the switch (nothing written) and after it (in the new
 * task); the 16-bit format. */
#include "x86_fake_guest.h"
#include "hv/x86/descriptor.h"
#include "hv/x86/task_switch.h"

#define GDT 0x1000ull
#define LDT 0x1800ull
#define TSS_A 0x3000ull /* the running task, TR 0x18 */
#define TSS_B 0x3100ull /* 0x20 */
#define STACK_B 0x8000ull

enum {
	SEL_CODE = 0x08,
	SEL_DATA = 0x10,
	SEL_TSS_A = 0x18,
	SEL_TSS_B = 0x20,
	SEL_LDT = 0x28,
	SEL_CODE_NP = 0x30,
	SEL_DATA_UNACC = 0x38,
	SEL_TSS_SMALL = 0x40,
	SEL_TSS_NP = 0x48,
	SEL_TSS16 = 0x50,
	SEL_CODE3 = 0x58,
	SEL_DATA3 = 0x60,
	SEL_DATA_NP = 0x68,
	SEL_DATA16 = 0x70,
	GDT_LIMIT = 0x77,
};

static struct x86_task_sys sys;

static void put_desc(struct fake_guest *g, uint64_t la, uint64_t d)
{
	fg_wr(g, la, d, 8);
}

/* Task A runs (flat protected mode, no paging); task B's TSS is ready. */
static struct fake_guest *setup(void)
{
	struct fake_guest *g = fg_new();
	struct x86_regs *r = &g->regs;

	fg_set_paging(g, X86_PAGING_NONE);
	fg_set_segments(g, 32);
	put_desc(g, GDT + SEL_CODE, x86_descriptor(0, 0xFFFFF, 0x9B, 0xC));
	put_desc(g, GDT + SEL_DATA, x86_descriptor(0, 0xFFFFF, 0x93, 0xC));
	put_desc(g, GDT + SEL_TSS_A, x86_descriptor(TSS_A, 0x67, 0x8B, 0));
	put_desc(g, GDT + SEL_TSS_B, x86_descriptor(TSS_B, 0x67, 0x89, 0));
	put_desc(g, GDT + SEL_LDT, x86_descriptor(LDT, 0x17, 0x82, 0));
	put_desc(g, GDT + SEL_CODE_NP, x86_descriptor(0, 0xFFFFF, 0x1B, 0xC));
	put_desc(g, GDT + SEL_DATA_UNACC, x86_descriptor(0, 0xFFFFF, 0x92, 0xC));
	put_desc(g, GDT + SEL_TSS_SMALL, x86_descriptor(0x3200, 0x50, 0x89, 0));
	put_desc(g, GDT + SEL_TSS_NP, x86_descriptor(0x3300, 0x67, 0x09, 0));
	put_desc(g, GDT + SEL_TSS16, x86_descriptor(0x3400, 0x2B, 0x81, 0)); /* 16-bit */
	put_desc(g, GDT + SEL_CODE3, x86_descriptor(0, 0xFFFFF, 0xFB, 0xC));
	put_desc(g, GDT + SEL_DATA3, x86_descriptor(0, 0xFFFFF, 0xF3, 0xC));
	put_desc(g, GDT + SEL_DATA_NP, x86_descriptor(0, 0xFFFFF, 0x13, 0xC));
	put_desc(g, GDT + SEL_DATA16, x86_descriptor(0, 0xFFFF, 0x93, 0)); /* B clear: SP */
	put_desc(g, LDT + 0x08, x86_descriptor(0x10000, 0xFFFF, 0x93, 0x4));

	/* Task B: its own registers, flat selectors, the LDT. */
	struct tss32 b = { 0 };
	b.eip = 0x5000;
	b.eflags = 0x2 | X86_RFLAGS_ZF;
	for (unsigned i = 0; i < 8; i++)
		b.gpr[i] = 0xB0 + i;
	b.gpr[X86_RSP] = STACK_B;
	b.sreg[X86_ES] = SEL_DATA;
	b.sreg[X86_CS] = SEL_CODE;
	b.sreg[X86_SS] = SEL_DATA;
	b.sreg[X86_DS] = SEL_DATA;
	b.sreg[X86_FS] = 0x0C; /* LDT entry 1, RPL 0 */
	b.sreg[X86_GS] = 0;
	b.ldt = SEL_LDT;
	b.cr3 = 0x12345000;
	memcpy(g->ram + TSS_B, &b, sizeof(b));
	memset(g->ram + TSS_A, 0xEE, sizeof(struct tss32)); /* stale */

	r->rip = 0x4000;
	r->rflags = 0x2 | X86_RFLAGS_CF | X86_RFLAGS_IF;
	for (unsigned i = 0; i < 8; i++)
		r->gpr[i] = 0xA0 + i;
	r->tr = (struct x86_segment){ SEL_TSS_A, TSS_A, 0x67, X86_SEG_P | X86_SEG_TYPE_TSS_BUSY };
	r->cpl = 0;
	sys = (struct x86_task_sys){ .gdtr_base = GDT,
				     .gdtr_limit = GDT_LIMIT,
				     .ldtr = { .attr = X86_SEG_UNUSABLE },
				     .dr7 = 0x4FF };
	return g;
}

static enum x86_status run(struct fake_guest *g, enum x86_task_source src, uint16_t sel,
			   uint8_t len)
{
	struct x86_task_switch ts = { .source = src, .selector = sel, .insn_len = len };
	g->n_log = 0;
	return x86_task_switch(&g->regs, &sys, &g->ops, &ts, &g->res);
}

static unsigned writes(const struct fake_guest *g)
{
	unsigned n = 0;
	for (unsigned i = 0; i < g->n_log; i++)
		n += g->log[i].write;
	return n;
}

static uint8_t type_of(struct fake_guest *g, uint16_t sel)
{
	return (uint8_t)(fg_rd(g, GDT + sel + 5, 1) & 0xF);
}

static const struct tss32 *tss_at(struct fake_guest *g, uint64_t gpa)
{
	return (const struct tss32 *)(g->ram + gpa);
}

/* JMP: the old state saved, A no longer busy, B busy, no link, no NT. */
static void test_jmp(void **state)
{
	(void)state;
	struct fake_guest *g = setup();
	struct x86_regs *r = &g->regs;

	assert_int_equal(run(g, X86_TASK_JMP, SEL_TSS_B, 7), X86_OK);
	const struct tss32 *a = tss_at(g, TSS_A);
	assert_int_equal(a->eip, 0x4007);
	assert_int_equal(a->eflags, 0x2 | X86_RFLAGS_CF | X86_RFLAGS_IF);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(a->gpr[i], 0xA0 + i);
	/* selectors in the low half, the reserved high half untouched */
	assert_int_equal(a->sreg[X86_CS], 0xEEEE0008);
	assert_int_equal(a->sreg[X86_SS], 0xEEEE0010);
	assert_int_equal(a->ldt, 0xEEEEEEEE); /* LDTR and CR3 are not saved */
	assert_int_equal(a->cr3, 0xEEEEEEEE);
	assert_int_equal(type_of(g, SEL_TSS_A), X86_SEG_TYPE_TSS_AVAIL);
	assert_int_equal(type_of(g, SEL_TSS_B), X86_SEG_TYPE_TSS_BUSY);
	assert_int_equal(tss_at(g, TSS_B)->link, 0);

	assert_int_equal(r->rip, 0x5000);
	assert_int_equal(r->rflags, 0x2 | X86_RFLAGS_ZF);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(r->gpr[i], i == X86_RSP ? STACK_B : 0xB0 + i);
	assert_int_equal(r->tr.selector, SEL_TSS_B);
	assert_int_equal(r->tr.base, TSS_B);
	assert_int_equal(r->tr.attr, X86_SEG_P | X86_SEG_TYPE_TSS_BUSY);
	assert_true(r->cr0 & X86_CR0_TS);
	assert_false(sys.cr3_loaded);	  /* no paging: CR3 stays */
	assert_int_equal(sys.dr7, 0x4AA); /* L0-L3 cleared, G0-G3 kept */
	assert_true(sys.switched);
	assert_false(sys.debug_trap);
	/* segments with their caches; FS through the LDT */
	assert_int_equal(sys.ldtr.selector, SEL_LDT);
	assert_int_equal(sys.ldtr.base, LDT);
	assert_int_equal(sys.ldtr.attr, X86_SEG_P | X86_SEG_TYPE_LDT);
	assert_int_equal(r->seg[X86_FS].base, 0x10000);
	assert_int_equal(r->seg[X86_FS].limit, 0xFFFF);
	assert_int_equal(r->seg[X86_CS].attr, X86_SEG_P | X86_SEG_S | 0xB | X86_SEG_DB | X86_SEG_G);
	assert_true(r->seg[X86_GS].attr & X86_SEG_UNUSABLE);
	assert_int_equal(r->cpl, 0);
	fg_free(g);
}

/* CALL nests (link, NT, A stays busy); IRET comes back and un-nests. */
static void test_call_then_iret(void **state)
{
	(void)state;
	struct fake_guest *g = setup();
	struct x86_regs *r = &g->regs;

	((struct tss32 *)(g->ram + TSS_A))->ldt = 0; /* A's LDTR, loaded on the way back */
	assert_int_equal(run(g, X86_TASK_CALL, SEL_TSS_B, 7), X86_OK);
	assert_int_equal(tss_at(g, TSS_B)->link, SEL_TSS_A);
	assert_int_equal(type_of(g, SEL_TSS_A), X86_SEG_TYPE_TSS_BUSY);
	assert_int_equal(type_of(g, SEL_TSS_B), X86_SEG_TYPE_TSS_BUSY);
	assert_true(r->rflags & X86_RFLAGS_NT);

	/* B changes a register and returns: IRET to its link. */
	r->gpr[X86_RAX] = 0x1234;
	r->rip = 0x5010;
	assert_int_equal(run(g, X86_TASK_IRET, tss_at(g, TSS_B)->link, 1), X86_OK);
	assert_int_equal(r->rip, 0x4007);
	assert_int_equal(r->gpr[X86_RAX], 0xA0);
	assert_int_equal(r->rflags, 0x2 | X86_RFLAGS_CF | X86_RFLAGS_IF); /* A's NT: clear */
	assert_int_equal(r->tr.selector, SEL_TSS_A);
	assert_int_equal(type_of(g, SEL_TSS_B), X86_SEG_TYPE_TSS_AVAIL);
	assert_int_equal(type_of(g, SEL_TSS_A), X86_SEG_TYPE_TSS_BUSY);
	const struct tss32 *b = tss_at(g, TSS_B);
	assert_int_equal(b->eip, 0x5011);
	assert_int_equal(b->gpr[X86_RAX], 0x1234);
	assert_false(b->eflags & X86_RFLAGS_NT); /* IRET saved it without NT */
	fg_free(g);
}

/* An exception through a task gate: the error code on the new stack, EXT in
 * the error codes of the checks, A keeps its busy bit and the faulting EIP. */
static void test_gate_with_error_code(void **state)
{
	(void)state;
	struct fake_guest *g = setup();
	struct x86_regs *r = &g->regs;
	struct x86_task_switch ts = { .source = X86_TASK_GATE,
				      .selector = SEL_TSS_B,
				      .ext = true,
				      .has_error = true,
				      .error = 0x5A };

	assert_int_equal(x86_task_switch(r, &sys, &g->ops, &ts, &g->res), X86_OK);
	assert_int_equal(tss_at(g, TSS_A)->eip, 0x4000);
	assert_int_equal(tss_at(g, TSS_B)->link, SEL_TSS_A);
	assert_true(r->rflags & X86_RFLAGS_NT);
	assert_int_equal(r->gpr[X86_RSP], STACK_B - 4);
	assert_int_equal(fg_rd(g, STACK_B - 4, 4), 0x5A);
	fg_free(g);

	/* the same gate to a busy TSS: #GP with EXT, nothing written */
	g = setup();
	ts.selector = SEL_TSS_A;
	g->n_log = 0;
	assert_int_equal(x86_task_switch(&g->regs, &sys, &g->ops, &ts, &g->res), X86_FAULT);
	assert_int_equal(g->res.fault.vector, X86_EXC_GP);
	assert_int_equal(g->res.fault.error_code, SEL_TSS_A | 1);
	assert_false(sys.switched);
	assert_int_equal(writes(g), 0);
	fg_free(g);
}

/* Each check on the new TSS, before anything is written, in the old task. */
static void expect_early_fault(enum x86_task_source src, uint16_t sel, uint8_t vector, uint32_t ec)
{
	struct fake_guest *g = setup();
	struct x86_regs before = g->regs;

	assert_int_equal(run(g, src, sel, 2), X86_FAULT);
	assert_int_equal(g->res.fault.vector, vector);
	assert_true(g->res.fault.has_error_code);
	assert_int_equal(g->res.fault.error_code, ec);
	assert_false(sys.switched);
	assert_int_equal(writes(g), 0);
	assert_memory_equal(&before, &g->regs, sizeof(before));
	fg_free(g);
}

static void test_early_faults(void **state)
{
	(void)state;
	expect_early_fault(X86_TASK_JMP, SEL_TSS_A, X86_EXC_GP, SEL_TSS_A); /* busy */
	expect_early_fault(X86_TASK_CALL, SEL_TSS_A, X86_EXC_GP, SEL_TSS_A);
	expect_early_fault(X86_TASK_IRET, SEL_TSS_B, X86_EXC_TS, SEL_TSS_B); /* not busy */
	expect_early_fault(X86_TASK_JMP, SEL_TSS_NP, X86_EXC_NP, SEL_TSS_NP);
	expect_early_fault(X86_TASK_JMP, SEL_TSS_SMALL, X86_EXC_TS, SEL_TSS_SMALL);
	expect_early_fault(X86_TASK_JMP, SEL_DATA, X86_EXC_GP, SEL_DATA); /* not a TSS */
	expect_early_fault(X86_TASK_JMP, SEL_LDT, X86_EXC_GP, SEL_LDT);
	expect_early_fault(X86_TASK_JMP, 0x78, X86_EXC_GP, 0x78); /* past the GDT */
	expect_early_fault(X86_TASK_JMP, SEL_TSS_B | 4, X86_EXC_GP, SEL_TSS_B | 4); /* LDT */
	expect_early_fault(X86_TASK_IRET, 0, X86_EXC_TS, 0);			    /* null link */
	expect_early_fault(X86_TASK_IRET, 0x78, X86_EXC_TS, 0x78);
}

/* A 16-bit TSS: words for IP, FLAGS and the GPRs (whose upper halves read as
 * ones), four selectors (FS and GS null), no CR3; saved in the same format on
 * the way back; a word of error code; its own minimum limit. */
#define TSS16 0x3400ull

static struct fake_guest *setup16(void)
{
	struct fake_guest *g = setup();
	struct tss16 t = { 0 };

	t.ip = 0x1234;
	t.flags = 0x2 | X86_RFLAGS_ZF;
	for (unsigned i = 0; i < 8; i++)
		t.gpr[i] = (uint16_t)(0x100 + i);
	t.gpr[X86_RSP] = 0x7000;
	t.sreg[X86_ES] = t.sreg[X86_DS] = SEL_DATA;
	t.sreg[X86_SS] = SEL_DATA16;
	t.sreg[X86_CS] = SEL_CODE;
	memcpy(g->ram + TSS16, &t, sizeof(t));
	((struct tss32 *)(g->ram + TSS_A))->ldt = 0;
	return g;
}

static void test_tss16(void **state)
{
	(void)state;
	struct fake_guest *g = setup16();
	struct x86_regs *r = &g->regs;

	assert_int_equal(run(g, X86_TASK_JMP, SEL_TSS16, 5), X86_OK);
	assert_int_equal(r->rip, 0x1234);
	assert_int_equal(r->rflags, 0x2 | X86_RFLAGS_ZF);
	assert_int_equal(r->gpr[X86_RAX], 0xFFFF0100);
	assert_int_equal(r->gpr[X86_RSP], 0xFFFF7000);
	assert_int_equal(r->seg[X86_DS].selector, SEL_DATA);
	assert_int_equal(r->seg[X86_FS].selector, 0);
	assert_true(r->seg[X86_GS].attr & X86_SEG_UNUSABLE);
	assert_int_equal(r->tr.attr & X86_SEG_TYPE_MASK, 0x3); /* busy 16-bit TSS */
	assert_int_equal(type_of(g, SEL_TSS16), 0x3);
	assert_false(sys.cr3_loaded);

	/* back to A: the 16-bit task's state lands in its own format */
	r->rip = 0x1300;
	r->gpr[X86_RBX] = 0xABCD5678;
	r->rflags |= X86_RFLAGS_CF;
	assert_int_equal(run(g, X86_TASK_JMP, SEL_TSS_A, 5), X86_OK);
	const struct tss16 *t = (const struct tss16 *)(g->ram + TSS16);
	assert_int_equal(t->ip, 0x1305);
	assert_int_equal(t->flags, 0x2 | X86_RFLAGS_ZF | X86_RFLAGS_CF);
	assert_int_equal(t->gpr[X86_RBX], 0x5678);
	assert_int_equal(t->gpr[X86_RAX], 0x0100);
	assert_int_equal(t->sreg[X86_CS], SEL_CODE);
	assert_int_equal(t->ldt, 0); /* not saved */
	assert_int_equal(type_of(g, SEL_TSS16), 0x1);
	assert_int_equal(r->rip, 0x4005);
	assert_int_equal(r->gpr[X86_RAX], 0xA0);
	fg_free(g);

	/* an exception's error code through a gate to it: a word */
	g = setup16();
	struct x86_task_switch ts = { .source = X86_TASK_GATE,
				      .selector = SEL_TSS16,
				      .ext = true,
				      .has_error = true,
				      .error = 0xBEEF };
	fg_wr(g, 0x6FFC, 0x11111111, 4);
	assert_int_equal(x86_task_switch(&g->regs, &sys, &g->ops, &ts, &g->res), X86_OK);
	assert_int_equal(g->regs.gpr[X86_RSP], 0xFFFF6FFE);
	assert_int_equal(fg_rd(g, 0x6FFC, 4), 0xBEEF1111);
	assert_int_equal(((const struct tss16 *)(g->ram + TSS16))->link, SEL_TSS_A);
	fg_free(g);

	/* a limit below 0x2B */
	g = setup16();
	put_desc(g, GDT + SEL_TSS16, x86_descriptor(TSS16, 0x2A, 0x81, 0));
	assert_int_equal(run(g, X86_TASK_JMP, SEL_TSS16, 5), X86_FAULT);
	assert_int_equal(g->res.fault.vector, X86_EXC_TS);
	assert_int_equal(g->res.fault.error_code, SEL_TSS16);
	assert_int_equal(writes(g), 0);
	fg_free(g);
}

/* Faults after the switch is complete are the new task's, error code the
 * selector: the old state is saved and TR is B's. */
static void expect_late_fault(unsigned slot, uint32_t sel, uint8_t vector)
{
	struct fake_guest *g = setup();
	struct tss32 *b = (struct tss32 *)(g->ram + TSS_B);

	if (slot == 8)
		b->ldt = sel;
	else
		b->sreg[slot] = sel;
	assert_int_equal(run(g, X86_TASK_JMP, SEL_TSS_B, 2), X86_FAULT);
	assert_int_equal(g->res.fault.vector, vector);
	assert_int_equal(g->res.fault.error_code, sel & 0xFFFC);
	assert_true(sys.switched);
	assert_int_equal(g->regs.tr.selector, SEL_TSS_B);
	assert_int_equal(g->regs.rip, 0x5000);
	assert_int_equal(tss_at(g, TSS_A)->eip, 0x4002);
	assert_int_equal(type_of(g, SEL_TSS_B), X86_SEG_TYPE_TSS_BUSY);
	fg_free(g);
}

static void test_late_faults(void **state)
{
	(void)state;
	expect_late_fault(8, SEL_DATA, X86_EXC_TS);	     /* LDTR: not an LDT */
	expect_late_fault(8, SEL_LDT | 4, X86_EXC_TS);	     /* LDTR in an LDT */
	expect_late_fault(X86_CS, 0, X86_EXC_TS);	     /* null CS */
	expect_late_fault(X86_CS, SEL_DATA, X86_EXC_TS);     /* not code */
	expect_late_fault(X86_CS, SEL_CODE | 3, X86_EXC_TS); /* DPL 0 != RPL 3 */
	expect_late_fault(X86_CS, SEL_CODE_NP, X86_EXC_NP);
	expect_late_fault(X86_SS, 0, X86_EXC_TS);	      /* null SS */
	expect_late_fault(X86_SS, SEL_CODE, X86_EXC_TS);      /* not writable data */
	expect_late_fault(X86_SS, SEL_DATA3 | 3, X86_EXC_TS); /* RPL != CPL */
	expect_late_fault(X86_SS, SEL_DATA3, X86_EXC_TS);     /* DPL != CPL */
	expect_late_fault(X86_SS, SEL_DATA_NP, X86_EXC_SS);
	expect_late_fault(X86_DS, SEL_DATA_NP, X86_EXC_NP);
	expect_late_fault(X86_ES, 0x80, X86_EXC_TS);	  /* past the GDT */
	expect_late_fault(X86_GS, SEL_TSS_A, X86_EXC_TS); /* a system segment */
}

/* A data segment with RPL above its DPL is #TS; a CPL 3 task with DPL 3
 * segments loads, with CPL 3. */
static void test_privilege(void **state)
{
	(void)state;
	struct fake_guest *g = setup();
	struct tss32 *b = (struct tss32 *)(g->ram + TSS_B);

	b->sreg[X86_CS] = SEL_CODE3 | 3;
	b->sreg[X86_SS] = SEL_DATA3 | 3;
	b->sreg[X86_DS] = SEL_DATA3 | 3;
	b->sreg[X86_ES] = SEL_DATA; /* DPL 0 < CPL 3 */
	assert_int_equal(run(g, X86_TASK_JMP, SEL_TSS_B, 2), X86_FAULT);
	assert_int_equal(g->res.fault.vector, X86_EXC_TS);
	assert_int_equal(g->res.fault.error_code, SEL_DATA);
	fg_free(g);

	g = setup();
	b = (struct tss32 *)(g->ram + TSS_B);
	b->sreg[X86_CS] = SEL_CODE3 | 3;
	b->sreg[X86_SS] = SEL_DATA3 | 3;
	b->sreg[X86_DS] = b->sreg[X86_ES] = SEL_DATA3 | 3;
	b->sreg[X86_FS] = 0;
	assert_int_equal(run(g, X86_TASK_JMP, SEL_TSS_B, 2), X86_OK);
	assert_int_equal(g->regs.cpl, 3);
	assert_int_equal((g->regs.seg[X86_SS].attr & X86_SEG_DPL_MASK) >> X86_SEG_DPL_SHIFT, 3);
	fg_free(g);
}

/* Loading a descriptor sets its accessed bit, in memory too. */
static void test_accessed_bit(void **state)
{
	(void)state;
	struct fake_guest *g = setup();

	((struct tss32 *)(g->ram + TSS_B))->sreg[X86_DS] = SEL_DATA_UNACC;
	assert_int_equal(run(g, X86_TASK_JMP, SEL_TSS_B, 2), X86_OK);
	assert_int_equal(type_of(g, SEL_DATA_UNACC), 0x3);
	assert_int_equal(g->regs.seg[X86_DS].attr & X86_SEG_TYPE_MASK, 0x3);
	fg_free(g);
}

/* The T bit asks for a #DB; an EIP past CS's limit is #GP(0). */
static void test_trap_bit_and_eip(void **state)
{
	(void)state;
	struct fake_guest *g = setup();

	((struct tss32 *)(g->ram + TSS_B))->trap = X86_TSS32_T;
	assert_int_equal(run(g, X86_TASK_JMP, SEL_TSS_B, 2), X86_OK);
	assert_true(sys.debug_trap);
	fg_free(g);

	g = setup();
	struct tss32 *b = (struct tss32 *)(g->ram + TSS_B);
	b->sreg[X86_FS] = 0; /* the LDT's 64-KiB segment is not needed here */
	put_desc(g, GDT + SEL_CODE, x86_descriptor(0, 0xFFF, 0x9B, 0x4)); /* 4 KiB of code */
	assert_int_equal(run(g, X86_TASK_JMP, SEL_TSS_B, 2), X86_FAULT);
	assert_int_equal(g->res.fault.vector, X86_EXC_GP);
	assert_int_equal(g->res.fault.error_code, 0);
	assert_true(sys.switched);
	fg_free(g);
}

/* A task in virtual-8086 mode: real-mode style segments, CPL 3. */
static void test_v86_task(void **state)
{
	(void)state;
	struct fake_guest *g = setup();
	struct tss32 *b = (struct tss32 *)(g->ram + TSS_B);

	b->eflags |= X86_RFLAGS_VM;
	b->sreg[X86_CS] = 0x1234;
	b->sreg[X86_DS] = 0xB800;
	assert_int_equal(run(g, X86_TASK_JMP, SEL_TSS_B, 2), X86_OK);
	assert_int_equal(g->regs.cpl, 3);
	assert_int_equal(g->regs.seg[X86_CS].base, 0x12340);
	assert_int_equal(g->regs.seg[X86_DS].base, 0xB8000);
	assert_int_equal(g->regs.seg[X86_DS].limit, 0xFFFF);
	assert_int_equal(g->regs.seg[X86_DS].attr, 0xF3);
	assert_true(g->regs.rflags & X86_RFLAGS_VM);
	fg_free(g);
}

/* Paging: a TSS page that is not mapped is a #PF before anything is
 * written; with both mapped, the new CR3 is loaded. */
static void test_paging(void **state)
{
	(void)state;
	struct fake_guest *g = setup();
	struct x86_regs *r = &g->regs;

	fg_set_paging(g, X86_PAGING_32);
	r->cr4 = 0;
	for (uint64_t la = 0; la < 0x9000; la += 0x1000)
		if (la != (TSS_B & ~0xFFFull))
			fg_map(g, la, la, PG_P | PG_RW);
	uint64_t cr3 = r->cr3;
	assert_int_equal(run(g, X86_TASK_JMP, SEL_TSS_B, 2), X86_FAULT);
	assert_int_equal(g->res.fault.vector, X86_EXC_PF);
	assert_int_equal(g->res.fault.cr2, TSS_B);
	assert_int_equal(writes(g), 0);
	assert_false(sys.switched);

	fg_map(g, TSS_B & ~0xFFFull, TSS_B & ~0xFFFull, PG_P | PG_RW);
	((struct tss32 *)(g->ram + TSS_B))->cr3 = (uint32_t)cr3; /* the same tables */
	((struct tss32 *)(g->ram + TSS_B))->sreg[X86_FS] = 0;
	assert_int_equal(run(g, X86_TASK_JMP, SEL_TSS_B, 2), X86_OK);
	assert_true(sys.cr3_loaded);
	assert_int_equal(r->cr3, cr3);
	fg_free(g);
}

static uint64_t pdpte_seen;
static bool fake_pdptes(void *ctx, uint64_t cr3, uint64_t p[4])
{
	(void)ctx;
	pdpte_seen = cr3;
	for (unsigned i = 0; i < 4; i++)
		p[i] = 0x7000 | PG_P | (uint64_t)i << 9; /* the old tables; i in ignored bits */
	return cr3 != 0xBAD000;
}

/* Task A under PAE paging, the PDPTE registers loaded: every GiB through one
 * directory at 0x7000 that maps 0-2 MiB identity. */
static struct fake_guest *setup_pae(void)
{
	struct fake_guest *g = setup();
	struct x86_regs *r = &g->regs;

	r->cr0 |= X86_CR0_PG;
	r->cr4 = X86_CR4_PAE;
	r->pdpte_valid = true;
	for (unsigned i = 0; i < 4; i++)
		r->pdpte[i] = 0x7000 | PG_P;
	fg_wr(g, 0x7000, 0x0 | PG_P | PG_RW | PG_PS, 8);
	((struct tss32 *)(g->ram + TSS_B))->sreg[X86_FS] = 0;
	return g;
}

/* PAE: the new CR3's PDPTEs come through the caller's check; a refused set
 * is #GP(0) in the new task, with CR3 unchanged. */
static void test_pae_pdptes(void **state)
{
	(void)state;
	struct fake_guest *g = setup_pae();
	struct x86_regs *r = &g->regs;
	struct x86_task_switch ts = { .source = X86_TASK_JMP,
				      .selector = SEL_TSS_B,
				      .load_pdptes = fake_pdptes };

	((struct tss32 *)(g->ram + TSS_B))->cr3 = 0x9000;
	assert_int_equal(x86_task_switch(r, &sys, &g->ops, &ts, &g->res), X86_OK);
	assert_int_equal(pdpte_seen, 0x9000);
	assert_int_equal(r->cr3, 0x9000);
	assert_int_equal(r->pdpte[3], 0x7000 | PG_P | 3 << 9);
	fg_free(g);

	g = setup_pae();
	r = &g->regs;
	((struct tss32 *)(g->ram + TSS_B))->cr3 = 0xBAD000;
	assert_int_equal(x86_task_switch(r, &sys, &g->ops, &ts, &g->res), X86_FAULT);
	assert_int_equal(g->res.fault.vector, X86_EXC_GP);
	assert_int_equal(g->res.fault.error_code, 0);
	assert_true(sys.switched);
	assert_false(sys.cr3_loaded);
	assert_int_equal(r->pdpte[0], 0x7000 | PG_P);
	fg_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jmp),
		cmocka_unit_test(test_call_then_iret),
		cmocka_unit_test(test_gate_with_error_code),
		cmocka_unit_test(test_early_faults),
		cmocka_unit_test(test_tss16),
		cmocka_unit_test(test_late_faults),
		cmocka_unit_test(test_privilege),
		cmocka_unit_test(test_accessed_bit),
		cmocka_unit_test(test_trap_bit_and_eip),
		cmocka_unit_test(test_v86_task),
		cmocka_unit_test(test_paging),
		cmocka_unit_test(test_pae_pdptes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
