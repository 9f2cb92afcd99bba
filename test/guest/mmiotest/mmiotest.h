/* SPDX-License-Identifier: GPL-2.0-only */
/* The MMIO instruction test: every case runs one instruction twice from the same
 * registers, RFLAGS and memory bytes, once with its memory operand in RAM and
 * once in the test device's MMIO page (hv/dev/testdev.h), where the
 * hypervisor's emulator (hv/x86/) executes it; the destination registers,
 * the memory bytes and the RFLAGS bits the instruction defines must agree.
 *
 * Files: harness.c (register-loading trampoline, fault catching, the two runs
 * and the comparison), cases.c (instructions assembled here), gen.c
 * (instructions whose encoding holds the address: moffs, RIP-relative,
 * absolute disp32; written at run time), alias.c (a window of page tables of
 * our own, for RIP-relative operands and accesses straddling RAM and MMIO),
 * pio.c (INS/OUTS against the test ports), ymm.c and ymm.S (AVX registers
 * across exits). */
#ifndef MMIOTEST_H
#define MMIOTEST_H

#include <efi.h>
#include <stdbool.h>
#include <stdint.h>
#include "guest.h"
#include "hvif.h"

/* GPR numbers in encoding order (as in hv/x86/regs.h). */
enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };

#define CF (1ull << 0)
#define PF (1ull << 2)
#define AF (1ull << 4)
#define ZF (1ull << 6)
#define SF (1ull << 7)
#define IF (1ull << 9)
#define DF (1ull << 10)
#define OF (1ull << 11)
#define STATUS (CF | PF | AF | ZF | SF | OF)

/* Flags compared, by what the instruction defines (SDM Vol. 2 instruction
 * pages). DF is always compared: no instruction here may change it. */
#define FL_ARITH (STATUS | DF)          /* ADD ADC SUB SBB CMP NEG CMPS SCAS INC DEC */
#define FL_LOGIC (CF | PF | ZF | SF | OF | DF) /* AND OR XOR TEST: AF undefined */
#define FL_BT (CF | DF)                 /* BT*: CF; OF SF AF PF undefined, ZF see cases.c */
/* MOV* XCHG NOT MOVS STOS LODS change no flag; bit 1 (always set) marks
 * the mask for the case's name. */
#define FL_NONE (STATUS | DF | 2)

/* The registers a run starts from and ends with (the trampoline's layout). */
struct cpu_state {
	uint64_t gpr[16]; /* RSP unused */
	uint64_t rflags;
};

/* Runs code (one instruction followed by RET) with s's registers and RFLAGS;
 * s receives the registers and RFLAGS right after the instruction. Returns
 * the vector of an exception the instruction raised (#UD, #GP, #PF; the
 * registers are then garbage), or -1. */
int run_code(struct cpu_state *s, const void *code);

/* Two memory regions a case may point registers into. In the RAM run both
 * are RAM buffers; in the MMIO run each region whose bit is set in the case's
 * `mmio` is a window of the test device's page instead (region 0 may be
 * placed elsewhere, see `where`). */
#define REGION_SIZE 128
#define NREGIONS 2
#define MMIO_REGION0_OFF 0x100
#define MMIO_REGION1_OFF 0x400
/* W_DEFER: region 0 is 16 bytes at 0xEF8: 8 scratch bytes, then the qword
 * whose every access defers. */
#define MMIO_DEFER_REGION_OFF 0xEF8
#define DEFER_REGION_SIZE 16

enum where {
	W_PLAIN = 0, /* region 0 at MMIO_REGION0_OFF (MMIO run) or a RAM buffer */
	W_DEFER,     /* see MMIO_DEFER_REGION_OFF */
	W_ALIAS,     /* the alias window (alias.c): region 0 at offset 0x100 of
			the aliased MMIO page, or of an aliased RAM page; the
			code runs from the alias window too (RIP-relative) */
	W_STRADDLE,  /* the alias window: region 0 starts 0x40 bytes before the
			end of a RAM page followed by the MMIO page (MMIO run),
			or by another RAM page (RAM run) */
};

