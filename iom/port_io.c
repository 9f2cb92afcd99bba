/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/port_io.c - calling a port range's handlers for bytes inside it.
 */
#include "iom/iom_internal.h"
#include "iom/port_io.h"

iom_status_t iom_port_call_in(struct iom_range *r, iom_ctx_t ctx,
			      unsigned cpu, uint16_t port, unsigned size,
			      uint8_t *buf, bool *deferred)
{
	uint32_t v = UINT32_MAX;
	iom_status_t st = IOM_UNUSED;

	if (r->cb.port.in) {
		iom_count_call(cpu, r);
		st = r->cb.port.in(r->user, ctx, cpu, port, size, &v);
	} else if (r->cb.port.in_str) {
		uint8_t tmp[4] = { 0xff, 0xff, 0xff, 0xff };
		uint32_t n = 1;

		iom_count_call(cpu, r);
		st = r->cb.port.in_str(r->user, ctx, cpu, port, size, tmp, &n);
		v = iom_le_get(tmp, size);
		if (st == IOM_OK && n != 0)
			st = IOM_UNUSED;        /* it transferred nothing */
	}
	if (st == IOM_UNUSED)
		v = UINT32_MAX;
	st = iom_handler_status(st, ctx, r, deferred);
	if (!*deferred)
		iom_le_put(buf, size, v);
	return st;
}

iom_status_t iom_port_call_out(struct iom_range *r, iom_ctx_t ctx,
			       unsigned cpu, uint16_t port, unsigned size,
			       const uint8_t *buf, bool *deferred)
{
	iom_status_t st = IOM_OK;

	if (r->cb.port.out) {
		iom_count_call(cpu, r);
		st = r->cb.port.out(r->user, ctx, cpu, port, size,
				    iom_le_get(buf, size));
	} else if (r->cb.port.out_str) {
		uint32_t n = 1;

		iom_count_call(cpu, r);
		st = r->cb.port.out_str(r->user, ctx, cpu, port, size, buf, &n);
	}
	return iom_handler_status(st, ctx, r, deferred);
}

iom_status_t iom_port_range_io(struct iom_range *r, iom_ctx_t ctx,
			       unsigned cpu, uint64_t addr, uint64_t first,
			       uint8_t *buf, unsigned len, bool write,
			       unsigned *done, bool *deferred)
{
	iom_status_t acc = IOM_OK;

	*done = 0;
	*deferred = false;
	while (*done < len) {
		uint64_t a = addr + *done;
		unsigned rest = len - *done;
		/* Whole accesses go as issued; a 3-byte remainder of an access
		 * split at a range edge goes as aligned 1 + 2 or 2 + 1. */
		unsigned size = rest == 3 ? iom_pow2_piece(a, rest, 2) : rest;
		uint16_t port = iom_port_handler_port(r, (uint16_t)a, first);
		iom_status_t st;

		if (write)
			st = iom_port_call_out(r, ctx, cpu, port, size,
					       buf + *done, deferred);
		else
			st = iom_port_call_in(r, ctx, cpu, port, size,
					      buf + *done, deferred);
		acc = iom_merge(acc, st);
		if (*deferred)
			break;
		*done += size;
	}
	return acc;
}
