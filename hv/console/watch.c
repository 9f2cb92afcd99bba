/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/console/watch.h"
#include "hv/exit/entry_work.h"

static struct {
	struct watch_hit ring[WATCH_HITS_PER_CPU];
	unsigned head, count; /* only its own CPU touches these */
	uint64_t lost;
} cpus[WATCH_CPUS];

static uint64_t mask_of(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

void watch_record(unsigned cpu, const struct watch_hit *h)
{
	if (cpu >= WATCH_CPUS)
		return;
	if (cpus[cpu].count == WATCH_HITS_PER_CPU) {
		cpus[cpu].lost++;
	} else {
		struct watch_hit *to =
			&cpus[cpu].ring[(cpus[cpu].head + cpus[cpu].count) % WATCH_HITS_PER_CPU];
		*to = *h;
		to->value &= mask_of(h->size);
		cpus[cpu].count++;
	}
	entry_work_raise(cpu); /* reported before the entry */
}

bool watch_has_news(unsigned cpu)
{
	return cpu < WATCH_CPUS && (cpus[cpu].count || cpus[cpu].lost);
}

bool watch_next_hit(unsigned cpu, struct watch_hit *out)
{
	if (cpu >= WATCH_CPUS || !cpus[cpu].count)
		return false;
	*out = cpus[cpu].ring[cpus[cpu].head];
	cpus[cpu].head = (cpus[cpu].head + 1) % WATCH_HITS_PER_CPU;
	cpus[cpu].count--;
	return true;
}

uint64_t watch_take_lost(unsigned cpu)
{
	if (cpu >= WATCH_CPUS)
		return 0;
	uint64_t n = cpus[cpu].lost;
	cpus[cpu].lost = 0;
	return n;
}

void watch_reset(void)
{
	for (unsigned c = 0; c < WATCH_CPUS; c++)
		cpus[c].head = cpus[c].count = 0, cpus[c].lost = 0;
}
