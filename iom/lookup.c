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
 *  - The hint is only a table slot. It is used inside the same read section
 *    as the search and only accepted if that slot, in the accepted snapshot,
 *    covers the address. Ranges never overlap, so any entry that covers the
 *    address is the right one: a hint can be stale, but never wrong, and no
 *    generation has to be attached to it (no ABA problem on counter wrap).
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

void iom_lookup(struct iom_addr_space *s, uint64_t addr, uint32_t *hint,
		struct iom_hit *hit)
{
	for (;;) {
		uint32_t seq = iom_seq_read_begin(&s->seq);
		uint32_t n = IOM_LOAD(&s->n_map);
		uint32_t slot = 0;

		if (n > s->max_ranges)          /* torn; the retry fixes it */
			n = s->max_ranges;
		hit->found = false;
		hit->hint_hit = false;
		hit->next = UINT64_MAX;

		if (hint && *hint < n && entry_covers(&s->map[*hint], addr, hit)) {
			hit->hint_hit = true;
			slot = *hint;
		} else {
			uint32_t lo = 0, hi = n;

			while (lo < hi) {
				uint32_t mid = lo + (hi - lo) / 2;
				const struct iom_map_entry *e = &s->map[mid];

				if (entry_covers(e, addr, hit)) {
					slot = mid;
					break;
				}
				if (addr < IOM_LOAD(&e->first))
					hi = mid;
				else
					lo = mid + 1;
			}
			if (!hit->found && lo < n)
				hit->next = IOM_LOAD(&s->map[lo].first);
		}

		if (iom_seq_read_retry(&s->seq, seq))
			continue;
		/* A range index from a consistent snapshot is always in
		 * bounds; check anyway so a bug cannot index out of the table. */
		if (hit->found && hit->range >= s->max_ranges)
			continue;
		if (hit->found && hint)
			*hint = slot;
		return;
	}
}
