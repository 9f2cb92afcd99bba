/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/mem/trap_map.h"
#include "hv/spinlock.h"
#include "hv/cpu.h"

#define MAX_TRAPS 128
#define MAX_HIDDEN 8

struct span {
	uint64_t base, size;
};

/* Bounds that hold every span a list ever held (they only grow). Most
 * addresses asked about - the guest's page tables and code on the MMIO fast
 * path (hv/exit/mmio_fast.c) - lie outside them and are answered without going
 * through the list. */
struct bounds {
	uint64_t lo, hi; /* [lo, hi); empty while lo == hi */
};

static struct span traps[MAX_TRAPS];
static unsigned ntraps;
static struct bounds traps_bounds;
static struct span hidden[MAX_HIDDEN];
static unsigned nhidden;
static struct bounds hidden_bounds;
static struct spinlock lock = SPINLOCK_INIT;

static bool in(const struct span *s, uint64_t a)
{
	return a >= s->base && a - s->base < s->size;
}

static void grow(struct bounds *b, uint64_t gpa, uint64_t size)
{
	if (b->lo == b->hi || gpa < b->lo)
		b->lo = gpa;
	if (gpa + size > b->hi)
		b->hi = gpa + size;
}

int trap_map_set(uint64_t gpa, uint64_t size, bool trapped)
{
	int rc = 0;
	uint64_t flags = irq_save();
	spin_lock(&lock);
	if (trapped) {
		if (ntraps < MAX_TRAPS) {
			/* Entry and bounds first, then the count that makes
			 * readers look at them. */
			traps[ntraps] = (struct span){ gpa, size };
			grow(&traps_bounds, gpa, size);
			__atomic_store_n(&ntraps, ntraps + 1, __ATOMIC_RELEASE);
		} else {
			rc = -1;
		}
	} else {
		for (unsigned i = 0; i < ntraps; i++) {
			if (traps[i].base == gpa && traps[i].size == size) {
				traps[i] = traps[--ntraps];
				break;
			}
		}
	}
	spin_unlock(&lock);
	irq_restore(flags);
	return rc;
}

void trap_map_hide(uint64_t gpa, uint64_t size)
{
	if (nhidden < MAX_HIDDEN) {
		hidden[nhidden++] = (struct span){ gpa, size };
		grow(&hidden_bounds, gpa, size);
	}
}

static bool within(const struct bounds *b, uint64_t gpa)
{
	return gpa - b->lo < b->hi - b->lo;
}

void trap_map_windows(uint64_t lo[2], uint64_t hi[2])
{
	/* The count first, as trap_map_is_special reads it. */
	(void)__atomic_load_n(&ntraps, __ATOMIC_ACQUIRE);
	lo[0] = hidden_bounds.lo;
	hi[0] = hidden_bounds.hi;
	lo[1] = traps_bounds.lo;
	hi[1] = traps_bounds.hi;
}

bool trap_map_is_hidden(uint64_t gpa)
{
	if (!within(&hidden_bounds, gpa))
		return false;
	for (unsigned i = 0; i < nhidden; i++)
		if (in(&hidden[i], gpa))
			return true;
	return false;
}

/* Readers do not lock: a page whose trap changes during one emulated instruction
 * is routed by either state, as the hardware would have done one instant earlier
 * or later. Entries are written whole before the count includes them. */
bool trap_map_is_special(uint64_t gpa)
{
	if (trap_map_is_hidden(gpa))
		return true;
	unsigned n = __atomic_load_n(&ntraps, __ATOMIC_ACQUIRE);
	if (!within(&traps_bounds, gpa))
		return false;
	for (unsigned i = 0; i < n; i++)
		if (in(&traps[i], gpa))
			return true;
	return false;
}
