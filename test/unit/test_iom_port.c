/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests: I/O-port registration, intercept hooks, lookup and dispatch. */
#include "test/unit/iom_test_platform.h"

static struct dev A, B;

static iom_port_handle_t create_port(const char *name, uint32_t count,
				     struct dev *d)
{
	struct iom_port_config cfg = {
		.name = name, .count = count, .user = d,
		.in = dev_in, .out = dev_out,
	};
	iom_port_handle_t h = 0;

	assert_int_equal(iom_port_create(&cfg, &h), IOM_E_OK);
	assert_int_not_equal(h, 0);
	return h;
}

static void test_create_rejects_bad_arguments(void **state)
{
	(void)state;
	iom_port_handle_t h = 0;
	struct iom_port_config cfg = { .name = "x", .count = 8 };

	assert_int_equal(iom_port_create(NULL, &h), IOM_E_INVALID);
	assert_int_equal(iom_port_create(&cfg, NULL), IOM_E_INVALID);
	cfg.name = NULL;
	assert_int_equal(iom_port_create(&cfg, &h), IOM_E_INVALID);
	cfg.name = "x";
	cfg.count = 0;
	assert_int_equal(iom_port_create(&cfg, &h), IOM_E_ZERO_SIZE);
	cfg.count = 0x10001;
	assert_int_equal(iom_port_create(&cfg, &h), IOM_E_RANGE);
	cfg.count = 0x10000;         /* the whole space is allowed */
	cfg.flags = 0x80;
	assert_int_equal(iom_port_create(&cfg, &h), IOM_E_FLAGS);
	cfg.flags = IOM_PORT_F_ABS;
	assert_int_equal(iom_port_create(&cfg, &h), IOM_E_OK);
	assert_int_equal(iom_port_map(h, 0), IOM_E_OK);
	assert_int_equal(iom_port_unmap(h), IOM_E_OK);
	assert_int_equal(iom_port_map(h, 1), IOM_E_RANGE);
	assert_string_equal(iom_err_name(IOM_E_OVERLAP), "overlap");
	assert_string_equal(iom_err_name((iom_err_t)-99), "?");
}

static void test_unknown_handles_rejected(void **state)
{
	(void)state;
	iom_port_handle_t h = create_port("a", 4, &A);
	struct iom_mmio_config mc = { .name = "m", .size = 4096 };
	iom_mmio_handle_t m = 0;
	struct iom_range_info info;

	assert_int_equal(iom_mmio_create(&mc, &m), IOM_E_OK);
	assert_int_equal(iom_port_map(0, 0x100), IOM_E_BAD_HANDLE);
	assert_int_equal(iom_port_map(h + 1, 0x100), IOM_E_BAD_HANDLE);
	assert_int_equal(iom_port_map(m, 0x100), IOM_E_BAD_HANDLE);
	assert_int_equal(iom_mmio_map(h, 0x1000), IOM_E_BAD_HANDLE);
	assert_int_equal(iom_port_unmap(12345), IOM_E_BAD_HANDLE);
	assert_int_equal(iom_port_query(m, &info), IOM_E_BAD_HANDLE);
	assert_int_equal(iom_port_query(h, &info), IOM_E_OK);
	assert_string_equal(info.name, "a");
	assert_int_equal(info.size, 4);
	assert_false(info.mapped);
}

static void test_map_range_limits(void **state)
{
	(void)state;
	iom_port_handle_t h = create_port("top", 16, &A);

	assert_int_equal(iom_port_map(h, 0xFFF1), IOM_E_RANGE);
	assert_int_equal(iom_port_map(h, 0xFFFF), IOM_E_RANGE);
	assert_int_equal(iom_port_map(h, 0xFFF0), IOM_E_OK);   /* ends at 0xFFFF */
	assert_int_equal(iom_port_map(h, 0x10), IOM_E_ALREADY_MAPPED);
	assert_int_equal(iom_port_unmap(h), IOM_E_OK);
	assert_int_equal(iom_port_unmap(h), IOM_E_NOT_MAPPED);
	assert_int_equal(iom_port_map(h, 0), IOM_E_OK);
}

