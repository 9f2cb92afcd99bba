/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests: the pool's size from the CPUs and the memory map
 * (hv/mem/pool_size.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "hv/mem/pool_size.h"

#define KIB 1024ull
#define MIB (1024ull * KIB)
#define GIB (1024ull * MIB)
#define PAGE 4096ull

/* The hypervisor's whole memory for 4 CPUs on a machine of a few GiB: the pool
 * and its image (1.7 MiB with its static tables now; 2 MiB allowed for)
 * within 8 MiB. */
static void test_four_cpus_fit_in_8_mib(void **state)
{
	(void)state;
	assert_true(pool_pages_for(4, 4 * GIB) * PAGE + 2 * MIB <= 8 * MIB);
	assert_true(pool_pages_for(4, 256 * MIB) == pool_pages_for(4, 4 * GIB));
}

/* Each CPU and each GiB of the map adds its pages: at least what start-up
 * measured (14 pages a CPU; a directory a GiB in each of three maps). */
static void test_grows_with_cpus_and_memory(void **state)
{
	(void)state;
	assert_true(pool_pages_for(5, 4 * GIB) - pool_pages_for(4, 4 * GIB) >= 14);
	assert_true(pool_pages_for(4, 9 * GIB) - pool_pages_for(4, 8 * GIB) >= 3);
	/* A part of a GiB is a whole directory. */
	assert_true(pool_pages_for(4, 8 * GIB + 1) > pool_pages_for(4, 8 * GIB));
	/* A large server still gets a bounded pool: 64 CPUs, 1 TiB. */
	assert_true(pool_pages_for(64, 1024 * GIB) * PAGE < 32 * MIB);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_four_cpus_fit_in_8_mib),
		cmocka_unit_test(test_grows_with_cpus_and_memory),
	};
	return cmocka_run_group_tests_name("hv_pool_size", tests, NULL, NULL);
}
