/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/mmio_size.h - which MMIO accesses a range's access-size mode (iom.h)
 * lets through as one handler call. Inline: the single-call path (fast.h)
 * asks on every MMIO access, and the size adaptation (mmio_size.c) asks
 * the same questions.
 */
#ifndef IOM_MMIO_SIZE_H
#define IOM_MMIO_SIZE_H

#include "iom/iom_internal.h"

static inline bool is_whole_access(unsigned n)
{
	return n == 1 || n == 2 || n == 4 || n == 8;
}

/* An aligned dword, or an aligned qword where the mode takes qwords: one
 * call as issued, whatever else the mode does with other sizes. */
static inline bool read_aligned_whole(uint32_t mode, uint64_t a, unsigned n)
{
	return (n == 4 && !(a & 3))
	       || (n == 8 && !(a & 7) && mode == IOM_MMIO_READ_DWORD_QWORD);
}

static inline bool write_mode_allows_qword(uint32_t mode)
{
	return mode == IOM_MMIO_WRITE_DWORD_QWORD_ZEROED
	       || mode == IOM_MMIO_WRITE_DWORD_QWORD_READ_MISSING
	       || mode == IOM_MMIO_WRITE_ONLY_DWORD_QWORD;
}

static inline bool write_aligned_whole(uint32_t mode, uint64_t a, unsigned n)
{
	return (n == 4 && !(a & 3))
	       || (n == 8 && !(a & 7) && write_mode_allows_qword(mode));
}

/* True if the MMIO range's size mode passes n bytes at a (all in the range,
 * n <= 8) to its handler as one call of n bytes at a. */
static inline bool iom_mmio_one_call(const struct iom_range *r, uint64_t a,
				     unsigned n, bool write)
{
	if (write) {
		uint32_t mode = r->flags & IOM_MMIO_WRITE_MASK;

		return mode == IOM_MMIO_WRITE_PASSTHRU ? is_whole_access(n)
						       : write_aligned_whole(mode, a, n);
	}
	uint32_t mode = r->flags & IOM_MMIO_READ_MASK;

	return mode == IOM_MMIO_READ_PASSTHRU ? is_whole_access(n)
					      : read_aligned_whole(mode, a, n);
}

#endif
