# SPDX-License-Identifier: GPL-2.0-only
# test/maps.mk - host unit tests of the nested maps (included by the top
# Makefile): the common writer hv/mem/nested_map.c with the NPT format
# (test_npt_map, svm/npt.c) and the EPT format (test_ept_map, vmx/ept.c with
# the MTRR types of vmx/mtrr.c). test/maps/host_cpu.h stands in for hv/cpu.h.
# The backends' sources pull in most of hv/'s headers (vmx/ept.c reaches
# hv/vcpu.h): a change to any of them rebuilds the tests.

MAPS_TESTS := $(BUILD)/host/tests/test_npt_map $(BUILD)/host/tests/test_ept_map
UNIT_TESTS += $(MAPS_TESTS)
MAPS_DEPS := hv/mem/nested_map.c hv/mem/nested_map.h hv/mem/idmap.c hv/mem/idmap.h hv/x86/arch.h \
	test/maps/host_cpu.h test/maps/nested_map_cases.h \
	$(wildcard hv/*.h hv/exit/*.h hv/mem/*.h svm/*.h vmx/*.h)
MAPS_CFLAGS := $(HOST_CFLAGS) -include test/maps/host_cpu.h

$(BUILD)/host/tests/test_npt_map: test/maps/test_npt_map.c svm/npt.c svm/npt.h $(MAPS_DEPS)
	@mkdir -p $(dir $@)
	$(call msg,HOSTLD,$@)
	$(Q)$(HOST_CC) $(MAPS_CFLAGS) $< hv/mem/nested_map.c hv/mem/idmap.c -lcmocka -o $@

$(BUILD)/host/tests/test_ept_map: test/maps/test_ept_map.c vmx/ept.c vmx/ept.h vmx/mtrr.c \
		vmx/mtrr.h $(MAPS_DEPS)
	@mkdir -p $(dir $@)
	$(call msg,HOSTLD,$@)
	$(Q)$(HOST_CC) $(MAPS_CFLAGS) $< hv/mem/nested_map.c hv/mem/idmap.c vmx/mtrr.c -lcmocka -o $@
