/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests: handlers that call back into the IOM (nested dispatch), the
 * recursion guard, and the rules for nested calls. */
#include "test/unit/iom_test_platform.h"

#define BASE 0xFEC00000ull
#define PAGE 4096ull
#define TARGET 0x200            /* where the bridge forwards to */

static struct dev T, Q;

/* A bridge: every access to its one port is forwarded to TARGET, in the
 * context it was called in (or, for the rule test, in the other one). */
static bool bridge_defer_in_exit;
static bool bridge_wrong_ctx;
static bool bridge_drains;

static iom_ctx_t forward_ctx(iom_ctx_t ctx)
{
	if (!bridge_wrong_ctx)
		return ctx;
	return ctx == IOM_CTX_EXIT ? IOM_CTX_DEFERRED : IOM_CTX_EXIT;
}

static iom_status_t bridge_in(void *user, iom_ctx_t ctx, unsigned cpu,
			      uint16_t port, unsigned size, uint32_t *value)
{
	(void)user; (void)port;
	if (bridge_defer_in_exit && ctx == IOM_CTX_EXIT)
		return IOM_DEFER;
	iom_status_t st = iom_port_read(cpu, forward_ctx(ctx), TARGET, size, value);
	/* The rule for steps a nested call returns (iom.h, "Re-entry"). */
	return st == IOM_READ_DEFERRED || st == IOM_RETRY ? IOM_DEFER : st;
}

static iom_status_t bridge_out(void *user, iom_ctx_t ctx, unsigned cpu,
			       uint16_t port, unsigned size, uint32_t value)
{
	(void)user; (void)port;
	if (bridge_defer_in_exit && ctx == IOM_CTX_EXIT)
		return IOM_DEFER;
	if (bridge_drains)
		return iom_drain_deferred(cpu);
	return iom_port_write(cpu, forward_ctx(ctx), TARGET, size, value);
}

static void map_bridge(uint16_t port)
{
	struct iom_port_config cfg = { .name = "bridge", .count = 1,
				       .in = bridge_in, .out = bridge_out };
	iom_port_handle_t h;

	assert_int_equal(iom_port_create(&cfg, &h), IOM_E_OK);
	assert_int_equal(iom_port_map(h, port), IOM_E_OK);
}

static int setup(void **state)
{
	bridge_defer_in_exit = false;
	bridge_wrong_ctx = false;
	bridge_drains = false;
	dev_init(&T);
	dev_init(&Q);
	return iom_test_setup(state);
}

static uint64_t stat(iom_space_t sp, iom_stat_t which)
{
	return iom_stat_get(sp, which, IOM_STAT_ALL_CPUS);
}

static void test_handler_may_forward(void **state)
{
	(void)state;
	uint32_t v = 0;

	map_bridge(0x100);
	iom_port_handle_t ht = map_port_dev(&T, "target", TARGET, 4, 0);
	T.mem[0] = 0x5A;

	assert_int_equal(iom_port_write(1, IOM_CTX_EXIT, 0x100, 1, 0x33), IOM_OK);
	assert_call(&T, 0, 'o', IOM_CTX_EXIT, 0, 1);
	assert_int_equal(T.log[0].value, 0x33);
	assert_int_equal(T.log[0].cpu, 1);
	assert_int_equal(iom_port_read(1, IOM_CTX_EXIT, 0x100, 1, &v), IOM_OK);
	assert_int_equal(v, 0x33);
	/* Both levels counted as dispatch calls; no recursion refused. */
	assert_int_equal(stat(IOM_SPACE_PORT, IOM_STAT_WRITES), 2);
	assert_int_equal(stat(IOM_SPACE_PORT, IOM_STAT_READS), 2);
	assert_int_equal(stat(IOM_SPACE_PORT, IOM_STAT_RECURSION), 0);
	assert_int_equal(iom_port_range_stat(ht, IOM_STAT_HANDLER_CALLS), 2);
	/* And the depth came back to zero: a drain (top level only) works. */
	assert_int_equal(iom_drain_deferred(1), IOM_OK);
	assert_int_equal(iom_test_log_count, 0);
}

/* A handler that reads its own port: an endless recursion, cut off. */
static unsigned loop_calls;

static iom_status_t loop_in(void *user, iom_ctx_t ctx, unsigned cpu,
			    uint16_t port, unsigned size, uint32_t *value)
{
	(void)user;
	loop_calls++;
	return iom_port_read(cpu, ctx, (uint16_t)(0x300 + port), size, value);
}

static iom_status_t loop_out(void *user, iom_ctx_t ctx, unsigned cpu,
			     uint16_t port, unsigned size, uint32_t value)
{
	(void)user;
	loop_calls++;
	return iom_port_write(cpu, ctx, (uint16_t)(0x300 + port), size, value + 1);
}

