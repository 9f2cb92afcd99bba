/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/complete.c - the end of a read that deferred: the queued writes, then
 * the read again from deferred context (iom.h, iom_complete_deferred_read, says why the
 * retry always follows).
 */
#include "iom/iom_internal.h"

iom_status_t iom_complete_deferred_read(unsigned cpu, iom_retry_fn *retry, void *arg)
{
	iom_status_t drained = iom_drain_deferred(cpu);

	return iom_merge(retry(arg), drained);
}
