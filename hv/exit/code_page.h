/* SPDX-License-Identifier: GPL-2.0-only */
/* The MMIO fast path's instruction fetch with a per-vCPU memory of the last
 * code page's translation (hv/exit/code_page.c). */
#ifndef HV_EXIT_CODE_PAGE_H
#define HV_EXIT_CODE_PAGE_H

#include "hv/exit/code_key.h"
#include "hv/vcpu.h"
#include "hv/x86/fetch64.h"

/* x86_fetch64 of the bytes at the vCPU's RIP, in 64-bit mode; 0 to decline.
 * k: the vCPU's code key for cs (hv/exit/code_key.h). */
unsigned code_page_fetch(struct vcpu *v, const struct x86_code_state *cs, const struct code_key *k,
			 uint8_t buf[X86_FETCH64_BUF]);

/* x86_data64_allowed for the MOV the fast path decoded, with the fetch's view
 * of guest RAM. */
bool code_page_data_allowed(struct vcpu *v, const struct x86_code_state *cs,
			    const struct code_key *k, uint64_t la, bool write, uint64_t gpa);

/* The walks behind the vCPU's last successful code_page_fetch and
 * code_page_data_allowed (hv/exit/mmio_last.c keeps them). */
const struct x86_fetch_walk *code_page_walk(const struct vcpu *v);
const struct x86_fetch_walk *data_page_walk(const struct vcpu *v);

/* One kept paging entry read again: zero if it still holds what the walk read. */
static inline uint64_t code_walk_changed(const struct x86_fetch_walk *w, unsigned i)
{
	return *(const volatile uint64_t *)(uintptr_t)w->addr[i] ^ w->entry[i];
}

/* Does every paging entry the walk read still hold what it read? Every level
 * is read and the differences are ORed, with one branch at the end: this runs
 * twice on each repeated MMIO access (hv/exit/mmio_last.c), and a loop with an
 * early exit costs twice the instructions per level. Reading a level past a
 * changed one is harmless: each address is one the walk read, in guest RAM
 * under the same nested-map generation (the code key, compared first). */
static inline bool code_walk_current(const struct x86_fetch_walk *w)
{
	uint64_t changed = 0;

	_Static_assert(X86_FETCH64_MAX_LEVELS == 5, "one case per level below");
	switch (w->levels) {
	case 5:
		changed |= code_walk_changed(w, 4);
		/* fall through */
	case 4:
		changed |= code_walk_changed(w, 3);
		/* fall through */
	case 3:
		changed |= code_walk_changed(w, 2);
		/* fall through */
	case 2:
		changed |= code_walk_changed(w, 1);
		/* fall through */
	case 1:
		changed |= code_walk_changed(w, 0);
		/* fall through */
	case 0:
		break;
	}
	return !changed;
}

#endif
