/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/cr_write.h - what MOV to CR0, MOV to CR3, LMSW and CLTS do to the
 * control registers, and when they raise #GP(0) instead (SDM Vol. 2B "MOV -
 * Move to/from Control Registers", Vol. 2A "LMSW" and "CLTS"; Vol. 3A §2.5,
 * §4.1.1 and §10.8.5). For an exit that hands one of them to the
 * hypervisor: the checks run on the guest's state before the instruction.
 * The PDPTE loads of PAE paging are the caller's (hv/mem/pdpte.h).
 */
#ifndef HV_X86_CR_WRITE_H
#define HV_X86_CR_WRITE_H

#include <stdbool.h>
#include <stdint.h>
#include "regs.h"
#include "hv/x86/arch.h"

/* True when MOV to CR0 of val raises #GP in r's state. */
bool x86_cr0_write_faults(const struct x86_regs *r, uint64_t val);

/* True when MOV to CR3 of val raises #GP in r's state; phys_bits is the
 * physical-address width (CPUID 80000008H EAX[7:0]). Else *loaded is what
 * CR3 holds afterwards (bit 63, the PCID no-flush hint, is not kept). */
bool x86_cr3_write_faults(const struct x86_regs *r, uint64_t val, unsigned phys_bits,
			  uint64_t *loaded);

/* CR0 after LMSW of src (bits 3:0; it sets PE but never clears it). */
uint64_t x86_lmsw(uint64_t cr0, uint16_t src);

/* CR0 after CLTS. */
static inline uint64_t x86_clts(uint64_t cr0)
{
	return cr0 & ~X86_CR0_TS;
}

#endif