static void test_overlap_rules(void **state)
{
	(void)state;
	iom_port_handle_t a = create_port("a", 8, &A);    /* 0x100..0x107 */
	iom_port_handle_t b = create_port("b", 8, &B);
	iom_port_handle_t big = create_port("big", 32, &B);
	iom_port_handle_t one = create_port("one", 1, &B);

	assert_int_equal(iom_port_map(a, 0x100), IOM_E_OK);
	assert_int_equal(iom_port_map(b, 0x100), IOM_E_OVERLAP);   /* same */
	assert_int_equal(iom_port_map(b, 0x0F9), IOM_E_OVERLAP);   /* left edge */
	assert_int_equal(iom_port_map(b, 0x107), IOM_E_OVERLAP);   /* right edge */
	assert_int_equal(iom_port_map(big, 0x0F0), IOM_E_OVERLAP); /* contains */
	assert_int_equal(iom_port_map(one, 0x104), IOM_E_OVERLAP); /* inside */
	assert_int_equal(iom_port_map(b, 0x0F8), IOM_E_OK);        /* adjacent below */
	assert_int_equal(iom_port_map(one, 0x108), IOM_E_OK);      /* adjacent above */
	/* A failed map leaves the range unmapped and mappable elsewhere. */
	assert_int_equal(iom_port_map(big, 0x200), IOM_E_OK);
	/* After an unmap the space is free again. */
	assert_int_equal(iom_port_unmap(a), IOM_E_OK);
	assert_int_equal(iom_port_map(one, 0x104), IOM_E_ALREADY_MAPPED);
	assert_int_equal(iom_port_unmap(one), IOM_E_OK);
	assert_int_equal(iom_port_map(one, 0x104), IOM_E_OK);
}

static void test_table_exhaustion(void **state)
{
	(void)state;
	struct iom_port_config cfg = { .name = "r", .count = 1 };
	iom_port_handle_t h[IOM_MAX_PORT_RANGES], extra = 0;
	uint32_t v;

	/* Map in descending order so every insert shifts the table. */
	for (unsigned i = 0; i < IOM_MAX_PORT_RANGES; i++) {
		assert_int_equal(iom_port_create(&cfg, &h[i]), IOM_E_OK);
		assert_int_equal(iom_port_map(h[i], (uint16_t)(0x2000 - 2 * i)), IOM_E_OK);
	}
	assert_int_equal(iom_port_create(&cfg, &extra), IOM_E_NO_SPACE);
	assert_int_equal(extra, 0);
	/* Every one is found at its port, and the gaps are unclaimed. */
	for (unsigned i = 0; i < IOM_MAX_PORT_RANGES; i++) {
		struct iom_range_info info;

		assert_int_equal(iom_port_query(h[i], &info), IOM_E_OK);
		assert_int_equal(info.base, 0x2000 - 2 * i);
		assert_int_equal(iom_port_read(0, IOM_CTX_EXIT, (uint16_t)(0x2000 - 2 * i), 1, &v), IOM_OK);
		assert_int_equal(iom_port_range_stat(h[i], IOM_STAT_READS), 1);
		assert_int_equal(iom_port_read(0, IOM_CTX_EXIT, (uint16_t)(0x2001 - 2 * i), 1, &v), IOM_OK);
	}
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_UNCLAIMED_READS, 0),
			 IOM_MAX_PORT_RANGES);
}

static void test_freeze(void **state)
{
	(void)state;
	iom_port_handle_t h = create_port("early", 4, &A);
	struct iom_port_config cfg = { .name = "late", .count = 4 };
	iom_port_handle_t late = 0;

	assert_false(iom_is_frozen());
	iom_freeze();
	assert_true(iom_is_frozen());
	assert_int_equal(iom_port_create(&cfg, &late), IOM_E_FROZEN);
	assert_int_equal(late, 0);
	/* Map and unmap keep working. */
	assert_int_equal(iom_port_map(h, 0x60), IOM_E_OK);
	assert_int_equal(iom_port_unmap(h), IOM_E_OK);
	assert_int_equal(iom_port_map(h, 0x64), IOM_E_OK);
}

/* A range created before the freeze takes whatever size a run-time client
 * needs while it is unmapped, and reaches exactly that many ports. */
