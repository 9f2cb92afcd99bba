/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/fast.h - the single-call path: one guest access that lies wholly inside
 * one range and goes to exactly one handler call.
 *
 * Most trapped accesses are a plain IN, OUT or MOV from exit context to one
 * device, with no dispatch in progress and nothing queued. For those,
 * everything the general walk (access.c) offers (pieces across ranges, the
 * default action, size adaptation, nested calls, split reads kept across a
 * deferral) comes down to: find the range (the CPU's hint, else the binary
 * search), count, call, count. This path does exactly that, and leaves every
 * counter, hint and outcome as the walk would have left them
 * (test/unit/test_iom_fast.c runs the same accesses both ways and compares).
 * Whatever it does not take goes the general way, before anything changed.
 *
 * Use: iom_fast_begin (finds the range; changes nothing), the caller's own
 * check that one handler call does the whole access, iom_fast_start, the
 * handler call, iom_fast_end.
 */
#ifndef IOM_FAST_H
#define IOM_FAST_H

#include "iom/iom_internal.h"

struct iom_fast {
	struct iom_cpu *c;
	struct iom_range *r;
	struct iom_range_stats *rs;         /* r's counters on this CPU */
	uint64_t first;                     /* where r is mapped */
	uint64_t t0;                        /* timestamp before the call */
	bool searched;                      /* the hint missed: the table answered */
};

/* The binary search's part of iom_fast_begin (fast.c), after the hint
 * missed. gen: the seqcount as the hint was checked against it. Never
 * inlined (nor the outcome below): the hinted path would pay for their
 * registers. */
__attribute__((noinline)) bool iom_fast_search(struct iom_addr_space *s,
					       const struct iom_hint *h, uint64_t addr,
					       unsigned len, uint64_t gen, struct iom_hit *hit);

/* True if [addr, addr+len) lies inside one mapped range, in exit context on
 * a CPU with no dispatch running and no write queued. The hint answers if it
 * is current (lookup.c says why that makes it exact), else the table, whose
 * answer goes to *miss (a separate record, so that f's address never leaves
 * the inlined code and f stays in registers on the hinted path).
 * Changes and counts nothing. */
static inline bool iom_fast_begin(unsigned cpu, iom_space_t sp, iom_ctx_t ctx,
				  enum iom_op op, uint64_t addr, unsigned len,
				  struct iom_fast *f, struct iom_hit *miss)
{
	if (ctx != IOM_CTX_EXIT || cpu >= IOM_MAX_CPUS || !iom_fast_enabled)
		return false;

	struct iom_cpu *c = &iom_cpus[cpu];
	struct iom_addr_space *s = &iom_spaces[sp];
	const struct iom_hint *h = &c->hint[sp][op];

	if (c->depth != 0 || c->queue_len != 0)
		return false;
	f->c = c;
	/* Acquire: pairs with the writer's release, as in iom_lookup. An
	 * empty hint (first > last) matches no address. */
	uint64_t gen = __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE);
	uint32_t range;
	if (__builtin_expect(gen == h->gen && addr >= h->first && addr + (len - 1) <= h->last,
			     1)) {
		f->searched = false;
		f->first = h->first;
		range = h->range;
	} else if (iom_fast_search(s, h, addr, len, gen, miss)) {
		f->searched = true;
		f->first = miss->first;
		range = miss->range;
	} else {
		return false;
	}
	f->r = &s->ranges[range];
	f->rs = &c->rstats[sp][range];
	return true;
}

/* The access begins: what iom_enter, the read or write entry point (IN and
 * OUT included, for ports), the counted lookup and the walk's delivery would
 * have done and counted up to the handler call. */
static inline void iom_fast_start(unsigned cpu, iom_space_t sp, enum iom_op op,
				  struct iom_fast *f, const struct iom_hit *miss)
{
	struct iom_cpu *c = f->c;
	bool write = iom_op_is_write(op);

	c->depth = 1;
	c->ctx = IOM_CTX_EXIT;
	if (!write)
		c->pending.active = false;  /* a new read abandons a kept one */
	if (__builtin_expect(!f->searched, 1)) {
		/* READS or WRITES, HINT_HITS, and IN or OUT for ports. */
		iom_counter_add(&c->fast_hits[sp][write], 1);
	} else {
		iom_count_cpu(cpu, sp, write ? IOM_STAT_WRITES : IOM_STAT_READS, 1);
		if (sp == IOM_SPACE_PORT)
			iom_count_cpu(cpu, sp, write ? IOM_STAT_OUT : IOM_STAT_IN, 1);
		/* As iom_lookup_counted: a miss, perhaps of a stale hint,
		 * and the hint now names this range. */
		iom_count_cpu(cpu, sp, IOM_STAT_HINT_MISSES, 1);
		if (miss->hint_stale)
			iom_count_cpu(cpu, sp, IOM_STAT_HINT_STALE, 1);
		c->hint[sp][op] = (struct iom_hint){
			.gen = miss->gen, .first = miss->first,
			.last = miss->last, .range = miss->range,
		};
	}
	iom_counter_add(&f->rs->v[write ? IOM_RSTAT_WRITES : IOM_RSTAT_READS], 1);
	iom_counter_add(&f->rs->v[IOM_RSTAT_HANDLER_CALLS], 1);
	f->t0 = iom_platform_timestamp();
}

/* What a handler's status other than IOM_OK means for the access (fast.c):
 * the guest-visible outcome, IOM_READ_DEFERRED for a read that deferred, or
 * IOM_OK for a write that deferred and is now queued (data: its bytes). */
__attribute__((noinline))
iom_status_t iom_fast_outcome(unsigned cpu, iom_space_t sp, struct iom_range *r,
			      iom_status_t st, bool write, uint64_t addr,
			      const uint8_t *data, unsigned len);

/* The handler returned st: time it, settle the outcome, end the access.
 * data is only used if a write deferred (NULL for reads). */
static inline iom_status_t iom_fast_end(unsigned cpu, iom_space_t sp,
					struct iom_fast *f, iom_status_t st,
					bool write, uint64_t addr,
					const uint8_t *data, unsigned len)
{
	iom_counter_add(&f->rs->v[IOM_RSTAT_TIME],
			iom_platform_timestamp() - f->t0);
	if (__builtin_expect(st != IOM_OK, 0))
		st = iom_fast_outcome(cpu, sp, f->r, st, write, addr, data, len);
	f->c->depth = 0;
	return st;
}

#endif
