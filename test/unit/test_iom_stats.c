/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests: exact statistics, the hint counters, and the dumps. */
#include <pthread.h>
#include <time.h>

#include "test/unit/iom_test_platform.h"

#define BASE 0xFED00000ull

static struct dev P, Q, M;

static uint64_t cpu_stat(iom_space_t sp, iom_stat_t w, unsigned cpu)
{
	return iom_stat_get(sp, w, cpu);
}

static void test_exact_counts_and_hints(void **state)
{
	(void)state;
	uint32_t v;
	uint8_t b[4];

	dev_init(&P);
	dev_init(&Q);
	dev_init(&M);
	iom_port_handle_t hp = map_port_dev(&P, "p", 0x60, 4, 0);   /* slot 0 */
	iom_port_handle_t hq = map_port_dev(&Q, "q", 0x70, 4, 0);   /* slot 1 */
	iom_mmio_handle_t hm = map_mmio_dev(&M, "m", BASE, 4096, 0);

	/* CPU 0. Hints start empty. */
	iom_port_read(0, IOM_CTX_EXIT, 0x70, 1, &v);   /* miss */
	iom_port_read(0, IOM_CTX_EXIT, 0x71, 1, &v);   /* hit */
	iom_port_read(0, IOM_CTX_EXIT, 0x60, 1, &v);   /* miss */
	iom_port_read(0, IOM_CTX_EXIT, 0x63, 1, &v);   /* hit */
	iom_port_write(0, IOM_CTX_EXIT, 0x62, 1, 0);   /* write hint: miss */
	iom_port_read(0, IOM_CTX_EXIT, 0x80, 1, &v);   /* unclaimed: miss */
	iom_port_read(0, IOM_CTX_EXIT, 0x61, 1, &v);   /* hint kept: hit */
	iom_mmio_read(0, IOM_CTX_EXIT, BASE + 4, b, 4);/* miss */
	iom_mmio_write(0, IOM_CTX_EXIT, BASE - 4, b, 4); /* unclaimed: miss */
	/* CPU 1 has its own hints. */
	iom_port_write(1, IOM_CTX_EXIT, 0x72, 2, 0);   /* miss */
	iom_port_write(1, IOM_CTX_EXIT, 0x72, 2, 0);   /* hit */

	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_READS, 0), 6);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_WRITES, 0), 1);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_HINT_HITS, 0), 3);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_HINT_MISSES, 0), 4);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_UNCLAIMED_READS, 0), 1);
	assert_int_equal(cpu_stat(IOM_SPACE_MMIO, IOM_STAT_READS, 0), 1);
	assert_int_equal(cpu_stat(IOM_SPACE_MMIO, IOM_STAT_WRITES, 0), 1);
	assert_int_equal(cpu_stat(IOM_SPACE_MMIO, IOM_STAT_HINT_HITS, 0), 0);
	assert_int_equal(cpu_stat(IOM_SPACE_MMIO, IOM_STAT_HINT_MISSES, 0), 2);
	assert_int_equal(cpu_stat(IOM_SPACE_MMIO, IOM_STAT_UNCLAIMED_WRITES, 0), 1);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_WRITES, 1), 2);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_HINT_HITS, 1), 1);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_HINT_MISSES, 1), 1);
	/* Sums. */
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_WRITES, IOM_STAT_ALL_CPUS), 3);
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_HINT_HITS, IOM_STAT_ALL_CPUS), 4);
	/* Per range. */
	assert_int_equal(iom_port_range_stat(hp, IOM_STAT_READS), 3);
	assert_int_equal(iom_port_range_stat(hp, IOM_STAT_WRITES), 1);
	assert_int_equal(iom_port_range_stat(hq, IOM_STAT_READS), 2);
	assert_int_equal(iom_port_range_stat(hq, IOM_STAT_WRITES), 2);
	assert_int_equal(iom_mmio_range_stat(hm, IOM_STAT_READS), 1);
	assert_int_equal(iom_mmio_range_stat(hm, IOM_STAT_WRITES), 0);
	/* Bad arguments read as 0. */
	assert_int_equal(iom_stat_get(IOM_SPACE_COUNT, IOM_STAT_READS, 0), 0);
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_COUNT, 0), 0);
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_READS, IOM_MAX_CPUS), 0);
	assert_int_equal(iom_port_range_stat(hm, IOM_STAT_READS), 0);
	assert_string_equal(iom_stat_name(IOM_STAT_QUEUE_FULL), "queue-full");
	assert_string_equal(iom_stat_name(IOM_STAT_COUNT), "?");
	/* A reset starts from zero. */
	iom_init();
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_READS, IOM_STAT_ALL_CPUS), 0);
}

