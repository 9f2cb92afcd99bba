/* SPDX-License-Identifier: GPL-2.0-only */
/* hv/exit/event_rules.c: which exceptions push an error code (SDM Vol. 3A Table 6-1,
 * never in real mode: §6.13, and VM entry checks it, Vol. 3C §27.2.1.3), the
 * double-fault rules (Table 6-5) and what is delivered again after an exit. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "hv/exit/event.h"

static void test_error_code_vectors(void **state)
{
	(void)state;
	static const uint8_t with[] = { 8, 10, 11, 12, 13, 14, 17, 21 };
	unsigned n = 0;
	for (unsigned v = 0; v < 32; v++) {
		bool expect = false;
		for (unsigned i = 0; i < sizeof(with); i++)
			expect |= with[i] == v;
		assert_int_equal(hv_exception_has_error_code((uint8_t)v, true), expect);
		assert_false(hv_exception_has_error_code((uint8_t)v, false));
		n += expect;
	}
	assert_int_equal(n, sizeof(with));
}

/* The #GP(0) the emulator raises for a real-mode guest pushes nothing. */
static void test_exception_record(void **state)
{
	(void)state;
	struct hv_event e = hv_event_exception(13, 0x10, true);
	assert_true(e.valid);
	assert_int_equal(e.type, HV_EVENT_EXCEPTION);
	assert_int_equal(e.vector, 13);
	assert_true(e.has_error);
	assert_int_equal(e.error, 0x10);
	e = hv_event_exception(13, 0x10, false);
	assert_false(e.has_error);
	assert_int_equal(e.error, 0);
	e = hv_event_exception(6, 5, true); /* #UD has none */
	assert_false(e.has_error);
	assert_int_equal(e.error, 0);
}

static struct hv_event exc(uint8_t vector)
{
	return hv_event_exception(vector, 0, true);
}

static void test_double_fault_rules(void **state)
{
	(void)state;
	bool shutdown;
	struct hv_event a, b, r;

	/* contributory after contributory: #DF(0) */
	a = exc(13), b = exc(11);
	r = hv_event_combine(&a, &b, true, &shutdown);
	assert_false(shutdown);
	assert_int_equal(r.vector, 8);
	assert_true(r.has_error);
	assert_int_equal(r.error, 0);
	/* #PF after #PF, and #GP after #PF: #DF */
	a = exc(14), b = exc(14);
	assert_int_equal(hv_event_combine(&a, &b, true, &shutdown).vector, 8);
	b = exc(13);
	assert_int_equal(hv_event_combine(&a, &b, true, &shutdown).vector, 8);
	/* #PF after a contributory one: serially, the #PF */
	a = exc(13), b = exc(14);
	r = hv_event_combine(&a, &b, true, &shutdown);
	assert_false(shutdown);
	assert_int_equal(r.vector, 14);
	/* anything after a benign event (an interrupt, an NMI, #UD): the new one */
	a = (struct hv_event){ .valid = true, .type = HV_EVENT_EXT_INT, .vector = 0x30 };
	b = exc(13);
	assert_int_equal(hv_event_combine(&a, &b, true, &shutdown).vector, 13);
	a = (struct hv_event){ .valid = true, .type = HV_EVENT_NMI, .vector = 2 };
	b = exc(14);
	assert_int_equal(hv_event_combine(&a, &b, true, &shutdown).vector, 14);
	/* contributory or #PF after #DF: shutdown; a benign one is delivered */
	a = exc(8), b = exc(13);
	hv_event_combine(&a, &b, true, &shutdown);
	assert_true(shutdown);
	b = exc(14);
	hv_event_combine(&a, &b, true, &shutdown);
	assert_true(shutdown);
	b = exc(6);
	r = hv_event_combine(&a, &b, true, &shutdown);
	assert_false(shutdown);
	assert_int_equal(r.vector, 6);
	/* real mode: the #DF pushes nothing */
	a = exc(13), b = exc(13);
	r = hv_event_combine(&a, &b, false, &shutdown);
	assert_int_equal(r.vector, 8);
	assert_false(r.has_error);
}

static void test_reinject(void **state)
{
	(void)state;
	static const uint8_t hard[] = { HV_EVENT_EXT_INT, HV_EVENT_NMI, HV_EVENT_EXCEPTION };
	static const uint8_t soft[] = { HV_EVENT_SOFT_INT, HV_EVENT_PRIV_SOFT_EXC,
					HV_EVENT_SOFT_EXC };
	for (unsigned i = 0; i < 3; i++) {
		struct hv_event h = { .valid = true, .type = hard[i] };
		struct hv_event s = { .valid = true, .type = soft[i] };
		assert_true(hv_event_reinject(&h, false));
		assert_true(hv_event_reinject(&h, true));
		assert_true(hv_event_reinject(&s, false));  /* VMX */
		assert_false(hv_event_reinject(&s, true));  /* SVM: re-executes */
		h.valid = false;
		assert_false(hv_event_reinject(&h, false));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_code_vectors),
		cmocka_unit_test(test_exception_record),
		cmocka_unit_test(test_double_fault_rules),
		cmocka_unit_test(test_reinject),
	};
	return cmocka_run_group_tests_name("event_rules", tests, NULL, NULL);
}
