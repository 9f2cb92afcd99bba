/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/defer.c - the per-CPU queue of writes that deferred, and its drain.
 *
 * A write whose handler cannot finish in exit context is recorded here and
 * the guest's instruction completes; the CPU commits the queue from deferred
 * context before it re-enters the guest, so the guest can never observe the
 * write as missing (its next access on this CPU comes after the commit).
 * The queue belongs to one CPU and is only touched by that CPU: no lock.
 *
 * Each entry is aimed at one range as it was mapped when the guest wrote;
 * the commit delivers it there or, if that mapping is gone, drops it as
 * stale (iom.h, "Ordering", says why it is never redirected).
 */
#include "iom/iom_internal.h"

void iom_queue_write(unsigned cpu, iom_space_t sp, uint64_t addr,
		     const uint8_t *data, unsigned len,
		     const struct iom_hit *hit)
{
	struct iom_cpu *c = &iom_cpus[cpu];
	struct iom_defer_entry *e = &c->queue[c->queue_len++];

	e->addr = addr;
	e->base = hit->first;
	e->gen = hit->gen;
	e->range = hit->range;
	e->space = (uint8_t)sp;
	e->len = (uint8_t)len;
	__builtin_memcpy(e->data, data, len);
	iom_platform_deferred_queued(cpu);
}

/* One entry to be: bytes [off, off+len) of the write, inside hit's range. */
struct piece {
	struct iom_hit hit;
	unsigned off, len;
};

iom_status_t iom_queue_access(unsigned cpu, iom_space_t sp, uint64_t addr,
			      const uint8_t *data, unsigned len,
			      uint32_t range_counted)
{
	struct iom_addr_space *s = &iom_spaces[sp];
	struct piece pieces[IOM_MAX_PIECES];
	unsigned n = 0, unclaimed = 0, off = 0;

	/* Look every part up first, so that a write that does not fit leaves
	 * nothing behind. */
	while (off < len) {
		uint64_t a = addr + off;
		unsigned rest = len - off;
		struct iom_hit hit;

		iom_lookup_counted(cpu, sp, IOM_OP_WRITE, a, &hit);
		if (!hit.found) {
			off += hit.next - a < rest ? (unsigned)(hit.next - a) : rest;
			unclaimed++;
			continue;
		}
		unsigned piece = hit.last - a < rest - 1 ? (unsigned)(hit.last - a) + 1
							 : rest;
		if (n == IOM_MAX_PIECES) {
			/* Cannot happen (see IOM_MAX_PIECES); never overflow. */
			iom_platform_log("iom: write at %llx touches more than %u ranges",
					 (unsigned long long)addr,
					 (unsigned)IOM_MAX_PIECES);
			return IOM_INTERNAL_ERROR;
		}
		pieces[n++] = (struct piece){ .hit = hit, .off = off, .len = piece };
		off += piece;
	}

	if (iom_cpus[cpu].queue_len + n > IOM_DEFER_QUEUE_LEN) {
		iom_count_cpu(cpu, sp, IOM_STAT_QUEUE_FULL, 1);
		return IOM_RETRY;
	}
	/* Unclaimed parts have no device to order against: the default
	 * action (into the void) can happen now. */
	if (unclaimed)
		iom_count_cpu(cpu, sp, IOM_STAT_UNCLAIMED_WRITES, unclaimed);
	for (unsigned i = 0; i < n; i++) {
		const struct piece *p = &pieces[i];

		iom_queue_write(cpu, sp, addr + p->off, data + p->off, p->len,
				&p->hit);
		iom_count_deferred(cpu, sp, true);
		if (p->hit.range != range_counted)
			iom_count_range(cpu, &s->ranges[p->hit.range],
					IOM_RSTAT_DEFERRED, 1);
	}
	return IOM_OK;
}

unsigned iom_deferred_count(unsigned cpu)
{
	return cpu < IOM_MAX_CPUS ? iom_cpus[cpu].queue_len : 0;
}

enum commit_how { COMMIT_DIRECT, COMMIT_LOOKUP, COMMIT_STALE };

/* Is the range the entry is aimed at still where it was? */
static enum commit_how classify(struct iom_addr_space *s,
				const struct iom_defer_entry *e)
{
	struct iom_hit hit;

	/* Same generation: no writer has touched the table since the entry's
	 * lookup, so the range is mapped exactly as recorded. */
	if (__atomic_load_n(&s->seq, __ATOMIC_ACQUIRE) == e->gen)
		return COMMIT_DIRECT;
	iom_lookup(s, e->addr, NULL, &hit);
	if (hit.found && hit.range == e->range && hit.first == e->base)
		return COMMIT_LOOKUP;
	return COMMIT_STALE;
}

static iom_status_t commit(unsigned cpu, struct iom_defer_entry *e)
{
	iom_space_t sp = (iom_space_t)e->space;
	struct iom_addr_space *s = &iom_spaces[sp];
	struct iom_range *r = &s->ranges[e->range];
	iom_range_io_fn *io = sp == IOM_SPACE_PORT ? iom_port_range_io
						   : iom_mmio_range_io;
	unsigned done;
	bool deferred;

	switch (classify(s, e)) {
	case COMMIT_DIRECT:
		iom_count_cpu(cpu, sp, IOM_STAT_COMMIT_DIRECT, 1);
		iom_count_range(cpu, r, IOM_RSTAT_COMMIT_DIRECT, 1);
		break;
	case COMMIT_LOOKUP:
		iom_count_cpu(cpu, sp, IOM_STAT_COMMIT_LOOKUP, 1);
		iom_count_range(cpu, r, IOM_RSTAT_COMMIT_LOOKUP, 1);
		break;
	case COMMIT_STALE:
		/* The default action: the write goes into the void. */
		iom_count_cpu(cpu, sp, IOM_STAT_STALE, 1);
		iom_count_range(cpu, r, IOM_RSTAT_STALE, 1);
		return IOM_OK;
	}

	iom_count_range(cpu, r, IOM_RSTAT_WRITES, 1);
	uint64_t t0 = iom_platform_timestamp();
	/* Deferred context: handlers cannot defer again (that is an internal
	 * error, reported in the status), so all bytes are done. */
	iom_status_t st = io(r, IOM_CTX_DEFERRED, cpu, e->addr, e->base,
			     e->data, e->len, true, &done, &deferred);
	iom_count_time(cpu, r, t0);
	return st;
}

iom_status_t iom_drain_deferred(unsigned cpu)
{
	if (cpu >= IOM_MAX_CPUS) {
		iom_platform_log("iom: drain on cpu %u (max %u)", cpu,
				 (unsigned)IOM_MAX_CPUS);
		return IOM_INTERNAL_ERROR;
	}

	struct iom_cpu *c = &iom_cpus[cpu];
	iom_status_t acc = IOM_OK;

	if (c->depth != 0) {
		iom_platform_log("iom: drain on cpu %u from inside a handler",
				 cpu);
		return IOM_INTERNAL_ERROR;
	}
	/* The commits' handlers run at level 1, in deferred context; their
	 * nested calls are checked against that (iom_enter). */
	c->depth = 1;
	c->ctx = IOM_CTX_DEFERRED;
	/* Every entry is taken, whatever earlier ones returned: a write the
	 * guest considers done is committed, or dropped only as stale. (Nested calls from the
	 * commits run in deferred context and never queue, so queue_len
	 * does not change under the loop.) */
	for (uint32_t i = 0; i < c->queue_len; i++)
		acc = iom_merge(acc, commit(cpu, &c->queue[i]));
	c->queue_len = 0;
	c->depth = 0;
	return acc;
}