static const struct iom_port_desc uart_descs[8] = {
	[0] = { "RBR", "THR" }, [5] = { "LSR", NULL },
};

static const struct iom_dump_opts verbose = { .verbose = true };

/* Two port ranges: "com1" mapped at 0x3F8 (with port names), "pic" unmapped. */
static void create_com1_and_pic(void)
{
	struct iom_port_config cfg = { .name = "com1", .count = 8, .in = dev_in,
				       .out = dev_out, .user = &P, .descs = uart_descs };
	struct iom_port_config pic = { .name = "pic", .count = 2, .flags = IOM_PORT_F_ABS };
	iom_port_handle_t h, hp;

	dev_init(&P);
	assert_int_equal(iom_port_create(&cfg, &h), IOM_E_OK);
	assert_int_equal(iom_port_map(h, 0x3F8), IOM_E_OK);
	assert_int_equal(iom_port_create(&pic, &hp), IOM_E_OK);
}

static void test_port_dump(void **state)
{
	(void)state;
	static struct iom_test_out out;
	uint32_t v;

	memset(&out, 0, sizeof(out));
	create_com1_and_pic();
	iom_port_read(0, IOM_CTX_EXIT, 0x3FD, 1, &v);
	iom_port_read(0, IOM_CTX_EXIT, 0x3FD, 1, &v);
	iom_freeze();

	iom_dump_ports(iom_test_print, &out, &verbose);
	assert_int_equal(out.bad_formats, 0);
	assert_non_null(strstr(out.buf, "2 created, 1 mapped, frozen"));
	assert_non_null(strstr(out.buf, "  03f8 03ff     8 mapped   rel        2        0"));
	assert_non_null(strstr(out.buf, "com1"));
	assert_non_null(strstr(out.buf, "+0    in RBR              out THR"));
	assert_non_null(strstr(out.buf, "+5    in LSR              out -"));
	assert_null(strstr(out.buf, "+1 "));
	assert_non_null(strstr(out.buf, "  ---- ----     2 unmapped abs"));
	/* Mapped before unmapped. */
	assert_true(strstr(out.buf, "com1") < strstr(out.buf, "pic"));

	/* Brief: 80 columns, no per-port names; a port picks its range and
	 * lists the range's port names. */
	memset(&out, 0, sizeof(out));
	iom_dump_ports(iom_test_print, &out, &(struct iom_dump_opts){ 0 });
	assert_non_null(strstr(out.buf, "  03f8-03ff           2           0  com1\n"));
	/* An unmapped range that never saw an access is one count at the end
	 * (rules keep spare ranges: a list of them says nothing). */
	assert_null(strstr(out.buf, "pic"));
	assert_non_null(strstr(out.buf, "  (1 unmapped range unused; -v lists every range)\n"));
	assert_null(strstr(out.buf, "RBR"));
	for (const char *l = out.buf; *l; l = strchr(l, '\n') + 1)
		assert_true(strchr(l, '\n') - l <= 80);
	memset(&out, 0, sizeof(out));
	iom_dump_ports(iom_test_print, &out, &(struct iom_dump_opts){ .only = true, .addr = 0x3FD });
	assert_non_null(strstr(out.buf, "  03f8-03ff           2           0  com1\n"));
	assert_non_null(strstr(out.buf, "+5    in LSR              out -"));
	assert_null(strstr(out.buf, "pic"));
	memset(&out, 0, sizeof(out));
	iom_dump_ports(iom_test_print, &out, &(struct iom_dump_opts){ .only = true, .addr = 0x70 });
	assert_non_null(strstr(out.buf, "no range holds port 0x70"));
}

