/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/cr_write.c - the #GP checks of MOV to CR0 and CR3, and LMSW
 * (cr_write.h).
 */
#include "cr_write.h"

static bool in_64bit_mode(const struct x86_regs *r)
{
	return (r->efer & X86_EFER_LMA) && (r->seg[X86_CS].attr & X86_SEG_L);
}

bool x86_cr0_write_faults(const struct x86_regs *r, uint64_t val)
{
	bool pg_on = (val & X86_CR0_PG) && !(r->cr0 & X86_CR0_PG);
	bool pg_off = !(val & X86_CR0_PG) && (r->cr0 & X86_CR0_PG);

	/* Bits 63:32 are reserved (writable only in 64-bit mode at all). */
	if (val >> 32)
		return true;
	/* PG without PE; NW without CD. */
	if (((val & X86_CR0_PG) && !(val & X86_CR0_PE)) ||
	    ((val & X86_CR0_NW) && !(val & X86_CR0_CD)))
		return true;
	/* Activating IA-32e mode needs PAE, and a CS that is not 64-bit
	 * (§10.8.5). */
	if (pg_on && (r->efer & X86_EFER_LME) &&
	    (!(r->cr4 & X86_CR4_PAE) || (r->seg[X86_CS].attr & X86_SEG_L)))
		return true;
	/* Paging stays on in 64-bit mode (leaving IA-32e mode goes through
	 * compatibility mode, §10.8.5.4) and while CR4.PCIDE is set. */
	if (pg_off && (in_64bit_mode(r) || (r->cr4 & X86_CR4_PCIDE)))
		return true;
	return false;
}

bool x86_cr3_write_faults(const struct x86_regs *r, uint64_t val, unsigned phys_bits,
			  uint64_t *loaded)
{
	/* Outside IA-32e mode the operand is 32 bits: nothing is reserved. */
	if (!(r->efer & X86_EFER_LMA)) {
		*loaded = (uint32_t)val;
		return false;
	}
	/* In IA-32e mode bits 63:MAXPHYADDR are reserved, except 63 with
	 * CR4.PCIDE, which asks not to flush and is not stored (§4.10.4.1). */
	if (r->cr4 & X86_CR4_PCIDE)
		val &= ~X86_CR3_PCID_NOFLUSH;
	if (phys_bits < 64 && (val >> phys_bits))
		return true;
	*loaded = val;
	return false;
}

uint64_t x86_lmsw(uint64_t cr0, uint16_t src)
{
	const uint64_t bits = X86_CR0_PE | X86_CR0_MP | X86_CR0_EM | X86_CR0_TS;

	return (cr0 & ~(bits & ~X86_CR0_PE)) | (src & bits);
}
