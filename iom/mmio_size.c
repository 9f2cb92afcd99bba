/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/mmio_size.c - MMIO access-size adaptation (the IOM_MMIO_READ_* and
 * IOM_MMIO_WRITE_* modes in iom.h): turning whatever the guest issued into
 * the accesses a device asked for.
 *
 * Ranges are page aligned, so the aligned dword around any byte of a range
 * lies entirely inside that range; the dword modes rely on this.
 */
#include "iom/mmio_size.h"

/* One read handler call; buf is left alone if the handler defers. */
static iom_status_t call_read(struct iom_range *r, iom_ctx_t ctx, unsigned cpu,
			      uint64_t addr, uint64_t first, uint8_t *buf,
			      unsigned size, bool *deferred)
{
	uint8_t tmp[8];
	iom_status_t st = IOM_UNUSED;

	__builtin_memset(tmp, 0xff, sizeof(tmp));
	if (r->cb.mmio.read) {
		iom_count_call(cpu, r);
		st = r->cb.mmio.read(r->user, ctx, cpu,
				     iom_mmio_handler_addr(r, addr, first), tmp, size);
	}
	if (st == IOM_UNUSED)
		__builtin_memset(tmp, 0xff, sizeof(tmp));
	st = iom_handler_status(st, ctx, r, deferred);
	if (!*deferred)
		__builtin_memcpy(buf, tmp, size);
	return st;
}

static iom_status_t call_write(struct iom_range *r, iom_ctx_t ctx, unsigned cpu,
			       uint64_t addr, uint64_t first,
			       const uint8_t *buf, unsigned size,
			       bool *deferred)
{
	iom_status_t st = IOM_OK;

	if (r->cb.mmio.write) {
		iom_count_call(cpu, r);
		st = r->cb.mmio.write(r->user, ctx, cpu,
				      iom_mmio_handler_addr(r, addr, first), buf, size);
	}
	return iom_handler_status(st, ctx, r, deferred);
}

/* Pass-through: as issued if the size is one a CPU issues, otherwise as
 * naturally aligned pieces. */
static iom_status_t passthru(struct iom_range *r, iom_ctx_t ctx, unsigned cpu,
			     uint64_t a, uint64_t first, uint8_t *buf,
			     unsigned n, bool write, unsigned *got,
			     bool *deferred)
{
	iom_status_t acc = IOM_OK;

	while (*got < n) {
		unsigned rest = n - *got;
		unsigned p = is_whole_access(n) ? n : iom_pow2_piece(a + *got, rest, 8);
		iom_status_t st = write
			? call_write(r, ctx, cpu, a + *got, first, buf + *got, p, deferred)
			: call_read(r, ctx, cpu, a + *got, first, buf + *got, p, deferred);

		acc = iom_merge(acc, st);
		if (*deferred)
			break;
		*got += p;
	}
	return acc;
}

/* n bytes (at most 8, or not crossing a qword) at a. */
static iom_status_t read_part(struct iom_range *r, iom_ctx_t ctx, unsigned cpu,
			      uint64_t a, uint64_t first, uint8_t *buf,
			      unsigned n, unsigned *got, bool *deferred)
{
	uint32_t mode = r->flags & IOM_MMIO_READ_MASK;
	iom_status_t acc = IOM_OK;

	if (mode == IOM_MMIO_READ_PASSTHRU)
		return passthru(r, ctx, cpu, a, first, buf, n, false, got, deferred);
	if (read_aligned_whole(mode, a, n)) {
		acc = call_read(r, ctx, cpu, a, first, buf, n, deferred);
		if (!*deferred)
			*got = n;
		return acc;
	}
	/* Build the bytes from the aligned dwords they lie in. */
	while (*got < n) {
		uint64_t pa = a + *got;
		unsigned off = (unsigned)(pa & 3);
		unsigned part = 4 - off < n - *got ? 4 - off : n - *got;
		uint8_t dw[4];

		acc = iom_merge(acc, call_read(r, ctx, cpu, pa & ~(uint64_t)3,
						      first, dw, 4, deferred));
		if (*deferred)
			break;
		__builtin_memcpy(buf + *got, dw + off, part);
		*got += part;
	}
	return acc;
}

static iom_status_t write_part(struct iom_range *r, iom_ctx_t ctx, unsigned cpu,
			       uint64_t a, uint64_t first, uint8_t *buf,
			       unsigned n, unsigned *got, bool *deferred)
{
	uint32_t mode = r->flags & IOM_MMIO_WRITE_MASK;
	iom_status_t acc = IOM_OK;

	if (mode == IOM_MMIO_WRITE_PASSTHRU)
		return passthru(r, ctx, cpu, a, first, buf, n, true, got, deferred);
	if (write_aligned_whole(mode, a, n)) {
		acc = call_write(r, ctx, cpu, a, first, buf, n, deferred);
		if (!*deferred)
			*got = n;
		return acc;
	}
	if (mode == IOM_MMIO_WRITE_ONLY_DWORD
	    || mode == IOM_MMIO_WRITE_ONLY_DWORD_QWORD) {
		*got = n;       /* the device asked for these to be ignored */
		return IOM_OK;
	}

	bool read_missing = mode == IOM_MMIO_WRITE_DWORD_READ_MISSING
			    || mode == IOM_MMIO_WRITE_DWORD_QWORD_READ_MISSING;
	while (*got < n) {
		uint64_t pa = a + *got;
		uint64_t dwa = pa & ~(uint64_t)3;
		unsigned off = (unsigned)(pa & 3);
		unsigned part = 4 - off < n - *got ? 4 - off : n - *got;
		uint8_t dw[4] = { 0, 0, 0, 0 };

		if (read_missing && part != 4) {
			acc = iom_merge(acc, call_read(r, ctx, cpu, dwa,
							      first, dw, 4,
							      deferred));
			if (*deferred)
				break;
		}
		__builtin_memcpy(dw + off, buf + *got, part);
		acc = iom_merge(acc, call_write(r, ctx, cpu, dwa, first,
						       dw, 4, deferred));
		if (*deferred)
			break;
		*got += part;
	}
	return acc;
}

iom_status_t iom_mmio_range_io(struct iom_range *r, iom_ctx_t ctx,
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
		/* Wider than a qword: one bus transaction per qword it
		 * touches, as the hardware splits it. */
		unsigned n = len > 8 && 8 - (unsigned)(a & 7) < rest
			     ? 8 - (unsigned)(a & 7) : rest;
		unsigned got = 0;
		iom_status_t st = write
			? write_part(r, ctx, cpu, a, first, buf + *done, n, &got, deferred)
			: read_part(r, ctx, cpu, a, first, buf + *done, n, &got, deferred);

		acc = iom_merge(acc, st);
		*done += got;
		if (*deferred)
			break;
	}
	return acc;
}