/* The per-range counts `stats` takes its device rates from: creation order,
 * reads and writes summed over CPUs, false past the last range. */
static void test_range_counts(void **state)
{
	(void)state;
	uint32_t v;
	struct iom_range_counts c;

	create_com1_and_pic();
	iom_port_read(0, IOM_CTX_EXIT, 0x3FD, 1, &v);
	iom_port_read(1, IOM_CTX_EXIT, 0x3FD, 1, &v);
	iom_port_write(1, IOM_CTX_EXIT, 0x3F8, 1, 0x41);

	assert_true(iom_range_counts(IOM_SPACE_PORT, 0, &c));
	assert_string_equal(c.name, "com1");
	assert_int_equal(c.reads, 2);
	assert_int_equal(c.writes, 1);
	assert_true(iom_range_counts(IOM_SPACE_PORT, 1, &c));
	assert_string_equal(c.name, "pic");
	assert_int_equal(c.reads + c.writes, 0);
	assert_false(iom_range_counts(IOM_SPACE_PORT, 2, &c));
	assert_false(iom_range_counts(IOM_SPACE_MMIO, 0, &c));
	assert_false(iom_range_counts(IOM_SPACE_COUNT, 0, &c));
}

static void test_mmio_and_stats_dump(void **state)
{
	(void)state;
	static struct iom_test_out out;
	uint8_t b[4];

	memset(&out, 0, sizeof(out));
	dev_init(&M);
	map_mmio_dev(&M, "hpet", BASE, 4096,
		     IOM_MMIO_READ_DWORD_QWORD | IOM_MMIO_WRITE_DWORD_ZEROED);
	M.defer_from = 0;
	assert_int_equal(iom_mmio_write(3, IOM_CTX_EXIT, BASE, b, 4), IOM_OK);
	assert_int_equal(iom_drain_deferred(3), IOM_OK);

	iom_dump_mmio(iom_test_print, &out, &verbose);
	assert_non_null(strstr(out.buf, "1 created, 1 mapped"));
	assert_non_null(strstr(out.buf, "00000000fed00000       1000 mapped   rel dword-qword dword-zeroed"));
	assert_non_null(strstr(out.buf, "hpet"));
	iom_dump_mmio(iom_test_print, &out, &(struct iom_dump_opts){ .only = true, .addr = BASE + 0xF00 });
	assert_non_null(strstr(out.buf, "  00000000fed00000-00000000fed00fff         0         2  hpet\n"));
	size_t at = out.len;
	iom_dump_stats(iom_test_print, &out);
	assert_int_equal(out.bad_formats, 0);
	assert_non_null(strstr(out.buf + at, "  writes                          0            1\n"));
	assert_non_null(strstr(out.buf + at, "  commit-direct                   0            1\n"));
	assert_non_null(strstr(out.buf + at, "cpu 3"));
	assert_null(strstr(out.buf + at, "cpu 0"));
}