static void test_resize_after_freeze(void **state)
{
	(void)state;
	uint32_t v;
	dev_init(&A);
	iom_port_handle_t h = create_port("pool", 1, &A);
	struct iom_mmio_config mc = { .name = "pool mmio", .size = IOM_MMIO_PAGE_SIZE };
	iom_mmio_handle_t m = 0;
	assert_int_equal(iom_mmio_create(&mc, &m), IOM_E_OK);
	iom_freeze();
	assert_int_equal(iom_port_resize(h, 0), IOM_E_ZERO_SIZE);
	assert_int_equal(iom_port_resize(h, 0x10001), IOM_E_RANGE);
	assert_int_equal(iom_port_resize(0x1234, 4), IOM_E_BAD_HANDLE);
	assert_int_equal(iom_port_resize(h, 4), IOM_E_OK);
	assert_int_equal(iom_port_map(h, 0x80), IOM_E_OK);
	assert_int_equal(iom_port_resize(h, 8), IOM_E_ALREADY_MAPPED);
	assert_int_equal(iom_port_read(0, IOM_CTX_EXIT, 0x83, 1, &v), IOM_OK);
	assert_int_equal(A.n, 1);
	assert_int_equal(iom_port_read(0, IOM_CTX_EXIT, 0x84, 1, &v), IOM_OK);
	assert_int_equal(A.n, 1);
	assert_int_equal(iom_port_unmap(h), IOM_E_OK);
	assert_int_equal(iom_port_resize(h, 1), IOM_E_OK);
	assert_int_equal(iom_port_map(h, 0x84), IOM_E_OK);
	assert_int_equal(iom_port_read(0, IOM_CTX_EXIT, 0x85, 1, &v), IOM_OK);
	assert_int_equal(A.n, 1);

	assert_int_equal(iom_mmio_resize(m, 0), IOM_E_ZERO_SIZE);
	assert_int_equal(iom_mmio_resize(m, 100), IOM_E_ALIGN);
	assert_int_equal(iom_mmio_resize(m, IOM_MMIO_ADDR_MAX + 1 + IOM_MMIO_PAGE_SIZE),
			 IOM_E_RANGE);
	assert_int_equal(iom_mmio_resize(m, 3 * IOM_MMIO_PAGE_SIZE), IOM_E_OK);
	assert_int_equal(iom_mmio_map(m, 0x100000), IOM_E_OK);
	struct iom_range_info info;
	assert_int_equal(iom_mmio_query(m, &info), IOM_E_OK);
	assert_int_equal(info.size, 3 * IOM_MMIO_PAGE_SIZE);
	assert_int_equal(iom_mmio_resize(m, IOM_MMIO_PAGE_SIZE), IOM_E_ALREADY_MAPPED);
}

static void test_lookup_at_edges(void **state)
{
	(void)state;
	uint32_t v;

	dev_init(&A);
	dev_init(&B);
	map_port_dev(&A, "a", 0x100, 8, 0);
	map_port_dev(&B, "b", 0x108, 8, 0);

	assert_int_equal(iom_port_read(0, IOM_CTX_EXIT, 0x0FF, 1, &v), IOM_OK);
	assert_int_equal(v, 0xFF);
	assert_int_equal(iom_port_read(0, IOM_CTX_EXIT, 0x100, 1, &v), IOM_OK);
	assert_call(&A, 0, 'i', IOM_CTX_EXIT, 0, 1);
	assert_int_equal(v, A.mem[0]);
	assert_int_equal(iom_port_read(0, IOM_CTX_EXIT, 0x107, 1, &v), IOM_OK);
	assert_call(&A, 1, 'i', IOM_CTX_EXIT, 7, 1);
	assert_int_equal(iom_port_read(0, IOM_CTX_EXIT, 0x108, 1, &v), IOM_OK);
	assert_call(&B, 0, 'i', IOM_CTX_EXIT, 0, 1);
	assert_int_equal(iom_port_read(0, IOM_CTX_EXIT, 0x10F, 1, &v), IOM_OK);
	assert_call(&B, 1, 'i', IOM_CTX_EXIT, 7, 1);
	assert_int_equal(iom_port_read(0, IOM_CTX_EXIT, 0x110, 1, &v), IOM_OK);
	assert_int_equal(v, 0xFF);
	assert_int_equal(A.n, 2);
	assert_int_equal(B.n, 2);
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_UNCLAIMED_READS, 0), 2);
}

