/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests: lock-free lookups on several "CPUs" (host threads) while
 * another CPU maps and unmaps ranges. Every answer a reader gets must be one
 * that was true at some instant: the stable range always answers with the
 * right offset, the moving range answers with the right offset or not at
 * all, and nothing else ever answers. */
#include <pthread.h>
#include <sched.h>

#include "test/unit/iom_test_platform.h"

#define READERS 3
#define ITERATIONS 100000
#define FILLERS 8
#define MMIO_BASE 0xC0000000ull
#define PAGE 4096ull

/* Handlers are pure functions of their arguments: the value tells the reader
 * which range answered and at which offset. Tag in bits 8+, offset below. */
enum { TAG_STABLE = 0xA, TAG_MOVER = 0xB, TAG_FILLER = 0xC };

static unsigned bad_offsets;

static iom_status_t tag_in(void *user, iom_ctx_t ctx, unsigned cpu,
			   uint16_t port, unsigned size, uint32_t *value)
{
	(void)ctx; (void)cpu; (void)size;
	uintptr_t tag = (uintptr_t)user;

	if (port >= 4)
		__atomic_fetch_add(&bad_offsets, 1, __ATOMIC_RELAXED);
	*value = (uint32_t)(tag << 8 | port);
	return IOM_OK;
}

static iom_status_t tag_read(void *user, iom_ctx_t ctx, unsigned cpu,
			     uint64_t addr, void *buf, unsigned size)
{
	(void)ctx; (void)cpu;
	uint64_t v = (uint64_t)(uintptr_t)user << 32 | addr;

	if (addr >= PAGE)
		__atomic_fetch_add(&bad_offsets, 1, __ATOMIC_RELAXED);
	memcpy(buf, &v, size);
	return IOM_OK;
}

static iom_port_handle_t stable_port, mover_port, filler_port[FILLERS];
static iom_mmio_handle_t stable_mmio, mover_mmio;
static int stop;

struct reader_result {
	unsigned cpu;
	unsigned wrong;
	unsigned mover_hits, mover_misses;
};

static void *reader(void *arg)
{
	struct reader_result *r = arg;

	for (unsigned i = 0; i < ITERATIONS; i++) {
		uint32_t v;
		uint64_t q;

		/* The stable range never moves: always found, right offset. */
		if (iom_port_read(r->cpu, IOM_CTX_EXIT, 0x101, 2, &v) != IOM_OK || v != (TAG_STABLE << 8 | 1))
			r->wrong++;
		/* The mover is at 0x200, at 0x300, or nowhere. */
		uint16_t port = (i & 1) ? 0x302 : 0x202;
		if (iom_port_read(r->cpu, IOM_CTX_EXIT, port, 2, &v) != IOM_OK)
			r->wrong++;
		else if (v == 0xFFFF)
			r->mover_misses++;
		else if (v == (TAG_MOVER << 8 | 2))
			r->mover_hits++;
		else
			r->wrong++;

		if (iom_mmio_read(r->cpu, IOM_CTX_EXIT, MMIO_BASE + 0x18, &q, 8) != IOM_OK
		    || q != ((uint64_t)TAG_STABLE << 32 | 0x18))
			r->wrong++;
		uint64_t gpa = MMIO_BASE + ((i & 1) ? 2 : 4) * PAGE + 0x20;
		if (iom_mmio_read(r->cpu, IOM_CTX_EXIT, gpa, &q, 8) != IOM_OK)
			r->wrong++;
		else if (q == UINT64_MAX)
			r->mover_misses++;
		else if (q == ((uint64_t)TAG_MOVER << 32 | 0x20))
			r->mover_hits++;
		else
			r->wrong++;
	}
	return NULL;
}

/* Maps and unmaps in a loop, shuffling the table around the stable ranges
 * (fillers below them shift their slots, so stale hints are exercised). */
static void *writer(void *arg)
{
	unsigned *rounds = arg;

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		unsigned k = *rounds % FILLERS;

		iom_port_map(mover_port, (*rounds & 1) ? 0x300 : 0x200);
		iom_mmio_map(mover_mmio, MMIO_BASE + ((*rounds & 1) ? 2 : 4) * PAGE);
		iom_port_map(filler_port[k], (uint16_t)(0x10 * (k + 1)));
		sched_yield();
		iom_port_unmap(mover_port);
		iom_mmio_unmap(mover_mmio);
		if (*rounds & 2)
			iom_port_unmap(filler_port[k]);
		(*rounds)++;
	}
	return NULL;
}

