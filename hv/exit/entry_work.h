/* SPDX-License-Identifier: GPL-2.0-only */
/* Is there anything to do before this CPU's next entry? hv_before_entry
 * (hv/exit/exit.c) asks this on every exit, so the common answer, "nothing",
 * must be a load, an RDTSC and two compares rather than a poll of every
 * subsystem that might have work.
 *
 * Two kinds of work:
 *   - work that something creates (an IOM write deferred, a trace record, a
 *     watchpoint hit, a held log line, a stop, the debug console's
 *     activation): its creator raises the CPU's pending word after making the
 *     work visible (entry_work_raise, or entry_work_raise_all when any CPU may
 *     take it);
 *   - polls that fall due with time (the UART's input, the IOMMU's fault
 *     records): folded into one TSC deadline, the earliest of theirs.
 * The slow path takes the pending word (entry_work_take) before it looks at
 * the work, so work raised while it runs raises the word again and is seen at
 * the next entry: nothing is lost. What it finds still unfinished (a console
 * in use, a stopped vCPU) keeps the word raised (entry_work_rearm).
 *
 * Raising also sets the deadline to 0 (due now), so the fast path reads the
 * deadline alone: one load, an RDTSC and one compare on every exit. The
 * pending word stays the record of raised work, which the deadline's rearm
 * consults so that a raise it overwrites is not lost. */
#ifndef HV_EXIT_ENTRY_WORK_H
#define HV_EXIT_ENTRY_WORK_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/cpu.h"
#include "hv/percpu.h"

struct entry_work {
	uint32_t pending; /* nonzero: look at the work before the next entry */
	uint64_t poll_at; /* TSC: the earliest time-based poll falls due */
} __attribute__((aligned(64))); /* one cache line per CPU: raised from others */

/* Zero to start with: the first entry of every CPU looks (poll_at 0). */
extern struct entry_work entry_work[HV_MAX_CPUS];

/* The pending word first, then the deadline: x86 keeps stores in order
 * (SDM Vol. 3A §9.2.2), and both are releases, so a CPU that sees the
 * deadline at 0 sees the work too. */
static inline void entry_work_raise(unsigned cpu)
{
	if (cpu < HV_MAX_CPUS) {
		__atomic_store_n(&entry_work[cpu].pending, 1, __ATOMIC_RELEASE);
		__atomic_store_n(&entry_work[cpu].poll_at, 0, __ATOMIC_RELEASE);
	}
}

void entry_work_raise_all(void);

/* The fast path: nothing raised and no poll due (a raise made the deadline
 * 0). Acquire: pairs with the raise's release. */
static inline bool entry_work_idle(unsigned cpu)
{
	if (cpu >= HV_MAX_CPUS)
		return false;
	return rdtsc() < __atomic_load_n(&entry_work[cpu].poll_at, __ATOMIC_ACQUIRE);
}

/* The slow path's start: clear the word, then look at the work. */
static inline void entry_work_take(unsigned cpu)
{
	if (cpu < HV_MAX_CPUS)
		__atomic_exchange_n(&entry_work[cpu].pending, 0, __ATOMIC_ACQ_REL);
}

/* The slow path's end: raised again when work is left; the next poll's
 * deadline. A raise since entry_work_take may have set the deadline to 0
 * just before the store below: its pending word, read after the store (the
 * exchange is locked: no later load passes it, SDM Vol.
 * 3A §9.2.2), puts 0 back. */
static inline void entry_work_rearm(unsigned cpu, bool busy, uint64_t poll_at)
{
	if (cpu >= HV_MAX_CPUS)
		return;
	__atomic_exchange_n(&entry_work[cpu].poll_at, poll_at, __ATOMIC_SEQ_CST);
	if (busy || __atomic_load_n(&entry_work[cpu].pending, __ATOMIC_SEQ_CST))
		entry_work_raise(cpu);
}

#endif
