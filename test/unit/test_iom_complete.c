/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests: iom_complete_deferred_read, the end of a read that deferred
 * (drain the queue, retry from deferred context, merge), for every
 * combination of what the drain and the retry return. (What the exit glue
 * does with the other dispatch statuses: test_hv_exit.c.) */
#include "test/unit/iom_test_platform.h"

#define WPORT 0x60 /* a device whose writes defer, so something is queued */
#define BASE 0xFEB00000ull
#define PAGE 4096ull

static struct dev W;

/* The retry the backend would pass: records when it ran and returns what the
 * test scripted. */
struct retry {
	iom_status_t st;
	unsigned calls;
	unsigned queued_at_call; /* entries still queued when it ran */
};

static iom_status_t scripted_retry(void *arg)
{
	struct retry *r = arg;
	r->calls++;
	r->queued_at_call = iom_deferred_count(0);
	return r->st;
}

/* Queues one write to W whose commit returns drain_st. */
static void queue_write(iom_status_t drain_st)
{
	dev_init(&W);
	map_port_dev(&W, "w", WPORT, 1, 0);
	W.defer_from = 0;
	W.status = drain_st;
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, WPORT, 1, 0x5a), IOM_OK);
	assert_int_equal(iom_deferred_count(0), 1);
}

/* The merge written out here, not taken from iom_status_merge: the weightier
 * outcome wins (iom.h), whichever side it comes from. */
static iom_status_t heavier(iom_status_t a, iom_status_t b)
{
	static const iom_status_t order[] = {
		IOM_INTERNAL_ERROR, IOM_DEBUG_BREAK, IOM_RESET, IOM_STOP_VCPU, IOM_INJECT_GP,
	};
	for (unsigned i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (a == order[i] || b == order[i])
			return order[i];
	return IOM_OK;
}

static const iom_status_t drains[] = { IOM_OK, IOM_INJECT_GP, IOM_STOP_VCPU, IOM_RESET,
				       IOM_INTERNAL_ERROR };
static const iom_status_t retries[] = { IOM_OK, IOM_INJECT_GP, IOM_STOP_VCPU,
					IOM_DEBUG_BREAK, IOM_INTERNAL_ERROR };
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The queue is drained first, the retry always follows
 * (also when the drain failed), and the result is the merge. */
static void test_deferred_read_drains_retries_merges(void **state)
{
	for (unsigned d = 0; d < N(drains); d++) {
		for (unsigned t = 0; t < N(retries); t++) {
			iom_test_setup(state);
			queue_write(drains[d]);
			struct retry r = { .st = retries[t] };
			iom_status_t st = iom_complete_deferred_read(0, scripted_retry, &r);

			if (st != heavier(drains[d], retries[t]))
				print_message("drain %s, retry %s -> %s\n",
					      iom_status_name(drains[d]),
					      iom_status_name(retries[t]), iom_status_name(st));
			assert_int_equal(r.calls, 1);
			assert_int_equal(r.queued_at_call, 0); /* the writes went first */
			assert_int_equal(W.n, 2);               /* queued, then committed */
			assert_call(&W, 1, 'o', IOM_CTX_DEFERRED, 0, 1);
			assert_int_equal(st, heavier(drains[d], retries[t]));
		}
	}
}

/* A retry that defers again broke the contract (deferred context cannot
 * defer): an internal error, logged, not a loop. */
static void test_retry_that_defers_again_is_an_internal_error(void **state)
{
	queue_write(IOM_OK);
	struct retry r = { .st = IOM_READ_DEFERRED };
	unsigned logs = iom_test_log_count;
	assert_int_equal(iom_complete_deferred_read(0, scripted_retry, &r),
			 IOM_INTERNAL_ERROR);
	assert_int_equal(r.calls, 1);
	assert_true(iom_test_log_count > logs);
}

/* With the real IOM: an MMIO read split over two ranges, whose second part
 * defers after the first was read, while a write that fails on commit is
 * queued. The retry must still run, and the first part is not read twice. */
struct mmio_retry {
	uint64_t gpa;
	uint8_t *buf;
	unsigned len;
};

static iom_status_t mmio_read_again(void *arg)
{
	struct mmio_retry *m = arg;
	return iom_mmio_read(0, IOM_CTX_DEFERRED, m->gpa, m->buf, m->len);
}

static struct dev A, B;

static void test_split_read_is_finished_even_when_the_drain_fails(void **state)
{
	uint8_t buf[8];

	dev_init(&A);
	dev_init(&B);
	map_mmio_dev(&A, "a", BASE, PAGE, 0);
	map_mmio_dev(&B, "b", BASE + PAGE, PAGE, 0);
	B.defer_from = 0; /* B's exit-context reads defer */

	/* A's half is read, then B's half defers: the IOM keeps A's bytes. */
	assert_int_equal(iom_mmio_read(0, IOM_CTX_EXIT, BASE + PAGE - 4, buf, 8),
			 IOM_READ_DEFERRED);
	assert_int_equal(A.n, 1);
	/* A write whose commit stops the vCPU is queued before the retry (as a
	 * handler's nested write would be). */
	queue_write(IOM_STOP_VCPU);

	struct mmio_retry m = { BASE + PAGE - 4, buf, 8 };
	assert_int_equal(iom_complete_deferred_read(0, mmio_read_again, &m),
			 IOM_STOP_VCPU);
	assert_int_equal(W.n, 2);                    /* the write was committed */
	assert_int_equal(A.n, 1);                    /* A's half not read again */
	assert_int_equal(B.n, 2);
	assert_call(&B, 1, 'r', IOM_CTX_DEFERRED, 0, 4);
	assert_memory_equal(buf, A.mem + PAGE - 4, 4);
	assert_memory_equal(buf + 4, B.mem, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_deferred_read_drains_retries_merges, iom_test_setup),
		cmocka_unit_test_setup(test_retry_that_defers_again_is_an_internal_error,
				       iom_test_setup),
		cmocka_unit_test_setup(test_split_read_is_finished_even_when_the_drain_fails,
				       iom_test_setup),
	};
	return cmocka_run_group_tests_name("iom_complete", tests, NULL, NULL);
}
