/* SPDX-License-Identifier: GPL-2.0-only */
/* A test-and-test-and-set spinlock for the host. Host code runs with interrupts
 * off, so no lock is ever taken re-entrantly from an interrupt on the same CPU. */
#ifndef HV_SPINLOCK_H
#define HV_SPINLOCK_H

#include <stdbool.h>
#include "hv/cpu.h"

struct spinlock {
	volatile int locked;
};

#define SPINLOCK_INIT { 0 }

static inline bool spin_trylock(struct spinlock *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void spin_lock(struct spinlock *l)
{
	while (!spin_trylock(l))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			cpu_relax();
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