/* Register initializers: a plain value, or a pointer into a region. */
struct reg_init {
	uint8_t reg1;  /* register number + 1; 0 ends the list */
	int8_t region; /* -1: value is the register's value */
	uint8_t seg;   /* a pointer used with this segment: 1 FS, 2 GS (the
			  test base is subtracted) */
	int64_t value; /* value, or byte offset into the region */
	uint64_t high; /* ORed into a pointer (upper bits an address-size 67
			  instruction must ignore) */
};
#define P(r, n, off) { (r) + 1, (n), 0, (off), 0 }
#define PH(r, n, off, hi) { (r) + 1, (n), 0, (off), (hi) }
#define PFS(r, n, off) { (r) + 1, (n), 1, (off), 0 }
#define PGS(r, n, off) { (r) + 1, (n), 2, (off), 0 }
#define V(r, v) { (r) + 1, -1, 0, (int64_t)(v), 0 }

/* Builds the instruction for a memory operand at target (gen.c) at code;
 * returns code, or NULL if the encoding cannot reach target from there. */
typedef const void *(*gen_fn)(uint8_t *code, uint64_t target);

enum {
	C_FSBASE = 1 << 0,   /* FS base is FS_TEST_BASE while the case runs */
	C_GSBASE = 1 << 1,   /* GS base is GS_TEST_BASE */
	C_NOACCESS = 1 << 2, /* touches no memory (REP with rCX = 0) */
	C_CODE_SPLIT = 1 << 3, /* gen: the instruction starts CODE_SPLIT bytes
				  before the end of the code page and runs on
				  into the next page */
};
#define CODE_SPLIT 5
#define FS_TEST_BASE 0x10000ull
#define GS_TEST_BASE 0x30000ull

struct tcase {
	const char *name;   /* "01 /r ADD r/m32,r32" */
	const void *code;   /* one instruction and RET; or NULL with gen */
	gen_fn gen;
	int16_t gen_off;    /* gen: target offset in region 0 */
	uint64_t fmask;     /* flags compared (FL_*) */
	uint64_t fset;      /* flags forced on in the input (DF) */
	uint8_t mmio;       /* bit n: region n is MMIO in the MMIO run */
	uint8_t where;      /* enum where, for region 0 */
	uint8_t flags;      /* C_* */
	struct reg_init r[5];
};

/* The alias window (alias.c): a PML4 slot the firmware leaves empty, mapped
 * by page tables of our own: page 0 code, 1 RAM, 2 the test MMIO page, 3 and
 * 4 RAM. Linear addresses there are not physical ones, so the emulator's
 * page walk is exercised too. */
#define ALIAS_CODE 0
#define ALIAS_RAM_A 1
#define ALIAS_MMIO 2
#define ALIAS_RAM_B 3
#define ALIAS_RAM_C 4
bool alias_init(void);
uint64_t alias_page(unsigned n); /* linear address of page n; 0 if no window */
void alias_release(void);

/* Runs a case in every input variant; one guest_check line. */
bool run_case(const struct tcase *c);

void run_snippet_cases(void);  /* cases.c */
void run_generated_cases(void); /* gen.c */
void run_pio_cases(void);      /* pio.c */
void run_ymm_case(void);       /* ymm.c */

/* Fault catching (harness.c): our handlers for #UD, #GP and #PF while the
 * cases run. */
void faults_catch(void);
void faults_release(void);

/* Byte access to the test page that the compiler cannot merge or widen. */
uint8_t mmio_ld8(uint64_t a);
void mmio_st64(uint64_t a, uint64_t v);

/* Counter of MMIO accesses to the test page (reads + writes) */
uint64_t mmio_accesses(void);

extern unsigned cases_run;

#endif