static iom_status_t loop_in_str(void *user, iom_ctx_t ctx, unsigned cpu,
				uint16_t port, unsigned size, void *dst,
				uint32_t *count)
{
	(void)user;
	loop_calls++;
	return iom_port_read_string(cpu, ctx, (uint16_t)(0x304 + port), size,
				    dst, count);
}

static iom_status_t loop_out_str(void *user, iom_ctx_t ctx, unsigned cpu,
				 uint16_t port, unsigned size, const void *src,
				 uint32_t *count)
{
	(void)user;
	loop_calls++;
	return iom_port_write_string(cpu, ctx, (uint16_t)(0x304 + port), size,
				     src, count);
}

static iom_status_t loop_read(void *user, iom_ctx_t ctx, unsigned cpu,
			      uint64_t addr, void *buf, unsigned size)
{
	(void)user;
	loop_calls++;
	return iom_mmio_read(cpu, ctx, BASE + addr, buf, size);
}

static iom_status_t loop_write(void *user, iom_ctx_t ctx, unsigned cpu,
			       uint64_t addr, const void *buf, unsigned size)
{
	(void)user;
	loop_calls++;
	return iom_mmio_write(cpu, ctx, BASE + addr, buf, size);
}

static void map_loops(void)
{
	struct iom_port_config pc = { .name = "loop", .count = 4,
				      .in = loop_in, .out = loop_out };
	struct iom_port_config sc = { .name = "strloop", .count = 1,
				      .in_str = loop_in_str,
				      .out_str = loop_out_str };
	struct iom_mmio_config mc = { .name = "mloop", .size = PAGE,
				      .read = loop_read, .write = loop_write };
	iom_port_handle_t hp, hs;
	iom_mmio_handle_t hm;

	assert_int_equal(iom_port_create(&pc, &hp), IOM_E_OK);
	assert_int_equal(iom_port_map(hp, 0x300), IOM_E_OK);
	assert_int_equal(iom_port_create(&sc, &hs), IOM_E_OK);
	assert_int_equal(iom_port_map(hs, 0x304), IOM_E_OK);
	assert_int_equal(iom_mmio_create(&mc, &hm), IOM_E_OK);
	assert_int_equal(iom_mmio_map(hm, BASE), IOM_E_OK);
}

static void test_endless_recursion_is_cut_off(void **state)
{
	(void)state;
	uint32_t v = 0;
	uint8_t buf[8], src[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint32_t count;

	map_loops();

	/* Levels 1..IOM_MAX_NESTING reach the handler; the next call takes
	 * the default action (all ones) and is counted. */
	loop_calls = 0;
	assert_int_equal(iom_port_read(0, IOM_CTX_EXIT, 0x302, 2, &v), IOM_OK);
	assert_int_equal(v, 0xFFFF);
	assert_int_equal(loop_calls, IOM_MAX_NESTING);
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_RECURSION, 0), 1);

	/* Writes: dropped at the limit (and the same in deferred context). */
	loop_calls = 0;
	assert_int_equal(iom_port_write(0, IOM_CTX_DEFERRED, 0x301, 1, 7), IOM_OK);
	assert_int_equal(loop_calls, IOM_MAX_NESTING);
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_RECURSION, 0), 2);

	/* String transfers complete with the default action. */
	loop_calls = 0;
	count = 8;
	memset(buf, 0, sizeof(buf));
	assert_int_equal(iom_port_read_string(0, IOM_CTX_EXIT, 0x304, 1, buf, &count), IOM_OK);
	assert_int_equal(count, 0);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(buf[i], 0xFF);
	assert_int_equal(loop_calls, IOM_MAX_NESTING);
	count = 8;
	assert_int_equal(iom_port_write_string(0, IOM_CTX_EXIT, 0x304, 1, src, &count), IOM_OK);
	assert_int_equal(count, 0);
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_RECURSION, 0), 4);

	/* MMIO, on another CPU: its own depth and counters. */
	loop_calls = 0;
	memset(buf, 0, sizeof(buf));
	assert_int_equal(iom_mmio_read(3, IOM_CTX_EXIT, BASE + 8, buf, 8), IOM_OK);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(buf[i], 0xFF);
	assert_int_equal(loop_calls, IOM_MAX_NESTING);
	assert_int_equal(iom_mmio_write(3, IOM_CTX_EXIT, BASE + 8, src, 4), IOM_OK);
	assert_int_equal(iom_stat_get(IOM_SPACE_MMIO, IOM_STAT_RECURSION, 3), 2);
	assert_int_equal(iom_stat_get(IOM_SPACE_MMIO, IOM_STAT_RECURSION, 0), 0);
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_RECURSION, 3), 0);

	/* The guard unwound: a plain access works at level 1 again. */
	map_port_dev(&T, "target", TARGET, 4, 0);
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, TARGET, 1, 1), IOM_OK);
	assert_int_equal(T.n, 1);
	assert_int_equal(iom_drain_deferred(0), IOM_OK);
	assert_int_equal(iom_test_log_count, 0);
}

