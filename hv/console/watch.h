/* SPDX-License-Identifier: GPL-2.0-only */
/* Watchpoints on guest I/O ("break port|mmio ADDR [r|w] [VALUE] [stop]" at the
 * debug console): a small global table read by every CPU's exit path, and a
 * per-CPU ring of hits the deferred step prints (hv/console/debug_console.c). Only
 * accesses that trap are seen: a port no device claims gets a pass-through
 * watch range when the watchpoint is set (hv/console/debug_commands.c); an MMIO page
 * must already be trapped by a device. Pure (no I/O), unit-tested on the host. */
#ifndef HV_WATCH_H
#define HV_WATCH_H

#include <stdbool.h>
#include <stdint.h>

#define WATCH_MAX 8
#define WATCH_HITS_PER_CPU 16
#ifndef WATCH_CPUS
#define WATCH_CPUS 64
#endif

enum watch_space { WATCH_PORT, WATCH_MMIO };
enum { WATCH_READ = 1, WATCH_WRITE = 2 };

struct watch {
	uint8_t space;    /* enum watch_space */
	uint8_t dirs;     /* WATCH_READ | WATCH_WRITE */
	bool has_value;   /* match only accesses of this value (the whole access) */
	bool stop;        /* stop the vCPU after the access */
	uint64_t addr;
	uint64_t value;
};

struct watch_hit {
	uint8_t index, space, size;
	bool write, stop;
	uint64_t addr, value, rip;
};

/* Parses the words after "break": port|mmio ADDR [r|w|rw] [VALUE] [stop].
 * Returns NULL or what is wrong. */
const char *watch_parse(char *const *words, unsigned n, struct watch *out);

/* Table (changed only by the debug console, one CPU at a time). */
int watch_add(const struct watch *w); /* its index, -1 when full */
void watch_remove(unsigned index);
bool watch_get(unsigned index, struct watch *out);
uint64_t watch_hits(unsigned index);
extern volatile unsigned watch_active_count;
static inline bool watch_any(void) { return watch_active_count != 0; }

/* Exit context: a completed access. Records a hit for the first watchpoint it
 * matches; returns that watchpoint's index or -1. */
int watch_access(unsigned cpu, enum watch_space space, uint64_t addr, unsigned size,
		 bool write, uint64_t value, uint64_t rip);
/* Whether cpu has hits, or lost hits, not reported yet. */
bool watch_has_news(unsigned cpu);
/* Deferred context, on cpu: the next hit not reported yet. */
bool watch_next_hit(unsigned cpu, struct watch_hit *out);
/* Hits lost because the ring was full (and resets the count). */
uint64_t watch_take_lost(unsigned cpu);
/* Test support. */
void watch_reset(void);

#endif
