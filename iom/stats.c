/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/stats.c - reading the counters (bumped throughout dispatch) as numbers,
 * for the stats dump and the statistics hypercall. Every counter is kept per
 * CPU (so dispatch never shares a written cache line with another CPU) and
 * summed here, when someone asks.
 */
#include "iom/iom_internal.h"

static const char *const stat_names[IOM_STAT_COUNT] = {
	[IOM_STAT_READS] = "reads",
	[IOM_STAT_WRITES] = "writes",
	[IOM_STAT_DEFERRED] = "deferred",
	[IOM_STAT_COMMIT_DIRECT] = "commit-direct",
	[IOM_STAT_COMMIT_LOOKUP] = "commit-lookup",
	[IOM_STAT_UNCLAIMED_READS] = "unclaimed-reads",
	[IOM_STAT_UNCLAIMED_WRITES] = "unclaimed-writes",
	[IOM_STAT_HINT_HITS] = "hint-hits",
	[IOM_STAT_HINT_MISSES] = "hint-misses",
	[IOM_STAT_QUEUE_FULL] = "queue-full",
	[IOM_STAT_IN] = "in",
	[IOM_STAT_OUT] = "out",
	[IOM_STAT_INS] = "ins",
	[IOM_STAT_OUTS] = "outs",
	[IOM_STAT_HANDLER_CALLS] = "handler-calls",
	[IOM_STAT_DEFERRED_READS] = "deferred-reads",
	[IOM_STAT_DEFERRED_WRITES] = "deferred-writes",
	[IOM_STAT_STALE] = "stale",
	[IOM_STAT_HINT_STALE] = "hint-stale",
	[IOM_STAT_RECURSION] = "recursion",
	[IOM_STAT_LOCK_CONTENTION] = "lock-contention",
	[IOM_STAT_TIME] = "time",
};

/* Which per-range counter backs an iom_stat_t, or -1 for per-CPU-only. */
static int range_slot(iom_stat_t which)
{
	switch (which) {
	case IOM_STAT_READS:            return IOM_RSTAT_READS;
	case IOM_STAT_WRITES:           return IOM_RSTAT_WRITES;
	case IOM_STAT_DEFERRED:         return IOM_RSTAT_DEFERRED;
	case IOM_STAT_COMMIT_DIRECT:    return IOM_RSTAT_COMMIT_DIRECT;
	case IOM_STAT_COMMIT_LOOKUP:    return IOM_RSTAT_COMMIT_LOOKUP;
	case IOM_STAT_STALE:            return IOM_RSTAT_STALE;
	case IOM_STAT_HANDLER_CALLS:    return IOM_RSTAT_HANDLER_CALLS;
	case IOM_STAT_TIME:             return IOM_RSTAT_TIME;
	default:                        return -1;
	}
}

const char *iom_stat_name(iom_stat_t which)
{
	if ((unsigned)which >= IOM_STAT_COUNT)
		return "?";
	return stat_names[which];
}

/* One CPU's count of a counter the ranges keep (HANDLER_CALLS, TIME): the
 * sum over every range the space has created. Ranges are never destroyed, so
 * nothing counted is ever lost from the sum. */
static uint64_t sum_over_ranges(iom_space_t space, enum iom_rstat st, unsigned cpu)
{
	const struct iom_addr_space *s = &iom_spaces[space];
	uint32_t n = __atomic_load_n(&s->n_ranges, __ATOMIC_ACQUIRE);
	uint64_t sum = 0;

	for (uint32_t i = 0; i < n; i++)
		sum += IOM_LOAD(&iom_range_stats(cpu, &s->ranges[i])->v[st]);
	return sum;
}

/* The single-call path's hinted accesses (fast_hits) that a counter
 * includes: reads or writes, hint hits, and a port's IN or OUT. */
static uint64_t fast_hits(iom_space_t space, iom_stat_t which, unsigned cpu)
{
	const uint64_t *hits = iom_cpus[cpu].fast_hits[space];
	bool port = space == IOM_SPACE_PORT;

	switch (which) {
	case IOM_STAT_READS:
		return IOM_LOAD(&hits[0]);
	case IOM_STAT_WRITES:
		return IOM_LOAD(&hits[1]);
	case IOM_STAT_HINT_HITS:
		return IOM_LOAD(&hits[0]) + IOM_LOAD(&hits[1]);
	case IOM_STAT_IN:
		return port ? IOM_LOAD(&hits[0]) : 0;
	case IOM_STAT_OUT:
		return port ? IOM_LOAD(&hits[1]) : 0;
	default:
		return 0;
	}
}

static uint64_t cpu_stat(iom_space_t space, iom_stat_t which, unsigned cpu)
{
	switch (which) {
	case IOM_STAT_HANDLER_CALLS:
		return sum_over_ranges(space, IOM_RSTAT_HANDLER_CALLS, cpu);
	case IOM_STAT_TIME:
		return sum_over_ranges(space, IOM_RSTAT_TIME, cpu);
	default:
		return IOM_LOAD(&iom_cpus[cpu].stats[space][which]) + fast_hits(space, which, cpu);
	}
}

uint64_t iom_stat_get(iom_space_t space, iom_stat_t which, unsigned cpu)
{
	if ((unsigned)space >= IOM_SPACE_COUNT || (unsigned)which >= IOM_STAT_COUNT)
		return 0;
	if (which == IOM_STAT_LOCK_CONTENTION)
		return cpu == IOM_STAT_ALL_CPUS
		       ? __atomic_load_n(&iom_lock_spins, __ATOMIC_RELAXED) : 0;
	if (cpu == IOM_STAT_ALL_CPUS) {
		uint64_t sum = 0;

		for (unsigned i = 0; i < IOM_MAX_CPUS; i++)
			sum += cpu_stat(space, which, i);
		return sum;
	}
	if (cpu >= IOM_MAX_CPUS)
		return 0;
	return cpu_stat(space, which, cpu);
}

/* A range's counter summed over CPUs (dump.c too). */
uint64_t iom_range_sum(const struct iom_range *r, enum iom_rstat st)
{
	uint64_t sum = 0;

	for (unsigned cpu = 0; cpu < IOM_MAX_CPUS; cpu++)
		sum += IOM_LOAD(&iom_range_stats(cpu, r)->v[st]);
	return sum;
}

static uint64_t range_stat(iom_space_t sp, uint32_t h, iom_stat_t which)
{
	struct iom_range *r = iom_handle_range(sp, h, NULL);
	int slot = (unsigned)which < IOM_STAT_COUNT ? range_slot(which) : -1;

	if (!r || slot < 0)
		return 0;
	return iom_range_sum(r, (enum iom_rstat)slot);
}

uint64_t iom_port_range_stat(iom_port_handle_t h, iom_stat_t which)
{
	return range_stat(IOM_SPACE_PORT, h, which);
}

uint64_t iom_mmio_range_stat(iom_mmio_handle_t h, iom_stat_t which)
{
	return range_stat(IOM_SPACE_MMIO, h, which);
}
