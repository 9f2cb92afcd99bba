/* SPDX-License-Identifier: GPL-2.0-only */
/* String port I/O against the test ports (hv/dev/testdev.h): INS and OUTS
 * of 1, 2 and 4 bytes, with and without REP, DF up and down, the memory side
 * in RAM or in the test MMIO page, with a segment override and with 32-bit
 * addresses. A port keeps one value, so instead of a second run the result
 * is checked against what the SDM requires: OUTS leaves the last element in
 * the port and sends one write per element; INS stores the port's value in
 * every element and reads the port once per element; rSI/rDI move by
 * count * size (down with DF), rCX ends at 0 under REP, and nothing else
 * changes (no flags, no other register, no other byte). */
#include "mmiotest.h"
#include "hv/cpu.h"
#include "hv/dev/testdev.h"
#include "iom/iom.h"

#define PIO_SNIP(id, text)                                                                \
	__asm__(".pushsection .text\n.globl mp_" #id "\n.hidden mp_" #id "\nmp_" #id ":\n\t" \
		text "\n\tret\n.popsection\n");                                           \
	extern const char mp_##id[] __attribute__((visibility("hidden")));

PIO_SNIP(outsb, "outsb")
PIO_SNIP(outsw, "outsw")
PIO_SNIP(outsl, "outsl")
PIO_SNIP(rep_outsb, "rep outsb")
PIO_SNIP(rep_outsw, "rep outsw")
PIO_SNIP(rep_outsl, "rep outsl")
PIO_SNIP(insb, "insb")
PIO_SNIP(insw, "insw")
PIO_SNIP(insl, "insl")
PIO_SNIP(rep_insb, "rep insb")
PIO_SNIP(rep_insw, "rep insw")
PIO_SNIP(rep_insl, "rep insl")
PIO_SNIP(rep_outsb_fs, "rep outsb %fs:(%rsi),(%dx)")
PIO_SNIP(a32_rep_outsw, ".byte 0x67, 0xf3, 0x66, 0x6f")
PIO_SNIP(a32_rep_insb, ".byte 0x67, 0xf3, 0x6c")

#define PORT TESTDEV_PORT_BASE
#define DPORT (TESTDEV_PORT_BASE + TESTDEV_PORT_DEFER)
#define PIO_MMIO_OFF 0x600
#define BUF 64
#define START 0x20
#define NOCNT 0x123456789ull

struct pcase {
	const char *name;
	const char *code;
	uint16_t port;
	uint8_t size;
	bool in, rep;
	uint8_t count;     /* with rep */
	bool df, mmio, fs;
	bool a32;          /* 67: ESI/EDI/ECX; the upper halves must be ignored */
};

