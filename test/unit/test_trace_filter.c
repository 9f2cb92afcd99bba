/* SPDX-License-Identifier: GPL-2.0-only */
/* hv/trace/filter.c, stats.c and line.c: which records print, flood control
 * and its summaries, "trace top", and the versioned line format. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "hv/trace/filter.h"
#include "hv/trace/line.h"
#include "hv/trace/stats.h"

static struct trace_record port(bool write, uint16_t p, uint64_t v)
{
	return (struct trace_record){
		.kind = TRACE_PORT, .write = write, .addr = p, .size = 1, .value = v
	};
}

/* "trace filter WORDS" as the console or the configuration gives it. */
static const char *apply(struct trace_config *c, const char *line)
{
	static char buf[200];
	char *w[16];
	unsigned n = 0;
	snprintf(buf, sizeof(buf), "%s", line);
	for (char *t = strtok(buf, " "); t; t = strtok(NULL, " "))
		w[n++] = t;
	bool handled;
	const char *why = trace_config_apply(c, w, n, &handled);
	assert_true(handled);
	return why;
}

static void test_filters(void **state)
{
	(void)state;
	struct trace_config c = { 0 };
	struct trace_record idx = port(true, 0x70, 0x0A), data = port(false, 0x71, 0x26);
	struct trace_record hpet = { .kind = TRACE_MMIO, .addr = 0xFED000F0, .size = 4, .rule = 2 };
	assert_true(trace_filters_pass(&c, &idx)); /* no filters: everything */
	assert_null(apply(&c, "filter port 0x71 in"));
	assert_false(trace_filters_pass(&c, &idx));
	assert_true(trace_filters_pass(&c, &data));
	assert_false(trace_filters_pass(&c, &hpet));
	assert_null(apply(&c, "filter rule 2"));
	assert_true(trace_filters_pass(&c, &hpet));
	assert_null(apply(&c, "filter not mmio 0xfed000f0+8"));
	assert_false(trace_filters_pass(&c, &hpet));
	char d[96];
	trace_filter_describe(&c.filters[2], d, sizeof(d));
	assert_string_equal(d, "not mmio 0xfed000f0-0xfed000f7");
	trace_filter_describe(&c.filters[0], d, sizeof(d));
	assert_string_equal(d, "port 0x71-0x71 in");
	assert_null(apply(&c, "filter clear"));
	assert_int_equal(c.nfilters, 0);
	assert_null(apply(&c, "filter cpu 1 value 0x26"));
	data.cpu = 1;
	assert_true(trace_filters_pass(&c, &data));
	data.value = 0x27;
	assert_false(trace_filters_pass(&c, &data));
	assert_non_null(apply(&c, "filter port"));
	assert_non_null(apply(&c, "filter frob"));
	assert_non_null(apply(&c, "filter not"));
	assert_int_equal(trace_config_limit(&c), TRACE_LIMIT_DEFAULT);
	assert_null(apply(&c, "limit 5"));
	assert_int_equal(trace_config_limit(&c), 5);
	assert_null(apply(&c, "limit off"));
	assert_int_equal(trace_config_limit(&c), 0);
	assert_non_null(apply(&c, "limit 0"));
}

static struct trace_text text(const char *device, const char *reg)
{
	struct trace_text t = { .device = device };
	snprintf(t.reg, sizeof(t.reg), "%s", reg);
	return t;
}

/* One access to register t at TSC now, counted. */
static bool account(struct trace_stats *s, const struct trace_text *t, bool write, uint64_t now,
		    uint64_t window, unsigned limit)
{
	struct trace_record r = port(write, 0x5a1, 0);
	r.tsc = now;
	return trace_stats_account(s, &r, t, window, limit);
}

/* 1000 reads of the HPET counter within one window of 100 ticks, limit 20:
 * 20 print, 980 are summarised once the window is over; the CMOS index is
 * not held back by the flood. */
