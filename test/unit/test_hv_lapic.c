/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests: hv/dev/lapic.c's xAPIC traps, one IOM range per distinct page
 * some vCPU's xAPIC sits at (up to 4), mapped with its first vCPU and unmapped
 * with its last. A vCPU whose page could not be trapped is not counted there,
 * so its moving away must not take the count of a vCPU that trapped the same
 * page later. The traps are seen through the IOM's intercept hook. */
#include "test/unit/iom_test_platform.h"
#define HV_FAKES_REAL_LAPIC /* the code under test */
#include "test/unit/hv_fakes.h"
#include "hv/dev/lapic.h"
#include "iom/iom.h"

#define EN (1ull << 11) /* IA32_APIC_BASE.EN (SDM Vol. 3A §11.4.4), written out */
#define PAGE(n) (0xFED00000ull + (uint64_t)(n) * 0x10000)

/* No real APIC or MSR here: every write succeeds. */
bool msr_write_safe(uint32_t msr, uint64_t value)
{
	(void)msr, (void)value;
	return true;
}
bool trap_map_is_hidden(uint64_t gpa)
{
	(void)gpa;
	return false;
}
void hv_icr_write(struct vcpu *from, uint64_t icr, bool x2apic, void (*send)(uint64_t icr))
{
	(void)from, (void)icr, (void)x2apic, (void)send;
}

/* The pages the IOM has the backend trap now. */
#define MAX_TRAPS 8
static uint64_t trapped[MAX_TRAPS];

static int mmio_hook(void *arg, uint64_t gpa, uint64_t size, bool trap)
{
	(void)arg, (void)size;
	for (unsigned i = 0; i < MAX_TRAPS; i++)
		if (trap ? !trapped[i] : trapped[i] == gpa) {
			trapped[i] = trap ? gpa : 0;
			return 0;
		}
	return -1;
}

static bool is_trapped(uint64_t page)
{
	for (unsigned i = 0; i < MAX_TRAPS; i++)
		if (trapped[i] == page)
			return true;
	return false;
}

static void move(unsigned cpu, uint64_t page)
{
	assert_true(lapic_base_write(&fake_vcpus[cpu], page | EN));
}

/* Four CPUs fill the four ranges; CPU 0's move to a fifth page finds none
 * free (untrapped, uncounted); CPU 1 then traps that page in the range CPU 0
 * freed. CPU 0 moving on must leave CPU 1's trap in place. */
static void test_uncounted_cpu_leaving_keeps_the_other_trap(void **state)
{
	for (unsigned c = 0; c < 4; c++)
		move(c, PAGE(c));
	for (unsigned c = 0; c < 4; c++)
		assert_true(is_trapped(PAGE(c)));
	move(0, PAGE(4));
	assert_false(is_trapped(PAGE(4)));
	assert_false(is_trapped(PAGE(0)));
	move(1, PAGE(4));
	assert_true(is_trapped(PAGE(4)));
	move(0, PAGE(5));
	assert_true(is_trapped(PAGE(4)));
	assert_true(is_trapped(PAGE(5)));
	/* CPU 1 is the page's one user: its leaving ends the trap. */
	move(1, PAGE(6));
	assert_false(is_trapped(PAGE(4)));
}

int main(void)
{
	fake_reset();
	iom_init();
	lapic_register();
	iom_freeze();
	struct iom_intercept_ops ops = { NULL, NULL, mmio_hook };
	assert_int_equal(iom_set_intercept_ops(&ops), IOM_E_OK);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uncounted_cpu_leaving_keeps_the_other_trap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
