/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/trace/ring.h"

void trace_ring_append(struct trace_ring *r, const struct trace_record *rec, bool printing)
{
	/* While printing, a record about to be overwritten unprinted is lost; while
	 * not printing the ring is just history, and nothing waits to be printed. */
	if (!printing)
		r->printed = r->head; /* nothing waits, so nothing is lost */
	*trace_ring_push(r) = *rec;
	if (!printing)
		r->printed = r->head;
}

const struct trace_record *trace_ring_next_unprinted(struct trace_ring *r)
{
	if (r->printed >= r->head)
		return 0;
	return &r->rec[r->printed++ % TRACE_RING_SIZE];
}

uint64_t trace_ring_take_lost(struct trace_ring *r)
{
	uint64_t n = r->lost;
	r->lost = 0;
	return n;
}

unsigned trace_ring_count(const struct trace_ring *r)
{
	return r->head < TRACE_RING_SIZE ? (unsigned)r->head : TRACE_RING_SIZE;
}

const struct trace_record *trace_ring_at(const struct trace_ring *r, unsigned i)
{
	uint64_t oldest = r->head - trace_ring_count(r);
	return &r->rec[(oldest + i) % TRACE_RING_SIZE];
}
