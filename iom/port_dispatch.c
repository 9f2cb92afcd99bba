/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/port_dispatch.c - IN and OUT from the backends.
 */
#include "iom/fast.h"
#include "iom/port_io.h"

/* The bits a 1-, 2- or 4-byte access carries (the size is checked first):
 * one load instead of a shift and a select on every IN and OUT. */
static inline uint32_t size_mask(unsigned size)
{
	static const uint32_t mask[5] = { 0, 0xFF, 0xFFFF, 0, UINT32_MAX };

	return mask[size];
}

/* An IN the range's in handler answers whole (fast.h); false if it must go
 * the general way. */
static bool read_fast(unsigned cpu, iom_ctx_t ctx, uint16_t port, unsigned size,
		      uint32_t *value, iom_status_t *st)
{
	struct iom_fast f;
	struct iom_hit miss;

	if (!iom_fast_begin(cpu, IOM_SPACE_PORT, ctx, IOM_OP_READ, port, size, &f, &miss)
	    || !f.r->cb.port.in)
		return false;
	iom_fast_start(cpu, IOM_SPACE_PORT, IOM_OP_READ, &f, &miss);

	uint32_t v = UINT32_MAX;
	iom_status_t hs = f.r->cb.port.in(f.r->user, ctx, cpu,
					  iom_port_handler_port(f.r, port, f.first),
					  size, &v);
	if (hs == IOM_UNUSED) {
		v = UINT32_MAX;
		hs = IOM_OK;
	}
	*st = iom_fast_end(cpu, IOM_SPACE_PORT, &f, hs, false, port, NULL, size);
	/* A read that deferred returned nothing (all ones, as the walk's). */
	*value = (*st == IOM_READ_DEFERRED ? UINT32_MAX : v) & size_mask(size);
	return true;
}

/* An OUT the range's out handler takes whole (fast.h). */
static bool write_fast(unsigned cpu, iom_ctx_t ctx, uint16_t port, unsigned size,
		       uint32_t value, iom_status_t *st)
{
	struct iom_fast f;
	struct iom_hit miss;

	if (!iom_fast_begin(cpu, IOM_SPACE_PORT, ctx, IOM_OP_WRITE, port, size, &f, &miss)
	    || !f.r->cb.port.out)
		return false;
	iom_fast_start(cpu, IOM_SPACE_PORT, IOM_OP_WRITE, &f, &miss);

	/* As the walk hands it over: only the bytes the OUT has. */
	value &= size_mask(size);
	iom_status_t hs = f.r->cb.port.out(f.r->user, ctx, cpu,
					   iom_port_handler_port(f.r, port, f.first),
					   size, value);
	uint8_t b[4];
	if (hs != IOM_OK)
		iom_le_put(b, size, value); /* the bytes, should it be queued */
	*st = iom_fast_end(cpu, IOM_SPACE_PORT, &f, hs, true, port, b, size);
	return true;
}

/* The general way: iom_enter's checks and the walk (access.c). Kept out of
 * line so the hinted path pays nothing for its registers and stack. */
static __attribute__((noinline)) iom_status_t
read_general(unsigned cpu, iom_ctx_t ctx, uint16_t port, unsigned size, uint32_t *value)
{
	uint8_t b[4] = { 0xff, 0xff, 0xff, 0xff };

	switch (iom_enter(cpu, IOM_SPACE_PORT, ctx, "port read")) {
	case IOM_ENTER_BAD:
		return IOM_INTERNAL_ERROR;
	case IOM_ENTER_TOO_DEEP:
		*value = iom_le_get(b, size);      /* the default action */
		return IOM_OK;
	case IOM_ENTER_OK:
		break;
	}
	iom_count_cpu(cpu, IOM_SPACE_PORT, IOM_STAT_READS, 1);
	iom_count_cpu(cpu, IOM_SPACE_PORT, IOM_STAT_IN, 1);
	iom_status_t st = iom_access(cpu, IOM_SPACE_PORT, ctx, IOM_OP_READ, port, b, size);
	iom_leave(cpu);
	*value = iom_le_get(b, size);
	return st;
}

static __attribute__((noinline)) iom_status_t
write_general(unsigned cpu, iom_ctx_t ctx, uint16_t port, unsigned size, uint32_t value)
{
	uint8_t b[4];

	switch (iom_enter(cpu, IOM_SPACE_PORT, ctx, "port write")) {
	case IOM_ENTER_BAD:
		return IOM_INTERNAL_ERROR;
	case IOM_ENTER_TOO_DEEP:
		return IOM_OK;                     /* dropped */
	case IOM_ENTER_OK:
		break;
	}
	iom_count_cpu(cpu, IOM_SPACE_PORT, IOM_STAT_WRITES, 1);
	iom_count_cpu(cpu, IOM_SPACE_PORT, IOM_STAT_OUT, 1);
	iom_le_put(b, size, value);
	iom_status_t st = iom_access(cpu, IOM_SPACE_PORT, ctx, IOM_OP_WRITE, port, b, size);
	iom_leave(cpu);
	return st;
}

/* Always inlined (across files, by LTO): the IN exit then pays for one frame
 * and one call less, and its caller's constants (the exit context) fold. */
__attribute__((always_inline)) iom_status_t iom_port_read(unsigned cpu, iom_ctx_t ctx,
							   uint16_t port, unsigned size,
							   uint32_t *value)
{
	iom_status_t st;

	if (!iom_port_size_ok(size) || !value) {
		iom_platform_log("iom: port read of %x: bad size %u or NULL value",
				 port, size);
		return IOM_INTERNAL_ERROR;
	}
	if (read_fast(cpu, ctx, port, size, value, &st))
		return st;
	return read_general(cpu, ctx, port, size, value);
}

/* Always inlined, as iom_port_read. */
__attribute__((always_inline)) iom_status_t iom_port_write(unsigned cpu, iom_ctx_t ctx,
							    uint16_t port, unsigned size,
							    uint32_t value)
{
	iom_status_t st;

	if (!iom_port_size_ok(size)) {
		iom_platform_log("iom: port write of %x: bad size %u", port,
				 size);
		return IOM_INTERNAL_ERROR;
	}
	if (write_fast(cpu, ctx, port, size, value, &st))
		return st;
	return write_general(cpu, ctx, port, size, value);
}
