/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/fetch64.h - the MMIO fast path's instruction fetch: the bytes at RIP
 * in 64-bit mode, through one walk of the guest's 4- or 5-level page tables.
 *
 * The walk reads the paging entries as the CPU does and checks what the CPU
 * checks on a fetch (present, reserved bits, XD with EFER.NXE, U/S against
 * CPL, SMEP; SDM Vol. 3A §4.5, §4.6.1). Anything the CPU would fault on, and
 * anything it does not know for sure (an entry or the code outside ordinary
 * guest RAM), declines: the caller then uses x86_emulate(), which fetches
 * through the full walker and raises the fault. It sets no accessed bits
 * (neither does the full walker without ops->pte_set_bits; the CPU's own
 * fetch set them before the exit). The same walk checks the decoded data
 * access (x86_data64_allowed).
 */
#ifndef HV_X86_FETCH64_H
#define HV_X86_FETCH64_H

#include <stddef.h>
#include <stdint.h>
#include "regs.h"

/* What the fetch needs besides RIP and CPL: less than the whole guest state,
 * so a backend can load just this at an exit (hv/vcpu.h). */
struct x86_code_state {
	uint64_t cr0, cr3, cr4, efer;
	uint32_t cs_attr; /* X86_SEG_*: only L matters here */
};

struct x86_fetch_ops {
	/* Guest physical-address width (CPUID 80000008H EAX[7:0]): entry
	 * bits from it to 51 are reserved (§4.5.4). 0 means 52. */
	unsigned phys_bits;
	/* Guest RAM as the host reads it: guest-physical a is at host address
	 * ram + a (the hypervisor identity-maps it: 0). */
	uintptr_t ram;
	/* Paging entries and code are read from ordinary guest RAM only. Two
	 * windows [lo, hi) hold every guest-physical address that is not (a
	 * device's, the hypervisor's): an address outside both is RAM, and
	 * for one inside, is_ram decides. The windows keep the common case
	 * free of calls. */
	uint64_t lo[2], hi[2];
	/* Addresses from end up always ask is_ram: the host may not have
	 * mapped them yet (hv/mem/idmap.h). */
	uint64_t end;
	void *ctx;
	bool (*is_ram)(void *ctx, uint64_t gpa);
};

/* Bytes buf holds: 15 (the longest instruction) plus one, so that they can be
 * read 8 bytes at a time. */
#define X86_FETCH64_BUF 16

/*
 * Copies the bytes at RIP up to the end of its page, at most X86_FETCH64_BUF,
 * into buf. Returns how many, or 0 to decline (not 64-bit mode, a fetch the
 * CPU would fault on, memory that is not plain RAM).
 */
unsigned x86_fetch64(const struct x86_regs *r, const struct x86_code_state *cs,
		     const struct x86_fetch_ops *ops,
		     uint8_t buf[X86_FETCH64_BUF]);

/* The paging entries one successful fetch read, top level first, for a caller
 * that keeps the translation (hv/exit/code_page.c): the same entries at the
 * same addresses, under the same CR3, CR4, EFER, CS.L and CPL, translate RIP's
 * page the same way. */
#define X86_FETCH64_MAX_LEVELS 5
struct x86_fetch_walk {
	unsigned levels;
	uint64_t addr[X86_FETCH64_MAX_LEVELS];	/* guest-physical */
	uint64_t entry[X86_FETCH64_MAX_LEVELS];
	uint64_t page; /* guest-physical address of RIP's 4-KiB page */
};

/* x86_fetch64, and the walk it made into *walk when it returns non-zero. */
unsigned x86_fetch64_walk(const struct x86_regs *r, const struct x86_code_state *cs,
			  const struct x86_fetch_ops *ops, uint8_t buf[X86_FETCH64_BUF],
			  struct x86_fetch_walk *walk);

/* The copy at the end of a fetch: the bytes at guest-physical gpa (ordinary
 * RAM) up to the end of its page, at most X86_FETCH64_BUF; returns how many. */
unsigned x86_fetch64_copy(uintptr_t ram, uint64_t gpa, uint8_t buf[X86_FETCH64_BUF]);

/*
 * True when the CPU, running r at its CPL in 64-bit mode, would let the data
 * access it decoded (a read, or a write) at linear address la through, and it
 * lands on guest-physical gpa: the guest's tables grant it (U/S against CPL,
 * R/W with CR0.WP, SMAP with RFLAGS.AC; §4.6.1). The exit's own access was
 * checked by the CPU, but the bytes the fast path decoded may not be the
 * instruction the CPU ran (another CPU can rewrite them in between), so what
 * was decoded is checked again. False also for what the walk does not know
 * (protection keys, entries outside RAM): the full emulator then decides.
 */
bool x86_data64_allowed(const struct x86_regs *r, const struct x86_code_state *cs,
			const struct x86_fetch_ops *ops, uint64_t la, bool write, uint64_t gpa);
/* The same, noting the walk it made in *walk (if non-NULL) when it returns
 * true: the entries the answer depended on. */
bool x86_data64_allowed_walk(const struct x86_regs *r, const struct x86_code_state *cs,
			     const struct x86_fetch_ops *ops, uint64_t la, bool write,
			     uint64_t gpa, struct x86_fetch_walk *walk);

#endif
