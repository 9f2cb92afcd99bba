/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests: deferred writes and reads, the per-CPU queue, commits direct,
 * via lookup and stale, queue-full handling. */
#include "test/unit/iom_test_platform.h"

#define BASE 0xFEB00000ull
#define PAGE 4096ull

static struct dev A, B;

static uint64_t stat(iom_space_t sp, iom_stat_t which)
{
	return iom_stat_get(sp, which, 0);
}

static void test_port_write_defers_and_commits_direct(void **state)
{
	(void)state;
	dev_init(&A);
	iom_port_handle_t h = map_port_dev(&A, "uart", 0x3F8, 8, 0);
	A.defer_from = 0;

	/* The guest sees the write done at once. */
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x3F8, 1, 'x'), IOM_OK);
	assert_int_equal(iom_deferred_count(0), 1);
	assert_int_equal(A.n, 1);
	assert_int_equal(A.log[0].st, IOM_DEFER);
	assert_int_not_equal(A.mem[0], 'x');     /* no side effect yet */

	assert_int_equal(iom_drain_deferred(0), IOM_OK);
	assert_int_equal(iom_deferred_count(0), 0);
	assert_int_equal(A.n, 2);
	assert_call(&A, 1, 'o', IOM_CTX_DEFERRED, 0, 1);
	assert_int_equal(A.log[1].value, 'x');
	assert_int_equal(A.mem[0], 'x');

	assert_int_equal(stat(IOM_SPACE_PORT, IOM_STAT_DEFERRED), 1);
	assert_int_equal(stat(IOM_SPACE_PORT, IOM_STAT_COMMIT_DIRECT), 1);
	assert_int_equal(stat(IOM_SPACE_PORT, IOM_STAT_COMMIT_LOOKUP), 0);
	assert_int_equal(iom_port_range_stat(h, IOM_STAT_DEFERRED), 1);
	assert_int_equal(iom_port_range_stat(h, IOM_STAT_COMMIT_DIRECT), 1);
	/* An empty drain is a no-op. */
	assert_int_equal(iom_drain_deferred(0), IOM_OK);
	assert_int_equal(A.n, 2);
}

static void test_queue_keeps_guest_order(void **state)
{
	(void)state;
	uint32_t v;
	uint8_t b[4] = { 1, 2, 3, 4 };

	dev_init(&A);
	dev_init(&B);
	map_port_dev(&A, "a", 0x60, 4, 0);
	map_mmio_dev(&B, "b", BASE, PAGE, 0);
	A.defer_from = 0;

	/* First write defers; the later ones of the same CPU must not
	 * overtake it, even though B would not defer. */
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x60, 1, 0x11), IOM_OK);
	assert_int_equal(iom_mmio_write(0, IOM_CTX_EXIT, BASE + 8, b, 4), IOM_OK);
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x61, 1, 0x22), IOM_OK);
	assert_int_equal(B.n, 0);
	assert_int_equal(A.n, 1);
	assert_int_equal(iom_deferred_count(0), 3);
	/* A read may not overtake them either. */
	assert_int_equal(iom_mmio_read(0, IOM_CTX_EXIT, BASE, b, 4), IOM_READ_DEFERRED);
	assert_int_equal(iom_port_read(0, IOM_CTX_EXIT, 0x60, 1, &v), IOM_READ_DEFERRED);
	assert_int_equal(B.n, 0);
	/* Unclaimed writes have nothing to order against. */
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x90, 1, 0), IOM_OK);
	assert_int_equal(iom_deferred_count(0), 3);
	/* Another CPU is not affected. */
	assert_int_equal(iom_mmio_write(1, IOM_CTX_EXIT, BASE + 12, b, 4), IOM_OK);
	assert_int_equal(B.n, 1);
	assert_int_equal(B.log[0].cpu, 1);

	assert_int_equal(iom_drain_deferred(0), IOM_OK);
	assert_call(&A, 1, 'o', IOM_CTX_DEFERRED, 0, 1);
	assert_int_equal(A.log[1].value, 0x11);
	assert_call(&B, 1, 'w', IOM_CTX_DEFERRED, 8, 4);
	assert_int_equal(B.log[1].value, 0x04030201);
	assert_call(&A, 2, 'o', IOM_CTX_DEFERRED, 1, 1);
	assert_int_equal(A.log[2].value, 0x22);
	assert_int_equal(B.log[1].cpu, 0);
	assert_int_equal(stat(IOM_SPACE_PORT, IOM_STAT_COMMIT_DIRECT), 2);
	assert_int_equal(stat(IOM_SPACE_MMIO, IOM_STAT_COMMIT_DIRECT), 1);
}