static void test_flood_summarised(void **state)
{
	(void)state;
	static struct trace_stats s;
	struct trace_text counter = text("hpet", "main counter"), cmos = text("cmos", "index");
	unsigned printed = 0;
	for (unsigned i = 0; i < 1000; i++)
		printed += account(&s, &counter, false, 10, 100, 20);
	assert_int_equal(printed, 20);
	assert_true(account(&s, &cmos, true, 50, 100, 20));
	const struct trace_reg_count *c;
	uint32_t r, w;
	assert_false(trace_stats_next_summary(&s, &c, &r, &w)); /* the window is still open */
	trace_stats_tick(&s, 110, 100);
	assert_true(trace_stats_next_summary(&s, &c, &r, &w));
	assert_string_equal(c->device, "hpet");
	assert_string_equal(c->reg, "main counter");
	assert_int_equal(r, 980);
	assert_int_equal(w, 0);
	assert_false(trace_stats_next_summary(&s, &c, &r, &w));
	/* A new window: the register prints again. */
	assert_true(account(&s, &counter, false, 120, 100, 20));

	struct trace_stats *cpus[1] = { &s };
	struct trace_top_entry top[4];
	unsigned n = trace_stats_top(cpus, 1, top, 4);
	assert_int_equal(n, 2);
	assert_string_equal(top[0].reg, "main counter");
	assert_int_equal(top[0].reads, 1001);
	assert_string_equal(top[1].device, "cmos");
	assert_int_equal(top[1].writes, 1);
	assert_int_equal(trace_stats_top(cpus, 1, top, 4), 0); /* since the last call: nothing */
}

/* Accesses the filters hold back (limit 0) are counted, but take none of the
 * register's lines: "trace filter in" still prints 20 reads a second of a
 * register the guest also writes. */
static void test_filtered_take_no_lines(void **state)
{
	(void)state;
	static struct trace_stats s;
	struct trace_text t = text("cmos", "index");
	for (unsigned i = 0; i < 100; i++)
		assert_true(account(&s, &t, true, 5, 100, 0));
	unsigned printed = 0;
	for (unsigned i = 0; i < 30; i++)
		printed += account(&s, &t, false, 6, 100, 20);
	assert_int_equal(printed, 20);
	assert_int_equal(s.slot[0].writes, 100);
	assert_int_equal(s.slot[0].reads, 30);
}

/* The line format, version 1, field by field. */
static void test_line_format(void **state)
{
	(void)state;
	struct trace_record r = port(true, 0x70, 0x0A);
	r.cpu = 1, r.tsc = 40312780452ull, r.rip = 0xffffffff8b83e757ull, r.rule = 1;
	struct trace_text t = text("cmos", "index");
	snprintf(t.text, sizeof(t.text), "index = 0x0a (status A), NMI enabled");
	char line[TRACE_LINE_MAX];
	trace_format_line(line, sizeof(line), &r, &t);
	assert_string_equal(line,
			    "trace: cpu1 tsc=40312780452 rip=ffffffff8b83e757 rule=1 out 0x70 "
			    "size=1 <- 0x0a  cmos index = 0x0a (status A), NMI enabled");
	struct trace_record m = {
		.kind = TRACE_MMIO, .addr = 0xFED000F0, .size = 4, .value = 0x1234
	};
	struct trace_text u = text("-", "0xfed000f0");
	trace_format_line(line, sizeof(line), &m, &u);
	assert_string_equal(line, "trace: cpu0 tsc=0 rip=0000000000000000 rule=0 read 0xfed000f0 "
				  "size=4 -> 0x00001234  -");
	struct trace_record p = { .kind = TRACE_PCI,
				  .addr = (uint64_t)0x8000F810 << 16 | 0xCFE,
				  .size = 2,
				  .value = 0x0601 };
	trace_format_line(line, sizeof(line), &p, &u);
	assert_string_equal(line,
			    "trace: cpu0 tsc=0 rip=0000000000000000 rule=0 in pci:00:1f.0+0x012 "
			    "size=2 -> 0x0601  -");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_flood_summarised),
		cmocka_unit_test(test_filtered_take_no_lines),
		cmocka_unit_test(test_line_format),
	};
	return cmocka_run_group_tests(tests, 0, 0);
}
