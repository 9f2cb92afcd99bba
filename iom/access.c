/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/access.c - the dispatch core shared by ports and MMIO: the entry
 * checks and recursion guard, walking an access across ranges, the default
 * action for unclaimed parts, and what happens when a handler defers.
 */
#include "iom/iom_internal.h"

static iom_range_io_fn *const range_io[IOM_SPACE_COUNT] = {
	[IOM_SPACE_PORT] = iom_port_range_io,
	[IOM_SPACE_MMIO] = iom_mmio_range_io,
};

enum iom_enter_result iom_enter(unsigned cpu, iom_space_t sp, iom_ctx_t ctx,
				const char *what)
{
	if (cpu >= IOM_MAX_CPUS) {
		iom_platform_log("iom: %s on cpu %u (max %u)", what, cpu,
				 (unsigned)IOM_MAX_CPUS);
		return IOM_ENTER_BAD;
	}
	if (ctx != IOM_CTX_EXIT && ctx != IOM_CTX_DEFERRED) {
		iom_platform_log("iom: %s with bad context %d", what, (int)ctx);
		return IOM_ENTER_BAD;
	}

	struct iom_cpu *c = &iom_cpus[cpu];

	if (c->depth == 0) {
		/* The deferred context comes after the drain; dispatching
		 * there with writes still queued would let this access
		 * overtake them. (Nested calls made while the drain commits
		 * an entry come from that entry's handler: the entries still
		 * queued are later writes, so they are not checked.) */
		if (ctx == IOM_CTX_DEFERRED && c->queue_len != 0) {
			iom_platform_log("iom: deferred %s on cpu %u with %u writes queued; drain first",
					 what, cpu, c->queue_len);
			return IOM_ENTER_BAD;
		}
		c->ctx = ctx;
	} else {
		/* A handler may only dispatch in the context it runs in: a
		 * deferred-context call from exit context could do slow work
		 * in the exit, an exit-context one from the drain could queue
		 * behind the entry being committed. */
		if (ctx != c->ctx) {
			iom_platform_log("iom: nested %s on cpu %u in context %d from a handler in context %d",
					 what, cpu, (int)ctx, (int)c->ctx);
			return IOM_ENTER_BAD;
		}
		if (c->depth >= IOM_MAX_NESTING) {
			iom_count_cpu(cpu, sp, IOM_STAT_RECURSION, 1);
			return IOM_ENTER_TOO_DEEP;
		}
	}
	c->depth++;
	return IOM_ENTER_OK;
}

/* One piece inside range r: count it, time it, deliver it. */
static iom_status_t deliver(unsigned cpu, iom_space_t sp, iom_ctx_t ctx,
			    struct iom_range *r, uint64_t a, uint64_t first,
			    uint8_t *buf, unsigned n, bool write, unsigned *got,
			    bool *deferred)
{
	iom_count_range(cpu, r, write ? IOM_RSTAT_WRITES : IOM_RSTAT_READS, 1);
	uint64_t t0 = iom_platform_timestamp();
	iom_status_t st = range_io[sp](r, ctx, cpu, a, first, buf, n, write,
				       got, deferred);
	iom_count_time(cpu, r, t0);
	return st;
}

iom_status_t iom_walk(unsigned cpu, iom_space_t sp, iom_ctx_t ctx,
		      enum iom_op op, uint64_t addr, uint8_t *buf,
		      unsigned len, unsigned *done, bool *deferred,
		      uint32_t *defer_range, uint32_t *first_range)
{
	struct iom_addr_space *s = &iom_spaces[sp];
	bool write = iom_op_is_write(op);
	bool first_piece = true;
	iom_status_t acc = IOM_OK;
	unsigned off = *done;

	*deferred = false;
	*defer_range = IOM_NO_RANGE;
	*first_range = IOM_NO_RANGE;
	while (off < len) {
		uint64_t a = addr + off;
		unsigned rest = len - off;
		struct iom_hit hit;

		iom_lookup_counted(cpu, sp, op, a, &hit);
		if (!hit.found) {
			/* Default action up to the next range: writes vanish,
			 * reads float high, as on an undriven bus. */
			unsigned piece = hit.next - a < rest ? (unsigned)(hit.next - a)
							     : rest;
			if (!write)
				__builtin_memset(buf + off, 0xff, piece);
			iom_count_cpu(cpu, sp, write ? IOM_STAT_UNCLAIMED_WRITES
						     : IOM_STAT_UNCLAIMED_READS, 1);
			off += piece;
			first_piece = false;
			continue;
		}

		struct iom_range *r = &s->ranges[hit.range];
		unsigned piece = hit.last - a < rest - 1 ? (unsigned)(hit.last - a) + 1
							 : rest;
		unsigned got = 0;
		bool d = false;

		if (first_piece)
			*first_range = hit.range;
		first_piece = false;
		acc = iom_merge(acc, deliver(cpu, sp, ctx, r, a, hit.first,
						    buf + off, piece, write,
						    &got, &d));
		off += got;
		if (d) {
			*deferred = true;
			*defer_range = hit.range;
			iom_count_range(cpu, r, IOM_RSTAT_DEFERRED, 1);
			break;
		}
	}
	*done = off;
	return acc;
}

