#include "hv/trap_map.h"
#include "hv/spinlock.h"
#include "hv/cpu.h"

#define MAX_TRAPS 128
#define MAX_HIDDEN 8

struct span {
	uint64_t base, size;
};

static struct span traps[MAX_TRAPS];
static unsigned ntraps;
static struct span hidden[MAX_HIDDEN];
static unsigned nhidden;
static struct spinlock lock = SPINLOCK_INIT;

static bool in(const struct span *s, uint64_t a)
{
	return a >= s->base && a - s->base < s->size;
}

int trap_map_set(uint64_t gpa, uint64_t size, bool trapped)
{
	int rc = 0;
	uint64_t flags = irq_save();
	spin_lock(&lock);
	if (trapped) {
		if (ntraps < MAX_TRAPS)
			traps[ntraps++] = (struct span){ gpa, size };
		else
			rc = -1;
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
	if (nhidden < MAX_HIDDEN)
		hidden[nhidden++] = (struct span){ gpa, size };
}

bool trap_map_is_hidden(uint64_t gpa)
{
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
	for (unsigned i = 0; i < n; i++)
		if (in(&traps[i], gpa))
			return true;
	return false;
}
