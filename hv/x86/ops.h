/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/ops.h - everything hv/x86 needs from the outside world.
 *
 * The library never touches guest memory, devices or ports itself: it goes
 * through these callbacks, each called with ctx as its first argument.
 * Every callback returns 0 for success; any other value aborts the current
 * operation and is handed back to the caller unchanged (X86_CALLBACK,
 * res->cb_status), so the IOM's own statuses ("defer", "inject #GP", ...)
 * flow through untouched.
 *
 * Addresses are guest-physical. Sizes are in bytes. A single call never
 * crosses a 4 KiB guest-physical page boundary; an MMIO access is passed
 * as the CPU would issue it (1, 2, 4 or 8 bytes) unless it straddles a page,
 * in which case each page gets its part (e.g. 3 + 1 bytes).
 */
#ifndef HV_X86_OPS_H
#define HV_X86_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct x86_ops {
	void *ctx;

	/* Guest physical-address width (CPUID 0x80000008 EAX[7:0]); paging
	 * entries with address bits at or above it are reserved-bit faults
	 * (SDM Vol. 3A §4.1.4). 0 means 52. */
	unsigned phys_bits;

	/* Upper bound on REP string iterations per call, so a long REP on
	 * MMIO returns to the run loop (interrupt window) the way the CPU
	 * lets interrupts in between iterations (SDM Vol. 2B, "REP/REPE/
	 * REPZ/REPNE/REPNZ"). When it runs out, registers reflect the work
	 * done, RIP is unchanged, X86_OK is returned and the guest simply
	 * re-executes the instruction. 0 means no bound. */
	uint64_t rep_budget;

	/* Read paging-structure entries (ordinary guest RAM). Required. */
	int (*read_gpa)(void *ctx, uint64_t gpa, void *buf, size_t len);

	/* Optional: atomically OR bits (accessed/dirty) into the paging
	 * entry of size bytes (4 or 8) at gpa, as the CPU does with a locked
	 * operation (SDM Vol. 3A §4.8). NULL: the walker leaves A/D alone,
	 * which is safe for the page of the trapped access itself (the
	 * CPU's own walk set them before the exit) but leaves them clear on
	 * pages only the emulator touched (the second page of a split access,
	 * later REP iterations). */
	int (*pte_set_bits)(void *ctx, uint64_t gpa, uint64_t bits,
			    unsigned size);

	/* Is this page trapped MMIO (true) or ordinary RAM (false)? */
	bool (*is_mmio)(void *ctx, uint64_t gpa);

	/* Trapped memory: the IOM. Required for x86_emulate. */
	int (*mmio_read)(void *ctx, uint64_t gpa, void *buf, size_t size);
	int (*mmio_write)(void *ctx, uint64_t gpa, const void *buf,
			  size_t size);

	/* Ordinary guest RAM. Required. */
	int (*ram_read)(void *ctx, uint64_t gpa, void *buf, size_t size);
	int (*ram_write)(void *ctx, uint64_t gpa, const void *buf,
			 size_t size);

	/* Device side of INS/OUTS (x86_string_io). *count elements of size
	 * bytes each, in the order the instruction transfers them: for OUTS
	 * buf holds them, for INS the callback fills buf. The callback may
	 * do fewer (sets *count to the number done, possibly 0); the string
	 * instruction then stops there with registers reflecting the
	 * elements done and RIP unchanged. */
	int (*port_string)(void *ctx, uint16_t port, unsigned size,
			   bool is_in, void *buf, uint64_t *count);
};

#endif
