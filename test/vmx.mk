# SPDX-License-Identifier: GPL-2.0-only
# test/vmx.mk - host unit tests of the VMX backend's pure parts (included by the
# top Makefile): vmx/mtrr.c, the MTRR memory types behind the EPT entries.

VMX_MTRR_TEST := $(BUILD)/host/tests/test_vmx_mtrr
UNIT_TESTS += $(VMX_MTRR_TEST)

$(VMX_MTRR_TEST): test/vmx/test_vmx_mtrr.c vmx/mtrr.c vmx/mtrr.h vmx/vmcs_fields.h
	@mkdir -p $(dir $@)
	$(call msg,HOSTLD,$@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) test/vmx/test_vmx_mtrr.c vmx/mtrr.c -lcmocka -o $@
