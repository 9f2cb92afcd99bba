/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/segment.c - segment limit/type checks and linear addresses.
 */
#include "segment.h"

static enum x86_status seg_fault(unsigned sreg, struct x86_result *res)
{
	/* Stack-segment references fault with #SS, others with #GP; the
	 * error code is 0 for these checks (SDM Vol. 3A §6.15, interrupts
	 * 12 and 13). */
	return x86_raise(res, sreg == X86_SS ? X86_EXC_SS : X86_EXC_GP, true,
			 0, 0);
}

static bool type_allows(uint32_t attr, unsigned access)
{
	unsigned type = attr & X86_SEG_TYPE_MASK;
	bool code = type & X86_SEG_TYPE_CODE;

	/* SDM Vol. 3A §5.4.1 and Table 3-1: code segments are never
	 * writable and readable only with R; data segments are readable and
	 * writable only with W; fetches need a code segment. */
	if (access & X86_ACC_FETCH)
		return code;
	if (access & X86_ACC_WRITE)
		return !code && (type & X86_SEG_TYPE_W);
	return !code || (type & X86_SEG_TYPE_W);
}

static bool limit_allows(uint32_t attr, uint32_t limit, bool check_attr,
			 uint64_t offset, uint64_t size)
{
	uint64_t last = offset + size - 1;
	unsigned type = attr & X86_SEG_TYPE_MASK;

	/* Expand-down data segments hold offsets limit+1 .. 0xffff, or
	 * .. 0xffffffff when B is set (SDM Vol. 3A §5.3). */
	if (check_attr && !(type & X86_SEG_TYPE_CODE) &&
	    (type & X86_SEG_TYPE_E)) {
		uint64_t top = (attr & X86_SEG_DB) ? 0xffffffffull : 0xffffull;

		return offset > limit && last <= top && last >= offset;
	}
	return last <= limit && last >= offset;
}

enum x86_status x86_linear_address(const struct x86_regs *r, unsigned sreg,
				   uint64_t offset, uint64_t size,
				   unsigned access, uint64_t *la,
				   struct x86_result *res)
{
	const struct x86_segment *s = &r->seg[sreg];
	enum x86_cpu_mode mode = x86_cpu_mode(r);
	bool legacy_attr;

	if (mode == X86_MODE_LONG64) {
		/* Only FS and GS bases apply in 64-bit mode (SDM Vol. 1
		 * §3.4.2.1, Vol. 3A §3.2.4). */
		uint64_t base = (sreg == X86_FS || sreg == X86_GS) ? s->base : 0;
		uint64_t a = base + offset;

		if (!x86_is_canonical(r, a) ||
		    !x86_is_canonical(r, a + size - 1))
			return seg_fault(sreg, res);
		*la = a;
		return X86_OK;
	}

	legacy_attr = mode != X86_MODE_REAL && mode != X86_MODE_V86;
	if (legacy_attr) {
		if ((s->attr & X86_SEG_UNUSABLE) || !(s->attr & X86_SEG_P))
			return seg_fault(sreg, res);
		if (!type_allows(s->attr, access))
			return seg_fault(sreg, res);
	}
	if (!limit_allows(s->attr, s->limit, legacy_attr, offset, size))
		return seg_fault(sreg, res);
	*la = (s->base + offset) & 0xffffffffull;
	return X86_OK;
}

enum x86_status x86_check_alignment(const struct x86_regs *r, uint64_t la,
				    unsigned size, struct x86_result *res)
{
	if (size > 1 && (la & (size - 1)) && r->cpl == 3 &&
	    (r->cr0 & X86_CR0_AM) && (r->rflags & X86_RFLAGS_AC))
		return x86_raise(res, X86_EXC_AC, true, 0, 0);
	return X86_OK;
}

/*
 * Descriptor fields (SDM Vol. 3A §3.4.5, Figure 3-8): base 23:0 at bits
 * 16-39 and 31:24 at 56-63, limit 15:0 and 19:16 at 48-51, G at 55, the
 * attributes at 40-47 and 52-55. System descriptors (LDT, TSS) are 16 bytes
 * in IA-32e mode, with base 63:32 in the second half (§8.2.3, §3.5.2).
 */
void x86_segment_from_descriptor(struct x86_segment *s, uint16_t sel, uint64_t d)
{
	uint32_t raw = (uint32_t)((d & 0xFFFF) | ((d >> 32) & 0xF0000));

	s->selector = sel;
	s->base = ((d >> 16) & 0xFFFFFF) | ((d >> 32) & 0xFF000000);
	s->limit = (d & X86_DESC_G) ? (raw << 12) | 0xFFF : raw;
	s->attr = (uint32_t)(((d >> 40) & 0xFF) | (((d >> 52) & 0xF) << 12));
}

void x86_segment_from_gdt(struct x86_segment *s, uint16_t sel, const uint64_t *gdt,
			  uint32_t gdt_limit, bool ia32e)
{
	*s = (struct x86_segment){ .selector = sel, .attr = X86_SEG_UNUSABLE };
	/* Null selectors and LDT selectors (TI set; an LDT is not ours to
	 * read) stay unusable, as do selectors past the GDT's limit. */
	if ((sel & ~3u) == 0 || (sel & 4) || (sel | 7u) > gdt_limit)
		return;
	x86_segment_from_descriptor(s, sel, gdt[sel >> 3]);
	if (s->attr & X86_SEG_S)
		s->attr |= X86_SEG_TYPE_A; /* loading it set the accessed bit (§3.4.5.1) */
	else if (ia32e && (sel | 15u) <= gdt_limit)
		s->base |= gdt[(sel >> 3) + 1] << 32;
}
