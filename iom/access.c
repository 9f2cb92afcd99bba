/*
 * iom/access.c - the dispatch core shared by ports and MMIO: walking an
 * access across ranges, the default action for unclaimed parts, and what
 * happens when a handler defers.
 */
#include "iom/iom_internal.h"

static iom_range_io_fn *const range_io[IOM_SPACE_COUNT] = {
	[IOM_SPACE_PORT] = iom_port_range_io,
	[IOM_SPACE_MMIO] = iom_mmio_range_io,
};

bool iom_check_cpu(unsigned cpu, iom_ctx_t ctx, const char *what)
{
	if (cpu >= IOM_MAX_CPUS) {
		iom_platform_log("iom: %s on cpu %u (max %u)", what, cpu,
				 (unsigned)IOM_MAX_CPUS);
		return false;
	}
	if (ctx != IOM_CTX_EXIT && ctx != IOM_CTX_DEFERRED) {
		iom_platform_log("iom: %s with bad context %d", what, (int)ctx);
		return false;
	}
	/* The deferred context comes after the drain; dispatching there with
	 * writes still queued would let this access overtake them. */
	if (ctx == IOM_CTX_DEFERRED && iom_cpus[cpu].queue_len != 0) {
		iom_platform_log("iom: deferred %s on cpu %u with %u writes queued; drain first",
				 what, cpu, iom_cpus[cpu].queue_len);
		return false;
	}
	return true;
}

iom_status_t iom_walk(unsigned cpu, iom_space_t sp, iom_ctx_t ctx,
		      enum iom_op op, uint64_t addr, uint8_t *buf,
		      unsigned len, unsigned *done, bool *deferred,
		      uint32_t *defer_range, uint32_t *first_range)
{
	struct iom_addr_space *s = &iom_spaces[sp];
	uint32_t *hint = &iom_cpus[cpu].hint[sp][op];
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

		iom_lookup(s, a, hint, &hit);
		iom_count_cpu(cpu, sp, hit.hint_hit ? IOM_STAT_HINT_HITS
						    : IOM_STAT_HINT_MISSES, 1);
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
		iom_count_range(r, write ? IOM_STAT_WRITES : IOM_STAT_READS);
		acc = iom_status_merge(acc, range_io[sp](r, ctx, cpu, a, hit.first,
							 buf + off, piece, write,
							 &got, &d));
		off += got;
		if (d) {
			*deferred = true;
			*defer_range = hit.range;
			iom_count_range(r, IOM_STAT_DEFERRED);
			break;
		}
	}
	*done = off;
	return acc;
}

/* Exit context, writes already queued on this CPU: queue this one behind
 * them instead of letting it reach a handler first. */
static iom_status_t queue_behind(unsigned cpu, iom_space_t sp, uint64_t addr,
				 const uint8_t *buf, unsigned len)
{
	struct iom_addr_space *s = &iom_spaces[sp];
	struct iom_hit hit;

	iom_lookup(s, addr, &iom_cpus[cpu].hint[sp][IOM_OP_WRITE], &hit);
	iom_count_cpu(cpu, sp, hit.hint_hit ? IOM_STAT_HINT_HITS
					    : IOM_STAT_HINT_MISSES, 1);
	if (!hit.found && hit.next - addr >= len) {
		/* Entirely unclaimed: dropping it now reorders nothing. */
		iom_count_cpu(cpu, sp, IOM_STAT_UNCLAIMED_WRITES, 1);
		return IOM_OK;
	}
	if (iom_queue_full(cpu)) {
		iom_count_cpu(cpu, sp, IOM_STAT_QUEUE_FULL, 1);
		return IOM_RETRY;
	}
	iom_queue_write(cpu, sp, addr, buf, len,
			hit.found ? hit.range : IOM_NO_RANGE);
	iom_count_cpu(cpu, sp, IOM_STAT_DEFERRED, 1);
	if (hit.found)
		iom_count_range(&s->ranges[hit.range], IOM_STAT_DEFERRED);
	return IOM_OK;
}

static iom_status_t write_access(unsigned cpu, iom_space_t sp, iom_ctx_t ctx,
				 enum iom_op op, uint64_t addr, uint8_t *buf,
				 unsigned len)
{
	unsigned done = 0;
	bool deferred;
	uint32_t drange, first;

	if (ctx == IOM_CTX_EXIT && iom_cpus[cpu].queue_len != 0)
		return queue_behind(cpu, sp, addr, buf, len);

	iom_status_t acc = iom_walk(cpu, sp, ctx, op, addr, buf, len, &done,
				    &deferred, &drange, &first);
	if (deferred) {
		/* Only in exit context, and the queue was empty when this
		 * access began, so there is room. The parts before `done` are
		 * done; the rest completes from the queue, and for the guest
		 * the instruction is complete now. */
		iom_queue_write(cpu, sp, addr + done, buf + done, len - done,
				drange);
		iom_count_cpu(cpu, sp, IOM_STAT_DEFERRED, 1);
	}
	return acc;
}

static iom_status_t read_access(unsigned cpu, iom_space_t sp, iom_ctx_t ctx,
				enum iom_op op, uint64_t addr, uint8_t *buf,
				unsigned len)
{
	struct iom_cpu *c = &iom_cpus[cpu];
	struct iom_pending_read *p = &c->pending;
	iom_status_t acc = IOM_OK;
	unsigned done = 0;
	bool deferred;
	uint32_t drange, first;

	if (ctx == IOM_CTX_EXIT) {
		/* A new exit-context read means any kept partial read was
		 * abandoned (the guest was reset, say): forget it. */
		p->active = false;
		if (c->queue_len != 0) {
			/* Must not overtake the queued writes. */
			iom_count_cpu(cpu, sp, IOM_STAT_DEFERRED, 1);
			return IOM_READ_DEFERRED;
		}
	} else if (p->active && p->space == sp && p->addr == addr
		   && p->len == len) {
		/* The retry of a split read: keep what was already read. */
		__builtin_memcpy(buf, p->data, p->done);
		done = p->done;
		acc = p->outcome;
		p->active = false;
	} else {
		p->active = false;
	}

	acc = iom_status_merge(acc, iom_walk(cpu, sp, ctx, op, addr, buf, len,
					     &done, &deferred, &drange, &first));
	if (!deferred)
		return acc;

	iom_count_cpu(cpu, sp, IOM_STAT_DEFERRED, 1);
	if (done > 0) {
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
