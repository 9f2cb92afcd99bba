/* SPDX-License-Identifier: GPL-2.0-only */
/* hv/trace/stats.c's raw keys: a record whose register its kind, address,
 * size and direction name (struct trace_text's plain) is counted without
 * being decoded (trace_stats_account_quiet), and the counts, the lines let
 * through and the summaries stay what decoding every record gives. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "hv/trace/decode/decode.h"
#include "hv/trace/stats.h"

#define WINDOW 1000
#define LIMIT 20

static struct trace_platform plat;

static struct trace_record rec(enum trace_kind kind, bool write, uint64_t addr, unsigned size,
			       uint64_t tsc)
{
	return (struct trace_record){ .kind = (uint8_t)kind,
				      .write = write,
				      .addr = addr,
				      .size = (uint8_t)size,
				      .tsc = tsc };
}

/* Whether decoding r gives a plain register (a fresh decoder: no state). */
static bool plain(const struct trace_record *r)
{
	struct trace_decoder d;
	struct trace_text t;
	trace_decoder_init(&d, &plat);
	trace_decode(&d, r, &t);
	return t.plain;
}

static int setup(void **state)
{
	(void)state;
	trace_platform_defaults(&plat);
	return 0;
}

/* Unknown addresses, the HPET, port 0x80 and the local APIC are named by
 * their address; the CMOS data port, the UART (DLAB), the IOAPIC's window,
 * PCI and an ICR high write (the destination it stores) are not. */
