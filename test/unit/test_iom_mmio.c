/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests: MMIO registration, lookup, and every access-size adaptation
 * mode with misaligned, dword-spanning and range-spanning accesses. */
#include "test/unit/iom_test_platform.h"

#define BASE 0xFED00000ull
#define PAGE 4096ull

static struct dev D, E;

static iom_mmio_handle_t map_mode(uint32_t flags)
{
	dev_init(&D);
	return map_mmio_dev(&D, "dev", BASE, PAGE, flags);
}

static uint64_t rd(uint64_t gpa, unsigned len)
{
	uint8_t b[8];

	assert_int_equal(iom_mmio_read(0, IOM_CTX_EXIT, gpa, b, len), IOM_OK);
	return dev_le(b, len);
}

static void wr(uint64_t gpa, unsigned len, uint64_t v)
{
	uint8_t b[8];

	for (unsigned i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	assert_int_equal(iom_mmio_write(0, IOM_CTX_EXIT, gpa, b, len), IOM_OK);
}

/* Little-endian value of the device's registers at off. */
static uint64_t mem(unsigned off, unsigned len)
{
	return dev_le(&D.mem[off], len);
}

/* ---- registration -------------------------------------------------------- */

static void test_mmio_registration_rules(void **state)
{
	(void)state;
	struct iom_mmio_config cfg = { .name = "m", .size = PAGE, .read = dev_read };
	iom_mmio_handle_t h, g;

	cfg.size = 0;
	assert_int_equal(iom_mmio_create(&cfg, &h), IOM_E_ZERO_SIZE);
	cfg.size = 100;
	assert_int_equal(iom_mmio_create(&cfg, &h), IOM_E_ALIGN);
	cfg.size = IOM_MMIO_ADDR_MAX + 1 + PAGE;
	assert_int_equal(iom_mmio_create(&cfg, &h), IOM_E_RANGE);
	cfg.size = PAGE;
	cfg.flags = 3u << IOM_MMIO_READ_SHIFT;
	assert_int_equal(iom_mmio_create(&cfg, &h), IOM_E_FLAGS);
	cfg.flags = 7u << IOM_MMIO_WRITE_SHIFT;
	assert_int_equal(iom_mmio_create(&cfg, &h), IOM_E_FLAGS);
	cfg.flags = 0x4;
	assert_int_equal(iom_mmio_create(&cfg, &h), IOM_E_FLAGS);
	cfg.flags = IOM_MMIO_WRITE_DWORD_READ_MISSING;
	cfg.read = NULL;
	assert_int_equal(iom_mmio_create(&cfg, &h), IOM_E_INVALID);
	cfg.read = dev_read;
	assert_int_equal(iom_mmio_create(&cfg, &h), IOM_E_OK);

	cfg.size = 4 * PAGE;
	cfg.flags = 0;
	assert_int_equal(iom_mmio_create(&cfg, &g), IOM_E_OK);
	assert_int_equal(iom_mmio_map(h, BASE + 1), IOM_E_ALIGN);
	assert_int_equal(iom_mmio_map(h, IOM_MMIO_ADDR_MAX + 1), IOM_E_RANGE);
	assert_int_equal(iom_mmio_map(g, IOM_MMIO_ADDR_MAX + 1 - 3 * PAGE), IOM_E_RANGE);
	assert_int_equal(iom_mmio_map(g, IOM_MMIO_ADDR_MAX + 1 - 4 * PAGE), IOM_E_OK);
	assert_int_equal(iom_mmio_unmap(g), IOM_E_OK);
	assert_int_equal(iom_mmio_map(h, BASE), IOM_E_OK);
	assert_int_equal(iom_mmio_map(g, BASE - 3 * PAGE), IOM_E_OVERLAP);
	assert_int_equal(iom_mmio_map(g, BASE - 4 * PAGE), IOM_E_OK);   /* adjacent */
	assert_int_equal(iom_mmio_map(h, BASE + PAGE), IOM_E_ALREADY_MAPPED);

	struct iom_range_info info;
	assert_int_equal(iom_mmio_query(g, &info), IOM_E_OK);
	assert_true(info.mapped);
	assert_int_equal(info.base, BASE - 4 * PAGE);
	assert_int_equal(info.size, 4 * PAGE);
}

static void test_mmio_lookup_edges_and_offsets(void **state)
{
	(void)state;
	iom_mmio_handle_t h = map_mode(0);

	dev_init(&E);
	map_mmio_dev(&E, "abs", BASE + PAGE, PAGE, IOM_MMIO_F_ABS);

	assert_int_equal(rd(BASE - 1, 1), 0xFF);
	assert_int_equal(rd(BASE, 1), D.mem[0]);
	assert_call(&D, 0, 'r', IOM_CTX_EXIT, 0, 1);
	assert_int_equal(rd(BASE + PAGE - 1, 1), D.mem[PAGE - 1]);
	assert_call(&D, 1, 'r', IOM_CTX_EXIT, PAGE - 1, 1);
	rd(BASE + PAGE, 1);
	assert_call(&E, 0, 'r', IOM_CTX_EXIT, BASE + PAGE, 1);
	assert_int_equal(rd(BASE + 2 * PAGE, 1), 0xFF);
	assert_int_equal(iom_stat_get(IOM_SPACE_MMIO, IOM_STAT_UNCLAIMED_READS, 0), 2);
	assert_int_equal(iom_mmio_range_stat(h, IOM_STAT_READS), 2);
}

/* ---- read modes ----------------------------------------------------------- */

static void test_read_passthru(void **state)
{
	(void)state;
	uint8_t big[32];

	map_mode(IOM_MMIO_READ_PASSTHRU);
	/* As issued, whatever the alignment. */
	assert_int_equal(rd(BASE + 2, 4), mem(2, 4));
	assert_call(&D, 0, 'r', IOM_CTX_EXIT, 2, 4);
	assert_int_equal(rd(BASE + 7, 8), mem(7, 8));
	assert_call(&D, 1, 'r', IOM_CTX_EXIT, 7, 8);
	/* 20 bytes at 4: split at qword boundaries: 4 + 8 + 8. */
	assert_int_equal(iom_mmio_read(0, IOM_CTX_EXIT, BASE + 4, big, 20), IOM_OK);
	assert_int_equal(D.n, 5);
	assert_call(&D, 2, 'r', IOM_CTX_EXIT, 4, 4);
	assert_call(&D, 3, 'r', IOM_CTX_EXIT, 8, 8);
	assert_call(&D, 4, 'r', IOM_CTX_EXIT, 16, 8);
	assert_memory_equal(big, &D.mem[4], 20);
	/* 13 bytes at 3: 5 in the first qword go as aligned 1 + 4, then 8. */
	assert_int_equal(iom_mmio_read(0, IOM_CTX_EXIT, BASE + 3, big, 13), IOM_OK);
	assert_call(&D, 5, 'r', IOM_CTX_EXIT, 3, 1);
	assert_call(&D, 6, 'r', IOM_CTX_EXIT, 4, 4);
	assert_call(&D, 7, 'r', IOM_CTX_EXIT, 8, 8);
	assert_memory_equal(big, &D.mem[3], 13);
}

static void test_read_dword(void **state)
{
	(void)state;
	map_mode(IOM_MMIO_READ_DWORD);
	assert_int_equal(rd(BASE + 8, 4), mem(8, 4));
	assert_call(&D, 0, 'r', IOM_CTX_EXIT, 8, 4);
	/* A byte: the dword around it. */
	assert_int_equal(rd(BASE + 5, 1), D.mem[5]);
	assert_call(&D, 1, 'r', IOM_CTX_EXIT, 4, 4);
	/* A word spanning two dwords. */
	assert_int_equal(rd(BASE + 3, 2), mem(3, 2));
	assert_call(&D, 2, 'r', IOM_CTX_EXIT, 0, 4);
	assert_call(&D, 3, 'r', IOM_CTX_EXIT, 4, 4);
	/* An aligned qword is two dwords in this mode. */
	assert_int_equal(rd(BASE + 16, 8), mem(16, 8));
	assert_call(&D, 4, 'r', IOM_CTX_EXIT, 16, 4);
	assert_call(&D, 5, 'r', IOM_CTX_EXIT, 20, 4);
	/* A misaligned dword: two dwords. */
	assert_int_equal(rd(BASE + 6, 4), mem(6, 4));
	assert_call(&D, 6, 'r', IOM_CTX_EXIT, 4, 4);
	assert_call(&D, 7, 'r', IOM_CTX_EXIT, 8, 4);
	assert_int_equal(D.n, 8);
	for (unsigned i = 0; i < D.n; i++)
		assert_int_equal(D.log[i].size, 4);
}

static void test_read_dword_qword(void **state)
{
	(void)state;
	map_mode(IOM_MMIO_READ_DWORD_QWORD);
	assert_int_equal(rd(BASE + 16, 8), mem(16, 8));
	assert_call(&D, 0, 'r', IOM_CTX_EXIT, 16, 8);
	/* Misaligned qword at 4: two dwords (it is dword aligned). */
	assert_int_equal(rd(BASE + 4, 8), mem(4, 8));
	assert_call(&D, 1, 'r', IOM_CTX_EXIT, 4, 4);
	assert_call(&D, 2, 'r', IOM_CTX_EXIT, 8, 4);
	/* Misaligned qword at 2: three dwords. */
	assert_int_equal(rd(BASE + 2, 8), mem(2, 8));
	assert_call(&D, 3, 'r', IOM_CTX_EXIT, 0, 4);
	assert_call(&D, 4, 'r', IOM_CTX_EXIT, 4, 4);
	assert_call(&D, 5, 'r', IOM_CTX_EXIT, 8, 4);
	assert_int_equal(rd(BASE + 1, 1), D.mem[1]);
	assert_call(&D, 6, 'r', IOM_CTX_EXIT, 0, 4);
	assert_int_equal(D.n, 7);
}

static iom_status_t unused_read(void *user, iom_ctx_t ctx, unsigned cpu,
				uint64_t addr, void *buf, unsigned size)
{
	(void)user; (void)ctx; (void)cpu; (void)addr;
	memset(buf, 0x11, size);
	return IOM_UNUSED;
}

static void test_read_unused_in_dword_mode(void **state)
{
	(void)state;
	struct iom_mmio_config cfg = { .name = "u", .size = PAGE,
				       .flags = IOM_MMIO_READ_DWORD, .read = unused_read };
	iom_mmio_handle_t h;

	assert_int_equal(iom_mmio_create(&cfg, &h), IOM_E_OK);
	assert_int_equal(iom_mmio_map(h, BASE), IOM_E_OK);
	assert_int_equal(rd(BASE + 1, 2), 0xFFFF);
	assert_int_equal(rd(BASE, 8), UINT64_MAX);
}

/* ---- write modes --------------------------------------------------------- */

static void test_write_passthru(void **state)
{
	(void)state;
	uint8_t big[16];

	map_mode(IOM_MMIO_WRITE_PASSTHRU);
	wr(BASE + 1, 2, 0xBEEF);
	assert_call(&D, 0, 'w', IOM_CTX_EXIT, 1, 2);
	assert_int_equal(D.log[0].value, 0xBEEF);
	for (unsigned i = 0; i < 16; i++)
		big[i] = (uint8_t)(0xA0 + i);
	assert_int_equal(iom_mmio_write(0, IOM_CTX_EXIT, BASE + 32, big, 16), IOM_OK);
	assert_call(&D, 1, 'w', IOM_CTX_EXIT, 32, 8);
	assert_call(&D, 2, 'w', IOM_CTX_EXIT, 40, 8);
	assert_memory_equal(&D.mem[32], big, 16);
}

static void test_write_dword_zeroed(void **state)
{
	(void)state;
	map_mode(IOM_MMIO_WRITE_DWORD_ZEROED);
	wr(BASE + 1, 1, 0xAB);
	assert_call(&D, 0, 'w', IOM_CTX_EXIT, 0, 4);
	assert_int_equal(D.log[0].value, 0x0000AB00);
	/* A dword at 2 spans two dwords: each gets its half, zero elsewhere. */
	wr(BASE + 2, 4, 0x44332211);
	assert_call(&D, 1, 'w', IOM_CTX_EXIT, 0, 4);
	assert_int_equal(D.log[1].value, 0x22110000);
	assert_call(&D, 2, 'w', IOM_CTX_EXIT, 4, 4);
	assert_int_equal(D.log[2].value, 0x00004433);
	/* Aligned dword: as is. Aligned qword: two dwords in this mode. */
	wr(BASE + 8, 4, 0xCAFEF00D);
	assert_call(&D, 3, 'w', IOM_CTX_EXIT, 8, 4);
	wr(BASE + 16, 8, 0x8877665544332211ull);
	assert_call(&D, 4, 'w', IOM_CTX_EXIT, 16, 4);
	assert_int_equal(D.log[4].value, 0x44332211);
	assert_call(&D, 5, 'w', IOM_CTX_EXIT, 20, 4);
	assert_int_equal(D.log[5].value, 0x88776655);
	assert_int_equal(D.n, 6);
	/* Nothing was read. */
	for (unsigned i = 0; i < D.n; i++)
		assert_int_equal(D.log[i].op, 'w');
}

static void test_write_dword_qword_zeroed(void **state)
{
	(void)state;
	map_mode(IOM_MMIO_WRITE_DWORD_QWORD_ZEROED);
	wr(BASE + 16, 8, 0x8877665544332211ull);
	assert_call(&D, 0, 'w', IOM_CTX_EXIT, 16, 8);
	/* Qword at 4: two full dwords. */
	wr(BASE + 4, 8, 0x8877665544332211ull);
	assert_call(&D, 1, 'w', IOM_CTX_EXIT, 4, 4);
	assert_int_equal(D.log[1].value, 0x44332211);
	assert_call(&D, 2, 'w', IOM_CTX_EXIT, 8, 4);
	/* Qword at 6: three dwords, the outer ones zero-filled. */
	wr(BASE + 6, 8, 0x8877665544332211ull);
	assert_call(&D, 3, 'w', IOM_CTX_EXIT, 4, 4);
	assert_int_equal(D.log[3].value, 0x22110000);
	assert_call(&D, 4, 'w', IOM_CTX_EXIT, 8, 4);
	assert_int_equal(D.log[4].value, 0x66554433);
	assert_call(&D, 5, 'w', IOM_CTX_EXIT, 12, 4);
	assert_int_equal(D.log[5].value, 0x00008877);
	assert_int_equal(D.n, 6);
}

static void test_write_dword_read_missing(void **state)
{
	(void)state;
	map_mode(IOM_MMIO_WRITE_DWORD_READ_MISSING);
	uint32_t old0 = (uint32_t)mem(0, 4), old4 = (uint32_t)mem(4, 4);

	wr(BASE + 2, 1, 0xAB);
	assert_call(&D, 0, 'r', IOM_CTX_EXIT, 0, 4);
	assert_call(&D, 1, 'w', IOM_CTX_EXIT, 0, 4);
	assert_int_equal(D.log[1].value, (old0 & 0xFF00FFFFu) | 0x00AB0000u);
	old0 = (uint32_t)mem(0, 4);
	/* A word at 3: read-modify-write of both dwords. */
	wr(BASE + 3, 2, 0x2211);
	assert_call(&D, 2, 'r', IOM_CTX_EXIT, 0, 4);
	assert_call(&D, 3, 'w', IOM_CTX_EXIT, 0, 4);
	assert_int_equal(D.log[3].value, (old0 & 0x00FFFFFFu) | 0x11000000u);
	assert_call(&D, 4, 'r', IOM_CTX_EXIT, 4, 4);
	assert_call(&D, 5, 'w', IOM_CTX_EXIT, 4, 4);
	assert_int_equal(D.log[5].value, (old4 & 0xFFFFFF00u) | 0x22u);
	/* An aligned dword needs no read. A qword is two full dwords: no read. */
	wr(BASE + 8, 4, 1);
	assert_call(&D, 6, 'w', IOM_CTX_EXIT, 8, 4);
	wr(BASE + 16, 8, 0x8877665544332211ull);
	assert_call(&D, 7, 'w', IOM_CTX_EXIT, 16, 4);
	assert_call(&D, 8, 'w', IOM_CTX_EXIT, 20, 4);
	assert_int_equal(D.n, 9);
}

static void test_write_dword_qword_read_missing(void **state)
{
	(void)state;
	map_mode(IOM_MMIO_WRITE_DWORD_QWORD_READ_MISSING);
	wr(BASE + 8, 8, 0x8877665544332211ull);
	assert_call(&D, 0, 'w', IOM_CTX_EXIT, 8, 8);
	uint32_t old = (uint32_t)mem(16, 4);
	wr(BASE + 17, 1, 0x5A);
	assert_call(&D, 1, 'r', IOM_CTX_EXIT, 16, 4);
	assert_call(&D, 2, 'w', IOM_CTX_EXIT, 16, 4);
	assert_int_equal(D.log[2].value, (old & 0xFFFF00FFu) | 0x5A00u);
	/* Misaligned qword at 2: three dwords, the outer two read first. */
	wr(BASE + 2, 8, 0);
	assert_int_equal(D.n, 3 + 5);
	assert_call(&D, 3, 'r', IOM_CTX_EXIT, 0, 4);
	assert_call(&D, 4, 'w', IOM_CTX_EXIT, 0, 4);
	assert_call(&D, 5, 'w', IOM_CTX_EXIT, 4, 4);
	assert_call(&D, 6, 'r', IOM_CTX_EXIT, 8, 4);
	assert_call(&D, 7, 'w', IOM_CTX_EXIT, 8, 4);
}

static void test_write_only_dword(void **state)
{
	(void)state;
	uint8_t before[32];

	map_mode(IOM_MMIO_WRITE_ONLY_DWORD);
	memcpy(before, D.mem, sizeof(before));
	wr(BASE + 1, 1, 0xFF);          /* ignored */
	wr(BASE + 2, 2, 0xFFFF);        /* ignored */
	wr(BASE + 2, 4, 0xFFFFFFFF);    /* misaligned: ignored */
	wr(BASE + 8, 8, UINT64_MAX);    /* qword: ignored in this mode */
	assert_int_equal(D.n, 0);
	assert_memory_equal(D.mem, before, sizeof(before));
	wr(BASE + 4, 4, 0x12345678);
	assert_call(&D, 0, 'w', IOM_CTX_EXIT, 4, 4);
	assert_int_equal(D.n, 1);
}

static void test_write_only_dword_qword(void **state)
{
	(void)state;
	map_mode(IOM_MMIO_WRITE_ONLY_DWORD_QWORD);
	wr(BASE + 8, 8, 1);
	assert_call(&D, 0, 'w', IOM_CTX_EXIT, 8, 8);
	wr(BASE + 4, 8, 1);             /* misaligned qword: ignored */
	wr(BASE + 3, 1, 1);             /* byte: ignored */
	assert_int_equal(D.n, 1);
	wr(BASE + 12, 4, 2);
	assert_call(&D, 1, 'w', IOM_CTX_EXIT, 12, 4);
	/* 16 aligned bytes: two qwords. */
	uint8_t big[16] = { 0 };
	assert_int_equal(iom_mmio_write(0, IOM_CTX_EXIT, BASE + 16, big, 16), IOM_OK);
	assert_call(&D, 2, 'w', IOM_CTX_EXIT, 16, 8);
	assert_call(&D, 3, 'w', IOM_CTX_EXIT, 24, 8);
}

/* ---- accesses running past a range --------------------------------------- */

static void test_access_past_range_end(void **state)
{
	(void)state;
	uint8_t b[8];

	map_mode(IOM_MMIO_READ_DWORD);
	/* Dword at the last two bytes: two bytes from the device, two unclaimed. */
	assert_int_equal(rd(BASE + PAGE - 2, 4), 0xFFFF0000u | mem(PAGE - 2, 2));
	assert_call(&D, 0, 'r', IOM_CTX_EXIT, PAGE - 4, 4);
	assert_int_equal(D.n, 1);
	assert_int_equal(iom_stat_get(IOM_SPACE_MMIO, IOM_STAT_UNCLAIMED_READS, 0), 1);

	/* Unclaimed below the range, claimed above. */
	assert_int_equal(iom_mmio_read(0, IOM_CTX_EXIT, BASE - 3, b, 8), IOM_OK);
	assert_memory_equal(b, "\xff\xff\xff", 3);
	assert_memory_equal(b + 3, D.mem, 5);
	assert_call(&D, 1, 'r', IOM_CTX_EXIT, 0, 4);
	assert_call(&D, 2, 'r', IOM_CTX_EXIT, 4, 4);

	/* Across two ranges with different modes. */
	dev_init(&E);
	map_mmio_dev(&E, "next", BASE + PAGE, PAGE, IOM_MMIO_WRITE_DWORD_ZEROED);
	wr(BASE + PAGE - 4, 8, 0x8877665544332211ull);
	/* D (pass-through writes) gets its dword as issued... */
	assert_call(&D, 3, 'w', IOM_CTX_EXIT, PAGE - 4, 4);
	assert_int_equal(D.log[3].value, 0x44332211);
	/* ...E its aligned dword. */
	assert_call(&E, 0, 'w', IOM_CTX_EXIT, 0, 4);
	assert_int_equal(E.log[0].value, 0x88776655);
	/* 3 bytes in D at PAGE-3 (pass-through pieces 1 + 2), 1 in E (zeroed). */
	wr(BASE + PAGE - 3, 4, 0x44332211);
	assert_call(&D, 4, 'w', IOM_CTX_EXIT, PAGE - 3, 1);
	assert_call(&D, 5, 'w', IOM_CTX_EXIT, PAGE - 2, 2);
	assert_int_equal(D.log[5].value, 0x3322);
	assert_call(&E, 1, 'w', IOM_CTX_EXIT, 0, 4);
	assert_int_equal(E.log[1].value, 0x44);
}

static void test_mmio_bad_arguments_and_outcomes(void **state)
{
	(void)state;
	uint8_t b[128];

	map_mode(0);
	assert_int_equal(iom_mmio_read(0, IOM_CTX_EXIT, BASE, b, 0), IOM_INTERNAL_ERROR);
	assert_int_equal(iom_mmio_read(0, IOM_CTX_EXIT, BASE, b, 65), IOM_INTERNAL_ERROR);
	assert_int_equal(iom_mmio_read(0, IOM_CTX_EXIT, UINT64_MAX - 2, b, 4), IOM_INTERNAL_ERROR);
	assert_int_equal(iom_mmio_write(0, IOM_CTX_EXIT, BASE, NULL, 4), IOM_INTERNAL_ERROR);
	assert_int_equal(iom_test_log_count, 4);
	assert_int_equal(iom_test_bad_formats, 0);
	/* 64 bytes is the maximum, split into 8 qwords. */
	assert_int_equal(iom_mmio_read(0, IOM_CTX_EXIT, BASE, b, 64), IOM_OK);
	assert_int_equal(D.n, 8);
	/* Outcomes of split parts are merged. */
	D.status = IOM_STOP_VCPU;
	assert_int_equal(iom_mmio_read(0, IOM_CTX_EXIT, BASE + 6, b, 4), IOM_STOP_VCPU);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_mmio_registration_rules, iom_test_setup),
		cmocka_unit_test_setup(test_mmio_lookup_edges_and_offsets, iom_test_setup),
		cmocka_unit_test_setup(test_read_passthru, iom_test_setup),
		cmocka_unit_test_setup(test_read_dword, iom_test_setup),
		cmocka_unit_test_setup(test_read_dword_qword, iom_test_setup),
		cmocka_unit_test_setup(test_read_unused_in_dword_mode, iom_test_setup),
		cmocka_unit_test_setup(test_write_passthru, iom_test_setup),
		cmocka_unit_test_setup(test_write_dword_zeroed, iom_test_setup),
		cmocka_unit_test_setup(test_write_dword_qword_zeroed, iom_test_setup),
		cmocka_unit_test_setup(test_write_dword_read_missing, iom_test_setup),
		cmocka_unit_test_setup(test_write_dword_qword_read_missing, iom_test_setup),
		cmocka_unit_test_setup(test_write_only_dword, iom_test_setup),
		cmocka_unit_test_setup(test_write_only_dword_qword, iom_test_setup),
		cmocka_unit_test_setup(test_access_past_range_end, iom_test_setup),
		cmocka_unit_test_setup(test_mmio_bad_arguments_and_outcomes, iom_test_setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