static void test_space_edges(void **state)
{
	(void)state;
	uint32_t v;

	dev_init(&A);
	dev_init(&B);
	map_port_dev(&A, "low", 0x0, 2, 0);
	map_port_dev(&B, "high", 0xFFF0, 16, IOM_PORT_F_ABS);

	assert_int_equal(iom_port_read(0, IOM_CTX_EXIT, 0, 2, &v), IOM_OK);
	assert_call(&A, 0, 'i', IOM_CTX_EXIT, 0, 2);
	assert_int_equal(iom_port_read(0, IOM_CTX_EXIT, 0xFFFF, 1, &v), IOM_OK);
	assert_call(&B, 0, 'i', IOM_CTX_EXIT, 0xFFFF, 1);   /* absolute */
	/* A dword at 0xFFFF: one byte in the range, three past the space. */
	assert_int_equal(iom_port_read(0, IOM_CTX_EXIT, 0xFFFF, 4, &v), IOM_OK);
	assert_call(&B, 1, 'i', IOM_CTX_EXIT, 0xFFFF, 1);
	assert_int_equal(v, 0xFFFFFF00u | B.mem[0xFFFF % DEV_MEM]);
}

static void test_default_action_widths(void **state)
{
	(void)state;
	uint32_t v = 0;

	assert_int_equal(iom_port_read(3, IOM_CTX_EXIT, 0x80, 1, &v), IOM_OK);
	assert_int_equal(v, 0xFF);
	assert_int_equal(iom_port_read(3, IOM_CTX_EXIT, 0x80, 2, &v), IOM_OK);
	assert_int_equal(v, 0xFFFF);
	assert_int_equal(iom_port_read(3, IOM_CTX_EXIT, 0x80, 4, &v), IOM_OK);
	assert_int_equal(v, 0xFFFFFFFFu);
	assert_int_equal(iom_port_write(3, IOM_CTX_EXIT, 0x80, 1, 0x12), IOM_OK);
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_UNCLAIMED_READS, 3), 3);
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_UNCLAIMED_WRITES, 3), 1);
	/* Bad arguments are internal errors, not silent. */
	assert_int_equal(iom_port_read(3, IOM_CTX_EXIT, 0x80, 3, &v), IOM_INTERNAL_ERROR);
	assert_int_equal(iom_port_write(IOM_MAX_CPUS, IOM_CTX_EXIT, 0x80, 1, 0),
			 IOM_INTERNAL_ERROR);
	assert_int_equal(iom_port_read(0, (iom_ctx_t)7, 0x80, 1, &v), IOM_INTERNAL_ERROR);
	assert_int_equal(iom_test_log_count, 3);
}

static void test_offsets_and_absolute_ports(void **state)
{
	(void)state;
	dev_init(&A);
	dev_init(&B);
	map_port_dev(&A, "rel", 0x3F8, 8, 0);
	map_port_dev(&B, "abs", 0x2F8, 8, IOM_PORT_F_ABS);

	assert_int_equal(iom_port_write(1, IOM_CTX_EXIT, 0x3FB, 1, 0x83), IOM_OK);
	assert_call(&A, 0, 'o', IOM_CTX_EXIT, 3, 1);
	assert_int_equal(A.log[0].value, 0x83);
	assert_int_equal(A.log[0].cpu, 1);
	assert_int_equal(iom_port_write(1, IOM_CTX_EXIT, 0x2FB, 2, 0xBEEF), IOM_OK);
	assert_call(&B, 0, 'o', IOM_CTX_EXIT, 0x2FB, 2);
	assert_int_equal(B.log[0].value, 0xBEEF);
}

