/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test/unit/test_x86_fast_mov.c - the MMIO fast path's pieces: the MOV decoder
 * (hv/x86/fast_mov.c) and the 64-bit fetch (hv/x86/fetch64.c).
 *
 * The fast path must never do anything the full emulator would not: whatever
 * the decoder accepts, x86_decode() must decode the same way (every prefix,
 * REX, ModRM, SIB and displacement combination of the forms it knows, plus
 * random bytes); whatever it runs, x86_emulate() must leave the same
 * registers and device accesses; whatever page it fetches from, the full
 * walker must translate the same (or the fetch must decline).
 */
#include "x86_fake_guest.h"
#include "hv/x86/fast_mov.h"
#include "hv/x86/fetch64.h"

/* ---- decoder vs x86_decode ---------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	/* xorshift64*: repeatable runs */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

struct counts {
	unsigned long accepted, declined;
};

/* If the fast decoder takes code[0..avail), the full decoder must agree on
 * every detail the fast path uses. */
static void check_agrees(const uint8_t *code, size_t avail, struct counts *c)
{
	struct x86_fast_mov m;
	struct x86_insn in;
	const struct x86_operand *mem, *other;
	enum x86_decode_status ds;

	memset(&m, 0xa5, sizeof(m));
	if (!x86_fast_mov_decode(code, avail, &m)) {
		c->declined++;
		return;
	}
	c->accepted++;
	ds = x86_decode(code, avail, 64, &in);
	assert_int_equal(ds, X86_DECODE_OK);
	assert_int_equal(m.len, in.len);
	assert_true(in.mnemonic == X86_MOV || in.mnemonic == X86_MOVZX ||
		    in.mnemonic == X86_MOVSX);
	assert_false(in.lock);
	assert_int_equal(in.rep, 0);
	assert_int_equal(m.addr_size, in.addr_size);
	assert_int_equal(in.n_operands, 2);
	mem = &in.op[m.write ? 0 : 1];
	other = &in.op[m.write ? 1 : 0];
	assert_int_equal(mem->kind, X86_OPND_MEM);
	assert_int_equal(mem->size, m.size);
	/* no FS/GS: the segment base is 0 in 64-bit mode */
	assert_true(mem->seg != X86_FS && mem->seg != X86_GS);
	assert_int_equal(mem->disp, m.disp);
	assert_int_equal(mem->scale, m.scale);
	assert_int_equal(mem->base, m.base == X86_FAST_RIP ? X86_REG_RIP :
				    m.base == X86_FAST_NO_REG ? X86_REG_NONE : m.base);
	assert_int_equal(mem->index, m.index == X86_FAST_NO_REG ? X86_REG_NONE : m.index);
	assert_int_equal(m.sign_extend, in.mnemonic == X86_MOVSX);
	if (m.has_imm) {
		assert_true(m.write);
		assert_int_equal(other->kind, X86_OPND_IMM);
		assert_int_equal(m.imm & x86_size_mask(m.size), other->imm & x86_size_mask(m.size));
	} else {
		assert_int_equal(other->kind, X86_OPND_REG);
		assert_int_equal(other->reg, m.reg);
		assert_int_equal(other->high8, m.high8);
		assert_int_equal(other->size, m.reg_size);
	}
	/* One byte short: the fast decoder must not guess the rest. */
	assert_false(x86_fast_mov_decode(code, m.len - 1, &m));
}

static const uint8_t prefix_sets[][4] = {
	{ 0 }, { 1, 0x66 }, { 1, 0x67 }, { 2, 0x66, 0x67 }, { 1, 0x2e }, { 1, 0x3e },
	{ 1, 0x26 }, { 1, 0x36 }, { 1, 0x64 }, { 1, 0x65 }, { 1, 0xf0 }, { 1, 0xf2 },
	{ 1, 0xf3 }, { 1, 0x40 }, { 1, 0x41 }, { 1, 0x42 }, { 1, 0x44 }, { 1, 0x48 },
	{ 1, 0x4f }, { 2, 0x66, 0x48 }, { 2, 0x48, 0x66 }, { 2, 0x41, 0x41 },
	{ 2, 0x67, 0x4c }, { 3, 0x66, 0x67, 0x43 }, { 2, 0x3e, 0x45 }, { 2, 0x45, 0x3e },
	{ 2, 0x64, 0x48 }, { 3, 0x2e, 0x66, 0x4a }, { 2, 0x47, 0x0f },
};