static void test_commit_direct_lookup_or_stale(void **state)
{
	(void)state;
	struct dev C;

	dev_init(&A);
	dev_init(&B);
	dev_init(&C);
	iom_port_handle_t ha = map_port_dev(&A, "a", 0x300, 8, 0);
	A.defer_from = 0;

	/* 1: nothing changed: direct. */
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x301, 1, 0x11), IOM_OK);
	assert_int_equal(iom_drain_deferred(0), IOM_OK);
	assert_call(&A, 1, 'o', IOM_CTX_DEFERRED, 1, 1);
	assert_int_equal(stat(IOM_SPACE_PORT, IOM_STAT_COMMIT_DIRECT), 1);
	assert_int_equal(iom_port_range_stat(ha, IOM_STAT_COMMIT_DIRECT), 1);

	/* 2: the table changed elsewhere (another range mapped): the range is
	 * found where it was by a fresh lookup. */
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x302, 1, 0x22), IOM_OK);
	iom_port_handle_t hc = map_port_dev(&C, "c", 0x400, 4, 0);
	assert_int_equal(iom_drain_deferred(0), IOM_OK);
	assert_call(&A, 3, 'o', IOM_CTX_DEFERRED, 2, 1);
	assert_int_equal(A.log[3].value, 0x22);
	assert_int_equal(stat(IOM_SPACE_PORT, IOM_STAT_COMMIT_LOOKUP), 1);
	assert_int_equal(iom_port_range_stat(ha, IOM_STAT_COMMIT_LOOKUP), 1);

	/* 3: unmapped and mapped again at the same base: via lookup too. */
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x303, 1, 0x33), IOM_OK);
	assert_int_equal(iom_port_unmap(ha), IOM_E_OK);
	assert_int_equal(iom_port_map(ha, 0x300), IOM_E_OK);
	assert_int_equal(iom_drain_deferred(0), IOM_OK);
	assert_call(&A, 5, 'o', IOM_CTX_DEFERRED, 3, 1);
	assert_int_equal(stat(IOM_SPACE_PORT, IOM_STAT_COMMIT_LOOKUP), 2);

	/* 4: moved away, nothing at the old address: stale, dropped. */
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x301, 1, 0x44), IOM_OK);
	assert_int_equal(iom_port_unmap(ha), IOM_E_OK);
	assert_int_equal(iom_port_map(ha, 0x500), IOM_E_OK);
	assert_int_equal(iom_drain_deferred(0), IOM_OK);
	assert_int_equal(A.n, 7);                 /* only the exit call */
	assert_int_equal(stat(IOM_SPACE_PORT, IOM_STAT_STALE), 1);
	assert_int_equal(iom_port_range_stat(ha, IOM_STAT_STALE), 1);
	/* Stale is its own counter, not an unclaimed write. */
	assert_int_equal(stat(IOM_SPACE_PORT, IOM_STAT_UNCLAIMED_WRITES), 0);

	/* 5: moved, and another range took the old address: NOT redirected. */
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x502, 1, 0x55), IOM_OK);
	assert_int_equal(iom_port_unmap(ha), IOM_E_OK);
	iom_port_handle_t hb = map_port_dev(&B, "b", 0x500, 8, 0);
	assert_int_equal(iom_drain_deferred(0), IOM_OK);
	assert_int_equal(B.n, 0);
	assert_int_equal(A.n, 8);
	assert_int_equal(stat(IOM_SPACE_PORT, IOM_STAT_STALE), 2);
	assert_int_equal(iom_port_range_stat(ha, IOM_STAT_STALE), 2);
	assert_int_equal(iom_port_range_stat(hb, IOM_STAT_STALE), 0);
	assert_int_equal(iom_port_range_stat(hb, IOM_STAT_WRITES), 0);

	/* 6: moved by two ports, still covering the address: moved is moved
	 * (the same address is another register now). */
	assert_int_equal(iom_port_unmap(hb), IOM_E_OK);
	assert_int_equal(iom_port_map(ha, 0x500), IOM_E_OK);
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x505, 1, 0x66), IOM_OK);
	assert_int_equal(iom_port_unmap(ha), IOM_E_OK);
	assert_int_equal(iom_port_map(ha, 0x502), IOM_E_OK);
	assert_int_equal(iom_drain_deferred(0), IOM_OK);
	assert_int_equal(A.n, 9);
	assert_int_equal(stat(IOM_SPACE_PORT, IOM_STAT_STALE), 3);

	/* 7: unmapped for good: stale. */
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x503, 1, 0x77), IOM_OK);
	assert_int_equal(iom_port_unmap(ha), IOM_E_OK);
	assert_int_equal(iom_drain_deferred(0), IOM_OK);
	assert_int_equal(A.n, 10);
	assert_int_equal(stat(IOM_SPACE_PORT, IOM_STAT_STALE), 4);
	assert_int_equal(stat(IOM_SPACE_PORT, IOM_STAT_COMMIT_DIRECT), 1);
	assert_int_equal(stat(IOM_SPACE_PORT, IOM_STAT_COMMIT_LOOKUP), 2);
	assert_int_equal(iom_port_range_stat(hc, IOM_STAT_WRITES), 0);
	assert_int_equal(iom_test_log_count, 0);
}