static void test_access_straddling_ranges(void **state)
{
	(void)state;
	uint32_t v;

	dev_init(&A);
	dev_init(&B);
	map_port_dev(&A, "a", 0x100, 8, 0);
	iom_port_handle_t hb = map_port_dev(&B, "b", 0x108, 8, 0);

	/* Dword at 0x106: two bytes to A, two to B, in order. */
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x106, 4, 0x44332211), IOM_OK);
	assert_call(&A, 0, 'o', IOM_CTX_EXIT, 6, 2);
	assert_int_equal(A.log[0].value, 0x2211);
	assert_call(&B, 0, 'o', IOM_CTX_EXIT, 0, 2);
	assert_int_equal(B.log[0].value, 0x4433);

	/* Dword at 0x10D: three bytes in B (1 + 2, aligned), one past it. */
	B.mem[5] = 0xA5;
	B.mem[6] = 0xB6;
	B.mem[7] = 0xC7;
	assert_int_equal(iom_port_read(0, IOM_CTX_EXIT, 0x10D, 4, &v), IOM_OK);
	assert_call(&B, 1, 'i', IOM_CTX_EXIT, 5, 1);
	assert_call(&B, 2, 'i', IOM_CTX_EXIT, 6, 2);
	assert_int_equal(v, 0xFFC7B6A5u);
	assert_int_equal(iom_port_range_stat(hb, IOM_STAT_READS), 1);
	assert_int_equal(iom_port_range_stat(hb, IOM_STAT_WRITES), 1);
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_UNCLAIMED_READS, 0), 1);
}

static iom_status_t unused_in(void *user, iom_ctx_t ctx, unsigned cpu,
			      uint16_t port, unsigned size, uint32_t *value)
{
	(void)user; (void)ctx; (void)cpu; (void)port; (void)size;
	*value = 0x1234;        /* scribbles, but says "unused" */
	return IOM_UNUSED;
}

static iom_status_t bad_status_out(void *user, iom_ctx_t ctx, unsigned cpu,
				   uint16_t port, unsigned size, uint32_t value)
{
	(void)user; (void)ctx; (void)cpu; (void)port; (void)size; (void)value;
	return IOM_READ_DEFERRED;       /* dispatcher-only status */
}

static void test_unused_and_missing_handlers(void **state)
{
	(void)state;
	struct iom_port_config cfg = { .name = "u", .count = 4, .in = unused_in,
				       .out = bad_status_out };
	struct iom_port_config none = { .name = "none", .count = 4 };
	iom_port_handle_t h, n;
	uint32_t v;

	assert_int_equal(iom_port_create(&cfg, &h), IOM_E_OK);
	assert_int_equal(iom_port_map(h, 0x70), IOM_E_OK);
	assert_int_equal(iom_port_create(&none, &n), IOM_E_OK);
	assert_int_equal(iom_port_map(n, 0x74), IOM_E_OK);

	assert_int_equal(iom_port_read(0, IOM_CTX_EXIT, 0x71, 2, &v), IOM_OK);
	assert_int_equal(v, 0xFFFF);
	assert_int_equal(iom_port_read(0, IOM_CTX_EXIT, 0x74, 4, &v), IOM_OK);
	assert_int_equal(v, 0xFFFFFFFFu);
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x74, 4, 1), IOM_OK);
	assert_int_equal(iom_test_log_count, 0);
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x70, 1, 1), IOM_INTERNAL_ERROR);
	assert_int_equal(iom_test_log_count, 1);
	/* Not unclaimed: ranges answered. */
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_UNCLAIMED_READS, 0), 0);
}

static void test_guest_outcome_passes_through(void **state)
{
	(void)state;
	uint32_t v;

	dev_init(&A);
	map_port_dev(&A, "a", 0xCF8, 4, 0);
	A.status = IOM_INJECT_GP;
	assert_int_equal(iom_port_read(0, IOM_CTX_EXIT, 0xCF8, 4, &v), IOM_INJECT_GP);
	A.status = IOM_RESET;
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0xCF9, 1, 6), IOM_RESET);
}

/* ---- string I/O ---------------------------------------------------------- */

static iom_port_handle_t map_str_dev(struct dev *d, uint16_t base, bool str)
{
	struct iom_port_config cfg = {
		.name = "str", .count = 8, .user = d, .in = dev_in, .out = dev_out,
		.in_str = str ? dev_in_str : NULL, .out_str = str ? dev_out_str : NULL,
	};
	iom_port_handle_t h;

	assert_int_equal(iom_port_create(&cfg, &h), IOM_E_OK);
	assert_int_equal(iom_port_map(h, base), IOM_E_OK);
	return h;
}

