/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/port_string.c - INS and OUTS (with or without REP) from the backends.
 *
 * The common case, every element inside one range, goes to the range's
 * string handler in one call (or a loop over its single-element handler).
 * Elements that straddle a range edge go one by one through the general
 * access path, which splits them exactly; an element entirely in unclaimed
 * space takes the default action for the whole transfer at once.
 */
#include "iom/iom_internal.h"
#include "iom/port_io.h"

static bool string_args_ok(unsigned size, const void *buf,
			   const uint32_t *count, const char *what)
{
	if (!iom_port_size_ok(size) || !count || (!buf && *count)) {
		iom_platform_log("iom: %s: bad size %u or NULL buffer/count",
				 what, size);
		return false;
	}
	return true;
}

static iom_status_t read_in_range(unsigned cpu, iom_ctx_t ctx, uint16_t port,
				  unsigned size, uint8_t *dst, uint32_t *count,
				  const struct iom_hit *hit)
{
	struct iom_range *r = &iom_spaces[IOM_SPACE_PORT].ranges[hit->range];
	uint16_t p = iom_port_handler_port(r, port, hit->first);
	uint32_t total = *count, left = total;
	iom_status_t st = IOM_OK;
	bool deferred = false;

	iom_count_range(cpu, r, IOM_RSTAT_READS, 1);
	uint64_t t0 = iom_platform_timestamp();
	if (r->cb.port.in_str) {
		iom_count_call(cpu, r);
		iom_status_t raw = r->cb.port.in_str(r->user, ctx, cpu, p, size,
						     dst, &left);
		if (left > total) {
			iom_platform_log("iom: %s string read left %u of %u",
					 r->name, left, total);
			left = 0;
			raw = IOM_INTERNAL_ERROR;
		}
		if (raw == IOM_UNUSED) {
			/* Nothing answers: the rest reads all ones. */
			__builtin_memset(dst + (size_t)(total - left) * size, 0xff,
					 (size_t)left * size);
			left = 0;
		}
		st = iom_handler_status(raw, ctx, r, &deferred);
	} else {
		while (left > 0) {
			uint8_t *el = dst + (size_t)(total - left) * size;
			iom_status_t one = iom_port_call_in(r, ctx, cpu, p, size,
							    el, &deferred);
			if (deferred)
				break;
			left--;
			if (one != IOM_OK) {
				st = one;   /* stop after this element */
				break;
			}
		}
	}
	iom_count_time(cpu, r, t0);
	*count = left;
	if (deferred) {
		iom_count_range(cpu, r, IOM_RSTAT_DEFERRED, 1);
		iom_count_deferred(cpu, IOM_SPACE_PORT, false);
		return IOM_READ_DEFERRED;
	}
	return st;
}

static iom_status_t read_string(unsigned cpu, iom_ctx_t ctx, uint16_t port,
				unsigned size, uint8_t *d, uint32_t *count)
{
	struct iom_cpu *c = &iom_cpus[cpu];
	struct iom_hit hit;

	iom_count_cpu(cpu, IOM_SPACE_PORT, IOM_STAT_READS, 1);
	iom_count_cpu(cpu, IOM_SPACE_PORT, IOM_STAT_INS, 1);
	if (ctx == IOM_CTX_EXIT) {
		if (!iom_nested(cpu))
			c->pending.active = false;
		if (c->queue_len != 0) {
			iom_count_deferred(cpu, IOM_SPACE_PORT, false);
			return IOM_READ_DEFERRED;
		}
	}

	iom_lookup_counted(cpu, IOM_SPACE_PORT, IOM_OP_READ_STR, port, &hit);
	uint32_t last = (uint32_t)port + size - 1;
	if (hit.found && last <= hit.last)
		return read_in_range(cpu, ctx, port, size, d, count, &hit);
	if (!hit.found && last < hit.next) {
		__builtin_memset(d, 0xff, (size_t)*count * size);
		*count = 0;
		iom_count_cpu(cpu, IOM_SPACE_PORT, IOM_STAT_UNCLAIMED_READS, 1);
		return IOM_OK;
	}

	/* Straddling a range edge: element by element, exactly. */
	uint32_t total = *count;
	for (uint32_t i = 0; i < total; i++) {
		iom_status_t st = iom_access(cpu, IOM_SPACE_PORT, ctx,
					     IOM_OP_READ_STR, port,
					     d + (size_t)i * size, size);
		if (st == IOM_READ_DEFERRED) {
			*count = total - i;
			return st;
		}
		if (st != IOM_OK) {
			*count = total - i - 1;
			return st;
		}
	}
	*count = 0;
	return IOM_OK;
}

iom_status_t iom_port_read_string(unsigned cpu, iom_ctx_t ctx, uint16_t port,
				  unsigned size, void *dst, uint32_t *count)
{
	if (!string_args_ok(size, dst, count, "string port read"))
		return IOM_INTERNAL_ERROR;
	switch (iom_enter(cpu, IOM_SPACE_PORT, ctx, "string port read")) {
	case IOM_ENTER_BAD:
		return IOM_INTERNAL_ERROR;
	case IOM_ENTER_TOO_DEEP:
		/* The default action for the whole transfer. */
		__builtin_memset(dst, 0xff, (size_t)*count * size);
		*count = 0;
		return IOM_OK;
	case IOM_ENTER_OK:
		break;
	}
	iom_status_t st = *count ? read_string(cpu, ctx, port, size, dst, count)
				 : IOM_OK;
	iom_leave(cpu);
	return st;
}

