# SPDX-License-Identifier: GPL-2.0-only
# test/hv.mk - host unit tests of the hypervisor's common exit glue (included
# by the top Makefile): hv/ files that only run inside the hypervisor, built
# with the fakes of test/unit/hv_fakes.h (link-time seams for the console,
# per-CPU lookup, vCPUs, event injection...) and test/unit/hv_fake_cpu.h in
# place of hv/cpu.h (its privileged instructions cannot run in a process).
# Each test_hv_*.c names the hv/ sources it tests below; everything else
# comes from the host library (iom/, hv/x86/).

HV_TEST_CFLAGS := $(HOST_CFLAGS) -include test/unit/hv_fake_cpu.h

HV_TEST_SRCS_test_hv_ipi := hv/exit/ipi.c
HV_TEST_SRCS_test_hv_apic_base := hv/dev/apic_base.c
HV_TEST_SRCS_test_hv_lapic := hv/dev/lapic.c hv/dev/apic_base.c
HV_TEST_SRCS_test_hv_trap_map := hv/mem/trap_map.c
HV_TEST_SRCS_test_hv_pool_size := hv/mem/pool_size.c
HV_TEST_SRCS_test_hv_task_switch := hv/exit/task_switch.c hv/mem/guest_access.c hv/mem/pdpte.c \
	hv/mem/trap_map.c
HV_TEST_SRCS_test_hv_exit := hv/exit/exit.c hv/exit/exit_mmio.c hv/exit/mmio_fast.c hv/exit/mmio_last.c hv/exit/code_page.c hv/exit/entry_work.c \
	hv/mem/guest_access.c \
	hv/mem/trap_map.c

HV_TESTS := $(patsubst test/unit/%.c,$(BUILD)/host/tests/%,$(wildcard test/unit/test_hv_*.c))

# Every header of hv/ and iom/ too: the sources inline much through them
# (the exit tail, the IOM's single-call path), so a changed header must
# rebuild the tests.
$(HV_TESTS): $(BUILD)/host/tests/%: test/unit/%.c $(HOST_LIB) test/hv.mk \
		test/unit/hv_fakes.h test/unit/hv_fake_cpu.h \
		$(wildcard hv/*.h hv/*/*.h iom/*.h)
	@mkdir -p $(dir $@)
	$(call msg,HOSTLD,$@)
	$(Q)$(HOST_CC) $(HV_TEST_CFLAGS) $< $(HV_TEST_SRCS_$*) $(HOST_LIB) -lcmocka -lpthread -o $@

# The hv/ sources a program compiles are prerequisites too.
$(foreach t,$(HV_TESTS),$(eval $(t): $(HV_TEST_SRCS_$(notdir $(t)))))
