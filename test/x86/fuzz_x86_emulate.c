/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test/x86/fuzz_x86_emulate.c - libFuzzer target over the hv/x86 decoder,
 * page walker, emulator and string I/O.
 *
 * The input chooses the CPU mode, paging mode, control bits, registers and
 * instruction bytes; the rest of it fills a small guest-physical memory
 * that every address aliases into (so page tables, code and data are all
 * fuzzer-controlled). GPAs with bit 15 set are "MMIO". The callbacks check
 * the library's promises (no zero-length or page-crossing callbacks, sizes
 * in range) and the results are checked for consistency; any violation
 * aborts, as do sanitizer findings.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hv/x86/decode.h"
#include "hv/x86/disasm.h"
#include "hv/x86/emulate.h"
#include "hv/x86/pagewalk.h"
#include "hv/x86/string_io.h"

#define MEM_SIZE 0x10000u
#define MMIO_BIT 0x8000u

struct env {
	uint8_t mem[MEM_SIZE];
	unsigned calls;
	unsigned fail_at;
	unsigned port_limit;
};

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static void check_access(uint64_t gpa, size_t len, size_t max)
{
	CHECK(len >= 1 && len <= max);
	CHECK((gpa & 0xfff) + len <= 0x1000);
}

static int maybe_fail(struct env *e)
{
	return ++e->calls == e->fail_at ? 99 : 0;
}

static int read_gpa(void *ctx, uint64_t gpa, void *buf, size_t len)
{
	struct env *e = ctx;

	CHECK(len == 4 || len == 8);
	for (size_t i = 0; i < len; i++)
		((uint8_t *)buf)[i] = e->mem[(gpa + i) % MEM_SIZE];
	return 0;
}

static bool is_mmio(void *ctx, uint64_t gpa)
{
	(void)ctx;
	return gpa & MMIO_BIT;
}

static int mem_read(void *ctx, uint64_t gpa, void *buf, size_t size)
{
	struct env *e = ctx;

	check_access(gpa, size, 4096);
	for (size_t i = 0; i < size; i++)
		((uint8_t *)buf)[i] = e->mem[(gpa + i) % MEM_SIZE];
	return maybe_fail(e);
}

static int mem_write(void *ctx, uint64_t gpa, const void *buf, size_t size)
{
	struct env *e = ctx;

	check_access(gpa, size, 4096);
	for (size_t i = 0; i < size; i++)
		e->mem[(gpa + i) % MEM_SIZE] = ((const uint8_t *)buf)[i];
	return maybe_fail(e);
}

static int mmio_read(void *ctx, uint64_t gpa, void *buf, size_t size)
{
	CHECK(is_mmio(ctx, gpa));
	check_access(gpa, size, 8);
	return mem_read(ctx, gpa, buf, size);
}

static int mmio_write(void *ctx, uint64_t gpa, const void *buf, size_t size)
{
	CHECK(is_mmio(ctx, gpa));
	check_access(gpa, size, 8);
	return mem_write(ctx, gpa, buf, size);
}

static int ram_read(void *ctx, uint64_t gpa, void *buf, size_t size)
{
	CHECK(!is_mmio(ctx, gpa));
	return mem_read(ctx, gpa, buf, size);
}

static int ram_write(void *ctx, uint64_t gpa, const void *buf, size_t size)
{
	CHECK(!is_mmio(ctx, gpa));
	return mem_write(ctx, gpa, buf, size);
}

static int pte_set_bits(void *ctx, uint64_t gpa, uint64_t bits, unsigned size)
{
	struct env *e = ctx;

	CHECK(size == 4 || size == 8);
	CHECK(bits && !(bits & ~0x60ull)); /* only A and D */
	e->mem[gpa % MEM_SIZE] |= (uint8_t)bits;
	return 0;
}

static int port_string(void *ctx, uint16_t port, unsigned size, bool is_in, void *buf,
		       uint64_t *count)
{
	struct env *e = ctx;

	(void)port;
	CHECK(size == 1 || size == 2 || size == 4);
	CHECK(*count >= 1 && *count * size <= 4096);
	if (is_in)
		memset(buf, 0xa5, *count * size);
	if (e->port_limit && *count > e->port_limit)
		*count = e->port_limit;
	return 0;
}

static uint64_t take(const uint8_t **p, size_t *n, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < bytes && *n; i++, (*p)++, (*n)--)
		v |= (uint64_t)**p << (8 * i);
	return v;
}