static const uint8_t opcodes[][2] = {
	{ 1, 0x88 }, { 1, 0x89 }, { 1, 0x8a }, { 1, 0x8b }, { 1, 0xc6 }, { 1, 0xc7 },
	{ 2, 0xb6 }, { 2, 0xb7 }, { 2, 0xbe }, { 2, 0xbf },
	/* near misses the fast decoder must decline */
	{ 1, 0x8c }, { 1, 0x8d }, { 1, 0x8e }, { 1, 0x63 }, { 1, 0xa1 }, { 1, 0x87 },
	{ 1, 0x01 }, { 1, 0x85 }, { 2, 0xc3 }, { 2, 0xb8 }, { 2, 0xa3 },
};

static void test_decode_all_forms(void **state)
{
	struct counts c = { 0 };
	uint8_t code[32];

	(void)state;
	for (size_t p = 0; p < sizeof(prefix_sets) / sizeof(prefix_sets[0]); p++) {
		for (size_t o = 0; o < sizeof(opcodes) / sizeof(opcodes[0]); o++) {
			for (unsigned modrm = 0; modrm < 256; modrm++) {
				/* every SIB byte with every fourth prefix set,
				 * 16 random ones with the others */
				bool has_sib = (modrm & 7) == 4 && modrm < 0xc0;
				unsigned nsib = !has_sib ? 1 : p % 4 == 0 ? 256 : 16;

				for (unsigned k = 0; k < nsib; k++) {
					unsigned sib = nsib == 256 ? k : (unsigned)rnd() & 0xff;
					unsigned n = 0;


					for (unsigned i = 0; i < prefix_sets[p][0]; i++)
						code[n++] = prefix_sets[p][1 + i];
					if (opcodes[o][0] == 2)
						code[n++] = 0x0f;
					code[n++] = opcodes[o][1];
					code[n++] = (uint8_t)modrm;
					if (has_sib)
						code[n++] = (uint8_t)sib;
					/* displacement and immediate bytes */
					uint64_t r = rnd();
					for (unsigned i = 0; i < 8; i++)
						code[n++] = (uint8_t)(r >> (8 * i));
					check_agrees(code, n, &c);
					check_agrees(code, 15, &c);
				}
			}
		}
	}
	/* All forms of the MOVs it knows, not just a few. */
	assert_true(c.accepted > 100000);
	assert_true(c.declined > 100000);
}

static void test_decode_random(void **state)
{
	static const uint8_t likely[] = { 0x66, 0x67, 0x48, 0x41, 0x4c, 0x0f, 0x88, 0x89,
					  0x8a, 0x8b, 0xc6, 0xc7, 0xb6, 0xb7, 0xbe, 0xbf,
					  0x3e, 0x64, 0xf3, 0x40 };
	struct counts c = { 0 };
	uint8_t code[16];

	(void)state;
	for (unsigned k = 0; k < 2000000; k++) {
		for (unsigned i = 0; i < 16; i += 8) {
			uint64_t r = rnd();
			memcpy(code + i, &r, 8);
		}
		/* Mostly bytes the decoder cares about in the first places. */
		for (unsigned i = 0; i < 4; i++) {
			uint64_t r = rnd();
			if (r & 1)
				code[i] = likely[(r >> 8) % sizeof(likely)];
		}
		check_agrees(code, 1 + rnd() % 16, &c);
	}
	assert_true(c.accepted > 10000);
}

/* Decodes one instruction and returns the description. */
static struct x86_fast_mov dec(const uint8_t *code, size_t n)
{
	struct x86_fast_mov m;

	assert_true(x86_fast_mov_decode(code, n, &m));
	return m;
}

