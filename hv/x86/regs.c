/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/regs.c - CPU mode, paging mode and register-access helpers.
 */
#include "regs.h"

enum x86_cpu_mode x86_cpu_mode(const struct x86_regs *r)
{
	uint32_t cs = r->seg[X86_CS].attr;

	if (!(r->cr0 & X86_CR0_PE))
		return X86_MODE_REAL;
	/* IA-32e mode is EFER.LMA (SDM Vol. 3A §9.8.5); RFLAGS.VM is
	 * ignored there (virtual-8086 mode does not exist in IA-32e mode). */
	if (r->efer & X86_EFER_LMA) {
		if (cs & X86_SEG_L)
			return X86_MODE_LONG64;
		return (cs & X86_SEG_DB) ? X86_MODE_COMPAT32 : X86_MODE_COMPAT16;
	}
	if (r->rflags & X86_RFLAGS_VM)
		return X86_MODE_V86;
	return (cs & X86_SEG_DB) ? X86_MODE_PROT32 : X86_MODE_PROT16;
}

enum x86_paging_mode x86_paging_mode(const struct x86_regs *r)
{
	if (!(r->cr0 & X86_CR0_PG))
		return X86_PAGING_NONE;
	if (!(r->cr4 & X86_CR4_PAE))
		return X86_PAGING_32;
	if (!(r->efer & X86_EFER_LMA))
		return X86_PAGING_PAE;
	return (r->cr4 & X86_CR4_LA57) ? X86_PAGING_5LEVEL : X86_PAGING_4LEVEL;
}

unsigned x86_mode_code_bits(enum x86_cpu_mode m)
{
	switch (m) {
	case X86_MODE_LONG64:
		return 64;
	case X86_MODE_PROT32:
	case X86_MODE_COMPAT32:
		return 32;
	default:
		/* Real and virtual-8086 mode are 16-bit (SDM Vol. 3A §21.1.1);
		 * the cached CS.D bit is not consulted there. */
		return 16;
	}
}

bool x86_is_canonical(const struct x86_regs *r, uint64_t la)
{
	unsigned bits = (r->cr4 & X86_CR4_LA57) ? 57 : 48;
	int64_t s = (int64_t)(la << (64 - bits)) >> (64 - bits);

	return (uint64_t)s == la;
}

uint64_t x86_gpr_read(const struct x86_regs *r, unsigned reg, bool high8,
		      unsigned size)
{
	if (high8)
		return (r->gpr[reg & 3] >> 8) & 0xff;
	return r->gpr[reg & 15] & x86_size_mask(size);
}

void x86_gpr_write(struct x86_regs *r, unsigned reg, bool high8,
		   unsigned size, uint64_t val)
{
	uint64_t *g;

	if (high8) {
		g = &r->gpr[reg & 3];
		*g = (*g & ~0xff00ull) | ((val & 0xff) << 8);
		return;
	}
	g = &r->gpr[reg & 15];
	switch (size) {
	case 1:
		*g = (*g & ~0xffull) | (val & 0xff);
		break;
	case 2:
		*g = (*g & ~0xffffull) | (val & 0xffff);
		break;
	case 4:
		*g = val & 0xffffffffull;
		break;
	default:
		*g = val;
		break;
	}
}