static void test_mmio_stale_commit_not_redirected(void **state)
{
	(void)state;
	uint8_t b[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	dev_init(&A);
	dev_init(&B);
	iom_mmio_handle_t ha = map_mmio_dev(&A, "a", BASE, PAGE, IOM_MMIO_F_ABS);
	A.defer_from = 0;
	assert_int_equal(iom_mmio_write(0, IOM_CTX_EXIT, BASE + 0x10, b, 8), IOM_OK);
	/* The BAR moves and B appears where A was. */
	assert_int_equal(iom_mmio_unmap(ha), IOM_E_OK);
	assert_int_equal(iom_mmio_map(ha, BASE + 16 * PAGE), IOM_E_OK);
	iom_mmio_handle_t hb = map_mmio_dev(&B, "b", BASE, PAGE, 0);
	assert_int_equal(iom_drain_deferred(0), IOM_OK);
	assert_int_equal(B.n, 0);
	assert_int_equal(A.n, 1);
	assert_int_equal(iom_mmio_range_stat(ha, IOM_STAT_STALE), 1);
	assert_int_equal(iom_mmio_range_stat(hb, IOM_STAT_STALE), 0);
	assert_int_equal(stat(IOM_SPACE_MMIO, IOM_STAT_STALE), 1);
	assert_int_equal(stat(IOM_SPACE_MMIO, IOM_STAT_COMMIT_LOOKUP), 0);
	assert_int_equal(stat(IOM_SPACE_PORT, IOM_STAT_STALE), 0);
}

/* A write across two ranges is queued as one entry per range; each entry
 * is judged on its own at the commit. */
static void test_split_write_queued_per_range(void **state)
{
	(void)state;
	uint8_t b[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct dev C;

	dev_init(&A);
	dev_init(&B);
	dev_init(&C);
	map_port_dev(&C, "c", 0x60, 1, 0);
	map_mmio_dev(&A, "a", BASE, PAGE, 0);
	iom_mmio_handle_t hb = map_mmio_dev(&B, "b", BASE + PAGE, PAGE, 0);
	C.defer_from = 0;

	/* Something is queued, so the next write queues behind it. */
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x60, 1, 9), IOM_OK);
	assert_int_equal(iom_mmio_write(0, IOM_CTX_EXIT, BASE + PAGE - 4, b, 8), IOM_OK);
	assert_int_equal(iom_deferred_count(0), 3);
	assert_int_equal(stat(IOM_SPACE_MMIO, IOM_STAT_DEFERRED), 2);
	assert_int_equal(stat(IOM_SPACE_MMIO, IOM_STAT_DEFERRED_WRITES), 2);
	assert_int_equal(iom_mmio_range_stat(hb, IOM_STAT_DEFERRED), 1);
	/* A write partly over nothing: the unclaimed part is dropped now. */
	assert_int_equal(iom_mmio_write(0, IOM_CTX_EXIT, BASE + 2 * PAGE - 4, b, 8), IOM_OK);
	assert_int_equal(iom_deferred_count(0), 4);
	assert_int_equal(stat(IOM_SPACE_MMIO, IOM_STAT_UNCLAIMED_WRITES), 1);

	/* B goes away before the drain: its parts are stale, A's is not. */
	assert_int_equal(iom_mmio_unmap(hb), IOM_E_OK);
	assert_int_equal(iom_drain_deferred(0), IOM_OK);
	assert_int_equal(A.n, 1);
	assert_call(&A, 0, 'w', IOM_CTX_DEFERRED, PAGE - 4, 4);
	assert_int_equal(A.log[0].value, 0x04030201);
	assert_int_equal(B.n, 0);
	assert_int_equal(stat(IOM_SPACE_MMIO, IOM_STAT_STALE), 2);
	assert_int_equal(stat(IOM_SPACE_MMIO, IOM_STAT_COMMIT_LOOKUP), 1);
	assert_int_equal(iom_mmio_range_stat(hb, IOM_STAT_STALE), 2);
}

