/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test/unit/x86_fake_guest.h - a fake guest for the hv/x86 unit tests:
 * 16 MiB of RAM, page-table builders for every paging mode, MMIO regions
 * backed by a logged fake device, a fake port for INS/OUTS, and failure
 * injection. Header-only so every test program stays self-contained.
 */
#ifndef TEST_X86_FAKE_GUEST_H
#define TEST_X86_FAKE_GUEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hv/x86/emulate.h"
#include "hv/x86/pagewalk.h"
#include "hv/x86/string_io.h"

#define FG_UNUSED __attribute__((unused))
#define FG_RAM_SIZE (16u << 20)
#define FG_TABLES 0x100000ull   /* page tables are allocated from here */
#define FG_CODE_GPA 0x400000ull
#define FG_MMIO_WINDOW 0x10000u  /* bytes of fake device per region */

/* paging-entry bits used by the builders */
#define PG_P  0x1ull
#define PG_RW 0x2ull
#define PG_US 0x4ull
#define PG_A  0x20ull
#define PG_D  0x40ull
#define PG_PS 0x80ull
#define PG_XD (1ull << 63)

struct fg_access {
	uint64_t gpa;
	uint32_t size;
	bool write;
	bool mmio;
	uint8_t data[16];
};

struct fake_guest {
	uint8_t *ram;
	uint64_t next_table;
	enum x86_paging_mode pm;
	struct { uint64_t base, len; uint8_t *mem; } mmio[4];
	unsigned n_mmio;
	struct fg_access log[256];
	unsigned n_log;          /* data accesses (mmio_* and ram_*) */
	unsigned calls;          /* memory callbacks so far */
	unsigned fail_at;        /* fail this (1-based) memory callback */
	int fail_status;
	/* port side */
	uint8_t port_in[4096];   /* data INS reads, consumed in order */
	unsigned port_in_pos;
	uint8_t port_out[4096];  /* data OUTS wrote */
	unsigned port_out_pos;
	uint64_t port_max;       /* elements per call at most (0: all) */
	bool port_none;          /* the device completes nothing */
	int port_status;
	unsigned port_calls;
	uint64_t set_bits_calls;
	struct x86_ops ops;
	struct x86_regs regs;
	struct x86_result res;
};

static FG_UNUSED struct fake_guest *fg_of(void *ctx) { return ctx; }

static FG_UNUSED int fg_maybe_fail(struct fake_guest *g)
{
	g->calls++;
	if (g->fail_at && g->calls == g->fail_at)
		return g->fail_status;
	return 0;
}

static FG_UNUSED int fg_mmio_index(struct fake_guest *g, uint64_t gpa)
{
	for (unsigned i = 0; i < g->n_mmio; i++)
		if (gpa >= g->mmio[i].base && gpa < g->mmio[i].base + g->mmio[i].len)
			return (int)i;
	return -1;
}

static FG_UNUSED bool fg_is_mmio(void *ctx, uint64_t gpa)
{
	return fg_mmio_index(fg_of(ctx), gpa) >= 0;
}

static FG_UNUSED void fg_log(struct fake_guest *g, uint64_t gpa, const void *buf,
			      size_t size, bool write, bool mmio)
{
	struct fg_access *a;

	assert_true(g->n_log < 256);
	a = &g->log[g->n_log++];
	a->gpa = gpa;
	a->size = (uint32_t)size;
	a->write = write;
	a->mmio = mmio;
	memcpy(a->data, buf, size < 16 ? size : 16);
}

static FG_UNUSED uint8_t *fg_mmio_ptr(struct fake_guest *g, uint64_t gpa, size_t size)
{
	int i = fg_mmio_index(g, gpa);

	assert_true(i >= 0);
	assert_true(gpa - g->mmio[i].base + size <= FG_MMIO_WINDOW);
	return g->mmio[i].mem + (gpa - g->mmio[i].base);
}

