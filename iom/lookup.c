/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/lookup.c - finding the range mapped at an address, without a lock.
 *
 * Each space keeps its mapped ranges in an array sorted by first address
 * (ranges never overlap), so a lookup is a binary search: O(log n). Before
 * searching, the CPU tries the table slot that answered its previous access
 * of the same kind; devices are usually hit many times in a row.
 *
 * Why this is correct while other CPUs map and unmap:
 *  - Writers are serialised by the registration lock and change the table
 *    only inside a seqcount write section (table.c). A reader records the
 *    counter before reading and accepts its result only if the counter was
 *    even and is unchanged afterwards; otherwise it starts over. So an
 *    accepted result was computed from a table no writer touched meanwhile:
 *    a consistent snapshot, as of some instant during the lookup.
 *  - All table fields are read and written with relaxed atomics, so a read
 *    that overlaps a write yields some stale or new value (and a retry),
 *    never undefined behaviour; indices read during a torn section are
 *    bounds-checked before use, and the binary search terminates whatever
 *    values it reads.
 *  - The hint is a copy of the table entry of the CPU's last hit, tagged
 *    with the seqcount value of the snapshot it came from (the table's
 *    generation; 64 bits, so it never wraps back, see seqlock.h). If the
 *    counter still holds that value, no writer has started since, so the
 *    table is exactly as it was and the copy is current: a hit then costs one
 *    counter load and two compares, with no table read and no retry check.
 *    If the counter moved on, the hint is stale: it is counted and ignored
 *    (never trusted, even if the range happens to be where it was), and the
 *    binary search answers and leaves a fresh hint.
 *  - The range index found stays meaningful after the section ends: ranges
 *    are never destroyed and their handlers and user pointers never change.
 *    If the range is unmapped right after the lookup, the access completes
 *    as if it had happened just before the unmap, which is what a
 *    transaction in flight on real hardware does.
 *  - Readers wait only while a writer is inside its (short) write section;
 *    they never wait for the lock, and writers never wait for readers.
 */
#include "iom/iom_internal.h"

static bool entry_covers(const struct iom_map_entry *e, uint64_t addr,
			 struct iom_hit *hit)
{
	uint64_t first = IOM_LOAD(&e->first), last = IOM_LOAD(&e->last);

	if (addr < first || addr > last)
		return false;
	hit->found = true;
	hit->first = first;
	hit->last = last;
	hit->range = IOM_LOAD(&e->range);
	return true;
}

/* The binary search over the sorted table, retried until it read a
 * consistent snapshot. */
void iom_search(struct iom_addr_space *s, uint64_t addr, struct iom_hit *hit)
{
	for (;;) {
		uint64_t seq = iom_seq_read_begin(&s->seq);
		uint32_t n = IOM_LOAD(&s->n_map);
		uint32_t lo = 0, hi;

		if (n > s->max_ranges)          /* torn; the retry fixes it */
			n = s->max_ranges;
		hi = n;
		hit->found = false;
		hit->next = UINT64_MAX;
		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;
			const struct iom_map_entry *e = &s->map[mid];

			if (entry_covers(e, addr, hit))
				break;
			if (addr < IOM_LOAD(&e->first))
				hi = mid;
			else
				lo = mid + 1;
		}
		if (!hit->found && lo < n)
			hit->next = IOM_LOAD(&s->map[lo].first);

		if (iom_seq_read_retry(&s->seq, seq))
			continue;
		/* A range index from a consistent snapshot is always in
		 * bounds; check anyway so a bug cannot index out of the table. */
		if (hit->found && hit->range >= s->max_ranges)
			continue;
		hit->gen = seq;
		return;
	}
}

void iom_lookup(struct iom_addr_space *s, uint64_t addr, struct iom_hint *hint,
		struct iom_hit *hit)
{
	hit->hint_hit = false;
	hit->hint_stale = false;
	if (hint) {
		/* Acquire: pairs with the writer's release of the even value
		 * that made the hinted snapshot (or a later one). */
		uint64_t gen = __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE);

		if (gen == hint->gen) {
			if (addr >= hint->first && addr <= hint->last) {
				hit->found = true;
				hit->hint_hit = true;
				hit->range = hint->range;
				hit->first = hint->first;
				hit->last = hint->last;
				hit->gen = gen;
				return;
			}
		} else if (hint->first <= hint->last) {
			hit->hint_stale = true;
		}
	}
	iom_search(s, addr, hit);
	if (hit->found && hint)
		*hint = (struct iom_hint){
			.gen = hit->gen, .first = hit->first, .last = hit->last,
			.range = hit->range,
		};
	else if (hit->hint_stale)
		*hint = (struct iom_hint){ .first = 1, .last = 0,
					   .range = IOM_NO_RANGE };
	/* (a stale hint is counted once: it is replaced or emptied here) */
}

void iom_lookup_counted(unsigned cpu, iom_space_t sp, enum iom_op op,
			uint64_t addr, struct iom_hit *hit)
{
	iom_lookup(&iom_spaces[sp], addr, &iom_cpus[cpu].hint[sp][op], hit);
	if (hit->hint_hit) {
		iom_count_cpu(cpu, sp, IOM_STAT_HINT_HITS, 1);
		return;
	}
	iom_count_cpu(cpu, sp, IOM_STAT_HINT_MISSES, 1);
	if (hit->hint_stale)
		iom_count_cpu(cpu, sp, IOM_STAT_HINT_STALE, 1);
}

void iom_hints_reset(struct iom_cpu *c)
{
	for (unsigned sp = 0; sp < IOM_SPACE_COUNT; sp++)
		for (unsigned op = 0; op < IOM_OP_COUNT; op++)
			c->hint[sp][op] = (struct iom_hint){
				.first = 1, .last = 0, .range = IOM_NO_RANGE,
			};
}