static void test_read_deferred_then_retried(void **state)
{
	(void)state;
	uint32_t v = 0;

	dev_init(&A);
	iom_port_handle_t h = map_port_dev(&A, "slow", 0x70, 2, 0);
	A.defer_from = 0;
	A.mem[1] = 0x42;

	assert_int_equal(iom_port_read(2, IOM_CTX_EXIT, 0x71, 1, &v), IOM_READ_DEFERRED);
	assert_int_equal(iom_deferred_count(2), 0);   /* reads are not queued */
	assert_int_equal(A.n, 1);
	/* The contract: drain, then the same read from deferred context. */
	assert_int_equal(iom_drain_deferred(2), IOM_OK);
	assert_int_equal(iom_port_read(2, IOM_CTX_DEFERRED, 0x71, 1, &v), IOM_OK);
	assert_int_equal(v, 0x42);
	assert_call(&A, 1, 'i', IOM_CTX_DEFERRED, 1, 1);
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_DEFERRED, 2), 1);
	assert_int_equal(iom_port_range_stat(h, IOM_STAT_DEFERRED), 1);
	assert_int_equal(iom_port_range_stat(h, IOM_STAT_READS), 2);
}

static void test_split_read_not_read_twice(void **state)
{
	(void)state;
	uint8_t b[8];

	dev_init(&A);
	map_mmio_dev(&A, "a", BASE, PAGE, IOM_MMIO_READ_DWORD);
	A.defer_from = 1;       /* the second dword defers */

	assert_int_equal(iom_mmio_read(0, IOM_CTX_EXIT, BASE + 2, b, 4), IOM_READ_DEFERRED);
	assert_int_equal(A.n, 2);
	assert_call(&A, 0, 'r', IOM_CTX_EXIT, 0, 4);
	assert_int_equal(iom_drain_deferred(0), IOM_OK);
	memset(b, 0, sizeof(b));
	assert_int_equal(iom_mmio_read(0, IOM_CTX_DEFERRED, BASE + 2, b, 4), IOM_OK);
	/* Only the missing dword was read again. */
	assert_int_equal(A.n, 3);
	assert_call(&A, 2, 'r', IOM_CTX_DEFERRED, 4, 4);
	assert_memory_equal(b, &A.mem[2], 4);

	/* A kept partial read is dropped if a different read comes next. */
	A.defer_from = (int)A.exit_calls + 1;
	assert_int_equal(iom_mmio_read(0, IOM_CTX_EXIT, BASE + 10, b, 4), IOM_READ_DEFERRED);
	unsigned n = A.n;
	assert_int_equal(iom_mmio_read(0, IOM_CTX_DEFERRED, BASE + 20, b, 4), IOM_OK);
	assert_int_equal(iom_mmio_read(0, IOM_CTX_DEFERRED, BASE + 10, b, 4), IOM_OK);
	assert_int_equal(A.n, n + 1 + 2);     /* read whole again */
}