static FG_UNUSED int fg_mmio_read(void *ctx, uint64_t gpa, void *buf, size_t size)
{
	struct fake_guest *g = ctx;
	int rc = fg_maybe_fail(g);

	if (rc)
		return rc;
	assert_true(fg_is_mmio(ctx, gpa));
	/* a callback never crosses a page */
	assert_true((gpa & 0xfff) + size <= 0x1000);
	memcpy(buf, fg_mmio_ptr(g, gpa, size), size);
	fg_log(g, gpa, buf, size, false, true);
	return 0;
}

static FG_UNUSED int fg_mmio_write(void *ctx, uint64_t gpa, const void *buf, size_t size)
{
	struct fake_guest *g = ctx;
	int rc = fg_maybe_fail(g);

	if (rc)
		return rc;
	assert_true(fg_is_mmio(ctx, gpa));
	assert_true((gpa & 0xfff) + size <= 0x1000);
	memcpy(fg_mmio_ptr(g, gpa, size), buf, size);
	fg_log(g, gpa, buf, size, true, true);
	return 0;
}

static FG_UNUSED int fg_read_gpa(void *ctx, uint64_t gpa, void *buf, size_t len)
{
	struct fake_guest *g = ctx;

	if (gpa + len > FG_RAM_SIZE)
		return -77;
	memcpy(buf, g->ram + gpa, len);
	return 0;
}

static FG_UNUSED int fg_ram_read(void *ctx, uint64_t gpa, void *buf, size_t size)
{
	struct fake_guest *g = ctx;
	int rc = fg_maybe_fail(g);

	if (rc)
		return rc;
	assert_false(fg_is_mmio(ctx, gpa));
	assert_true((gpa & 0xfff) + size <= 0x1000);
	if (gpa + size > FG_RAM_SIZE)
		return -77;
	memcpy(buf, g->ram + gpa, size);
	/* instruction fetches are logged too; tests filter by gpa */
	fg_log(g, gpa, buf, size, false, false);
	return 0;
}

static FG_UNUSED int fg_ram_write(void *ctx, uint64_t gpa, const void *buf, size_t size)
{
	struct fake_guest *g = ctx;
	int rc = fg_maybe_fail(g);

	if (rc)
		return rc;
	assert_false(fg_is_mmio(ctx, gpa));
	assert_true((gpa & 0xfff) + size <= 0x1000);
	if (gpa + size > FG_RAM_SIZE)
		return -77;
	memcpy(g->ram + gpa, buf, size);
	fg_log(g, gpa, buf, size, true, false);
	return 0;
}

static FG_UNUSED int fg_pte_set_bits(void *ctx, uint64_t gpa, uint64_t bits, unsigned size)
{
	struct fake_guest *g = ctx;
	uint64_t v = 0;

	g->set_bits_calls++;
	memcpy(&v, g->ram + gpa, size);
	v |= bits;
	memcpy(g->ram + gpa, &v, size);
	return 0;
}

static FG_UNUSED int fg_port_string(void *ctx, uint16_t port, unsigned size, bool is_in,
				     void *buf, uint64_t *count)
{
	struct fake_guest *g = ctx;
	uint64_t n = *count;

	(void)port;
	g->port_calls++;
	if (g->port_max && n > g->port_max)
		n = g->port_max;
	if (g->port_none)
		n = 0;
	if (is_in) {
		memcpy(buf, g->port_in + g->port_in_pos, n * size);
		g->port_in_pos += n * size;
	} else {
		memcpy(g->port_out + g->port_out_pos, buf, n * size);
		g->port_out_pos += n * size;
	}
	*count = n;
	return g->port_status;
}

static FG_UNUSED void fg_add_mmio(struct fake_guest *g, uint64_t base, uint64_t len)
{
	g->mmio[g->n_mmio].base = base;
	g->mmio[g->n_mmio].len = len;
	g->mmio[g->n_mmio].mem = calloc(1, FG_MMIO_WINDOW);
	g->n_mmio++;
}

