/* SPDX-License-Identifier: GPL-2.0-only */
/* Watchpoint hits: a post rule's `log` (hv/rules/rule.h; `break` makes such
 * rules) records each hit here, in a per-CPU ring the deferred step prints as
 * a console line (hv/console/debug_console.c) whatever the trace's printing,
 * filters and limit say. Pure (no I/O), unit-tested on the host. */
#ifndef HV_WATCH_H
#define HV_WATCH_H

#include <stdbool.h>
#include <stdint.h>

#define WATCH_HITS_PER_CPU 16
#ifndef WATCH_CPUS
#define WATCH_CPUS 64
#endif

struct watch_hit {
	uint16_t rule; /* its number */
	uint8_t size;
	bool mmio, write, stop;
	uint64_t addr, value, rip;
};

/* Exit context, on cpu: one hit (h->value cut to the access's width). */
void watch_record(unsigned cpu, const struct watch_hit *h);
/* Whether cpu has hits, or lost hits, not reported yet. */
bool watch_has_news(unsigned cpu);
/* Deferred context, on cpu: the next hit not reported yet. */
bool watch_next_hit(unsigned cpu, struct watch_hit *out);
/* Hits lost because the ring was full (and resets the count). */
uint64_t watch_take_lost(unsigned cpu);
/* Test support. */
void watch_reset(void);

#endif