static iom_status_t write_in_range(unsigned cpu, iom_ctx_t ctx, uint16_t port,
				   unsigned size, const uint8_t *src,
				   uint32_t *count, const struct iom_hit *hit)
{
	struct iom_range *r = &iom_spaces[IOM_SPACE_PORT].ranges[hit->range];
	uint16_t p = iom_port_handler_port(r, port, hit->first);
	uint32_t total = *count, left = total;
	iom_status_t st = IOM_OK;
	bool deferred = false;

	iom_count_range(cpu, r, IOM_RSTAT_WRITES, 1);
	uint64_t t0 = iom_platform_timestamp();
	if (ctx == IOM_CTX_EXIT && iom_cpus[cpu].queue_len != 0) {
		deferred = true;    /* keep behind the writes already queued */
	} else if (r->cb.port.out_str) {
		iom_count_call(cpu, r);
		iom_status_t raw = r->cb.port.out_str(r->user, ctx, cpu, p,
						      size, src, &left);
		if (left > total) {
			iom_platform_log("iom: %s string write left %u of %u",
					 r->name, left, total);
			left = 0;
			raw = IOM_INTERNAL_ERROR;
		}
		st = iom_handler_status(raw, ctx, r, &deferred);
	} else {
		while (left > 0) {
			const uint8_t *el = src + (size_t)(total - left) * size;
			iom_status_t one = iom_port_call_out(r, ctx, cpu, p, size,
							     el, &deferred);
			if (deferred)
				break;
			left--;
			if (one != IOM_OK) {
				st = one;
				break;
			}
		}
	}

	iom_count_time(cpu, r, t0);
	if (deferred) {
		/* Queue element by element while there is room; the guest
		 * re-executes the instruction for whatever is left. */
		iom_count_range(cpu, r, IOM_RSTAT_DEFERRED, 1);
		while (left > 0 && !iom_queue_full(cpu)) {
			iom_queue_write(cpu, IOM_SPACE_PORT, port,
					src + (size_t)(total - left) * size,
					size, hit);
			iom_count_deferred(cpu, IOM_SPACE_PORT, true);
			left--;
		}
		if (left > 0)
			iom_count_cpu(cpu, IOM_SPACE_PORT, IOM_STAT_QUEUE_FULL, 1);
		if (left == total) {
			*count = total;
			return IOM_RETRY;
		}
	}
	*count = left;
	return st;
}

static iom_status_t write_string(unsigned cpu, iom_ctx_t ctx, uint16_t port,
				 unsigned size, const uint8_t *s,
				 uint32_t *count)
{
	struct iom_hit hit;

	iom_count_cpu(cpu, IOM_SPACE_PORT, IOM_STAT_WRITES, 1);
	iom_count_cpu(cpu, IOM_SPACE_PORT, IOM_STAT_OUTS, 1);
	iom_lookup_counted(cpu, IOM_SPACE_PORT, IOM_OP_WRITE_STR, port, &hit);
	uint32_t last = (uint32_t)port + size - 1;
	if (hit.found && last <= hit.last)
		return write_in_range(cpu, ctx, port, size, s, count, &hit);
	if (!hit.found && last < hit.next) {
		*count = 0;
		iom_count_cpu(cpu, IOM_SPACE_PORT, IOM_STAT_UNCLAIMED_WRITES, 1);
		return IOM_OK;
	}

	/* Straddling a range edge: element by element, exactly. */
	uint32_t total = *count;
	for (uint32_t i = 0; i < total; i++) {
		uint8_t el[4];

		__builtin_memcpy(el, s + (size_t)i * size, size);
		iom_status_t st = iom_access(cpu, IOM_SPACE_PORT, ctx,
					     IOM_OP_WRITE_STR, port, el, size);
		if (st == IOM_RETRY) {
			*count = total - i;
			return i == 0 ? IOM_RETRY : IOM_OK;
		}
		if (st != IOM_OK) {
			*count = total - i - 1;
			return st;
		}
	}
	*count = 0;
	return IOM_OK;
}

iom_status_t iom_port_write_string(unsigned cpu, iom_ctx_t ctx, uint16_t port,
				   unsigned size, const void *src,
				   uint32_t *count)
{
	if (!string_args_ok(size, src, count, "string port write"))
		return IOM_INTERNAL_ERROR;
	switch (iom_enter(cpu, IOM_SPACE_PORT, ctx, "string port write")) {
	case IOM_ENTER_BAD:
		return IOM_INTERNAL_ERROR;
	case IOM_ENTER_TOO_DEEP:
		*count = 0;                        /* dropped */
		return IOM_OK;
	case IOM_ENTER_OK:
		break;
	}
	iom_status_t st = *count ? write_string(cpu, ctx, port, size, src, count)
				 : IOM_OK;
	iom_leave(cpu);
	return st;
}