static void test_split_write_defers_midway(void **state)
{
	(void)state;
	uint8_t b[4] = { 0x11, 0x22, 0x33, 0x44 };

	dev_init(&A);
	iom_mmio_handle_t h = map_mmio_dev(&A, "a", BASE, PAGE, IOM_MMIO_WRITE_DWORD_ZEROED);
	A.defer_from = 1;

	assert_int_equal(iom_mmio_write(0, IOM_CTX_EXIT, BASE + 2, b, 4), IOM_OK);
	assert_int_equal(A.n, 2);
	assert_int_equal(A.log[0].st, IOM_OK);          /* first dword done */
	assert_int_equal(A.log[0].value, 0x22110000);
	assert_int_equal(A.log[1].st, IOM_DEFER);
	assert_int_equal(iom_deferred_count(0), 1);
	assert_int_equal(iom_drain_deferred(0), IOM_OK);
	/* Only the rest is committed: the first dword is not written twice. */
	assert_int_equal(A.n, 3);
	assert_call(&A, 2, 'w', IOM_CTX_DEFERRED, 4, 4);
	assert_int_equal(A.log[2].value, 0x00004433);
	assert_int_equal(iom_mmio_range_stat(h, IOM_STAT_COMMIT_DIRECT), 1);
}

static void test_queue_full_asks_for_retry(void **state)
{
	(void)state;
	dev_init(&A);
	map_port_dev(&A, "a", 0x80, 1, 0);
	A.defer_from = 0;

	for (unsigned i = 0; i < IOM_DEFER_QUEUE_LEN; i++)
		assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x80, 1, i), IOM_OK);
	assert_int_equal(iom_deferred_count(0), IOM_DEFER_QUEUE_LEN);
	/* Never dropped: the backend must drain and re-execute. */
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x80, 1, 99), IOM_RETRY);
	assert_int_equal(stat(IOM_SPACE_PORT, IOM_STAT_QUEUE_FULL), 1);
	assert_int_equal(iom_deferred_count(0), IOM_DEFER_QUEUE_LEN);
	assert_int_equal(iom_drain_deferred(0), IOM_OK);
	assert_int_equal(A.n, 1 + IOM_DEFER_QUEUE_LEN);
	for (unsigned i = 0; i < IOM_DEFER_QUEUE_LEN; i++) {
		assert_call(&A, 1 + i, 'o', IOM_CTX_DEFERRED, 0, 1);
		assert_int_equal(A.log[1 + i].value, i);
	}
	/* Re-executed after the drain, it defers again and is queued. */
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x80, 1, 99), IOM_OK);
	assert_int_equal(iom_deferred_count(0), 1);
}

/* The effects (calls that did not defer) of three devices, merged in the
 * order they happened. */
struct effect { const struct dev *d; uint64_t addr, value; };

static unsigned merged_effects(struct effect *out, unsigned max,
			       const struct dev *const *devs, unsigned ndevs)
{
	unsigned n = 0, pos[3] = { 0, 0, 0 };

	for (;;) {
		const struct dev_call *best = NULL;
		unsigned bi = 0;

		for (unsigned k = 0; k < ndevs; k++) {
			while (pos[k] < devs[k]->n && devs[k]->log[pos[k]].st == IOM_DEFER)
				pos[k]++;
			if (pos[k] < devs[k]->n
			    && (!best || devs[k]->log[pos[k]].seq < best->seq)) {
				best = &devs[k]->log[pos[k]];
				bi = k;
			}
		}
		if (!best || n == max)
			return n;
		out[n++] = (struct effect){ devs[bi], best->addr, best->value };
		pos[bi]++;
	}
}