static FG_UNUSED uint64_t fg_alloc_table(struct fake_guest *g)
{
	uint64_t t = g->next_table;

	g->next_table += 0x1000;
	assert_true(g->next_table <= FG_CODE_GPA);
	memset(g->ram + t, 0, 0x1000);
	return t;
}

static FG_UNUSED uint64_t fg_rd(struct fake_guest *g, uint64_t gpa, unsigned size)
{
	uint64_t v = 0;

	memcpy(&v, g->ram + gpa, size);
	return v;
}

static FG_UNUSED void fg_wr(struct fake_guest *g, uint64_t gpa, uint64_t v, unsigned size)
{
	memcpy(g->ram + gpa, &v, size);
}

/* Enter the guest state for a paging mode with CR3 pointing at a fresh,
 * empty top-level table. */
static FG_UNUSED void fg_set_paging(struct fake_guest *g, enum x86_paging_mode pm)
{
	struct x86_regs *r = &g->regs;

	g->pm = pm;
	r->cr0 = X86_CR0_PE | X86_CR0_WP | (pm ? X86_CR0_PG : 0);
	r->cr4 = 0;
	r->efer = X86_EFER_NXE;
	switch (pm) {
	case X86_PAGING_NONE:
		r->efer = 0;
		break;
	case X86_PAGING_32:
		r->cr4 = X86_CR4_PSE;
		r->cr3 = fg_alloc_table(g);
		break;
	case X86_PAGING_PAE:
		r->cr4 = X86_CR4_PAE;
		/* a 32-byte aligned PDPT with four entries, each pointing at
		 * its own page directory */
		r->cr3 = fg_alloc_table(g);
		for (unsigned i = 0; i < 4; i++)
			fg_wr(g, r->cr3 + i * 8, fg_alloc_table(g) | PG_P, 8);
		break;
	case X86_PAGING_4LEVEL:
	case X86_PAGING_5LEVEL:
		r->cr4 = X86_CR4_PAE | (pm == X86_PAGING_5LEVEL ? X86_CR4_LA57 : 0);
		r->efer |= X86_EFER_LME | X86_EFER_LMA;
		r->cr3 = fg_alloc_table(g);
		break;
	}
}

/*
 * Map la -> gpa with a page of page_size (4K, 2M/4M, 1G) and leaf flags;
 * intermediate entries get P|RW|US (plus inter_flags cleared via mask).
 */
static FG_UNUSED void fg_map_ex(struct fake_guest *g, uint64_t la, uint64_t gpa,
				uint64_t page_size, uint64_t flags, uint64_t inter)
{
	if (g->pm == X86_PAGING_32) {
		uint64_t pde = g->regs.cr3 + ((la >> 22) & 0x3ff) * 4, pt;

		if (page_size == (4u << 20)) {
			fg_wr(g, pde, (gpa & 0xffc00000u) | (((gpa >> 32) & 0xff) << 13) |
				      flags | PG_PS, 4);
			return;
		}
		pt = fg_rd(g, pde, 4);
		if (!(pt & PG_P)) {
			pt = fg_alloc_table(g) | inter;
			fg_wr(g, pde, pt, 4);
		}
		fg_wr(g, (pt & ~0xfffull) + ((la >> 12) & 0x3ff) * 4,
		      (gpa & ~0xfffull) | flags, 4);
		return;
	}
	{
		int top = g->pm == X86_PAGING_5LEVEL ? 5 : g->pm == X86_PAGING_4LEVEL ? 4 : 3;
		int leaf_level = page_size == (1u << 30) ? 3 : page_size == (2u << 20) ? 2 : 1;
		uint64_t table = g->regs.cr3 & ~0xfffull;

		if (g->pm == X86_PAGING_PAE) {
			table = fg_rd(g, (g->regs.cr3 & ~0x1full) + ((la >> 30) & 3) * 8, 8) & ~0xfffull;
			top = 2;
		}
		for (int level = top; level >= leaf_level; level--) {
			unsigned shift = 12 + 9 * (level - 1);
			uint64_t ea = table + ((la >> shift) & 0x1ff) * 8, e;

			if (level == leaf_level) {
				fg_wr(g, ea, (gpa & ~((1ull << shift) - 1)) | flags |
					     (level > 1 ? PG_PS : 0), 8);
				return;
			}
			e = fg_rd(g, ea, 8);
			if (!(e & PG_P)) {
				e = fg_alloc_table(g) | inter;
				fg_wr(g, ea, e, 8);
			}
			table = e & 0x000ffffffffff000ull;
		}
	}
}