static void check_fault(const struct x86_result *res)
{
	const struct x86_fault *f = &res->fault;

	switch (f->vector) {
	case X86_EXC_PF:
		CHECK(f->has_error_code && !(f->error_code & ~0x1fu));
		break;
	case X86_EXC_GP: case X86_EXC_SS: case X86_EXC_AC:
		CHECK(f->has_error_code && f->error_code == 0);
		break;
	case X86_EXC_UD:
		CHECK(!f->has_error_code);
		break;
	default:
		CHECK(0);
	}
}

/* Decoder properties that hold for any bytes. */
static void fuzz_decoder(const uint8_t *data, size_t size)
{
	static const unsigned modes[3] = { 16, 32, 64 };

	for (int m = 0; m < 3; m++) {
		struct x86_insn a, b;
		enum x86_decode_status sa = x86_decode(data, size, modes[m], &a);

		CHECK(a.len <= X86_MAX_INSN_LEN);
		if (sa == X86_DECODE_OK) {
			/* exactly len bytes decode the same; one fewer does not */
			CHECK(x86_decode(data, a.len, modes[m], &b) == X86_DECODE_OK);
			CHECK(memcmp(&a, &b, sizeof(a)) == 0);
			CHECK(x86_decode(data, a.len - 1, modes[m], &b) == X86_DECODE_NEED_MORE);
			CHECK(a.mnemonic > X86_INVALID && a.mnemonic < X86_NR_MNEMONICS);
			CHECK(a.n_operands <= 2);
			for (unsigned i = 0; i < a.n_operands; i++) {
				unsigned s = a.op[i].size;

				CHECK(s == 1 || s == 2 || s == 4 || s == 8);
			}
			/* The console's text of it: no '?' for a register, cut
			 * but terminated in a short buffer. */
			char text[96], small[12];
			size_t need = x86_disasm(&a, text, sizeof(text));
			CHECK(need < sizeof(text) && strlen(text) == need && !strchr(text, '?'));
			CHECK(x86_disasm(&a, small, sizeof(small)) == need);
			CHECK(strlen(small) == (need < sizeof(small) ? need : sizeof(small) - 1));
		} else if (sa == X86_DECODE_NEED_MORE) {
			CHECK(size < X86_MAX_INSN_LEN);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct env env;
	struct x86_regs r, before;
	struct x86_result res;
	struct x86_ops ops = {
		.ctx = &env, .phys_bits = 36, .rep_budget = 64,
		.read_gpa = read_gpa, .is_mmio = is_mmio,
		.mmio_read = mmio_read, .mmio_write = mmio_write,
		.ram_read = ram_read, .ram_write = ram_write,
		.port_string = port_string,
	};
	const uint8_t *p = data;
	size_t n = size;
	uint64_t cfg;
	enum x86_status st;

	fuzz_decoder(data, size < 20 ? size : 20);
	if (size < 48)
		return 0;

	memset(&env, 0, sizeof(env));
	memset(&r, 0, sizeof(r));
	cfg = take(&p, &n, 8);
	/* CPU and paging mode, control bits */
	switch (cfg & 7) {
	case 0: /* real */
		break;
	case 1: case 2: /* protected, 16/32 */
		r.cr0 = X86_CR0_PE;
		break;
	case 3: /* virtual-8086 */
		r.cr0 = X86_CR0_PE;
		r.rflags |= X86_RFLAGS_VM;
		break;
	default: /* IA-32e: compat or 64-bit */
		r.cr0 = X86_CR0_PE | X86_CR0_PG;
		r.cr4 = X86_CR4_PAE;
		r.efer = X86_EFER_LME | X86_EFER_LMA;
		break;
	}
	if ((cfg >> 3) & 1)
		r.cr0 |= X86_CR0_PG;
	if ((cfg >> 4) & 1)
		r.cr4 |= X86_CR4_PAE;
	if ((cfg >> 5) & 1)
		r.cr4 |= X86_CR4_PSE;
	if (((cfg >> 6) & 1) && (r.efer & X86_EFER_LMA))
		r.cr4 |= X86_CR4_LA57;
	if ((cfg >> 7) & 1)
		r.efer |= X86_EFER_NXE;
	r.cr0 |= ((cfg >> 8) & 1) ? X86_CR0_WP : 0;
	r.cr0 |= ((cfg >> 9) & 1) ? X86_CR0_AM : 0;
	r.cr4 |= ((cfg >> 10) & 1) ? X86_CR4_SMEP : 0;
	r.cr4 |= ((cfg >> 11) & 1) ? X86_CR4_SMAP : 0;
	r.cpl = (cfg >> 12) & 3;
	r.rflags |= X86_RFLAGS_FIXED1 | ((cfg >> 14) & (X86_RFLAGS_STATUS | X86_RFLAGS_DF |
						       X86_RFLAGS_AC | X86_RFLAGS_TF));
	if ((cfg >> 40) & 1)
		ops.pte_set_bits = pte_set_bits;
	env.fail_at = (cfg >> 41) & 7;       /* 0: never */
	env.port_limit = (cfg >> 44) & 3;    /* 0: no limit */
	r.cr3 = take(&p, &n, 2) << 12 & 0xfffff000;
	for (int s = 0; s < X86_NR_SREGS; s++) {
		uint64_t v = take(&p, &n, 2);

		r.seg[s].base = (v & 0xff) << 8;
		r.seg[s].limit = (v & 0x100) ? 0xffffffff : 0xffff;
		r.seg[s].attr = X86_SEG_P | X86_SEG_S | (uint32_t)((v >> 9) & 0xf) |
				((v & 0x2000) ? X86_SEG_DB : 0) | ((v & 0x4000) ? X86_SEG_L : 0) |
				((v & 0x8000) ? X86_SEG_UNUSABLE : 0);
	}
	r.seg[X86_CS].attr |= X86_SEG_TYPE_CODE;
	if ((cfg & 7) == 2)
		r.seg[X86_CS].attr |= X86_SEG_DB;
	if ((cfg & 7) >= 6) {
		r.seg[X86_CS].attr |= X86_SEG_L;
		r.seg[X86_CS].attr &= ~X86_SEG_DB;
	}
	for (int i = 0; i < X86_NR_GPRS; i++) {
		uint8_t k = (uint8_t)take(&p, &n, 1);

		/* small values, near-page-boundary values and wide ones */
		r.gpr[i] = k < 128 ? k : k < 192 ? 0xff0 + (k & 0x3f) :
			   ((uint64_t)k << 56) | ((uint64_t)k << 13);
	}
	r.rip = take(&p, &n, 2);
	/* the rest of the input is guest memory (mirrored) */
	for (size_t i = 0; i < MEM_SIZE && n; i++)
		env.mem[i] = p[i % n];
	/* the instruction itself right at RIP's physical alias */
	for (size_t i = 0; i < 16 && i < n; i++)
		env.mem[(r.seg[X86_CS].base + r.rip + i) % MEM_SIZE] = p[i];

	before = r;
	st = x86_emulate(&r, &ops, &res);
	CHECK(res.insn_len <= X86_MAX_INSN_LEN);
	switch (st) {
	case X86_OK:
		break;
	case X86_FAULT:
		check_fault(&res);
		/* a fault leaves RIP at the instruction */
		CHECK(r.rip == before.rip);
		break;
	case X86_UNSUPPORTED:
		CHECK(memcmp(&r, &before, sizeof(r)) == 0);
		break;
	case X86_CALLBACK:
		CHECK(res.cb_status == 99);
		CHECK(r.rip == before.rip);
		break;
	default:
		CHECK(0);
	}
	/* never touched by the library */
	CHECK(r.cr0 == before.cr0 && r.cr3 == before.cr3 && r.cr4 == before.cr4 &&
	      r.efer == before.efer && r.cpl == before.cpl);
	CHECK(memcmp(r.seg, before.seg, sizeof(r.seg)) == 0);

	/* string I/O on the same state */
	{
		struct x86_string_io io = {
			.port = (uint16_t)r.gpr[X86_RDX],
			.size = (uint8_t)(1u << ((cfg >> 46) % 3)),
			.in = (cfg >> 48) & 1,
			.rep = (cfg >> 49) & 1,
			.addr_size = (uint8_t)(2u << ((cfg >> 50) % 3)),
			.seg = (uint8_t)((cfg >> 52) % X86_NR_SREGS),
			.insn_len = 2,
		};

		env.calls = 0;
		before = r;
		st = x86_string_io(&r, &ops, &io, &res);
		if (st == X86_FAULT) {
			check_fault(&res);
			CHECK(r.rip == before.rip);
		}
		CHECK(st != X86_UNSUPPORTED);
	}
	return 0;
}