static void test_decode_examples(void **state)
{
	struct x86_fast_mov m;

	(void)state;
	/* mov ecx, [rax] */
	m = dec((const uint8_t[]){ 0x8b, 0x08 }, 2);
	assert_int_equal(m.len, 2);
	assert_int_equal(m.size, 4);
	assert_false(m.write);
	assert_int_equal(m.reg, X86_RCX);
	assert_int_equal(m.base, X86_RAX);
	/* mov [rdi+0x10], ah: AH without REX */
	m = dec((const uint8_t[]){ 0x88, 0x67, 0x10 }, 3);
	assert_true(m.write && m.high8);
	assert_int_equal(m.reg, X86_RAX);
	assert_int_equal(m.disp, 0x10);
	/* REX: SPL instead of AH */
	m = dec((const uint8_t[]){ 0x40, 0x88, 0x67, 0x10 }, 4);
	assert_false(m.high8);
	assert_int_equal(m.reg, X86_RSP);
	/* a legacy prefix after REX voids it: AH again */
	m = dec((const uint8_t[]){ 0x40, 0x3e, 0x88, 0x67, 0x10 }, 5);
	assert_true(m.high8);
	/* mov qword [rip+0x100], -2 */
	m = dec((const uint8_t[]){ 0x48, 0xc7, 0x05, 0x00, 0x01, 0, 0, 0xfe, 0xff, 0xff, 0xff }, 11);
	assert_int_equal(m.base, X86_FAST_RIP);
	assert_int_equal(m.size, 8);
	assert_int_equal(m.imm, (uint64_t)-2);
	/* movzx r9d, word [r12+r13*4-8] */
	m = dec((const uint8_t[]){ 0x47, 0x0f, 0xb7, 0x4c, 0xac, 0xf8 }, 6);
	assert_int_equal(m.reg, X86_R9);
	assert_int_equal(m.size, 2);
	assert_int_equal(m.reg_size, 4);
	assert_int_equal(m.base, X86_R12);
	assert_int_equal(m.index, X86_R13);
	assert_int_equal(m.scale, 4);
	assert_int_equal(m.disp, -8);
	/* declined: FS override, LOCK, register form, C6 /1, XCHG */
	assert_false(x86_fast_mov_decode((const uint8_t[]){ 0x64, 0x8b, 0x00 }, 3, &m));
	assert_false(x86_fast_mov_decode((const uint8_t[]){ 0xf0, 0x89, 0x00 }, 3, &m));
	assert_false(x86_fast_mov_decode((const uint8_t[]){ 0x8b, 0xc0 }, 2, &m));
	assert_false(x86_fast_mov_decode((const uint8_t[]){ 0xc6, 0x08, 0x01 }, 3, &m));
	assert_false(x86_fast_mov_decode((const uint8_t[]){ 0x87, 0x00 }, 2, &m));
	/* 15 prefixes and an opcode: too long, the full emulator's #GP */
	uint8_t longer[16];
	memset(longer, 0x3e, 14);
	longer[14] = 0x8b;
	longer[15] = 0x00;
	assert_false(x86_fast_mov_decode(longer, 16, &m));
}

/* ---- fetch64 vs the full walker ----------------------------------------- */

static struct fake_guest *g;

static int setup(void **state)
{
	(void)state;
	g = fg_new_long64();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fg_free(g);
	return 0;
}

static bool fg_fetch_is_ram(void *ctx, uint64_t gpa)
{
	return gpa < FG_RAM_SIZE && !fg_is_mmio(ctx, gpa);
}

static struct x86_code_state code_state(void)
{
	return (struct x86_code_state){
		.cr0 = g->regs.cr0, .cr3 = g->regs.cr3, .cr4 = g->regs.cr4, .efer = g->regs.efer,
		.cs_attr = g->regs.seg[X86_CS].attr,
	};
}

/* The fake guest's windows: beyond its RAM, and its MMIO. */
static struct x86_fetch_ops fetch_ops(void)
{
	return (struct x86_fetch_ops){
		.phys_bits = g->ops.phys_bits, .ram = (uintptr_t)g->ram,
		.lo = { FG_RAM_SIZE, FG_MMIO_GPA }, .hi = { ~0ull, FG_MMIO_GPA + 0x10000 },
		.end = FG_RAM_SIZE, .ctx = g, .is_ram = fg_fetch_is_ram,
	};
}

static unsigned fetch(uint8_t *buf)
{
	struct x86_code_state cs = code_state();
	struct x86_fetch_ops ops = fetch_ops();

	return x86_fetch64(&g->regs, &cs, &ops, buf);
}

/* The fetch and the full walker agree: the fetch declines, or it returns the
 * bytes at the gpa x86_translate() finds for an instruction fetch. */