/* GPA of the leaf entry mapping la (4/5-level paging only). */
static FG_UNUSED uint64_t fg_leaf_entry(struct fake_guest *g, uint64_t la)
{
	uint64_t table = g->regs.cr3 & ~0xfffull;

	for (int level = g->pm == X86_PAGING_5LEVEL ? 5 : 4; level >= 1; level--) {
		unsigned shift = 12 + 9 * (level - 1);
		uint64_t ea = table + ((la >> shift) & 0x1ff) * 8, e = fg_rd(g, ea, 8);

		if (level == 1 || (level <= 3 && (e & PG_PS)))
			return ea;
		table = e & 0x000ffffffffff000ull;
	}
	return 0;
}

static FG_UNUSED void fg_map(struct fake_guest *g, uint64_t la, uint64_t gpa, uint64_t flags)
{
	fg_map_ex(g, la, gpa, 0x1000, flags, PG_P | PG_RW | PG_US);
}

/* Flat segments for the CPU mode: code_bits 16/32/64 (protected or long
 * mode, depending on the paging mode chosen before). */
/* Flat segments, CS of code_bits (16, 32 or 64); also for tests that keep
 * their registers elsewhere (test_hv_exit.c). */
static FG_UNUSED void fg_flat_segments(struct x86_regs *r, unsigned code_bits)
{
	for (int s = 0; s < X86_NR_SREGS; s++) {
		r->seg[s].selector = 0x10;
		r->seg[s].base = 0;
		r->seg[s].limit = 0xffffffff;
		r->seg[s].attr = X86_SEG_P | X86_SEG_S | X86_SEG_TYPE_W | X86_SEG_TYPE_A |
				 X86_SEG_G | X86_SEG_DB;
	}
	r->seg[X86_CS].selector = 0x08;
	r->seg[X86_CS].attr = X86_SEG_P | X86_SEG_S | X86_SEG_TYPE_CODE | X86_SEG_TYPE_W |
			      X86_SEG_TYPE_A | X86_SEG_G;
	if (code_bits == 64)
		r->seg[X86_CS].attr |= X86_SEG_L;
	else if (code_bits == 32)
		r->seg[X86_CS].attr |= X86_SEG_DB;
}

static FG_UNUSED void fg_set_segments(struct fake_guest *g, unsigned code_bits)
{
	fg_flat_segments(&g->regs, code_bits);
}

/* Real mode: segment bases sel<<4, 64 KiB limits. */
static FG_UNUSED void fg_set_real(struct fake_guest *g, uint16_t cs, uint16_t ds)
{
	struct x86_regs *r = &g->regs;

	g->pm = X86_PAGING_NONE;
	r->cr0 = 0;
	r->cr4 = 0;
	r->efer = 0;
	for (int s = 0; s < X86_NR_SREGS; s++) {
		uint16_t sel = s == X86_CS ? cs : ds;

		r->seg[s].selector = sel;
		r->seg[s].base = (uint64_t)sel << 4;
		r->seg[s].limit = 0xffff;
		r->seg[s].attr = X86_SEG_P | X86_SEG_S | X86_SEG_TYPE_W | X86_SEG_TYPE_A |
				 (s == X86_CS ? X86_SEG_TYPE_CODE : 0);
	}
}

