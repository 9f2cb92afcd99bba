/*
 * iom/stats.c - reading the counters (bumped throughout dispatch) as numbers,
 * for the stats dump and the statistics hypercall.
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
};

const char *iom_stat_name(iom_stat_t which)
{
	if ((unsigned)which >= IOM_STAT_COUNT)
		return "?";
	return stat_names[which];
}

uint64_t iom_stat_get(iom_space_t space, iom_stat_t which, unsigned cpu)
{
	if ((unsigned)space >= IOM_SPACE_COUNT || (unsigned)which >= IOM_STAT_COUNT)
		return 0;
	if (cpu == IOM_STAT_ALL_CPUS) {
		uint64_t sum = 0;

		for (unsigned i = 0; i < IOM_MAX_CPUS; i++)
			sum += IOM_LOAD(&iom_cpus[i].stats[space][which]);
		return sum;
	}
	if (cpu >= IOM_MAX_CPUS)
		return 0;
	return IOM_LOAD(&iom_cpus[cpu].stats[space][which]);
}

static uint64_t range_stat(iom_space_t sp, uint32_t h, iom_stat_t which)
{
	struct iom_range *r = iom_handle_range(sp, h, NULL);

	if (!r || (unsigned)which >= IOM_STAT_COUNT)
		return 0;
	return IOM_LOAD(&r->stats[which]);
}

uint64_t iom_port_range_stat(iom_port_handle_t h, iom_stat_t which)
{
	return range_stat(IOM_SPACE_PORT, h, which);
}

uint64_t iom_mmio_range_stat(iom_mmio_handle_t h, iom_stat_t which)
{
	return range_stat(IOM_SPACE_MMIO, h, which);
}
