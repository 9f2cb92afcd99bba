/* SPDX-License-Identifier: GPL-2.0-only */
/* The nested map: the guest-physical to host-physical identity map all vCPUs
 * share, the NPT on AMD SVM (svm/npt.c) and the EPT on Intel VMX (vmx/ept.c).
 * Both have the shape of hv/mem/idmap.h and differ only in their entries' bits, so
 * one writer (hv/mem/nested_map.c) builds and changes both; the vendor file gives it
 * the entry format (struct nested_format) and nothing else.
 *
 * Changes keep the map whole at every instant another CPU may walk it, and fail
 * whole: a trap or hide that cannot have the page-table pages it needs changes
 * nothing (the GiBs it maps on demand excepted, which map plain memory just as
 * a guest access there would), says so on the console and returns -1. */
#ifndef HV_NESTED_MAP_H
#define HV_NESTED_MAP_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/mem/idmap.h"

struct nested_map;

/* An entry format. In both formats bits 51:12 hold the address, bit 7 marks a
 * large leaf (a 1-GiB PDPTE or 2-MiB PDE: SDM Vol. 3A §4.5, Vol. 3C §29.3.2,
 * AMD APM Vol. 2 §15.25.5), and an all-zero entry is not present (the hidden
 * encoding: the hypervisor's own memory). */
struct nested_format {
	uint64_t table;	  /* a non-leaf entry's bits besides the table's address */
	uint64_t present; /* the bits of which any marks an entry present */
	uint64_t large;	  /* a large leaf (bit 7 in both) */
	/* The leaf that maps [pa, pa + size) as plain memory, size 1 GiB, 2 MiB
	 * or 4 KiB; 0 where one leaf cannot (no 1-GiB pages, or the EPT memory
	 * type is not the same throughout): the map then gets a table of leaves
	 * one level down. Never 0 for 4 KiB. */
	uint64_t (*plain)(uint64_t pa, uint64_t size);
	/* The 4-KiB leaf for an MMIO trap at pa: every access exits, with the
	 * guest-physical address. */
	uint64_t (*trapped)(uint64_t pa);
	/* Whether a leaf maps plain memory (neither trapped nor hidden). */
	bool (*is_plain)(uint64_t entry);
};

struct nested_map {
	struct idmap idmap; /* the shape, GiBs on demand, and the writers' lock */
	const struct nested_format *format;
	/* Bumped on every change of a present entry: a vCPU flushes its
	 * guest-physical TLB entries before it runs the guest again when it sees
	 * a new value (nested_map_generation). */
	uint64_t generation;
	unsigned leaves[3]; /* built so far: 1 GiB, 2 MiB, 4 KiB, for the log */
};

#define NESTED_MAP_INIT(map_name, fmt)                                                   \
	{ .idmap = { .name = map_name, .lock = SPINLOCK_INIT }, .format = fmt }

/* Identity-maps what the start needs (hv/mem/idmap.h) with the largest leaves the
 * format gives. Panics when the pool cannot hold it. */
void nested_map_init(struct nested_map *m, unsigned phys_bits, bool gib_pages, uint64_t top);
uint64_t nested_map_root(const struct nested_map *m);
/* [gpa, gpa + size), whole 4-KiB pages, becomes trapped (trap) or plain
 * memory. 0, or -1 (nothing changed, said on the console) out of memory. */
int nested_map_set_trap(struct nested_map *m, uint64_t gpa, uint64_t size, bool trap);
/* [gpa, gpa + size) becomes not present: the hypervisor's own memory. 0 or -1
 * as nested_map_set_trap. */
int nested_map_hide(struct nested_map *m, uint64_t gpa, uint64_t size);
/* For a fault at gpa: when gpa lies beyond what was mapped at start, maps its
 * GiB and returns true if the access may simply run again (plain memory);
 * false for everything the exit handler must handle. */
bool nested_map_on_demand(struct nested_map *m, uint64_t gpa);
uint64_t nested_map_generation(const struct nested_map *m);

/* The guest map: the nested map of the backend that runs (one per machine:
 * the last nested_map_init), for the backend's hooks and the exit handlers.
 * guest_map_hide panics when it fails: the hypervisor cannot run with its own
 * memory in the guest's reach. */
int guest_map_set_trap(uint64_t gpa, uint64_t size, bool trap);
void guest_map_hide(uint64_t gpa, uint64_t size);
bool guest_map_on_demand(uint64_t gpa);
uint64_t guest_map_generation(void);

#endif