static void test_plain_names(void **state)
{
	(void)state;
	struct trace_record yes[] = {
		rec(TRACE_PORT, false, 0x5A1, 1, 0),	  rec(TRACE_MMIO, false, 0x10000000, 4, 0),
		rec(TRACE_MMIO, false, 0xFED000F0, 8, 0), rec(TRACE_PORT, true, 0x80, 1, 0),
		rec(TRACE_MMIO, false, 0xFEE00310, 4, 0), rec(TRACE_MMIO, true, 0xFEE00300, 4, 0),
	};
	struct trace_record no[] = {
		rec(TRACE_PORT, false, 0x71, 1, 0),
		rec(TRACE_PORT, true, 0x70, 1, 0),
		rec(TRACE_PORT, false, 0x3F8, 1, 0),
		rec(TRACE_MMIO, false, 0xFEC00010, 4, 0),
		rec(TRACE_PCI, false, 0x80000000ull << 16 | 0xCFC, 4, 0),
		rec(TRACE_MMIO, true, 0xFEE00310, 4, 0),
		rec(TRACE_PORT, true, 0x43, 1, 0),
	};
	for (unsigned i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_true(plain(&yes[i]));
	for (unsigned i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_false(plain(&no[i]));
}

/* One CPU's stream as trace_drain sees it. */
struct stream {
	struct trace_stats stats;
	struct trace_decoder dec;
	unsigned lines, quiet;
};

static void stream_init(struct stream *st)
{
	memset(st, 0, sizeof(*st));
	trace_decoder_init(&st->dec, &plat);
}

/* The deferred step for record r: decoded, filtered (records with odd
 * values stand for those a filter holds back), counted; a line if allowed. */
static void decoded(struct stream *st, const struct trace_record *r)
{
	struct trace_text t;
	trace_decode(&st->dec, r, &t);
	bool pass = !(r->value & 1);
	if (trace_stats_account(&st->stats, r, &t, WINDOW, pass ? LIMIT : 0) && pass)
		st->lines++;
}

/* As the exit path does (hv/trace/printer.c): quiet when it can. */
static void quiet_first(struct stream *st, const struct trace_record *r)
{
	bool pass = !(r->value & 1), suppressed;
	if (trace_stats_account_quiet(&st->stats, r, pass ? LIMIT : 0, pass, &suppressed))
		st->quiet++;
	else
		decoded(st, r);
}

/* A key is known once a plain record of it was decoded and counted; a
 * record of another size, direction or address is not; nothing is counted
 * by a refusal. */
static void test_quiet_needs_a_known_key(void **state)
{
	(void)state;
	static struct stream st;
	stream_init(&st);
	struct trace_stats *s = &st.stats;
	struct trace_record r = rec(TRACE_PORT, false, 0x5A1, 1, 5000);
	bool suppressed;
	assert_false(trace_stats_account_quiet(s, &r, LIMIT, false, &suppressed));
	decoded(&st, &r);
	assert_int_equal(st.lines, 1);
	assert_int_equal(s->slot[0].reads, 1);
	struct trace_record other[] = { rec(TRACE_PORT, true, 0x5A1, 1, 5001),
					rec(TRACE_PORT, false, 0x5A1, 2, 5001),
					rec(TRACE_PORT, false, 0x5A2, 1, 5001),
					rec(TRACE_MMIO, false, 0x5A1, 1, 5001) };
	for (unsigned i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		assert_false(trace_stats_account_quiet(s, &other[i], LIMIT, false, &suppressed));
	/* Printing on: a record the limit lets through is left to the caller. */
	r.tsc = 5001;
	assert_false(trace_stats_account_quiet(s, &r, LIMIT, true, &suppressed));
	assert_int_equal(s->slot[0].reads, 1);
	/* Not printed (printing off, or filtered with limit 0): counted. */
	assert_true(trace_stats_account_quiet(s, &r, LIMIT, false, &suppressed));
	assert_false(suppressed);
	/* No limit ("trace limit off"): every record that passes prints. */
	assert_false(trace_stats_account_quiet(s, &r, 0, true, &suppressed));
	assert_true(trace_stats_account_quiet(s, &r, 0, false, &suppressed));
	assert_int_equal(s->slot[0].reads, 3);
	assert_int_equal(s->slot[0].window_lines, 2);
	/* The window's last tick still counts; past its end the caller closes
	 * the window first. */
	r.tsc = 5000 + WINDOW - 1;
	assert_true(trace_stats_account_quiet(s, &r, LIMIT, false, &suppressed));
	assert_int_equal(s->slot[0].reads, 4);
	r.tsc = 5000 + WINDOW;
	assert_false(trace_stats_account_quiet(s, &r, LIMIT, false, &suppressed));
	assert_int_equal(s->slot[0].reads, 4);
}

/* 70 unknown ports fill the 64 slots: the least used give way, and the keys
 * that named a slot taken over are forgotten (a record of them would
 * otherwise be counted under another port's register). */
static void test_taken_over_slot_forgets_its_keys(void **state)
{
	(void)state;
	static struct stream st;
	stream_init(&st);
	struct trace_stats *s = &st.stats;
	for (unsigned port = 0x100; port < 0x146; port++) {
		struct trace_record r = rec(TRACE_PORT, false, port, 1, 100);
		for (unsigned n = 0; n < (port < 0x140 ? 2u : 1u); n++)
			decoded(&st, &r);
	}
	bool suppressed;
	for (unsigned port = 0x100; port < 0x146; port++) {
		struct trace_record r = rec(TRACE_PORT, false, port, 1, 101);
		if (!trace_stats_account_quiet(s, &r, 0, false, &suppressed))
			continue;
		/* Counted: it must have been under its own register. */
		char name[40];
		snprintf(name, sizeof(name), "port 0x%x", port);
		unsigned found = 0;
		for (unsigned i = 0; i < TRACE_STATS_SLOTS; i++)
			if (s->slot[i].device && strcmp(s->slot[i].reg, name) == 0)
				found = s->slot[i].reads;
		assert_int_equal(found, port < 0x140 ? 3 : 2);
	}
}

/* A stream of plain and stateful records over several windows: counting
 * the plain ones without decoding them gives the same lines, counts and
 * summaries as decoding every record, and most of those not printed go
 * quiet. */
static void test_same_as_decoding_every_record(void **state)
{
	(void)state;
	static struct stream a, b;
	stream_init(&a);
	stream_init(&b);
	static const struct {
		enum trace_kind kind;
		bool write;
		uint64_t addr;
		unsigned size;
	} mix[] = {
		{ TRACE_PORT, false, 0x5A1, 1 },      { TRACE_PORT, false, 0x5A1, 1 },
		{ TRACE_MMIO, false, 0xFED000F0, 4 }, { TRACE_PORT, true, 0x70, 1 },
		{ TRACE_PORT, false, 0x71, 1 },	      { TRACE_PORT, false, 0x5A1, 1 },
		{ TRACE_MMIO, false, 0xFED000F4, 4 }, { TRACE_PORT, true, 0x80, 1 },
		{ TRACE_MMIO, true, 0xFEE00310, 4 },  { TRACE_MMIO, true, 0xFEE00300, 4 },
	};
	uint64_t tsc = 1;
	for (unsigned i = 0; i < 20000; i++) {
		unsigned k = (i * 7 + i / 13) % (sizeof(mix) / sizeof(mix[0]));
		tsc += 1 + i % 3;
		struct trace_record r =
			rec(mix[k].kind, mix[k].write, mix[k].addr, mix[k].size, tsc);
		r.value = i % 5 == 0 ? 1 : (i & 0x7E);
		decoded(&a, &r);
		quiet_first(&b, &r);
		/* The window's end, as the drain's tick sees it. */
		if (i % 97 == 0) {
			trace_stats_tick(&a.stats, tsc, WINDOW);
			trace_stats_tick(&b.stats, tsc, WINDOW);
		}
	}
	trace_stats_tick(&a.stats, tsc + WINDOW, WINDOW);
	trace_stats_tick(&b.stats, tsc + WINDOW, WINDOW);
	assert_int_equal(a.lines, b.lines);
	/* Of the 20000, 7 in 10 are plain and some 7500 print. */
	assert_true(b.quiet > 20000 * 4 / 10);
	assert_int_equal(a.stats.evicted, b.stats.evicted);
	assert_int_equal(a.stats.pending, b.stats.pending);
	for (unsigned i = 0; i < TRACE_STATS_SLOTS; i++) {
		const struct trace_reg_count *x = &a.stats.slot[i], *y = &b.stats.slot[i];
		assert_ptr_equal(x->device, y->device);
		if (!x->device)
			continue;
		assert_string_equal(x->reg, y->reg);
		assert_int_equal(x->reads, y->reads);
		assert_int_equal(x->writes, y->writes);
		assert_int_equal(x->pending_reads, y->pending_reads);
		assert_int_equal(x->pending_writes, y->pending_writes);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_plain_names, setup),
		cmocka_unit_test_setup(test_quiet_needs_a_known_key, setup),
		cmocka_unit_test_setup(test_taken_over_slot_forgets_its_keys, setup),
		cmocka_unit_test_setup(test_same_as_decoding_every_record, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