static void check_fetch_agrees(void)
{
	uint8_t buf[X86_FETCH64_BUF];
	struct x86_result res;
	uint64_t gpa;
	unsigned n = fetch(buf);

	if (!n)
		return;
	assert_int_equal(x86_translate(&g->regs, &g->ops, g->regs.rip, X86_ACC_FETCH, &gpa, &res),
			 X86_OK);
	assert_false(fg_is_mmio(g, gpa));
	assert_int_equal(n, 0x1000 - (gpa & 0xfff) < 16 ? 0x1000 - (gpa & 0xfff) : 16);
	assert_memory_equal(buf, g->ram + gpa, n);
}

static void test_fetch_basic(void **state)
{
	uint8_t buf[X86_FETCH64_BUF];

	(void)state;
	for (unsigned i = 0; i < 0x4000; i++)
		g->ram[FG_CODE_GPA + i] = (uint8_t)(i * 7 + 1);
	g->regs.rip = FG_CODE_GPA + 0x123;
	assert_int_equal(fetch(buf), 16);
	assert_memory_equal(buf, g->ram + FG_CODE_GPA + 0x123, 16);
	/* the page ends: only its bytes */
	g->regs.rip = FG_CODE_GPA + 0xffa;
	assert_int_equal(fetch(buf), 6);
	assert_memory_equal(buf, g->ram + FG_CODE_GPA + 0xffa, 6);
	/* not 64-bit mode: compatibility mode, or no IA-32e mode */
	g->regs.rip = FG_CODE_GPA;
	g->regs.seg[X86_CS].attr &= ~X86_SEG_L;
	assert_int_equal(fetch(buf), 0);
	g->regs.seg[X86_CS].attr |= X86_SEG_L;
	g->regs.efer &= ~X86_EFER_LMA;
	assert_int_equal(fetch(buf), 0);
	g->regs.efer |= X86_EFER_LMA;
	/* non-canonical, unmapped */
	g->regs.rip = 0x0000800000000000ull;
	assert_int_equal(fetch(buf), 0);
	g->regs.rip = 0x10000000;
	assert_int_equal(fetch(buf), 0);
	/* code in trapped MMIO is never fetched */
	fg_map(g, 0x9000000, FG_MMIO_GPA, PG_P | PG_RW);
	g->regs.rip = 0x9000000;
	assert_int_equal(fetch(buf), 0);
}

static void test_fetch_tables_outside_ram(void **state)
{
	uint8_t buf[X86_FETCH64_BUF];
	uint64_t pml4e = g->regs.cr3 & ~0xfffull; /* entry 0 maps the code */
	uint64_t e = fg_rd(g, pml4e, 8);

	(void)state;
	g->regs.rip = FG_CODE_GPA;
	assert_int_equal(fetch(buf), 16);
	/* the next table in trapped MMIO, or beyond RAM: declined, never read */
	fg_wr(g, pml4e, (e & 0xfff) | FG_MMIO_GPA, 8);
	assert_int_equal(fetch(buf), 0);
	fg_wr(g, pml4e, (e & 0xfff) | (FG_RAM_SIZE + 0x1000), 8);
	assert_int_equal(fetch(buf), 0);
	fg_wr(g, pml4e, e, 8);
	assert_int_equal(fetch(buf), 16);
}

/* Random flags on every level of the code's translation: whenever the fetch
 * answers, the full walker agrees. */