static void create_ranges(void)
{
	struct iom_port_config pc = { .count = 4, .in = tag_in };
	struct iom_mmio_config mc = { .size = PAGE, .read = tag_read };

	pc.name = "stable";
	pc.user = (void *)(uintptr_t)TAG_STABLE;
	assert_int_equal(iom_port_create(&pc, &stable_port), IOM_E_OK);
	assert_int_equal(iom_port_map(stable_port, 0x100), IOM_E_OK);
	pc.name = "mover";
	pc.user = (void *)(uintptr_t)TAG_MOVER;
	assert_int_equal(iom_port_create(&pc, &mover_port), IOM_E_OK);
	pc.name = "filler";
	pc.user = (void *)(uintptr_t)TAG_FILLER;
	for (unsigned i = 0; i < FILLERS; i++)
		assert_int_equal(iom_port_create(&pc, &filler_port[i]), IOM_E_OK);

	mc.name = "stable";
	mc.user = (void *)(uintptr_t)TAG_STABLE;
	assert_int_equal(iom_mmio_create(&mc, &stable_mmio), IOM_E_OK);
	assert_int_equal(iom_mmio_map(stable_mmio, MMIO_BASE), IOM_E_OK);
	mc.name = "mover";
	mc.user = (void *)(uintptr_t)TAG_MOVER;
	assert_int_equal(iom_mmio_create(&mc, &mover_mmio), IOM_E_OK);
}

static void test_lookups_during_map_unmap(void **state)
{
	(void)state;
	pthread_t w, r[READERS];
	struct reader_result res[READERS];
	unsigned rounds = 0;

	create_ranges();
	stop = 0;
	bad_offsets = 0;
	assert_int_equal(pthread_create(&w, NULL, writer, &rounds), 0);
	for (unsigned i = 0; i < READERS; i++) {
		res[i] = (struct reader_result){ .cpu = i + 1 };
		assert_int_equal(pthread_create(&r[i], NULL, reader, &res[i]), 0);
	}
	for (unsigned i = 0; i < READERS; i++)
		assert_int_equal(pthread_join(r[i], NULL), 0);
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	assert_int_equal(pthread_join(w, NULL), 0);

	unsigned hits = 0, misses = 0;
	for (unsigned i = 0; i < READERS; i++) {
		assert_int_equal(res[i].wrong, 0);
		hits += res[i].mover_hits;
		misses += res[i].mover_misses;
		/* Each reader counted exactly its own accesses. */
		assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_READS, res[i].cpu),
				 2 * ITERATIONS);
		assert_int_equal(iom_stat_get(IOM_SPACE_MMIO, IOM_STAT_READS, res[i].cpu),
				 2 * ITERATIONS);
	}
	assert_int_equal(bad_offsets, 0);
	assert_true(rounds > 0);
	/* Both outcomes were seen, so the race was real. */
	assert_true(hits > 0);
	assert_true(misses > 0);
	assert_int_equal(iom_port_range_stat(stable_port, IOM_STAT_READS),
			 (uint64_t)READERS * ITERATIONS);
	assert_int_equal(iom_test_log_count, 0);
}

/* Two CPUs registering at once are serialised: nothing lost, no overlap. */
struct claimer {
	unsigned ok, errors;
	iom_port_handle_t h[16];
	const struct claimer *other;
};

/* No cmocka asserts in here: they must run on the main thread. */
static void *claim(void *arg)
{
	struct claimer *c = arg;

	for (unsigned round = 0; round < 2000; round++)
		for (unsigned i = 0; i < 16; i++) {
			/* Both try the same ports; at most one may own each. */
			iom_err_t e = iom_port_map(c->h[i], (uint16_t)(0x1000 + 4 * i));
			if (e == IOM_E_OK) {
				struct iom_range_info info;

				c->ok++;
				if (iom_port_query(c->other->h[i], &info) != IOM_E_OK
				    || info.mapped)
					c->errors++;
				if (iom_port_unmap(c->h[i]) != IOM_E_OK)
					c->errors++;
			} else if (e != IOM_E_OVERLAP) {
				c->errors++;
			}
		}
	return NULL;
}

static void test_concurrent_registration(void **state)
{
	(void)state;
	static struct claimer c[2];
	struct iom_port_config pc = { .name = "c", .count = 4, .in = tag_in };
	pthread_t t[2];

	for (unsigned k = 0; k < 2; k++) {
		c[k] = (struct claimer){ .other = &c[1 - k] };
		for (unsigned i = 0; i < 16; i++)
			assert_int_equal(iom_port_create(&pc, &c[k].h[i]), IOM_E_OK);
	}
	for (unsigned k = 0; k < 2; k++)
		assert_int_equal(pthread_create(&t[k], NULL, claim, &c[k]), 0);
	for (unsigned k = 0; k < 2; k++)
		assert_int_equal(pthread_join(t[k], NULL), 0);
	assert_int_equal(c[0].errors, 0);
	assert_int_equal(c[1].errors, 0);
	assert_true(c[0].ok > 0 && c[1].ok > 0);
	/* Everything was unmapped again. */
	uint32_t v;
	for (unsigned i = 0; i < 16; i++) {
		assert_int_equal(iom_port_read(0, IOM_CTX_EXIT, (uint16_t)(0x1000 + 4 * i), 1, &v),
				 IOM_OK);
		assert_int_equal(v, 0xFF);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_lookups_during_map_unmap, iom_test_setup),
		cmocka_unit_test_setup(test_concurrent_registration, iom_test_setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