static const struct pcase pcases[] = {
	{ "6E OUTS DX,m8", mp_outsb, PORT, 1, false, false, 0, false, false, false, false },
	{ "66 6F OUTS DX,m16 (DF=1)", mp_outsw, PORT, 2, false, false, 0, true, false, false, false },
	{ "6F OUTS DX,m32 (memory in MMIO)", mp_outsl, PORT, 4, false, false, 0, false, true, false, false },
	{ "F3 6E REP OUTS DX,m8 (4)", mp_rep_outsb, PORT, 1, false, true, 4, false, false, false, false },
	{ "F3 6E REP OUTS DX,m8 (4, DF=1)", mp_rep_outsb, PORT, 1, false, true, 4, true, false, false, false },
	{ "F3 66 6F REP OUTS DX,m16 (3, memory in MMIO)", mp_rep_outsw, PORT, 2, false, true, 3, false, true, false, false },
	{ "F3 66 6F REP OUTS DX,m16 (3, port 0x5A1: bytes 1-2)", mp_rep_outsw, PORT + 1, 2, false, true, 3, false, false, false, false },
	{ "F3 6F REP OUTS DX,m32 (5, DF=1, memory in MMIO)", mp_rep_outsl, PORT, 4, false, true, 5, true, true, false, false },
	{ "F3 6F REP OUTS DX,m32 (3, deferring port)", mp_rep_outsl, DPORT, 4, false, true, 3, false, false, false, false },
	{ "F3 6E REP OUTS DX,m8 (RCX 0: nothing)", mp_rep_outsb, PORT, 1, false, true, 0, false, false, false, false },
	{ "64 F3 6E REP OUTS DX,FS:m8 (4, FS base 0x10000)", mp_rep_outsb_fs, PORT, 1, false, true, 4, false, false, true, false },
	{ "64 F3 6E REP OUTS DX,FS:m8 (4, FS base 0x10000, memory in MMIO)", mp_rep_outsb_fs, PORT, 1, false, true, 4, false, true, true, false },
	{ "67 F3 66 6F REP OUTS DX,m16 (3, address size 32)", mp_a32_rep_outsw, PORT, 2, false, true, 3, false, false, false, true },
	{ "6C INS m8,DX", mp_insb, PORT, 1, true, false, 0, false, false, false, false },
	{ "66 6D INS m16,DX (memory in MMIO)", mp_insw, PORT, 2, true, false, 0, false, true, false, false },
	{ "6D INS m32,DX (DF=1)", mp_insl, PORT, 4, true, false, 0, true, false, false, false },
	{ "F3 6C REP INS m8,DX (4)", mp_rep_insb, PORT, 1, true, true, 4, false, false, false, false },
	{ "F3 6C REP INS m8,DX (4, DF=1, memory in MMIO)", mp_rep_insb, PORT, 1, true, true, 4, true, true, false, false },
	{ "F3 66 6D REP INS m16,DX (3, DF=1)", mp_rep_insw, PORT, 2, true, true, 3, true, false, false, false },
	{ "F3 6D REP INS m32,DX (3, memory in MMIO)", mp_rep_insl, PORT, 4, true, true, 3, false, true, false, false },
	{ "F3 66 6D REP INS m16,DX (4, DF=1, memory in MMIO)", mp_rep_insw, PORT, 2, true, true, 4, true, true, false, false },
	{ "F3 6D REP INS m32,DX (2, deferring port)", mp_rep_insl, DPORT, 4, true, true, 2, false, false, false, false },
	{ "67 F3 6C REP INS m8,DX (3, address size 32)", mp_a32_rep_insb, PORT, 1, true, true, 3, false, false, false, true },
};

static uint8_t pbuf[BUF] __attribute__((aligned(64)));

static uint64_t port_stat(unsigned counter)
{
	return range_stat(IOM_SPACE_PORT, PORT, counter);
}

static void port_set(uint16_t port, uint32_t v)
{
	outl(port & ~3u, v);
}

static uint32_t port_get(uint16_t port)
{
	return inl(port & ~3u);
}

