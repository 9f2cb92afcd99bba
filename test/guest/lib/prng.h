/* SPDX-License-Identifier: GPL-2.0-only */
/* A deterministic pseudo-random generator for the test guests: splitmix64
 * (Steele, Lea and Flood's SplittableRandom finalizer), whose state is a plain
 * counter, so any draw can be recomputed from the seed and its index. */
#ifndef GUEST_PRNG_H
#define GUEST_PRNG_H

#include <stdint.h>

struct prng {
	uint64_t state;
};

static inline uint64_t prng_next(struct prng *p)
{
	uint64_t z = (p->state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* A generator of its own for item index of the stream seed. */
static inline struct prng prng_for(uint64_t seed, uint64_t index)
{
	struct prng p = { seed ^ (index * 0xD1B54A32D192ED03ull) };
	prng_next(&p);
	return p;
}

/* Uniform in [0, n) (n > 0; the bias of the modulo is irrelevant here). */
static inline uint64_t prng_below(struct prng *p, uint64_t n)
{
	return prng_next(p) % n;
}

#endif
