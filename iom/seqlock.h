/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/seqlock.h - the two synchronisation primitives of the IOM.
 *
 * Writers (create/map/unmap) are rare and serialise on a spinlock. Readers
 * (every guest access, on every CPU) must never wait for a lock, so the
 * tables they read are guarded by a sequence counter instead: a writer makes
 * the counter odd, changes the table, makes it even again; a reader notes the
 * counter, reads, and starts over if the counter was odd or has changed.
 *
 * The memory-ordering recipe is the one proven for C11 seqlocks (Boehm,
 * "Can seqlocks get along with programming language memory models?", 2012):
 * all protected data is accessed with relaxed atomics (so a torn read is a
 * retried read, never undefined behaviour); the writer puts a release fence
 * between the odd store and its data stores and releases the even value; the
 * reader acquires the first counter load and puts an acquire fence between
 * its data loads and the second counter load. If a reader saw any store of a
 * writer, the fences order that writer's odd store before the reader's second
 * counter load, so the reader sees the change and retries.
 */
#ifndef IOM_SEQLOCK_H
#define IOM_SEQLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "iom/iom_platform.h"

/* Takes the lock; adds the spins it waited (0 if it was free) to *spins,
 * which may be shared between CPUs (hence the atomic add, made only after a
 * wait, never on the uncontended path). */
static inline void iom_spin_lock(uint32_t *lock, uint64_t *spins)
{
	uint64_t n = 0;

	while (__atomic_exchange_n(lock, 1u, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(lock, __ATOMIC_RELAXED)) {
			iom_platform_relax();
			n++;
		}
	if (n)
		__atomic_fetch_add(spins, n, __ATOMIC_RELAXED);
}

static inline void iom_spin_unlock(uint32_t *lock)
{
	__atomic_store_n(lock, 0u, __ATOMIC_RELEASE);
}

/*
 * The counter is 64 bits wide because its value doubles as the table's
 * generation: lookup hints and queued writes remember it and compare it
 * later, and a 32-bit counter could wrap back to a remembered value (2^31
 * map/unmap pairs) and make a stale record look current. 2^63 cannot.
 */
static inline uint64_t iom_seq_read_begin(const uint64_t *seq)
{
	uint64_t s;

	while ((s = __atomic_load_n(seq, __ATOMIC_ACQUIRE)) & 1u)
		iom_platform_relax();
	return s;
}

/* True if what was read since iom_seq_read_begin returned `start` may be
 * inconsistent and must be read again. */
static inline bool iom_seq_read_retry(const uint64_t *seq, uint64_t start)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(seq, __ATOMIC_RELAXED) != start;
}

/* Writer side; the caller holds the registration lock, so it is the only
 * one changing the counter. */
static inline void iom_seq_write_begin(uint64_t *seq)
{
	uint64_t s = __atomic_load_n(seq, __ATOMIC_RELAXED);

	__atomic_store_n(seq, s + 1u, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static inline void iom_seq_write_end(uint64_t *seq)
{
	uint64_t s = __atomic_load_n(seq, __ATOMIC_RELAXED);

	__atomic_store_n(seq, s + 1u, __ATOMIC_RELEASE);
}

/* Relaxed atomic accessors for seqcount-protected fields. */
#define IOM_LOAD(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#define IOM_STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)

#endif
