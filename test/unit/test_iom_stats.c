/* Unit tests: exact statistics, the hint counters, and the dumps. */
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

	/* CPU 0. Hints start at slot 0 (P). */
	iom_port_read(0, IOM_CTX_EXIT, 0x70, 1, &v);   /* miss */
	iom_port_read(0, IOM_CTX_EXIT, 0x71, 1, &v);   /* hit */
	iom_port_read(0, IOM_CTX_EXIT, 0x60, 1, &v);   /* miss */
	iom_port_read(0, IOM_CTX_EXIT, 0x63, 1, &v);   /* hit */
	iom_port_write(0, IOM_CTX_EXIT, 0x62, 1, 0);   /* write hint: hit */
	iom_port_read(0, IOM_CTX_EXIT, 0x80, 1, &v);   /* unclaimed: miss */
	iom_port_read(0, IOM_CTX_EXIT, 0x61, 1, &v);   /* hint kept: hit */
	iom_mmio_read(0, IOM_CTX_EXIT, BASE + 4, b, 4);/* hit */
	iom_mmio_write(0, IOM_CTX_EXIT, BASE - 4, b, 4); /* unclaimed: miss */
	/* CPU 1 has its own hints. */
	iom_port_write(1, IOM_CTX_EXIT, 0x72, 2, 0);   /* miss */
	iom_port_write(1, IOM_CTX_EXIT, 0x72, 2, 0);   /* hit */

	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_READS, 0), 6);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_WRITES, 0), 1);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_HINT_HITS, 0), 4);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_HINT_MISSES, 0), 3);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_UNCLAIMED_READS, 0), 1);
	assert_int_equal(cpu_stat(IOM_SPACE_MMIO, IOM_STAT_READS, 0), 1);
	assert_int_equal(cpu_stat(IOM_SPACE_MMIO, IOM_STAT_WRITES, 0), 1);
	assert_int_equal(cpu_stat(IOM_SPACE_MMIO, IOM_STAT_HINT_HITS, 0), 1);
	assert_int_equal(cpu_stat(IOM_SPACE_MMIO, IOM_STAT_HINT_MISSES, 0), 1);
	assert_int_equal(cpu_stat(IOM_SPACE_MMIO, IOM_STAT_UNCLAIMED_WRITES, 0), 1);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_WRITES, 1), 2);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_HINT_HITS, 1), 1);
	assert_int_equal(cpu_stat(IOM_SPACE_PORT, IOM_STAT_HINT_MISSES, 1), 1);
	/* Sums. */
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_WRITES, IOM_STAT_ALL_CPUS), 3);
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_HINT_HITS, IOM_STAT_ALL_CPUS), 5);
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

static void test_port_dump(void **state)
{
	(void)state;
	static struct iom_test_out out;
	struct iom_port_config cfg = { .name = "com1", .count = 8, .in = dev_in,
				       .out = dev_out, .user = &P, .descs = uart_descs };
	struct iom_port_config pic = { .name = "pic", .count = 2, .flags = IOM_PORT_F_ABS };
	iom_port_handle_t h, hp;
	uint32_t v;

	memset(&out, 0, sizeof(out));
	dev_init(&P);
	assert_int_equal(iom_port_create(&cfg, &h), IOM_E_OK);
	assert_int_equal(iom_port_map(h, 0x3F8), IOM_E_OK);
	assert_int_equal(iom_port_create(&pic, &hp), IOM_E_OK);
	iom_port_read(0, IOM_CTX_EXIT, 0x3FD, 1, &v);
	iom_port_read(0, IOM_CTX_EXIT, 0x3FD, 1, &v);
	iom_freeze();

	iom_dump_ports(iom_test_print, &out);
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

	iom_dump_mmio(iom_test_print, &out);
	assert_non_null(strstr(out.buf, "1 created, 1 mapped"));
	assert_non_null(strstr(out.buf, "00000000fed00000       1000 mapped   rel dword-qword dword-zeroed"));
	assert_non_null(strstr(out.buf, "hpet"));
	size_t at = out.len;
	iom_dump_stats(iom_test_print, &out);
	assert_int_equal(out.bad_formats, 0);
	assert_non_null(strstr(out.buf + at, "  writes                          0            1\n"));
	assert_non_null(strstr(out.buf + at, "  commit-direct                   0            1\n"));
	assert_non_null(strstr(out.buf + at, "cpu 3"));
	assert_null(strstr(out.buf + at, "cpu 0"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_exact_counts_and_hints, iom_test_setup),
		cmocka_unit_test_setup(test_port_dump, iom_test_setup),
		cmocka_unit_test_setup(test_mmio_and_stats_dump, iom_test_setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
