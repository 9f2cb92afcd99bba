/* SPDX-License-Identifier: GPL-2.0-only */
/* Stands in for hv/cpu.h (same include guard, forced first with -include) in
 * the nested-map tests: the writer takes its lock with interrupts off, and cli
 * and sti fault in a user process. One thread: nothing to keep off. */
#ifndef HV_CPU_H
#define HV_CPU_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/x86/arch.h"

static inline uint64_t irq_save(void)
{
	return 0;
}

static inline void irq_restore(uint64_t flags)
{
	(void)flags;
}

static inline void cpu_relax(void)
{
}

#endif