static void test_string_read_partial(void **state)
{
	(void)state;
	uint16_t buf[10];
	uint32_t count = 10;

	dev_init(&A);
	map_str_dev(&A, 0x1F0, true);
	A.mem[0] = 0x10;
	A.mem[1] = 0x00;
	A.str_limit = 4;

	assert_int_equal(iom_port_read_string(0, IOM_CTX_EXIT, 0x1F0, 2, buf, &count), IOM_OK);
	assert_int_equal(count, 6);          /* 4 done, 6 left: re-execute */
	assert_call(&A, 0, 'I', IOM_CTX_EXIT, 0, 2);
	assert_int_equal(A.log[0].count, 10);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(buf[i], 0x10 + i);
	/* The guest resumes with the rest. */
	assert_int_equal(iom_port_read_string(0, IOM_CTX_EXIT, 0x1F0, 2, buf + 4, &count), IOM_OK);
	assert_int_equal(count, 2);
	assert_int_equal(iom_port_read_string(0, IOM_CTX_EXIT, 0x1F0, 2, buf + 8, &count), IOM_OK);
	assert_int_equal(count, 0);
	assert_int_equal(A.n, 3);
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_READS, 0), 3);
}

static void test_string_without_string_handler(void **state)
{
	(void)state;
	uint8_t in[5];
	const uint8_t out[3] = { 0xA1, 0xB2, 0xC3 };
	uint32_t count = 5;

	dev_init(&A);
	map_str_dev(&A, 0x60, false);
	assert_int_equal(iom_port_read_string(0, IOM_CTX_EXIT, 0x61, 1, in, &count), IOM_OK);
	assert_int_equal(count, 0);
	assert_int_equal(A.n, 5);
	for (unsigned i = 0; i < 5; i++) {
		assert_call(&A, i, 'i', IOM_CTX_EXIT, 1, 1);
		assert_int_equal(in[i], A.mem[1]);
	}
	count = 3;
	assert_int_equal(iom_port_write_string(0, IOM_CTX_EXIT, 0x62, 1, out, &count), IOM_OK);
	assert_int_equal(count, 0);
	for (unsigned i = 0; i < 3; i++) {
		assert_call(&A, 5 + i, 'o', IOM_CTX_EXIT, 2, 1);
		assert_int_equal(A.log[5 + i].value, out[i]);
	}
	/* An outcome stops the loop after the element that produced it. */
	A.status = IOM_DEBUG_BREAK;
	count = 3;
	assert_int_equal(iom_port_write_string(0, IOM_CTX_EXIT, 0x62, 1, out, &count),
			 IOM_DEBUG_BREAK);
	assert_int_equal(count, 2);
}

static void test_string_write_partial_and_unclaimed(void **state)
{
	(void)state;
	uint32_t data[6] = { 1, 2, 3, 4, 5, 6 };
	uint32_t count = 6;

	dev_init(&A);
	map_str_dev(&A, 0x400, true);
	A.str_limit = 5;
	assert_int_equal(iom_port_write_string(2, IOM_CTX_EXIT, 0x404, 4, data, &count), IOM_OK);
	assert_int_equal(count, 1);
	assert_call(&A, 0, 'O', IOM_CTX_EXIT, 4, 4);
	assert_int_equal(A.log[0].value, 1);
	assert_int_equal(dev_le(&A.mem[4], 4), 5);

	/* Unclaimed: all elements vanish / read all ones, counted once. */
	uint8_t in[4] = { 0 };
	count = 4;
	assert_int_equal(iom_port_write_string(2, IOM_CTX_EXIT, 0x500, 1, data, &count), IOM_OK);
	assert_int_equal(count, 0);
	count = 4;
	assert_int_equal(iom_port_read_string(2, IOM_CTX_EXIT, 0x500, 1, in, &count), IOM_OK);
	assert_int_equal(count, 0);
	assert_memory_equal(in, "\xff\xff\xff\xff", 4);
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_UNCLAIMED_WRITES, 2), 1);
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_UNCLAIMED_READS, 2), 1);
	/* Zero elements: nothing happens. */
	count = 0;
	assert_int_equal(iom_port_read_string(2, IOM_CTX_EXIT, 0x400, 1, NULL, &count), IOM_OK);
}

