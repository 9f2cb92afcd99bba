/* SPDX-License-Identifier: GPL-2.0-only */
/* Per-register counts of trace records, one table per CPU (written only by
 * its CPU: in the deferred step that decodes its records, or in exit context
 * for a record counted undecoded):
 *  - flood control: at most `limit` lines per register per window (a second);
 *    the rest is counted, and summarised when the window ends ("hpet main
 *    counter read 48112 times in the last second (suppressed)");
 *  - "trace top": the registers accessed most since the last "trace top".
 * A record whose register is named by its raw key alone (kind, address, size,
 * direction: struct trace_text's plain) leaves that key's slot in a small
 * table, so that later records with the same key can be counted without
 * being decoded (trace_stats_account_quiet), as long as the slot keeps its
 * register. Pure C (unit-tested). */
#ifndef HV_TRACE_STATS_H
#define HV_TRACE_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/trace/decode/decode.h"

#define TRACE_STATS_SLOTS 64
#define TRACE_STATS_KEYS 64 /* remembered raw keys, direct-mapped; a power of two */

struct trace_reg_count {
	const char *device; /* NULL: a free slot */
	char reg[sizeof(((struct trace_text *)0)->reg)];
	uint64_t reads, writes;			/* since the slot was taken */
	uint64_t top_reads, top_writes;		/* the same at the last "trace top" */
	uint32_t window_lines;			/* lines printed in the current window */
	uint32_t window_reads, window_writes;	/* suppressed in the current window */
	uint32_t pending_reads, pending_writes; /* suppressed in a past window, not yet reported */
};

/* A raw key and the slot its register was counted in. */
struct trace_stats_key {
	uint64_t addr;
	uint16_t shape; /* 0: unused; else a marker bit, the kind, direction and size */
	uint8_t slot;
};

struct trace_stats {
	struct trace_reg_count slot[TRACE_STATS_SLOTS];
	struct trace_stats_key key[TRACE_STATS_KEYS];
	uint64_t window_start; /* TSC */
	/* window_start + the window's length, as the last trace_stats_tick
	 * took it (0 before the first): the quiet count's one compare. */
	uint64_t window_end;
	uint64_t evicted; /* accesses of registers pushed out of a full table */
	unsigned pending; /* slots with a summary to report */
};

/* Counts access r (decoded as t) at its TSC; true if it may be printed:
 * fewer than `limit` lines for its register in the current window (limit 0:
 * no limit, and the access takes none of the register's lines: records the
 * filters hold back are counted this way). A window of `window` TSC ticks
 * that has ended is closed first. A plain record's key is remembered. */
bool trace_stats_account(struct trace_stats *s, const struct trace_record *r,
			 const struct trace_text *t, uint64_t window, unsigned limit);
/* A record's raw key: its address and its shape (never 0). */
static inline uint16_t trace_stats_shape(const struct trace_record *r)
{
	return (uint16_t)(0x8000u | r->kind << 9 | (r->write ? 1u : 0u) << 8 | r->size);
}

static inline struct trace_stats_key *trace_stats_key_of(struct trace_stats *s,
							 const struct trace_record *r)
{
	uint64_t a = r->addr;
	return &s->key[(unsigned)(a ^ a >> 12 ^ r->size) % TRACE_STATS_KEYS];
}

/* One access counted in c; true if it may be printed. */
static inline bool trace_stats_count(struct trace_reg_count *c, bool write, unsigned limit)
{
	if (write)
		c->writes++;
	else
		c->reads++;
	if (!limit)
		return true;
	if (c->window_lines < limit) {
		c->window_lines++;
		return true;
	}
	if (write)
		c->window_writes++;
	else
		c->window_reads++;
	return false;
}

/* The same for a record not decoded, when that is all it needs: its key was
 * remembered, its TSC lies in the current window (as the last tick saw it), and unless `print` is
 * false it may not be printed (else the caller decodes it to print it, and
 * counts it with trace_stats_account). True: counted as trace_stats_account
 * would have, and *suppressed says whether the limit held it back; false:
 * nothing done. Inline: the exit path's count of a rule's log record. */
static inline bool trace_stats_account_quiet(struct trace_stats *s, const struct trace_record *r,
					     unsigned limit, bool print, bool *suppressed)
{
	const struct trace_stats_key *k = trace_stats_key_of(s, r);
	if (k->shape != trace_stats_shape(r) || k->addr != r->addr || r->tsc >= s->window_end)
		return false;
	struct trace_reg_count *c = &s->slot[k->slot];
	/* Two calls of the count, so that each is compiled for what its
	 * branch knows: the flood's records take the first. */
	if (limit && c->window_lines >= limit) {
		*suppressed = true;
		return trace_stats_count(c, r->write, limit), true;
	}
	*suppressed = false;
	if (print)
		return false;
	trace_stats_count(c, r->write, limit);
	return true;
}
/* Closes the current window if it has ended: suppressed counts become pending
 * summaries. Every call sets window_end. */
void trace_stats_tick(struct trace_stats *s, uint64_t now, uint64_t window);
/* The next pending summary (its counts then cleared), or false. */
bool trace_stats_next_summary(struct trace_stats *s, const struct trace_reg_count **out,
			      uint32_t *reads, uint32_t *writes);

struct trace_top_entry {
	const char *device;
	const char *reg;
	uint64_t reads, writes;
};
/* Merges the CPUs' tables: the registers by accesses since the last call,
 * most first; at most max entries. Marks the counts as seen. */
unsigned trace_stats_top(struct trace_stats *const *cpus, unsigned ncpus,
			 struct trace_top_entry *out, unsigned max);

#endif