static void test_nested_call_rules(void **state)
{
	(void)state;
	uint32_t v;

	map_bridge(0x100);
	map_port_dev(&T, "target", TARGET, 4, 0);

	/* Another context than the handler's: refused and logged. */
	bridge_wrong_ctx = true;
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x100, 1, 1), IOM_INTERNAL_ERROR);
	assert_int_equal(iom_test_log_count, 1);
	assert_int_equal(iom_port_read(0, IOM_CTX_DEFERRED, 0x100, 1, &v), IOM_INTERNAL_ERROR);
	assert_int_equal(iom_test_log_count, 2);
	assert_int_equal(T.n, 0);
	bridge_wrong_ctx = false;

	/* A drain from inside a handler: refused and logged. */
	bridge_drains = true;
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x100, 1, 1), IOM_INTERNAL_ERROR);
	assert_int_equal(iom_test_log_count, 3);
	bridge_drains = false;

	/* Nothing was left half-entered. */
	assert_int_equal(iom_port_write(0, IOM_CTX_DEFERRED, 0x100, 1, 9), IOM_OK);
	assert_int_equal(T.n, 1);
	assert_int_equal(T.log[0].value, 9);
	assert_int_equal(iom_test_bad_formats, 0);
}

/* The drain commits the bridge's write; the bridge's nested deferred-context
 * write goes through although later entries are still queued, and lands
 * before them. */
static void test_nested_call_during_drain(void **state)
{
	(void)state;
	map_bridge(0x100);
	map_port_dev(&T, "target", TARGET, 4, 0);
	map_port_dev(&Q, "q", 0x400, 1, 0);
	bridge_defer_in_exit = true;

	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x100, 1, 0x11), IOM_OK);
	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x400, 1, 0x22), IOM_OK);
	assert_int_equal(iom_deferred_count(0), 2);
	assert_int_equal(iom_drain_deferred(0), IOM_OK);
	assert_int_equal(T.n, 1);
	assert_call(&T, 0, 'o', IOM_CTX_DEFERRED, 0, 1);
	assert_int_equal(T.log[0].value, 0x11);
	assert_call(&Q, 0, 'o', IOM_CTX_DEFERRED, 0, 1);
	assert_true(T.log[0].seq < Q.log[0].seq);
	assert_int_equal(iom_test_log_count, 0);
}

/* A nested exit-context write whose handler defers is queued like any
 * other; the outer access completes. A nested read that defers makes the
 * bridge defer, and the retry from deferred context goes through. */
static void test_nested_write_and_read_defer(void **state)
{
	(void)state;
	uint32_t v = 0;

	map_bridge(0x100);
	map_port_dev(&T, "target", TARGET, 4, 0);
	T.defer_from = 0;

	assert_int_equal(iom_port_write(0, IOM_CTX_EXIT, 0x100, 1, 0x44), IOM_OK);
	assert_int_equal(iom_deferred_count(0), 1);
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_DEFERRED_WRITES, 0), 1);
	/* The outer read waits behind the queued write, as any read. */
	assert_int_equal(iom_port_read(0, IOM_CTX_EXIT, 0x100, 1, &v), IOM_READ_DEFERRED);
	assert_int_equal(iom_drain_deferred(0), IOM_OK);
	assert_call(&T, 1, 'o', IOM_CTX_DEFERRED, 0, 1);
	assert_int_equal(T.log[1].value, 0x44);
	assert_int_equal(iom_port_read(0, IOM_CTX_DEFERRED, 0x100, 1, &v), IOM_OK);
	assert_int_equal(v, 0x44);

	/* Queue empty: the nested read reaches T, which defers; the bridge
	 * turns that into IOM_DEFER, the backend retries from deferred
	 * context. */
	v = 0;
	assert_int_equal(iom_port_read(0, IOM_CTX_EXIT, 0x100, 1, &v), IOM_READ_DEFERRED);
	assert_int_equal(iom_drain_deferred(0), IOM_OK);
	assert_int_equal(iom_port_read(0, IOM_CTX_DEFERRED, 0x100, 1, &v), IOM_OK);
	assert_int_equal(v, 0x44);
	/* Two levels deferred (T's read, the bridge's) plus the first one. */
	assert_int_equal(iom_stat_get(IOM_SPACE_PORT, IOM_STAT_DEFERRED_READS, 0), 3);
	assert_int_equal(iom_test_log_count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_handler_may_forward, setup),
		cmocka_unit_test_setup(test_endless_recursion_is_cut_off, setup),
		cmocka_unit_test_setup(test_nested_call_rules, setup),
		cmocka_unit_test_setup(test_nested_call_during_drain, setup),
		cmocka_unit_test_setup(test_nested_write_and_read_defer, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
