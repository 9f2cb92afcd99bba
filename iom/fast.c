/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/fast.c - the parts of the single-call path (fast.h) kept out of line:
 * the table search on a hint miss, and the rare outcomes, settled by the
 * same rules the walk and the read/write entry points apply (access.c).
 */
#include "iom/fast.h"

bool iom_fast_search(struct iom_addr_space *s, const struct iom_hint *h, uint64_t addr,
		     unsigned len, uint64_t gen, struct iom_hit *hit)
{
	iom_search(s, addr, hit);
	if (!hit->found || addr + (len - 1) > hit->last)
		return false;
	hit->hint_hit = false;
	/* Stale exactly when iom_lookup would call it so: the hint was from
	 * an older table and not empty. */
	hit->hint_stale = gen != h->gen && h->first <= h->last;
	return true;
}

iom_status_t iom_fast_outcome(unsigned cpu, iom_space_t sp, struct iom_range *r,
			      iom_status_t st, bool write, uint64_t addr,
			      const uint8_t *data, unsigned len)
{
	bool deferred = false;

	st = iom_handler_status_slow(st, IOM_CTX_EXIT, r, &deferred);
	if (!deferred)
		return st;
	iom_count_range(cpu, r, IOM_RSTAT_DEFERRED, 1);
	if (!write) {
		/* Nothing of it was read: the retry from deferred context
		 * reads it all. */
		iom_count_deferred(cpu, sp, false);
		return IOM_READ_DEFERRED;
	}
	/* The queue was empty (iom_fast_begin), so the write fits. */
	iom_status_t q = iom_queue_access(cpu, sp, addr, data, len, r->index);
	if (q != IOM_OK) {
		iom_platform_log("iom: cpu %u: no room to queue a deferred write at %llx (a handler deferred after nested writes)",
				 cpu, (unsigned long long)addr);
		return IOM_INTERNAL_ERROR;
	}
	return st;
}