static FG_UNUSED struct fake_guest *fg_new(void)
{
	struct fake_guest *g = calloc(1, sizeof(*g));

	g->ram = calloc(1, FG_RAM_SIZE);
	g->next_table = FG_TABLES;
	g->ops = (struct x86_ops){
		.ctx = g, .phys_bits = 40,
		.read_gpa = fg_read_gpa, .is_mmio = fg_is_mmio,
		.mmio_read = fg_mmio_read, .mmio_write = fg_mmio_write,
		.ram_read = fg_ram_read, .ram_write = fg_ram_write,
		.port_string = fg_port_string,
	};
	g->regs.rflags = X86_RFLAGS_FIXED1;
	return g;
}

static FG_UNUSED void fg_free(struct fake_guest *g)
{
	for (unsigned i = 0; i < g->n_mmio; i++)
		free(g->mmio[i].mem);
	free(g->ram);
	free(g);
}

/*
 * The standard 64-bit guest most emulator tests use: 4-level paging, code
 * page at la 0x400000 (identity), RAM data pages at la 0x600000.. (identity),
 * MMIO window at la 0x7000000 -> gpa 0xfed00000 (16 pages), RIP at the code.
 */
#define FG_MMIO_LA  0x7000000ull
#define FG_MMIO_GPA 0xfed00000ull
#define FG_DATA_LA  0x600000ull

static FG_UNUSED struct fake_guest *fg_new_long64(void)
{
	struct fake_guest *g = fg_new();

	fg_set_paging(g, X86_PAGING_4LEVEL);
	fg_set_segments(g, 64);
	for (uint64_t o = 0; o < 0x4000; o += 0x1000)
		fg_map(g, FG_CODE_GPA + o, FG_CODE_GPA + o, PG_P | PG_RW);
	for (uint64_t o = 0; o < 0x10000; o += 0x1000)
		fg_map(g, FG_DATA_LA + o, FG_DATA_LA + o, PG_P | PG_RW | PG_XD);
	fg_add_mmio(g, FG_MMIO_GPA, 0x10000);
	for (uint64_t o = 0; o < 0x10000; o += 0x1000)
		fg_map(g, FG_MMIO_LA + o, FG_MMIO_GPA + o, PG_P | PG_RW | PG_XD);
	g->regs.rip = FG_CODE_GPA;
	return g;
}

/* Place instruction bytes at the current RIP (its gpa must be identity). */
static FG_UNUSED void fg_code_at(struct fake_guest *g, uint64_t gpa, const void *bytes, size_t n)
{
	memcpy(g->ram + gpa, bytes, n);
}

#define FG_CODE(g, ...)                                                    \
	do {                                                               \
		static const uint8_t code_[] = { __VA_ARGS__ };            \
		fg_code_at((g), (g)->regs.rip, code_, sizeof(code_));      \
	} while (0)

/* Bytes of the fake device at an MMIO gpa. */
static FG_UNUSED uint64_t fg_mmio_get(struct fake_guest *g, uint64_t gpa, unsigned size)
{
	uint64_t v = 0;

	memcpy(&v, fg_mmio_ptr(g, gpa, size), size);
	return v;
}

static FG_UNUSED void fg_mmio_set(struct fake_guest *g, uint64_t gpa, uint64_t v, unsigned size)
{
	memcpy(fg_mmio_ptr(g, gpa, size), &v, size);
}

/* Number of logged MMIO accesses (fetches are RAM). */
static FG_UNUSED unsigned fg_mmio_accesses(const struct fake_guest *g)
{
	unsigned n = 0;

	for (unsigned i = 0; i < g->n_log; i++)
		n += g->log[i].mmio;
	return n;
}

static FG_UNUSED const struct fg_access *fg_mmio_access(const struct fake_guest *g, unsigned k)
{
	for (unsigned i = 0; i < g->n_log; i++)
		if (g->log[i].mmio && k-- == 0)
			return &g->log[i];
	return NULL;
}

static FG_UNUSED enum x86_status fg_emulate(struct fake_guest *g)
{
	g->n_log = 0;
	g->calls = 0;
	return x86_emulate(&g->regs, &g->ops, &g->res);
}

#endif