static void test_new_counters(void **state)
{
	(void)state;
	uint32_t v, count;
	uint8_t b[8], str[6] = { 1, 2, 3, 4, 5, 6 };

	dev_init(&P);
	dev_init(&M);
	struct iom_port_config cfg = { .name = "p", .count = 4, .user = &P,
				       .in = dev_in, .out = dev_out,
				       .in_str = dev_in_str, .out_str = dev_out_str };
	iom_port_handle_t hp;
	assert_int_equal(iom_port_create(&cfg, &hp), IOM_E_OK);
	assert_int_equal(iom_port_map(hp, 0x60), IOM_E_OK);
	iom_mmio_handle_t hm = map_mmio_dev(&M, "m", BASE, 4096, IOM_MMIO_READ_DWORD);

	/* Each handler call takes 10 ticks of the fake clock (two reads of
	 * it around a delivery: the difference is the step). */
	iom_test_clock_step = 10;
	iom_port_read(2, IOM_CTX_EXIT, 0x60, 1, &v);
	iom_port_read(2, IOM_CTX_EXIT, 0x61, 2, &v);
	iom_port_write(2, IOM_CTX_EXIT, 0x62, 1, 5);
	count = 3;
	iom_port_read_string(2, IOM_CTX_EXIT, 0x60, 2, b, &count);
	count = 6;
	iom_port_write_string(2, IOM_CTX_EXIT, 0x60, 1, str, &count);
	/* An unaligned qword in dword mode: three dword handler calls. */
	iom_mmio_read(2, IOM_CTX_EXIT, BASE + 2, b, 8);

	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_IN, 2), 2);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_OUT, 2), 1);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_INS, 2), 1);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_OUTS, 2), 1);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_READS, 2), 3);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_WRITES, 2), 2);
	assert_int_equal(cpu_stat(IOM_SPACE_MMIO, IOM_STAT_IN, 2), 0);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_HANDLER_CALLS, 2), 5);
	assert_int_equal(cpu_stat(IOM_SPACE_MMIO, IOM_STAT_HANDLER_CALLS, 2), 3);
	assert_int_equal(iom_mmio_range_stat(hm, IOM_STAT_HANDLER_CALLS), 3);
	assert_int_equal(iom_port_range_stat(hp, IOM_STAT_HANDLER_CALLS), 5);
	/* Time: 10 per delivery, 5 port deliveries and 1 MMIO one. */
	assert_int_equal(iom_port_range_stat(hp, IOM_STAT_TIME), 50);
	assert_int_equal(iom_mmio_range_stat(hm, IOM_STAT_TIME), 10);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_TIME, 2), 50);
	assert_int_equal(cpu_stat(IOM_SPACE_MMIO, IOM_STAT_TIME, 2), 10);

	/* Deferred reads and writes, separately and summed. */
	P.defer_from = (int)P.exit_calls;
	iom_port_write(2, IOM_CTX_EXIT, 0x60, 1, 1);
	iom_port_read(2, IOM_CTX_EXIT, 0x60, 1, &v);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_DEFERRED_WRITES, 2), 1);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_DEFERRED_READS, 2), 1);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_DEFERRED, 2), 2);
	assert_int_equal(iom_drain_deferred(2), IOM_OK);

	/* Per-range counters are per CPU, summed when read. */
	P.defer_from = -1;
	uint64_t before = iom_port_range_stat(hp, IOM_STAT_READS);
	iom_port_read(0, IOM_CTX_EXIT, 0x60, 1, &v);
	iom_port_read(IOM_MAX_CPUS - 1, IOM_CTX_EXIT, 0x60, 1, &v);
	assert_int_equal(iom_port_range_stat(hp, IOM_STAT_READS), before + 2);

	/* Counters ranges do not keep read 0 for a range. */
	assert_int_equal(iom_port_range_stat(hp, IOM_STAT_HINT_HITS), 0);
	assert_int_equal(iom_port_range_stat(hp, IOM_STAT_IN), 0);
	assert_int_equal(iom_port_range_stat(hp, IOM_STAT_COUNT), 0);
	assert_int_equal(iom_port_range_stat(0, IOM_STAT_READS), 0);
	assert_int_equal(iom_mmio_range_stat(hp, IOM_STAT_TIME), 0);
	/* Names. */
	assert_string_equal(iom_stat_name(IOM_STAT_IN), "in");
	assert_string_equal(iom_stat_name(IOM_STAT_STALE), "stale");
	assert_string_equal(iom_stat_name(IOM_STAT_RECURSION), "recursion");
	assert_string_equal(iom_stat_name(IOM_STAT_TIME), "time");
	for (unsigned i = 0; i < IOM_STAT_COUNT; i++)
		assert_string_not_equal(iom_stat_name((iom_stat_t)i), "?");
	/* The hypercall ABI's numbers did not move. */
	assert_int_equal(IOM_STAT_READS, 0);
	assert_int_equal(IOM_STAT_QUEUE_FULL, 9);
	assert_int_equal(iom_test_log_count, 0);
}