static void test_fetch_vs_walker(void **state)
{
	static const uint64_t flag_bits[] = { PG_P, PG_RW, PG_US, PG_PS, PG_XD, 1ull << 45,
					      1ull << 52, 1ull << 13 };
	unsigned answered = 0, declined = 0;

	(void)state;
	for (unsigned k = 0; k < 4000; k++) {
		uint64_t la = 0x40000000ull * (1 + rnd() % 3) + (rnd() % 0x200) * 0x200000 +
			      (rnd() % 512) * 0x1000 + rnd() % 0x1000;
		uint64_t r = rnd();

		/* fresh tables (each is zeroed as it is allocated) */
		g->next_table = FG_TABLES;
		fg_set_paging(g, r & 1 ? X86_PAGING_5LEVEL : X86_PAGING_4LEVEL);
		unsigned size_pick = (r >> 1) % 3;
		uint64_t page = size_pick == 0 ? 0x1000 : size_pick == 1 ? 0x200000 : 0x40000000;
		uint64_t gpa = 0x800000 + (rnd() % 4) * 0x1000;
		if (page > 0x1000)
			gpa = 0; /* a large page at 0 covers the fake RAM */
		fg_map_ex(g, la & ~(page - 1), gpa, page, PG_P | PG_RW | PG_US,
			  PG_P | PG_RW | PG_US);
		/* flip bits in the entries of the translation */
		for (int level = (g->pm == X86_PAGING_5LEVEL ? 5 : 4); level >= 1; level--) {
			uint64_t table = g->regs.cr3 & ~0xfffull, ea = 0, e = 0;
			for (int l = (g->pm == X86_PAGING_5LEVEL ? 5 : 4); l >= level; l--) {
				unsigned shift = 12 + 9 * (l - 1);
				ea = table + ((la >> shift) & 0x1ff) * 8;
				e = fg_rd(g, ea, 8);
				if (!(e & PG_P) || l == 1 || (l <= 3 && (e & PG_PS)))
					break;
				table = e & 0x000ffffffffff000ull;
				if (table >= FG_RAM_SIZE)
					break; /* a flip sent it out of the fake RAM */
			}
			if (rnd() % 4 == 0)
				fg_wr(g, ea, e ^ flag_bits[rnd() % 8], 8);
		}
		g->regs.rip = la;
		g->regs.cpl = rnd() % 2 ? 3 : 0;
		g->regs.cr4 |= rnd() % 2 ? X86_CR4_SMEP : 0;
		if (rnd() % 3 == 0)
			g->regs.efer &= ~X86_EFER_NXE;
		uint8_t buf[X86_FETCH64_BUF];
		if (fetch(buf))
			answered++;
		else
			declined++;
		check_fetch_agrees();
	}
	assert_true(answered > 400);
	assert_true(declined > 400);
}

/* ---- the decoded data access vs the full walker -------------------------- */

/* Random rights on every level of a data translation, random CPL, CR0.WP,
 * CR4.SMAP and RFLAGS.AC: the fast check allows an access exactly when the
 * full walker translates it without a fault to the same address. (The bytes
 * the fast path decodes may not be the instruction the CPU checked.) */
static void test_data_vs_walker(void **state)
{
	static const uint64_t flag_bits[] = { PG_P, PG_RW, PG_US, PG_PS, PG_XD, 1ull << 45 };
	unsigned allowed = 0, refused = 0;

	(void)state;
	for (unsigned k = 0; k < 20000; k++) {
		uint64_t la = 0x40000000ull * (1 + rnd() % 3) + (rnd() % 0x200) * 0x200000 +
			      (rnd() % 512) * 0x1000 + rnd() % 0x1000;
		g->next_table = FG_TABLES;
		fg_set_paging(g, rnd() % 2 ? X86_PAGING_5LEVEL : X86_PAGING_4LEVEL);
		fg_map_ex(g, la & ~0xfffull, 0x800000, 0x1000, PG_P | PG_RW | PG_US,
			  PG_P | PG_RW | PG_US);
		for (int level = (g->pm == X86_PAGING_5LEVEL ? 5 : 4); level >= 1; level--) {
			uint64_t table = g->regs.cr3 & ~0xfffull, ea = 0, e = 0;
			for (int l = (g->pm == X86_PAGING_5LEVEL ? 5 : 4); l >= level; l--) {
				ea = table + ((la >> (12 + 9 * (l - 1))) & 0x1ff) * 8;
				e = fg_rd(g, ea, 8);
				if (!(e & PG_P) || l == 1 || (l <= 3 && (e & PG_PS)))
					break;
				table = e & 0x000ffffffffff000ull;
				if (table >= FG_RAM_SIZE)
					break;
			}
			if (rnd() % 3 == 0)
				fg_wr(g, ea, e ^ flag_bits[rnd() % 6], 8);
		}
		g->regs.cpl = rnd() % 2 ? 3 : 0;
		g->regs.cr0 = rnd() % 2 ? g->regs.cr0 | X86_CR0_WP : g->regs.cr0 & ~X86_CR0_WP;
		g->regs.cr4 = rnd() % 2 ? g->regs.cr4 | X86_CR4_SMAP : g->regs.cr4 & ~X86_CR4_SMAP;
		g->regs.rflags = rnd() % 2 ? X86_RFLAGS_AC | 2 : 2;
		bool write = rnd() % 2;
		uint64_t want = 0x800000 + (la & 0xfff), gpa = ~0ull;
		struct x86_result res;
		struct x86_code_state cs = code_state();
		struct x86_fetch_ops ops = fetch_ops();
		bool fast = x86_data64_allowed(&g->regs, &cs, &ops, la, write, want);
		bool full = x86_translate(&g->regs, &g->ops, la,
					  write ? X86_ACC_WRITE : X86_ACC_READ, &gpa, &res) == X86_OK &&
			    gpa == want;
		assert_int_equal(fast, full);
		if (fast)
			allowed++;
		else
			refused++;
		/* another address than the exit's: never */
		assert_false(x86_data64_allowed(&g->regs, &cs, &ops, la, write, want ^ 0x1000));
	}
	assert_true(allowed > 2000);
	assert_true(refused > 2000);
}