/*
 * One instruction (a REP string write, say) makes many writes in a single
 * exit: the first defers, the rest queue behind it until the queue is full.
 * The backend follows the contract (IOM_RETRY: drain, re-execute the
 * remaining element). Every write must arrive exactly once, in the guest's
 * order, across three devices and both spaces.
 */
static void test_queue_full_loses_and_reorders_nothing(void **state)
{
	(void)state;
	enum { N = 3 * IOM_DEFER_QUEUE_LEN + 2 };
	struct dev C;
	struct effect want[2 * N], got[2 * N + 8];
	unsigned nwant = 0, retries = 0;

	dev_init(&A);
	dev_init(&B);
	dev_init(&C);
	map_port_dev(&A, "a", 0x80, 1, 0);
	map_mmio_dev(&B, "b", BASE, PAGE, 0);
	map_mmio_dev(&C, "c", BASE + PAGE, PAGE, 0);
	A.defer_from = 0;                       /* A always defers in exits */

	for (unsigned i = 0; i < N; ) {
		uint8_t v[8];
		iom_status_t st;

		for (unsigned k = 0; k < 4; k++) {
			v[k] = (uint8_t)(i >> (8 * k));
			v[4 + k] = (uint8_t)((i | 0x100) >> (8 * k));
		}
		switch (i % 3) {
		case 0:         /* a port write: one entry */
			st = iom_port_write(0, IOM_CTX_EXIT, 0x80, 2, i);
			break;
		case 1:         /* an MMIO write: one entry */
			st = iom_mmio_write(0, IOM_CTX_EXIT, BASE + 8, v, 4);
			break;
		default:        /* across B and C: two entries, all or none */
			st = iom_mmio_write(0, IOM_CTX_EXIT, BASE + PAGE - 4, v, 8);
			break;
		}
		if (st == IOM_RETRY) {
			/* The backend: drain, and the guest re-executes. */
			retries++;
			assert_int_equal(iom_drain_deferred(0), IOM_OK);
			assert_int_equal(iom_deferred_count(0), 0);
			continue;
		}
		assert_int_equal(st, IOM_OK);
		switch (i % 3) {
		case 0:
			want[nwant++] = (struct effect){ &A, 0, i };
			break;
		case 1:
			want[nwant++] = (struct effect){ &B, 8, i };
			break;
		default:
			want[nwant++] = (struct effect){ &B, PAGE - 4, i };
			want[nwant++] = (struct effect){ &C, 0, i | 0x100 };
			break;
		}
		i++;
	}
	assert_int_equal(iom_drain_deferred(0), IOM_OK);

	const struct dev *const devs[3] = { &A, &B, &C };
	unsigned ngot = merged_effects(got, 2 * N + 8, devs, 3);
	assert_int_equal(ngot, nwant);
	for (unsigned k = 0; k < nwant; k++) {
		assert_ptr_equal(got[k].d, want[k].d);
		assert_int_equal(got[k].addr, want[k].addr);
		assert_int_equal(got[k].value, want[k].value);
	}
	assert_true(retries >= 2);
	assert_int_equal(stat(IOM_SPACE_PORT, IOM_STAT_QUEUE_FULL)
			 + stat(IOM_SPACE_MMIO, IOM_STAT_QUEUE_FULL), retries);
	assert_int_equal(stat(IOM_SPACE_MMIO, IOM_STAT_STALE), 0);
	assert_int_equal(iom_test_log_count, 0);
}

