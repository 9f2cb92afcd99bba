/* SPDX-License-Identifier: GPL-2.0-only */
/* hv/trace/ring.c and hv/pci.c: trace history, printing order, overflow counted;
 * PCI configuration addresses decoded. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "hv/pci.h"
#include "hv/trace/ring.h"

static struct trace_record rec(uint64_t n)
{
	return (struct trace_record){ .tsc = n, .addr = 0x70, .value = n, .size = 1 };
}

static void test_prints_in_order(void **state)
{
	(void)state;
	static struct trace_ring r;
	for (uint64_t i = 0; i < 10; i++) {
		struct trace_record x = rec(i);
		trace_ring_append(&r, &x, true);
	}
	for (uint64_t i = 0; i < 10; i++) {
		const struct trace_record *p = trace_ring_next_unprinted(&r);
		assert_non_null(p);
		assert_int_equal(p->value, i);
	}
	assert_null(trace_ring_next_unprinted(&r));
	assert_int_equal(trace_ring_take_lost(&r), 0);
}

static void test_overflow_is_counted(void **state)
{
	(void)state;
	static struct trace_ring r;
	unsigned n = TRACE_RING_SIZE + 37;
	for (uint64_t i = 0; i < n; i++) {
		struct trace_record x = rec(i);
		trace_ring_append(&r, &x, true);
	}
	/* The oldest 37 were overwritten unprinted; the rest print in order. */
	assert_int_equal(trace_ring_take_lost(&r), 37);
	assert_int_equal(trace_ring_take_lost(&r), 0);
	for (uint64_t i = 37; i < n; i++)
		assert_int_equal(trace_ring_next_unprinted(&r)->value, i);
	assert_null(trace_ring_next_unprinted(&r));
}

static void test_history_when_not_printing(void **state)
{
	(void)state;
	static struct trace_ring r;
	unsigned n = TRACE_RING_SIZE * 2 + 5;
	for (uint64_t i = 0; i < n; i++) {
		struct trace_record x = rec(i);
		trace_ring_append(&r, &x, false);
	}
	/* Nothing waits to be printed and nothing counts as lost: it is history. */
	assert_null(trace_ring_next_unprinted(&r));
	assert_int_equal(trace_ring_take_lost(&r), 0);
	assert_int_equal(trace_ring_count(&r), TRACE_RING_SIZE);
	assert_int_equal(trace_ring_at(&r, 0)->value, n - TRACE_RING_SIZE);
	assert_int_equal(trace_ring_at(&r, TRACE_RING_SIZE - 1)->value, n - 1);
}

static void test_pci_decode(void **state)
{
	(void)state;
	/* 0x8000FA08: enabled, bus 0, device 31, function 2, register 0x08. */
	struct pci_config_access a = pci_decode(0x8000FA08, 0xCFC);
	assert_true(a.enabled);
	assert_int_equal(a.bus, 0);
	assert_int_equal(a.device, 31);
	assert_int_equal(a.function, 2);
	assert_int_equal(a.reg, 0x08);
	/* Byte lanes through 0xCFD-0xCFF; the address's low two bits are ignored. */
	a = pci_decode(0x80123403, 0xCFE);
	assert_int_equal(a.bus, 0x12);
	assert_int_equal(a.device, 6);
	assert_int_equal(a.function, 4);
	assert_int_equal(a.reg, 0x02);
	assert_false(pci_decode(0x00000000, 0xCFC).enabled);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prints_in_order),
		cmocka_unit_test(test_overflow_is_counted),
		cmocka_unit_test(test_history_when_not_printing),
		cmocka_unit_test(test_pci_decode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
