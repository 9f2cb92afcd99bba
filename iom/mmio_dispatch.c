/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/mmio_dispatch.c - MMIO reads and writes from the backends.
 */
#include "iom/fast.h"
#include "iom/mmio_size.h"

static bool mmio_args_ok(uint64_t gpa, const void *buf, unsigned len,
			 const char *what)
{
	if (!buf || len == 0 || len > IOM_MMIO_MAX_ACCESS
	    || gpa + (len - 1) < gpa) {
		iom_platform_log("iom: %s of %u bytes at %llx: bad arguments",
				 what, len, (unsigned long long)gpa);
		return false;
	}
	return true;
}

/* Copies a whole access (1, 2, 4 or 8 bytes: what iom_mmio_one_call lets
 * through) with one move rather than a memcpy call. */
static inline void copy_whole(void *dst, const void *src, unsigned len)
{
	switch (len) {
	case 8:
		__builtin_memcpy(dst, src, 8);
		break;
	case 4:
		__builtin_memcpy(dst, src, 4);
		break;
	case 2:
		__builtin_memcpy(dst, src, 2);
		break;
	default:
		__builtin_memcpy(dst, src, 1);
		break;
	}
}

/* A read the range's handler answers in one call (fast.h); false if it
 * must go the general way. */
static bool read_fast(unsigned cpu, iom_ctx_t ctx, uint64_t gpa, void *buf,
		      unsigned len, iom_status_t *st)
{
	struct iom_fast f;
	struct iom_hit miss;

	if (len > 8
	    || !iom_fast_begin(cpu, IOM_SPACE_MMIO, ctx, IOM_OP_READ, gpa, len, &f, &miss)
	    || !f.r->cb.mmio.read || !iom_mmio_one_call(f.r, gpa, len, false))
		return false;
	iom_fast_start(cpu, IOM_SPACE_MMIO, IOM_OP_READ, &f, &miss);

	uint8_t tmp[8];
	__builtin_memset(tmp, 0xff, sizeof(tmp));
	iom_status_t hs = f.r->cb.mmio.read(f.r->user, ctx, cpu,
					    iom_mmio_handler_addr(f.r, gpa, f.first),
					    tmp, len);
	if (hs == IOM_UNUSED) {
		__builtin_memset(tmp, 0xff, sizeof(tmp));
		hs = IOM_OK;
	}
	*st = iom_fast_end(cpu, IOM_SPACE_MMIO, &f, hs, false, gpa, NULL, len);
	if (*st != IOM_READ_DEFERRED)       /* one that deferred read nothing */
		copy_whole(buf, tmp, len);
	return true;
}

/* A write the range's handler takes in one call (fast.h). */
static bool write_fast(unsigned cpu, iom_ctx_t ctx, uint64_t gpa,
		       const void *buf, unsigned len, iom_status_t *st)
{
	struct iom_fast f;
	struct iom_hit miss;

	if (len > 8
	    || !iom_fast_begin(cpu, IOM_SPACE_MMIO, ctx, IOM_OP_WRITE, gpa, len, &f, &miss)
	    || !f.r->cb.mmio.write || !iom_mmio_one_call(f.r, gpa, len, true))
		return false;
	iom_fast_start(cpu, IOM_SPACE_MMIO, IOM_OP_WRITE, &f, &miss);

	iom_status_t hs = f.r->cb.mmio.write(f.r->user, ctx, cpu,
					     iom_mmio_handler_addr(f.r, gpa, f.first),
					     buf, len);
	*st = iom_fast_end(cpu, IOM_SPACE_MMIO, &f, hs, true, gpa, buf, len);
	return true;
}

iom_status_t iom_mmio_read(unsigned cpu, iom_ctx_t ctx, uint64_t gpa,
			   void *buf, unsigned len)
{
	iom_status_t st;

	if (!mmio_args_ok(gpa, buf, len, "mmio read"))
		return IOM_INTERNAL_ERROR;
	if (read_fast(cpu, ctx, gpa, buf, len, &st))
		return st;
	switch (iom_enter(cpu, IOM_SPACE_MMIO, ctx, "mmio read")) {
	case IOM_ENTER_BAD:
		return IOM_INTERNAL_ERROR;
	case IOM_ENTER_TOO_DEEP:
		__builtin_memset(buf, 0xff, len);  /* the default action */
		return IOM_OK;
	case IOM_ENTER_OK:
		break;
	}
	iom_count_cpu(cpu, IOM_SPACE_MMIO, IOM_STAT_READS, 1);
	st = iom_access(cpu, IOM_SPACE_MMIO, ctx, IOM_OP_READ, gpa, buf, len);
	iom_leave(cpu);
	return st;
}

iom_status_t iom_mmio_write(unsigned cpu, iom_ctx_t ctx, uint64_t gpa,
			    const void *buf, unsigned len)
{
	uint8_t copy[IOM_MMIO_MAX_ACCESS];
	iom_status_t st;

	if (!mmio_args_ok(gpa, buf, len, "mmio write"))
		return IOM_INTERNAL_ERROR;
	if (write_fast(cpu, ctx, gpa, buf, len, &st))
		return st;
	switch (iom_enter(cpu, IOM_SPACE_MMIO, ctx, "mmio write")) {
	case IOM_ENTER_BAD:
		return IOM_INTERNAL_ERROR;
	case IOM_ENTER_TOO_DEEP:
		return IOM_OK;                     /* dropped */
	case IOM_ENTER_OK:
		break;
	}
	iom_count_cpu(cpu, IOM_SPACE_MMIO, IOM_STAT_WRITES, 1);
	/* The core works on a mutable buffer shared with reads; a private copy
	 * keeps the caller's const promise. */
	__builtin_memcpy(copy, buf, len);
	st = iom_access(cpu, IOM_SPACE_MMIO, ctx, IOM_OP_WRITE, gpa, copy, len);
	iom_leave(cpu);
	return st;
}
