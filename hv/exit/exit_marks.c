/* SPDX-License-Identifier: GPL-2.0-only */
/* TSC marks along the exit path (hv/exit/exit_marks.h); compiled to nothing
 * unless the build defines HV_EXIT_MARKS. */
#include "hv/exit/exit_marks.h"

#ifdef HV_EXIT_MARKS
struct exit_marks_now exit_marks_now[HV_MAX_CPUS];

/* Per CPU: the last whole exit's marks, and what one mark costs (an RDTSC to
 * the next, with a store between, as exit_mark does). */
static struct {
	uint64_t at[EXIT_MARK_COUNT];
	uint64_t mark_cost;
} last[HV_MAX_CPUS] __attribute__((aligned(64)));

void exit_marks_done(unsigned cpu)
{
	if (cpu >= HV_MAX_CPUS)
		return;
	uint64_t t0 = rdtsc();
	__atomic_store_n(&exit_marks_now[cpu].at[0], exit_marks_now[cpu].at[0], __ATOMIC_RELAXED);
	last[cpu].mark_cost = rdtsc() - t0;
	__builtin_memcpy(last[cpu].at, exit_marks_now[cpu].at, sizeof(last[cpu].at));
	__builtin_memset(exit_marks_now[cpu].at, 0, sizeof(exit_marks_now[cpu].at));
}

static uint64_t span(const uint64_t *m, enum exit_mark from, enum exit_mark to)
{
	return m[from] && m[to] ? m[to] - m[from] : 0;
}

/* Each span holds about one mark's cost besides its own work (the end of the
 * mark that opens it, the start of the one that closes it), plus the whole
 * cost of any mark inside it. */
bool exit_marks_last(unsigned cpu, uint64_t part[EXIT_PART_COUNT])
{
	if (cpu >= HV_MAX_CPUS)
		return false;
	const uint64_t *m = last[cpu].at, c = last[cpu].mark_cost;
	uint64_t dev = span(m, EXIT_MARK_DEV_IN, EXIT_MARK_DEV_OUT);
	uint64_t iom = span(m, EXIT_MARK_IOM_IN, EXIT_MARK_IOM_OUT);
	uint64_t handler = span(m, EXIT_MARK_DECODED, EXIT_MARK_TAIL);
	if (iom)
		handler -= iom + c; /* the IOM's span and its two marks */
	if (dev)
		iom -= dev + 2 * c; /* the device's span and its two marks */
	part[EXIT_PART_VENDOR] = span(m, EXIT_MARK_ENTER, EXIT_MARK_DECODED) - c;
	part[EXIT_PART_HANDLER] = handler - c;
	part[EXIT_PART_IOM] = iom ? iom - c : 0;
	part[EXIT_PART_DEVICE] = dev ? dev - c : 0;
	part[EXIT_PART_TAIL] = span(m, EXIT_MARK_TAIL, EXIT_MARK_DONE) - c;
	return true;
}
#endif