static void test_string_straddling_element(void **state)
{
	(void)state;
	uint16_t in[3];
	uint32_t count = 3;

	dev_init(&A);
	map_str_dev(&A, 0x100, true);           /* 0x100..0x107 */
	/* Words at 0x107: one byte in the range, one unclaimed, per element. */
	assert_int_equal(iom_port_read_string(0, IOM_CTX_EXIT, 0x107, 2, in, &count), IOM_OK);
	assert_int_equal(count, 0);
	assert_int_equal(A.n, 3);
	for (unsigned i = 0; i < 3; i++) {
		assert_call(&A, i, 'i', IOM_CTX_EXIT, 7, 1);
		assert_int_equal(in[i], 0xFF00 | A.mem[7]);
	}
}

/* ---- intercept hooks ----------------------------------------------------- */

struct hook_rec {
	unsigned n;
	struct { uint64_t first, count; bool trap; bool visible; } call[16];
	int fail;
	bool probe;
};

static int port_hook(void *arg, uint16_t first, uint32_t count, bool trap)
{
	struct hook_rec *r = arg;

	if (r->n < 16) {
		r->call[r->n].first = first;
		r->call[r->n].count = count;
		r->call[r->n].trap = trap;
		if (r->probe) {
			/* What would a guest access hit right now? */
			uint64_t before = iom_stat_get(IOM_SPACE_PORT,
						       IOM_STAT_UNCLAIMED_READS, 5);
			uint32_t v;

			iom_port_read(5, IOM_CTX_EXIT, first, 1, &v);
			r->call[r->n].visible = before == iom_stat_get(IOM_SPACE_PORT,
						IOM_STAT_UNCLAIMED_READS, 5);
		}
		r->n++;
	}
	return r->fail;
}

static void test_intercept_ordering(void **state)
{
	(void)state;
	struct hook_rec rec = { .probe = true };
	struct iom_intercept_ops ops = { .arg = &rec, .set_port_intercept = port_hook };

	dev_init(&A);
	assert_int_equal(iom_set_intercept_ops(&ops), IOM_E_OK);
	iom_port_handle_t h = map_port_dev(&A, "a", 0x60, 4, 0);
	/* The hook ran before the range was visible... */
	assert_int_equal(rec.n, 1);
	assert_true(rec.call[0].trap);
	assert_int_equal(rec.call[0].first, 0x60);
	assert_int_equal(rec.call[0].count, 4);
	assert_false(rec.call[0].visible);
	assert_int_equal(A.n, 0);
	/* ...and on unmap after it had disappeared. */
	assert_int_equal(iom_port_unmap(h), IOM_E_OK);
	assert_int_equal(rec.n, 2);
	assert_false(rec.call[1].trap);
	assert_int_equal(A.n, 0);
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_UNCLAIMED_READS, 5), 2);
}

