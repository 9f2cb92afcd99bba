/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/exit/msr_safe.h"

extern const char msr_read_insn[], msr_write_insn[], msr_safe_failed[];

uint64_t msr_safe_fixup(uint64_t rip)
{
	if (rip == (uint64_t)msr_read_insn || rip == (uint64_t)msr_write_insn)
		return (uint64_t)msr_safe_failed;
	return 0;
}
