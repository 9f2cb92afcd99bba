/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/port_io.h - single-element calls into a port range's handlers, shared
 * by plain and string port dispatch.
 */
#ifndef IOM_PORT_IO_H
#define IOM_PORT_IO_H

#include "iom/iom_internal.h"

/* One IN of size bytes into buf (little-endian), falling back to the string
 * handler with a count of one, or all ones without either. */
iom_status_t iom_port_call_in(struct iom_range *r, iom_ctx_t ctx,
			      unsigned cpu, uint16_t port, unsigned size,
			      uint8_t *buf, bool *deferred);
/* One OUT of size bytes from buf; ignored without a handler. */
iom_status_t iom_port_call_out(struct iom_range *r, iom_ctx_t ctx,
			       unsigned cpu, uint16_t port, unsigned size,
			       const uint8_t *buf, bool *deferred);

/* 1, 2 or 4: one test of a bit mask (bits 1, 2 and 4). */
static inline bool iom_port_size_ok(unsigned size)
{
	return size < 8 && ((1u << 1 | 1u << 2 | 1u << 4) >> size & 1);
}

static inline uint16_t iom_port_handler_port(const struct iom_range *r,
					     uint16_t port, uint64_t first)
{
	return (uint16_t)((r->flags & IOM_PORT_F_ABS) ? port : port - first);
}

#endif
