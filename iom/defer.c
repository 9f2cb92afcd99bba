/*
 * iom/defer.c - the per-CPU queue of writes that deferred, and its drain.
 *
 * A write whose handler cannot finish in exit context is recorded here and
 * the guest's instruction completes; the CPU commits the queue from deferred
 * context before it re-enters the guest, so the guest can never observe the
 * write as missing (its next access on this CPU comes after the commit).
 * The queue belongs to one CPU and is only touched by that CPU: no lock.
 */
#include "iom/iom_internal.h"

void iom_queue_write(unsigned cpu, iom_space_t sp, uint64_t addr,
		     const uint8_t *data, unsigned len, uint32_t range)
{
	struct iom_cpu *c = &iom_cpus[cpu];
	struct iom_defer_entry *e = &c->queue[c->queue_len++];

	e->addr = addr;
	e->range = range;
	e->space = (uint8_t)sp;
	e->len = (uint8_t)len;
	__builtin_memcpy(e->data, data, len);
}

unsigned iom_deferred_count(unsigned cpu)
{
	return cpu < IOM_MAX_CPUS ? iom_cpus[cpu].queue_len : 0;
}

/* Where the recorded range is mapped now, read consistently. */
static bool range_mapping(struct iom_addr_space *s, const struct iom_range *r,
			  uint64_t *base)
{
	uint32_t seq;
	bool mapped;

	do {
		seq = iom_seq_read_begin(&s->seq);
		mapped = IOM_LOAD(&r->mapped) != 0;
		*base = IOM_LOAD(&r->base);
	} while (iom_seq_read_retry(&s->seq, seq));
	return mapped;
}

static iom_status_t commit(unsigned cpu, struct iom_defer_entry *e)
{
	iom_space_t sp = (iom_space_t)e->space;
	struct iom_addr_space *s = &iom_spaces[sp];
	iom_status_t acc = IOM_OK;
	unsigned done = 0;
	bool deferred;
	uint32_t drange, first;
	uint64_t base = 0;
	bool direct = false;

	if (e->range != IOM_NO_RANGE) {
		struct iom_range *r = &s->ranges[e->range];

		direct = range_mapping(s, r, &base) && e->addr >= base
			 && e->addr - base < r->size;
	}

	if (direct) {
		/* Still mapped over the address: no lookup needed. */
		struct iom_range *r = &s->ranges[e->range];
		uint64_t room = base + r->size - e->addr;
		unsigned piece = room < e->len ? (unsigned)room : e->len;
		iom_range_io_fn *io = sp == IOM_SPACE_PORT ? iom_port_range_io
							   : iom_mmio_range_io;

		iom_count_cpu(cpu, sp, IOM_STAT_COMMIT_DIRECT, 1);
		iom_count_range(r, IOM_STAT_COMMIT_DIRECT);
		iom_count_range(r, IOM_STAT_WRITES);
		/* Deferred context: handlers cannot defer again (that is an
		 * internal error, reported in acc), so all bytes are done. */
		acc = io(r, IOM_CTX_DEFERRED, cpu, e->addr, base, e->data,
			 piece, true, &done, &deferred);
		done = piece;
	} else {
		iom_count_cpu(cpu, sp, IOM_STAT_COMMIT_LOOKUP, 1);
	}

	if (done < e->len) {
		/* The rest (all of it, if the range moved): wherever it is
		 * mapped now, possibly nowhere. */
		acc = iom_status_merge(acc, iom_walk(cpu, sp, IOM_CTX_DEFERRED,
						     IOM_OP_WRITE, e->addr,
						     e->data, e->len, &done,
						     &deferred, &drange, &first));
		if (!direct && first != IOM_NO_RANGE)
			iom_count_range(&s->ranges[first],
					IOM_STAT_COMMIT_LOOKUP);
	}
	return acc;
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

	/* Every entry is committed, whatever earlier ones returned: a write
	 * the guest considers done is never dropped. */
	for (uint32_t i = 0; i < c->queue_len; i++)
		acc = iom_status_merge(acc, commit(cpu, &c->queue[i]));
	c->queue_len = 0;
	return acc;
}
