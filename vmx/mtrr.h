/* SPDX-License-Identifier: GPL-2.0-only */
/* The memory types the firmware's MTRRs give physical memory, for the EPT
 * entries (with EPT on, the CPU does not consult the MTRRs for guest accesses:
 * SDM Vol. 3C §29.3.7; docs/real-hardware.md). mtrr.c is pure (built
 * on the host for test/unit/test_vmx_mtrr.c); mtrr_msr.c reads the MSRs. */
#ifndef VMX_MTRR_H
#define VMX_MTRR_H

#include <stdbool.h>
#include <stdint.h>

#define MTRR_MAX_VARIABLE 32
#define MTRR_FIXED_RANGES 88 /* 11 MSRs of 8 ranges (Vol. 3A §12.11.2.2) */

struct mtrr_state {
	bool enabled;	    /* IA32_MTRR_DEF_TYPE.E */
	bool fixed_enabled; /* FE, and the CPU has fixed ranges */
	uint8_t default_type;
	uint8_t fixed[MTRR_FIXED_RANGES]; /* in address order: 0, 64K, ... F8000+4K*7 */
	unsigned nvar;			   /* valid variable ranges below */
	struct {
		uint64_t base, mask; /* address bits only (12 .. MAXPHYADDR-1) */
		uint8_t type;
	} var[MTRR_MAX_VARIABLE];
};

/* The memory type (MT_*) of the naturally aligned power-of-two range
 * [base, base+size), size >= 4 KiB; -1 when the range holds more than one. */
int mtrr_type(const struct mtrr_state *m, uint64_t base, uint64_t size);
const char *mtrr_type_name(int type);

/* mtrr_msr.c: the calling CPU's MTRRs (all CPUs must agree, Vol. 3A §12.11.8). */
void mtrr_read(struct mtrr_state *m, unsigned phys_addr_bits);

#endif