static void test_stale_hints_detected(void **state)
{
	(void)state;
	uint32_t v;

	dev_init(&P);
	dev_init(&Q);
	iom_port_handle_t hp = map_port_dev(&P, "p", 0x60, 4, 0);
	iom_port_read(0, IOM_CTX_EXIT, 0x60, 1, &v);           /* miss */
	iom_port_read(0, IOM_CTX_EXIT, 0x61, 1, &v);           /* hit */
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_HINT_STALE, 0), 0);

	/* Any table change invalidates every hint, on every CPU. */
	map_port_dev(&Q, "q", 0x70, 4, 0);
	iom_port_read(0, IOM_CTX_EXIT, 0x62, 1, &v);           /* stale */
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_HINT_STALE, 0), 1);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_HINT_MISSES, 0), 2);
	iom_port_read(0, IOM_CTX_EXIT, 0x63, 1, &v);           /* fresh: hit */
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_HINT_HITS, 0), 2);

	/* The range moves: the old hint must not send 0x61 to it. */
	assert_int_equal(iom_port_unmap(hp), IOM_E_OK);
	assert_int_equal(iom_port_map(hp, 0x80), IOM_E_OK);
	unsigned n = P.n;
	assert_int_equal(iom_port_read(0, IOM_CTX_EXIT, 0x61, 1, &v), IOM_OK);
	assert_int_equal(v, 0xFF);
	assert_int_equal(P.n, n);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_HINT_STALE, 0), 2);
	/* Counted once: the stale hint was dropped. */
	iom_port_read(0, IOM_CTX_EXIT, 0x61, 1, &v);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_HINT_STALE, 0), 2);
	/* Empty hints (nothing hit yet) are not stale. */
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_HINT_STALE, 1), 0);
	iom_port_read(1, IOM_CTX_EXIT, 0x80, 1, &v);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_HINT_STALE, 1), 0);
}

/* The intercept hook runs under the registration lock; one that waits
 * for a flag lets another thread spin on the lock meanwhile. */
static volatile int hook_entered, hook_release;

static int slow_hook(void *arg, uint16_t first, uint32_t count, bool trap)
{
	(void)arg; (void)first; (void)count; (void)trap;
	__atomic_store_n(&hook_entered, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&hook_release, __ATOMIC_SEQ_CST))
		;
	return 0;
}

static void *releaser(void *arg)
{
	nanosleep(arg, NULL);
	__atomic_store_n(&hook_release, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void *mapper(void *arg)
{
	iom_port_map(*(iom_port_handle_t *)arg, 0x60);
	return NULL;
}

static void test_lock_contention_counted(void **state)
{
	(void)state;
	struct iom_port_config cfg = { .name = "x", .count = 1 };
	struct iom_intercept_ops ops = { .set_port_intercept = slow_hook };
	iom_port_handle_t h, h2;
	pthread_t t;

	hook_entered = 0;
	hook_release = 0;
	assert_int_equal(iom_port_create(&cfg, &h), IOM_E_OK);
	assert_int_equal(iom_port_create(&cfg, &h2), IOM_E_OK);
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_LOCK_CONTENTION,
				      IOM_STAT_ALL_CPUS), 0);
	assert_int_equal(iom_set_intercept_ops(&ops), IOM_E_OK);
	assert_int_equal(pthread_create(&t, NULL, mapper, &h), 0);
	while (!__atomic_load_n(&hook_entered, __ATOMIC_SEQ_CST))
		;
	/* Meanwhile, release the hook from a second thread after a while,
	 * and take the lock here: this thread must spin. */
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	pthread_t r;
	assert_int_equal(pthread_create(&r, NULL, releaser, &ts), 0);
	struct iom_range_info info;
	assert_int_equal(iom_port_query(h2, &info), IOM_E_OK);
	pthread_join(t, NULL);
	pthread_join(r, NULL);
	uint64_t spins = iom_stat_get(IOM_SPACE_PORT, IOM_STAT_LOCK_CONTENTION,
				      IOM_STAT_ALL_CPUS);
	assert_true(spins > 0);
	assert_int_equal(iom_stat_get(IOM_SPACE_MMIO, IOM_STAT_LOCK_CONTENTION,
				      IOM_STAT_ALL_CPUS), spins);
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_LOCK_CONTENTION, 0), 0);
	/* Uncontended calls add nothing. */
	assert_int_equal(iom_port_unmap(h), IOM_E_OK);
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_LOCK_CONTENTION,
				      IOM_STAT_ALL_CPUS), spins);
	iom_set_intercept_ops(NULL);
}