/* ---- the whole fast path vs x86_emulate ---------------------------------- */

/* What hv/exit/mmio_fast.c does, on the fake guest: fetch, decode, check the exit's
 * gpa, access the device, complete. False: declined, nothing done. */
static bool fast_path(struct x86_regs *r, uint64_t gpa)
{
	struct x86_code_state cs = code_state();
	struct x86_fetch_ops ops = fetch_ops();
	struct x86_fast_mov m;
	uint8_t code[X86_FETCH64_BUF];
	uint64_t value = 0;
	unsigned n;

	if (r->rflags & X86_RFLAGS_TF)
		return false;
	if (r->cpl == 3 && (r->rflags & X86_RFLAGS_AC))
		return false;
	n = x86_fetch64(r, &cs, &ops, code);
	if (!n || !x86_fast_mov_decode(code, n, &m))
		return false;
	if (!x86_fast_mov_fits(&m, x86_fast_mov_address(r, &m), cs.cr4 & X86_CR4_LA57, gpa))
		return false;
	if (!x86_data64_allowed(r, &cs, &ops, x86_fast_mov_address(r, &m), m.write, gpa))
		return false;
	if (m.write) {
		value = x86_fast_mov_store_value(r, &m);
		assert_int_equal(fg_mmio_write(g, gpa, &value, m.size), 0);
	} else {
		assert_int_equal(fg_mmio_read(g, gpa, &value, m.size), 0);
	}
	x86_fast_mov_complete(r, &m, value);
	return true;
}

/* Random MOVs at random places of the MMIO window (and across its edges):
 * the fast path declines, or does exactly what x86_emulate() does. */