static bool run_pcase(const struct pcase *c)
{
	uint8_t init[BUF], want[BUF], got[BUF];
	struct cpu_state s;
	uint64_t mem = c->mmio ? TESTDEV_MMIO_BASE + PIO_MMIO_OFF : (uint64_t)pbuf;
	uint64_t step = c->df ? (uint64_t) - (int64_t)c->size : c->size;
	unsigned n = c->rep ? c->count : 1;
	uint32_t pinit = 0xA1B2C3D4, pwant = pinit;
	bool ok = true;

	cases_run++;
	for (unsigned i = 0; i < BUF; i++)
		init[i] = want[i] = (uint8_t)(0x31 + 7 * i + cases_run);
	if (c->mmio) {
		for (unsigned i = 0; i < BUF; i += 8) {
			uint64_t q;
			__builtin_memcpy(&q, init + i, 8);
			mmio_st64(mem + i, q);
		}
	} else {
		__builtin_memcpy(pbuf, init, BUF);
	}
	port_set(c->port, pinit);

	/* Expected memory and port. */
	unsigned shift = 8 * (c->port & 3);
	for (unsigned k = 0; k < n; k++) {
		unsigned at = START + (unsigned)(k * step);
		for (unsigned b = 0; b < c->size; b++) {
			if (c->in)
				want[at + b] = (uint8_t)(pinit >> (shift + 8 * b));
			else if (k == n - 1)
				pwant = (pwant & ~(0xFFu << (shift + 8 * b))) |
					((uint32_t)init[at + b] << (shift + 8 * b));
		}
	}

	/* Registers: random, but for the ones the instruction uses. */
	uint64_t r = 0x243F6A8885A308D3ull * cases_run;
	for (unsigned i = 0; i < 16; i++) {
		r ^= r << 13, r ^= r >> 7, r ^= r << 17;
		s.gpr[i] = r;
	}
	uint64_t ptr = mem + START - (c->fs ? FS_TEST_BASE : 0);
	uint64_t high = c->a32 ? 0xABCD00000000ull : 0;
	unsigned preg = c->in ? RDI : RSI;
	s.gpr[RSP] = 0;
	s.gpr[preg] = ptr | high;
	s.gpr[RDX] = 0x5A5A5A5A00000000ull | c->port; /* only DX names the port */
	s.gpr[RCX] = c->rep ? (c->a32 ? 0xFFFFFFFF00000000ull : 0) | c->count : NOCNT;
	s.rflags = 2 | (r & STATUS) | (c->df ? DF : 0) | (read_rflags() & IF);
	struct cpu_state before = s;

	uint64_t fs = rdmsr(0xC0000100);
	uint64_t r0 = port_stat(IOM_STAT_READS), w0 = port_stat(IOM_STAT_WRITES);
	uint64_t m0 = mmio_accesses();
	if (c->fs)
		wrmsr(0xC0000100, FS_TEST_BASE);
	int fault = run_code(&s, c->code);
	wrmsr(0xC0000100, fs);
	uint64_t dr = port_stat(IOM_STAT_READS) - r0, dw = port_stat(IOM_STAT_WRITES) - w0;
	uint64_t dm = mmio_accesses() - m0;
	uint32_t pgot = port_get(c->port);
	if (c->mmio)
		for (unsigned i = 0; i < BUF; i++)
			got[i] = mmio_ld8(mem + i);
	else
		__builtin_memcpy(got, pbuf, BUF);

	if (fault != -1) {
		gprintf("guest:   exception %d\n", fault);
		return guest_check(false, "%s [flags unchanged]", c->name);
	}
	/* Registers. */
	struct cpu_state exp = before;
	uint64_t pend = ptr + n * step;
	exp.gpr[preg] = c->a32 ? (uint32_t)pend : pend;
	if (c->rep)
		exp.gpr[RCX] = 0; /* with 67 too: an ECX write zero-extends */
	for (unsigned i = 0; i < 16; i++)
		if (i != RSP && s.gpr[i] != exp.gpr[i]) {
			gprintf("guest:   register %u: 0x%lx, expected 0x%lx\n", i, s.gpr[i],
				exp.gpr[i]);
			ok = false;
		}
	if ((s.rflags ^ before.rflags) & (STATUS | DF)) {
		gprintf("guest:   rflags 0x%lx, expected 0x%lx\n", s.rflags, before.rflags);
		ok = false;
	}
	for (unsigned i = 0, shown = 0; i < BUF; i++)
		if (got[i] != want[i]) {
			if (shown++ < 4)
				gprintf("guest:   byte 0x%x: 0x%02x, expected 0x%02x\n", i, got[i],
					want[i]);
			ok = false;
		}
	if (pgot != pwant) {
		gprintf("guest:   port 0x%x reads 0x%08x, expected 0x%08x\n", c->port & ~3u, pgot,
			pwant);
		ok = false;
	}
	/* Exact counts where nothing defers. A string call counts once (iom.h);
	 * x86_string_io() makes one call per chunk of elements in one RAM page
	 * (the buffer never crosses one) and one per element when the memory
	 * side is MMIO (string_io.h). */
	unsigned calls = !n ? 0 : c->mmio ? n : 1;
	if (c->port == PORT && (c->in ? dr != calls || dw != 0 : dw != calls || dr != 0)) {
		gprintf("guest:   the IOM counted %lu reads and %lu writes of the ports, expected %u "
			"%s\n", dr, dw, calls, c->in ? "reads" : "writes");
		ok = false;
	}
	if (c->mmio && n && !dm) {
		gprintf("guest:   the memory side never reached the test MMIO page\n");
		ok = false;
	}
	return guest_check(ok, "%s [flags unchanged]", c->name);
}

void run_pio_cases(void)
{
	for (unsigned i = 0; i < sizeof(pcases) / sizeof(pcases[0]); i++)
		run_pcase(&pcases[i]);
}