static void test_dumps_show_new_counters(void **state)
{
	(void)state;
	static struct iom_test_out out;
	uint32_t v;
	uint8_t b[4] = { 0 };

	memset(&out, 0, sizeof(out));
	dev_init(&P);
	dev_init(&Q);
	dev_init(&M);
	iom_port_handle_t hp = map_port_dev(&P, "com1", 0x3F8, 8, 0);
	map_mmio_dev(&M, "hpet", BASE, 4096, IOM_MMIO_READ_DWORD);
	iom_test_clock_step = 7;
	iom_port_read(0, IOM_CTX_EXIT, 0x3F8, 1, &v);
	iom_port_read(1, IOM_CTX_EXIT, 0x3F8, 1, &v);
	P.defer_from = (int)P.exit_calls;
	iom_port_write(0, IOM_CTX_EXIT, 0x3F9, 1, 1);
	assert_int_equal(iom_port_unmap(hp), IOM_E_OK);
	assert_int_equal(iom_port_map(hp, 0x2F8), IOM_E_OK);
	assert_int_equal(iom_drain_deferred(0), IOM_OK);   /* stale */
	iom_mmio_read(0, IOM_CTX_EXIT, BASE + 2, b, 4);    /* 2 calls */

	iom_dump_ports(iom_test_print, &out, &verbose);
	iom_dump_mmio(iom_test_print, &out, &verbose);
	iom_dump_stats(iom_test_print, &out);
	assert_int_equal(out.bad_formats, 0);
	assert_non_null(strstr(out.buf, "   stale    calls         time  name"));
	/* reads 2, writes 1, deferred 1, direct 0, lookup 0, stale 1, calls 3,
	 * time 3 x 7 */
	assert_non_null(strstr(out.buf, "  02f8 02ff     8 mapped   rel        2        1        1        0        0        1        3           21  com1"));
	assert_non_null(strstr(out.buf, " dword       passthru                        1        0        0        0        0        0        2            7  hpet"));
	assert_non_null(strstr(out.buf, "  stale                           1            0\n"));
	assert_non_null(strstr(out.buf, "  handler-calls                   3            2\n"));
	assert_non_null(strstr(out.buf, "  lock-contention                 0 (registration lock"));
	assert_null(strstr(out.buf, "  lock-contention                 0            0"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_exact_counts_and_hints, iom_test_setup),
		cmocka_unit_test_setup(test_port_dump, iom_test_setup),
		cmocka_unit_test_setup(test_range_counts, iom_test_setup),
		cmocka_unit_test_setup(test_mmio_and_stats_dump, iom_test_setup),
		cmocka_unit_test_setup(test_new_counters, iom_test_setup),
		cmocka_unit_test_setup(test_stale_hints_detected, iom_test_setup),
		cmocka_unit_test_setup(test_lock_contention_counted, iom_test_setup),
		cmocka_unit_test_setup(test_dumps_show_new_counters, iom_test_setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