/* A write needing two entries when one slot is left is refused whole. */
static void test_queue_full_is_all_or_nothing(void **state)
{
	(void)state;
	uint8_t v[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	dev_init(&A);
	dev_init(&B);
	map_port_dev(&A, "a", 0x80, 1, 0);
	map_mmio_dev(&B, "b", BASE, 2 * PAGE, 0);
	map_mmio_dev(&A, "a2", BASE + 2 * PAGE, PAGE, 0);
	A.defer_from = 0;
	for (unsigned i = 0; i + 1 < IOM_DEFER_QUEUE_LEN; i++)
		assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x80, 1, i), IOM_OK);
	assert_int_equal(iom_deferred_count(0), IOM_DEFER_QUEUE_LEN - 1);
	assert_int_equal(iom_mmio_write(0, IOM_CTX_EXIT, BASE + 2 * PAGE - 4, v, 8),
			 IOM_RETRY);
	assert_int_equal(iom_deferred_count(0), IOM_DEFER_QUEUE_LEN - 1);
	assert_int_equal(stat(IOM_SPACE_MMIO, IOM_STAT_QUEUE_FULL), 1);
	assert_int_equal(stat(IOM_SPACE_MMIO, IOM_STAT_DEFERRED), 0);
	/* One entry still fits. */
	assert_int_equal(iom_mmio_write(0, IOM_CTX_EXIT, BASE, v, 8), IOM_OK);
	assert_int_equal(iom_deferred_count(0), IOM_DEFER_QUEUE_LEN);
	assert_int_equal(iom_drain_deferred(0), IOM_OK);
	assert_int_equal(B.n, 1);
	assert_int_equal(B.log[0].value, 0x0807060504030201ull);
}

static void test_string_write_defers_per_element(void **state)
{
	(void)state;
	struct iom_port_config cfg = { .name = "con", .count = 1, .user = &A,
				       .out_str = dev_out_str };
	iom_port_handle_t h;
	uint8_t text[IOM_DEFER_QUEUE_LEN + 4];
	uint32_t count = sizeof(text);

	dev_init(&A);
	for (unsigned i = 0; i < sizeof(text); i++)
		text[i] = (uint8_t)('a' + i);
	assert_int_equal(iom_port_create(&cfg, &h), IOM_E_OK);
	assert_int_equal(iom_port_map(h, 0xE9), IOM_E_OK);
	A.defer_from = 0;

	assert_int_equal(iom_port_write_string(0, IOM_CTX_EXIT, 0xE9, 1, text, &count), IOM_OK);
	assert_int_equal(count, 4);               /* the rest: re-execute */
	assert_int_equal(iom_deferred_count(0), IOM_DEFER_QUEUE_LEN);
	assert_int_equal(stat(IOM_SPACE_PORT, IOM_STAT_DEFERRED), IOM_DEFER_QUEUE_LEN);
	assert_int_equal(stat(IOM_SPACE_PORT, IOM_STAT_QUEUE_FULL), 1);
	/* Queue still full: a new attempt does nothing at all. */
	uint32_t again = 4;
	assert_int_equal(iom_port_write_string(0, IOM_CTX_EXIT, 0xE9, 1,
					       text + IOM_DEFER_QUEUE_LEN, &again), IOM_RETRY);
	assert_int_equal(again, 4);
	assert_int_equal(A.n, 1);                 /* the handler was not asked */
	assert_int_equal(iom_drain_deferred(0), IOM_OK);
	assert_int_equal(A.n, 1 + IOM_DEFER_QUEUE_LEN);
	/* Committed one element at a time, in order, through the string
	 * handler (the range has no single-element handler). */
	for (unsigned i = 0; i < IOM_DEFER_QUEUE_LEN; i++) {
		assert_call(&A, 1 + i, 'O', IOM_CTX_DEFERRED, 0, 1);
		assert_int_equal(A.log[1 + i].count, 1);
		assert_int_equal(A.log[1 + i].value, 'a' + i);
	}
	assert_int_equal(stat(IOM_SPACE_PORT, IOM_STAT_COMMIT_DIRECT), IOM_DEFER_QUEUE_LEN);
	assert_int_equal(iom_port_range_stat(h, IOM_STAT_COMMIT_DIRECT), IOM_DEFER_QUEUE_LEN);
}