static iom_status_t write_access(unsigned cpu, iom_space_t sp, iom_ctx_t ctx,
				 enum iom_op op, uint64_t addr, uint8_t *buf,
				 unsigned len)
{
	unsigned done = 0;
	bool deferred;
	uint32_t drange, first;

	/* Exit context, writes already queued on this CPU: queue this one
	 * behind them instead of letting it reach a handler first. */
	if (ctx == IOM_CTX_EXIT && iom_cpus[cpu].queue_len != 0)
		return iom_queue_access(cpu, sp, addr, buf, len, IOM_NO_RANGE);

	iom_status_t acc = iom_walk(cpu, sp, ctx, op, addr, buf, len, &done,
				    &deferred, &drange, &first);
	if (!deferred)
		return acc;
	/* Only in exit context, and the queue was empty when this access
	 * began, so the rest fits (IOM_MAX_PIECES entries at most). The parts
	 * before `done` are done; the rest completes from the queue, and for
	 * the guest the instruction is complete now. */
	iom_status_t q = iom_queue_access(cpu, sp, addr + done, buf + done,
					  len - done, drange);
	if (q != IOM_OK) {
		/* Only if the handler made nested writes that filled the queue
		 * and then deferred, which iom.h forbids. */
		iom_platform_log("iom: cpu %u: no room to queue a deferred write at %llx (a handler deferred after nested writes)",
				 cpu, (unsigned long long)(addr + done));
		return IOM_INTERNAL_ERROR;
	}
	return acc;
}

static iom_status_t read_access(unsigned cpu, iom_space_t sp, iom_ctx_t ctx,
				enum iom_op op, uint64_t addr, uint8_t *buf,
				unsigned len)
{
	struct iom_cpu *c = &iom_cpus[cpu];
	struct iom_pending_read *p = &c->pending;
	/* The kept partial read belongs to the backend's access; a handler's
	 * nested read neither uses nor disturbs it. */
	bool top = !iom_nested(cpu);
	iom_status_t acc = IOM_OK;
	unsigned done = 0;
	bool deferred;
	uint32_t drange, first;

	if (ctx == IOM_CTX_EXIT) {
		/* A new exit-context read means any kept partial read was
		 * abandoned (the guest was reset, say): forget it. */
		if (top)
			p->active = false;
		if (c->queue_len != 0) {
			/* Must not overtake the queued writes. */
			iom_count_deferred(cpu, sp, false);
			return IOM_READ_DEFERRED;
		}
	} else if (top && p->active && p->space == sp && p->addr == addr
		   && p->len == len) {
		/* The retry of a split read: keep what was already read. */
		__builtin_memcpy(buf, p->data, p->done);
		done = p->done;
		acc = p->outcome;
		p->active = false;
	} else if (top) {
		p->active = false;
	}

	acc = iom_merge(acc, iom_walk(cpu, sp, ctx, op, addr, buf, len,
					     &done, &deferred, &drange, &first));
	if (!deferred)
		return acc;

	iom_count_deferred(cpu, sp, false);
	if (top && done > 0) {
		p->active = true;
		p->space = (uint8_t)sp;
		p->addr = addr;
		p->len = (uint8_t)len;
		p->done = (uint8_t)done;
		p->outcome = acc;
		__builtin_memcpy(p->data, buf, done);
	}
	return IOM_READ_DEFERRED;
}

iom_status_t iom_access(unsigned cpu, iom_space_t sp, iom_ctx_t ctx,
			enum iom_op op, uint64_t addr, uint8_t *buf,
			unsigned len)
{
	if (iom_op_is_write(op))
		return write_access(cpu, sp, ctx, op, addr, buf, len);
	return read_access(cpu, sp, ctx, op, addr, buf, len);
}
