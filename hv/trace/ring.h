/* SPDX-License-Identifier: GPL-2.0-only */
/* A ring of trace records: the last TRACE_RING_SIZE accesses one CPU made to
 * traced ranges. Writers append in exit context (no printing there); the
 * deferred-work step prints what is new when tracing is on; "trace show" lists
 * the history. A record overwritten before it was printed is counted as lost and
 * reported, never dropped silently. One ring per CPU, written only by its CPU;
 * readers on other CPUs get a best-effort snapshot. Pure C (unit-tested). */
#ifndef HV_TRACE_RING_H
#define HV_TRACE_RING_H

#include <stdbool.h>
#include <stdint.h>

#define TRACE_RING_SIZE 256 /* a power of two */

enum trace_kind { TRACE_PORT, TRACE_MMIO, TRACE_PCI };

struct trace_record {
	uint64_t tsc;
	uint64_t rip;
	uint64_t addr;	/* port, guest-physical address, or PCI config address (pci.h) */
	uint64_t value;
	uint16_t cpu;
	uint8_t kind;	/* enum trace_kind */
	uint8_t write;
	uint8_t size;
	uint16_t rule;	/* the rule that recorded it (1-based), 0 for a device's own record */
};

struct trace_ring {
	struct trace_record rec[TRACE_RING_SIZE];
	uint64_t head;	  /* records ever appended */
	uint64_t printed; /* records consumed by trace_ring_next_unprinted */
	uint64_t lost;	  /* records overwritten before they were printed */
};

void trace_ring_append(struct trace_ring *r, const struct trace_record *rec, bool printing);
/* The same while printing, filled in place: the slot of a new record, for the
 * caller to fill at once (no copy on the exit path). */
static inline struct trace_record *trace_ring_push(struct trace_ring *r)
{
	if (r->head - r->printed >= TRACE_RING_SIZE) {
		r->lost++;
		r->printed++;
	}
	return &r->rec[r->head++ % TRACE_RING_SIZE];
}
/* The oldest record not yet printed, or NULL; it counts as printed. */
const struct trace_record *trace_ring_next_unprinted(struct trace_ring *r);
/* Takes and clears the count of lost records. */
uint64_t trace_ring_take_lost(struct trace_ring *r);
/* The i-th oldest record still held (0 .. count-1). */
unsigned trace_ring_count(const struct trace_ring *r);
const struct trace_record *trace_ring_at(const struct trace_ring *r, unsigned i);

#endif
