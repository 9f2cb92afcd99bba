/* SPDX-License-Identifier: GPL-2.0-only */
/* Memory type range registers (SDM Vol. 3A §12.11): the type of a range. */
#include "vmx/mtrr.h"
#include "vmx/vmcs_fields.h"

#define FIXED_END 0x100000ull
#define KIB4 0x1000ull

/* Fixed ranges (§12.11.2.2): 8 x 64 KiB from 0, 16 x 16 KiB from 80000h,
 * 64 x 4 KiB from C0000h. */
static int fixed_type(const struct mtrr_state *m, uint64_t addr)
{
	if (addr < 0x80000)
		return m->fixed[addr >> 16];
	if (addr < 0xC0000)
		return m->fixed[8 + ((addr - 0x80000) >> 14)];
	return m->fixed[24 + ((addr - 0xC0000) >> 12)];
}

int mtrr_type(const struct mtrr_state *m, uint64_t base, uint64_t size)
{
	if (!m->enabled)
		return MT_UC; /* E clear: all of memory UC (§12.11.2.1) */
	if (m->fixed_enabled && base < FIXED_END) {
		/* The fixed ranges take precedence below 1 MiB (§12.11.2.2); their
		 * smallest unit is 4 KiB, so only 4-KiB pages are sure to be uniform. */
		return size == KIB4 ? fixed_type(m, base) : -1;
	}
	/* A variable range matches an address when (addr & mask) == (base & mask)
	 * (§12.11.2.3). Over an aligned range of size S, the mask bits at or above
	 * S decide whether any address can match; a mask bit below S means some
	 * addresses match and some do not. */
	bool any = false, mixed = false, uc = false, only_wt_wb = true;
	int type = -1;
	for (unsigned i = 0; i < m->nvar; i++) {
		uint64_t high = m->var[i].mask & ~(size - 1);
		if ((base & high) != (m->var[i].base & high))
			continue;
		if (m->var[i].mask & (size - 1))
			return -1;
		uint8_t t = m->var[i].type;
		mixed |= any && t != type;
		uc |= t == MT_UC;
		only_wt_wb &= t == MT_WT || t == MT_WB;
		type = t;
		any = true;
	}
	if (!any)
		return m->default_type;
	/* Overlaps (§12.11.4.1): equal types keep it; UC wins; WT with WB is WT;
	 * anything else is undefined, and UC is the safe reading. */
	if (!mixed)
		return type;
	return !uc && only_wt_wb ? MT_WT : MT_UC;
}

const char *mtrr_type_name(int type)
{
	switch (type) {
	case MT_UC: return "UC";
	case MT_WC: return "WC";
	case MT_WT: return "WT";
	case MT_WP: return "WP";
	case MT_WB: return "WB";
	default: return "reserved";
	}
}