static void test_fast_path_vs_emulate(void **state)
{
	unsigned fast = 0, slow = 0;

	(void)state;
	for (unsigned k = 0; k < 200000; k++) {
		uint8_t code[16];
		struct x86_fast_mov m;
		struct x86_regs before, full, quick;
		struct fg_access full_log[4];
		unsigned full_n;
		enum x86_status st;
		uint64_t target, ea, gpa;
		struct x86_result res;

		/* an instruction the fast decoder takes */
		do {
			for (unsigned i = 0; i < 16; i += 8) {
				uint64_t r = rnd();
				memcpy(code + i, &r, 8);
			}
			static const uint8_t pfx[] = { 0x66, 0x67, 0x48, 0x41, 0x4c, 0x40, 0x3e, 0x2e };
			static const uint8_t ops1[] = { 0x88, 0x89, 0x8a, 0x8b, 0xc6, 0xc7 };
			unsigned p = 0, np = rnd() % 3;
			for (unsigned i = 0; i < np; i++)
				code[p++] = pfx[rnd() % sizeof(pfx)];
			if (rnd() % 4 == 0) {
				code[p++] = 0x0f;
				code[p++] = (uint8_t)(0xb6 | (rnd() % 2) | (rnd() % 2 ? 8 : 0));
			} else {
				code[p++] = ops1[rnd() % sizeof(ops1)];
			}
			code[p] &= (code[p - 1] >= 0xc6 && code[p - 1] <= 0xc7) ? 0xc7 : 0xff;
		} while (!x86_fast_mov_decode(code, 16, &m));

		/* registers: random, then the base (or displacement) moved so the
		 * operand lands near the MMIO window's pages' edges */
		g->regs.rip = FG_CODE_GPA + 0x100 + rnd() % 0x800;
		fg_code_at(g, g->regs.rip, code, 16);
		for (unsigned i = 0; i < 16; i++)
			g->regs.gpr[i] = rnd();
		g->regs.rflags = X86_RFLAGS_FIXED1 | (rnd() & (X86_RFLAGS_STATUS | X86_RFLAGS_RF));
		target = FG_MMIO_LA + (rnd() % 15) * 0x1000 + (rnd() % 2 ? rnd() % 0x1000 : 0xff8 + rnd() % 8);
		ea = x86_fast_mov_address(&g->regs, &m);
		if (m.base < 16 && m.base != m.index)
			g->regs.gpr[m.base] += target - ea;
		else if (m.index < 16 && m.scale == 1 && m.base != m.index)
			g->regs.gpr[m.index] += target - ea;
		ea = x86_fast_mov_address(&g->regs, &m);
		if (ea < FG_MMIO_LA || ea >= FG_MMIO_LA + 0x10000 - 8)
			continue; /* not an MMIO access (RIP-relative, base == index) */

		/* The exit's gpa: where the hardware faulted, the page that
		 * trapped (for a split, either one). */
		uint64_t fault_la = ea;
		if ((ea & 0xfff) + m.size > 0x1000 && rnd() % 2)
			fault_la = (ea | 0xfff) + 1;
		assert_int_equal(x86_translate(&g->regs, &g->ops, fault_la, X86_ACC_READ, &gpa, &res),
				 X86_OK);
		/* fresh device bytes where the operand lands */
		for (uint64_t a = (ea - FG_MMIO_LA) & ~7ull; a < ((ea - FG_MMIO_LA) & ~7ull) + 16; a += 8)
			fg_mmio_set(g, FG_MMIO_GPA + a, rnd(), 8);

		before = g->regs;
		st = fg_emulate(g);
		full = g->regs;
		full_n = g->n_log;
		assert_true(full_n <= 4);
		memcpy(full_log, g->log, full_n * sizeof(full_log[0]));
		/* A read leaves the device as it was; a write is compared
		 * through the logs. */
		g->regs = before;
		g->n_log = 0;
		quick = before;
		if (!fast_path(&quick, gpa)) {
			slow++;
			continue;
		}
		fast++;
		assert_int_equal(st, X86_OK);
		assert_memory_equal(quick.gpr, full.gpr, sizeof(full.gpr));
		assert_int_equal(quick.rip, full.rip);
		assert_int_equal(quick.rflags, full.rflags);
		/* the same one device access (the full emulator's log also has
		 * its instruction fetch) */
		unsigned mm = 0;
		for (unsigned i = 0; i < full_n; i++) {
			if (!full_log[i].mmio)
				continue;
			mm++;
			assert_int_equal(g->n_log, 1);
			assert_int_equal(g->log[0].gpa, full_log[i].gpa);
			assert_int_equal(g->log[0].size, full_log[i].size);
			assert_int_equal(g->log[0].write, full_log[i].write);
			if (g->log[0].write)
				assert_memory_equal(g->log[0].data, full_log[i].data, g->log[0].size);
		}
		assert_int_equal(mm, 1);
	}
	assert_true(fast > 50000);
	assert_true(slow > 1000); /* the splits */
}

/* TF and a user access with AC are the full emulator's (#DB, #AC). */
static void test_fast_path_declines_traps(void **state)
{
	(void)state;
	FG_CODE(g, 0x8b, 0x08);
	g->regs.gpr[X86_RAX] = FG_MMIO_LA + 0x10;
	g->regs.rflags |= X86_RFLAGS_TF;
	assert_false(fast_path(&g->regs, FG_MMIO_GPA + 0x10));
	g->regs.rflags &= ~X86_RFLAGS_TF;
	g->regs.cpl = 3;
	g->regs.rflags |= X86_RFLAGS_AC;
	assert_false(fast_path(&g->regs, FG_MMIO_GPA + 0x10));
	g->regs.cpl = 0;
	/* the gpa is not the operand's: declined */
	assert_false(fast_path(&g->regs, FG_MMIO_GPA + 0x14));
	assert_true(fast_path(&g->regs, FG_MMIO_GPA + 0x10));
	assert_int_equal(g->regs.rip, FG_CODE_GPA + 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_examples),
		cmocka_unit_test(test_decode_all_forms),
		cmocka_unit_test(test_decode_random),
		cmocka_unit_test_setup_teardown(test_fetch_basic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fetch_tables_outside_ram, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fetch_vs_walker, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_vs_walker, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fast_path_vs_emulate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fast_path_declines_traps, setup, teardown),
	};
	return cmocka_run_group_tests_name("test_x86_fast_mov", tests, NULL, NULL);
}