static void test_string_read_defers_partway(void **state)
{
	(void)state;
	struct iom_port_config cfg = { .name = "disk", .count = 8, .user = &A,
				       .in = dev_in };
	iom_port_handle_t h;
	uint8_t buf[10];
	uint32_t count = 10;

	dev_init(&A);
	assert_int_equal(iom_port_create(&cfg, &h), IOM_E_OK);
	assert_int_equal(iom_port_map(h, 0x1F0), IOM_E_OK);
	A.defer_from = 3;       /* three elements, then the FIFO runs dry */

	assert_int_equal(iom_port_read_string(0, IOM_CTX_EXIT, 0x1F0, 1, buf, &count),
			 IOM_READ_DEFERRED);
	assert_int_equal(count, 7);
	assert_int_equal(iom_drain_deferred(0), IOM_OK);
	assert_int_equal(iom_port_read_string(0, IOM_CTX_DEFERRED, 0x1F0, 1, buf + 3, &count),
			 IOM_OK);
	assert_int_equal(count, 0);
	assert_int_equal(A.n, 3 + 1 + 7);
	for (unsigned i = 0; i < 10; i++)
		assert_int_equal(buf[i], A.mem[0]);
	assert_call(&A, 4, 'i', IOM_CTX_DEFERRED, 0, 1);
}

static void test_defer_rules_enforced(void **state)
{
	(void)state;
	uint32_t v;

	dev_init(&A);
	map_port_dev(&A, "a", 0x60, 1, 0);
	/* A handler that defers in deferred context breaks the contract. */
	A.status = IOM_DEFER;
	assert_int_equal(iom_port_write(0, IOM_CTX_DEFERRED, 0x60, 1, 1), IOM_INTERNAL_ERROR);
	assert_int_equal(iom_test_log_count, 1);
	A.status = IOM_OK;
	/* Deferred-context dispatch with writes still queued would reorder. */
	A.defer_from = 0;
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x60, 1, 2), IOM_OK);
	assert_int_equal(iom_port_read(0, IOM_CTX_DEFERRED, 0x60, 1, &v), IOM_INTERNAL_ERROR);
	assert_int_equal(iom_test_log_count, 2);
	assert_int_equal(iom_drain_deferred(IOM_MAX_CPUS), IOM_INTERNAL_ERROR);
	assert_int_equal(iom_drain_deferred(0), IOM_OK);
	assert_int_equal(iom_test_bad_formats, 0);
}

static void test_commit_statuses_merged(void **state)
{
	(void)state;
	dev_init(&A);
	dev_init(&B);
	map_port_dev(&A, "a", 0x60, 1, 0);
	map_port_dev(&B, "b", 0x64, 1, 0);
	A.defer_from = 0;
	B.defer_from = 0;
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x60, 1, 1), IOM_OK);
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x64, 1, 2), IOM_OK);
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x60, 1, 3), IOM_OK);
	A.status = IOM_INJECT_GP;
	B.status = IOM_RESET;
	/* Every entry is committed; the strongest outcome wins. */
	assert_int_equal(iom_drain_deferred(0), IOM_RESET);
	assert_int_equal(A.n, 1 + 2);
	assert_int_equal(B.n, 0 + 1);
	assert_int_equal(iom_deferred_count(0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_port_write_defers_and_commits_direct, iom_test_setup),
		cmocka_unit_test_setup(test_queue_keeps_guest_order, iom_test_setup),
		cmocka_unit_test_setup(test_commit_direct_lookup_or_stale, iom_test_setup),
		cmocka_unit_test_setup(test_mmio_stale_commit_not_redirected, iom_test_setup),
		cmocka_unit_test_setup(test_split_write_queued_per_range, iom_test_setup),
		cmocka_unit_test_setup(test_read_deferred_then_retried, iom_test_setup),
		cmocka_unit_test_setup(test_split_read_not_read_twice, iom_test_setup),
		cmocka_unit_test_setup(test_split_write_defers_midway, iom_test_setup),
		cmocka_unit_test_setup(test_queue_full_asks_for_retry, iom_test_setup),
		cmocka_unit_test_setup(test_queue_full_loses_and_reorders_nothing, iom_test_setup),
		cmocka_unit_test_setup(test_queue_full_is_all_or_nothing, iom_test_setup),
		cmocka_unit_test_setup(test_string_write_defers_per_element, iom_test_setup),
		cmocka_unit_test_setup(test_string_read_defers_partway, iom_test_setup),
		cmocka_unit_test_setup(test_defer_rules_enforced, iom_test_setup),
		cmocka_unit_test_setup(test_commit_statuses_merged, iom_test_setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
