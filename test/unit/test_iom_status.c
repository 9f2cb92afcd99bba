/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests: status merging and names. */
#include "test/unit/iom_test_platform.h"

/* The documented priority, lowest first. */
static const iom_status_t outcomes[] = {
	IOM_OK, IOM_INJECT_GP, IOM_STOP_VCPU, IOM_RESET, IOM_DEBUG_BREAK,
	IOM_INTERNAL_ERROR,
};
#define N_OUTCOMES (sizeof(outcomes) / sizeof(outcomes[0]))

static void test_merge_follows_priority(void **state)
{
	(void)state;
	for (unsigned i = 0; i < N_OUTCOMES; i++)
		for (unsigned j = 0; j < N_OUTCOMES; j++) {
			iom_status_t want = outcomes[i > j ? i : j];

			assert_int_equal(iom_status_merge(outcomes[i], outcomes[j]), want);
		}
	assert_int_equal(iom_test_log_count, 0);
}

static void test_merge_examples(void **state)
{
	(void)state;
	/* The exit completed, the commit asks for a #GP: the #GP. */
	assert_int_equal(iom_status_merge(IOM_OK, IOM_INJECT_GP), IOM_INJECT_GP);
	/* A reset makes a #GP moot. */
	assert_int_equal(iom_status_merge(IOM_INJECT_GP, IOM_RESET), IOM_RESET);
	assert_int_equal(iom_status_merge(IOM_RESET, IOM_STOP_VCPU), IOM_RESET);
	/* The developer sees the machine before it resets. */
	assert_int_equal(iom_status_merge(IOM_RESET, IOM_DEBUG_BREAK), IOM_DEBUG_BREAK);
	assert_int_equal(iom_status_merge(IOM_DEBUG_BREAK, IOM_INTERNAL_ERROR),
			 IOM_INTERNAL_ERROR);
}

static void test_impossible_merges_are_internal_errors(void **state)
{
	(void)state;
	/* Steps the caller still had to take, and unknown values, never
	 * vanish in a merge. */
	const iom_status_t steps[] = { IOM_UNUSED, IOM_DEFER, IOM_READ_DEFERRED,
				       IOM_RETRY, (iom_status_t)77,
				       (iom_status_t)-1 };
	unsigned logs = 0;

	for (unsigned i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		for (unsigned j = 0; j < N_OUTCOMES; j++) {
			assert_int_equal(iom_status_merge(steps[i], outcomes[j]),
					 IOM_INTERNAL_ERROR);
			assert_int_equal(iom_status_merge(outcomes[j], steps[i]),
					 IOM_INTERNAL_ERROR);
			logs += 2;
		}
	assert_int_equal(iom_status_merge(IOM_RETRY, IOM_READ_DEFERRED), IOM_INTERNAL_ERROR);
	logs++;
	assert_int_equal(iom_test_log_count, logs);
	assert_int_equal(iom_test_bad_formats, 0);
	assert_non_null(strstr(iom_test_last_log, "retry"));
}

static void test_status_names(void **state)
{
	(void)state;
	assert_string_equal(iom_status_name(IOM_OK), "ok");
	assert_string_equal(iom_status_name(IOM_READ_DEFERRED), "read-deferred");
	assert_string_equal(iom_status_name(IOM_INTERNAL_ERROR), "internal-error");
	assert_string_equal(iom_status_name((iom_status_t)99), "?");
	for (unsigned i = 0; i < IOM_STATUS_COUNT; i++)
		assert_string_not_equal(iom_status_name((iom_status_t)i), "?");
	/* OK is 0 so it survives "0 means success" callback chains. */
	assert_int_equal(IOM_OK, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_merge_follows_priority, iom_test_setup),
		cmocka_unit_test_setup(test_merge_examples, iom_test_setup),
		cmocka_unit_test_setup(test_impossible_merges_are_internal_errors, iom_test_setup),
		cmocka_unit_test_setup(test_status_names, iom_test_setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