static void test_intercept_failure_and_replay(void **state)
{
	(void)state;
	struct hook_rec rec = { 0 };
	struct iom_intercept_ops ops = { .arg = &rec, .set_port_intercept = port_hook };
	struct iom_range_info info;

	dev_init(&A);
	dev_init(&B);
	/* Mapped before the backend is ready... */
	iom_port_handle_t a = map_port_dev(&A, "a", 0x70, 2, 0);
	iom_port_handle_t b = map_port_dev(&B, "b", 0x20, 2, 0);
	assert_int_equal(rec.n, 0);
	/* ...is replayed when it installs its hooks. */
	assert_int_equal(iom_set_intercept_ops(&ops), IOM_E_OK);
	assert_int_equal(rec.n, 2);
	assert_int_equal(rec.call[0].first, 0x20);
	assert_int_equal(rec.call[1].first, 0x70);
	assert_true(rec.call[0].trap && rec.call[1].trap);

	/* A failing hook makes the map fail and publishes nothing. */
	assert_int_equal(iom_port_unmap(a), IOM_E_OK);
	rec.fail = -1;
	assert_int_equal(iom_port_map(a, 0x80), IOM_E_INTERCEPT);
	assert_int_equal(iom_port_query(a, &info), IOM_E_OK);
	assert_false(info.mapped);
	uint32_t v;
	assert_int_equal(iom_port_read(0, IOM_CTX_EXIT, 0x80, 1, &v), IOM_OK);
	assert_int_equal(A.n, 0);
	/* A failing untrap is only logged: the range is gone regardless. */
	assert_int_equal(iom_port_unmap(b), IOM_E_OK);
	assert_int_equal(iom_test_log_count, 1);
	/* A failing replay removes the hooks again. */
	rec.fail = 0;
	assert_int_equal(iom_port_map(b, 0x20), IOM_E_OK);
	rec.fail = -1;
	assert_int_equal(iom_set_intercept_ops(&ops), IOM_E_INTERCEPT);
	rec.fail = 0;
	unsigned before = rec.n;
	assert_int_equal(iom_port_map(a, 0x90), IOM_E_OK);
	assert_int_equal(rec.n, before);
	assert_int_equal(iom_set_intercept_ops(NULL), IOM_E_OK);
}

struct visit { unsigned n; uint16_t first[8]; uint32_t count[8]; iom_port_handle_t h[8]; };

static void visit_port(void *arg, uint16_t first, uint32_t count, iom_port_handle_t h)
{
	struct visit *v = arg;

	v->first[v->n] = first;
	v->count[v->n] = count;
	v->h[v->n++] = h;
}

static void test_for_each_mapped_port(void **state)
{
	(void)state;
	struct visit v = { 0 };

	dev_init(&A);
	iom_port_handle_t a = map_port_dev(&A, "a", 0x300, 3, 0);
	iom_port_handle_t b = map_port_dev(&A, "b", 0x100, 5, 0);
	iom_port_handle_t c = map_port_dev(&A, "c", 0x200, 1, 0);
	assert_int_equal(iom_port_unmap(c), IOM_E_OK);
	iom_for_each_mapped_port(visit_port, &v);
	assert_int_equal(v.n, 2);
	assert_int_equal(v.first[0], 0x100);
	assert_int_equal(v.count[0], 5);
	assert_int_equal(v.h[0], b);
	assert_int_equal(v.first[1], 0x300);
	assert_int_equal(v.h[1], a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_create_rejects_bad_arguments, iom_test_setup),
		cmocka_unit_test_setup(test_unknown_handles_rejected, iom_test_setup),
		cmocka_unit_test_setup(test_map_range_limits, iom_test_setup),
		cmocka_unit_test_setup(test_overlap_rules, iom_test_setup),
		cmocka_unit_test_setup(test_table_exhaustion, iom_test_setup),
		cmocka_unit_test_setup(test_freeze, iom_test_setup),
		cmocka_unit_test_setup(test_resize_after_freeze, iom_test_setup),
		cmocka_unit_test_setup(test_lookup_at_edges, iom_test_setup),
		cmocka_unit_test_setup(test_space_edges, iom_test_setup),
		cmocka_unit_test_setup(test_default_action_widths, iom_test_setup),
		cmocka_unit_test_setup(test_offsets_and_absolute_ports, iom_test_setup),
		cmocka_unit_test_setup(test_access_straddling_ranges, iom_test_setup),
		cmocka_unit_test_setup(test_unused_and_missing_handlers, iom_test_setup),
		cmocka_unit_test_setup(test_guest_outcome_passes_through, iom_test_setup),
		cmocka_unit_test_setup(test_string_read_partial, iom_test_setup),
		cmocka_unit_test_setup(test_string_without_string_handler, iom_test_setup),
		cmocka_unit_test_setup(test_string_write_partial_and_unclaimed, iom_test_setup),
		cmocka_unit_test_setup(test_string_straddling_element, iom_test_setup),
		cmocka_unit_test_setup(test_intercept_ordering, iom_test_setup),
		cmocka_unit_test_setup(test_intercept_failure_and_replay, iom_test_setup),
		cmocka_unit_test_setup(test_for_each_mapped_port, iom_test_setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
