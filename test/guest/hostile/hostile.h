/* SPDX-License-Identifier: GPL-2.0-only */
/* The hostile guest: a fuzzer in the manner of Hyper-Cube (Schumilo et al.,
 * NDSS 2020). From a seed it issues random streams of port I/O, instructions
 * on the trapped test MMIO page and RAM, MSR, CPUID, hypercall, control
 * register and XSETBV operations, catching every exception they raise, and
 * after each batch checks that the hypervisor still answers and its memory
 * still reads all ones. Operation i of seed s is drawn from prng_for(s, i)
 * alone, so "first=i ops=1 verbose" replays it by itself.
 *
 * Files: main.c (options, the batch loop, the checks), ports.c (port I/O and
 * the ports it leaves alone), insn.c (random instructions), sysops.c (MSR,
 * CPUID, hypercall, CR, DR and XSETBV operations), memmap.c (the MSRs that
 * reach memory around the page tables, tried once before the stream),
 * storm.c and storm_tramp.S (INIT/SIPI storms on the other CPUs). */
#ifndef HOSTILE_H
#define HOSTILE_H

#include <stdbool.h>
#include <stdint.h>
#include "guest.h"
#include "hvif.h"
#include "prng.h"

/* Operation classes; each can be switched off ("no=pio,msr") or, for the
 * variants known to crash the hypervisor, on ("unsafe=efer,xcr0"). */
enum op_class { OP_PIO, OP_INSN, OP_MSR, OP_CPUID, OP_HC, OP_CR, OP_XSETBV, OP_CLASSES };

/* Variants left out of the default run because they crash the hypervisor
 * or the guest (sysops.c lists what each did), enabled by name with
 * "unsafe=". */
enum unsafe_variant {
	UNSAFE_EFER = 1 << 0, /* WRMSR EFER: reserved, unsupported or mode bits */
	UNSAFE_XCR0 = 1 << 1, /* XSETBV with invalid XCR0 values or ECX != 0 */
	UNSAFE_CR = 1 << 2,   /* CR0/CR4: reserved, unsupported or mode bits */
};

struct fuzz_config {
	uint64_t seed;
	uint64_t first, ops, batch;
	bool verbose;	  /* print every operation before doing it */
	bool bare;	  /* no hypervisor: the reference run */
	uint64_t storm;	  /* an INIT/SIPI sequence to an AP every N operations */
	unsigned classes; /* bit per enum op_class */
	unsigned unsafe;  /* enum unsafe_variant bits */
	bool intel;
	bool user_mode;	  /* user.h is set up: some hypercalls go from CPL 3 */
};
extern struct fuzz_config cfg;

/* One operation of each class, drawn from p. Each calls describe() with what
 * it is about to do before doing it (printed in verbose mode). */
#define DESC_SIZE 160
void op_pio(struct prng *p, char *desc);
void op_insn(struct prng *p, char *desc);
void op_msr(struct prng *p, char *desc);
void op_cpuid(struct prng *p, char *desc);
void op_hc(struct prng *p, char *desc);
void op_cr(struct prng *p, char *desc);
void op_xsetbv(struct prng *p, char *desc);

/* ports.c: learns the ports to leave alone (PCI bus masters' I/O BARs). */
void ports_init(void);
/* sysops.c: hypercalls made from CPL 3, and those that did not raise #UD. */
extern uint64_t user_hc_count, user_hc_not_ud;
/* memmap.c: the memory-map and Intel PT MSRs, tried once. */
void probe_memory_map(void);
/* storm.c: INIT/SIPI storms on the APs; false (reason printed) on a failure. */
bool storm_init(uint64_t tsc_per_ms);
bool storm_step(uint64_t index);
bool storm_check(void);
void storm_report(bool ok);
/* insn.c: the RAM scratch area. */
bool insn_init(void);

/* Runs fn under the exception catcher (trap.h) and returns the vector or -1. */
int op_catch(void (*fn)(void));
/* Exceptions counted by vector, for the summary. */
extern uint64_t vectors_seen[32];

/* Formats into desc[DESC_SIZE]; in verbose mode also prints it. */
void describe(char *desc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
