# SPDX-License-Identifier: GPL-2.0-only
# test/vendor.mk - host unit tests of the vendor backends' pure translations
# and the common event rules (included by the top Makefile). These programs
# live in test/unit/ but need sources beyond the host library, so their rules
# here replace the default one.

VENDOR_EVENT_SRCS := hv/exit/event_rules.c
VENDOR_TEST_DEPS := hv/exit/event.h hv/exit/exit.h test/unit/decode_check.h $(HOST_LIB)

$(BUILD)/host/tests/test_svm_decode: test/unit/test_svm_decode.c svm/exit_decode.c \
		svm/exit_decode.h svm/vmcb.h $(VENDOR_EVENT_SRCS) $(VENDOR_TEST_DEPS)
	@mkdir -p $(dir $@)
	$(call msg,HOSTLD,$@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $< svm/exit_decode.c $(VENDOR_EVENT_SRCS) $(HOST_LIB) \
		-lcmocka -o $@

$(BUILD)/host/tests/test_vmx_decode: test/unit/test_vmx_decode.c vmx/exit_decode.c \
		vmx/exit_decode.h vmx/vmcs_fields.h $(VENDOR_EVENT_SRCS) $(VENDOR_TEST_DEPS)
	@mkdir -p $(dir $@)
	$(call msg,HOSTLD,$@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $< vmx/exit_decode.c $(VENDOR_EVENT_SRCS) $(HOST_LIB) \
		-lcmocka -o $@

$(BUILD)/host/tests/test_event_rules: test/unit/test_event_rules.c $(VENDOR_EVENT_SRCS) \
		$(VENDOR_TEST_DEPS)
	@mkdir -p $(dir $@)
	$(call msg,HOSTLD,$@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $< $(VENDOR_EVENT_SRCS) $(HOST_LIB) -lcmocka -o $@
