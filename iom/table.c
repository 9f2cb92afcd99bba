/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/table.c - the writer side of the sorted lookup tables.
 *
 * Called with the registration lock held, so only one writer runs; readers
 * on other CPUs may be reading the table at the same time, which is why every
 * store goes through IOM_STORE inside a seqcount write section (see
 * seqlock.h and the argument in lookup.c).
 */
#include "iom/iom_internal.h"

bool iom_table_overlaps(const struct iom_addr_space *s, uint64_t first,
			uint64_t last)
{
	/* The lock is held, so the table cannot change under us; a linear scan
	 * over at most IOM_MAX_*_RANGES entries is plenty for a rare call. */
	for (uint32_t i = 0; i < s->n_map; i++)
		if (first <= s->map[i].last && s->map[i].first <= last)
			return true;
	return false;
}

static void store_entry(struct iom_map_entry *dst,
			const struct iom_map_entry *src)
{
	IOM_STORE(&dst->first, src->first);
	IOM_STORE(&dst->last, src->last);
	IOM_STORE(&dst->range, src->range);
}

void iom_table_publish(struct iom_addr_space *s, uint32_t index, uint64_t base)
{
	struct iom_range *r = &s->ranges[index];
	struct iom_map_entry e = {
		.first = base, .last = base + r->size - 1, .range = index,
	};
	uint32_t n = s->n_map, pos = 0;

	while (pos < n && s->map[pos].first < base)
		pos++;

	iom_seq_write_begin(&s->seq);
	for (uint32_t i = n; i > pos; i--)
		store_entry(&s->map[i], &s->map[i - 1]);
	store_entry(&s->map[pos], &e);
	IOM_STORE(&s->n_map, n + 1);
	IOM_STORE(&r->base, base);
	IOM_STORE(&r->mapped, 1u);
	iom_seq_write_end(&s->seq);
}

void iom_table_unpublish(struct iom_addr_space *s, uint32_t index)
{
	uint32_t n = s->n_map, pos = 0;

	while (pos < n && s->map[pos].range != index)
		pos++;
	if (pos == n)
		return;         /* callers check mapped first; nothing to do */

	iom_seq_write_begin(&s->seq);
	for (uint32_t i = pos; i + 1 < n; i++)
		store_entry(&s->map[i], &s->map[i + 1]);
	IOM_STORE(&s->n_map, n - 1);
	IOM_STORE(&s->ranges[index].mapped, 0u);
	iom_seq_write_end(&s->seq);
}
