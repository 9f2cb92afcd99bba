# SPDX-License-Identifier: GPL-2.0-only
# test/rules.mk - host unit tests of the rule language and engine (hv/rules/),
# included by the top Makefile.

RULES_SRCS := $(wildcard hv/rules/*.c)

$(BUILD)/host/tests/test_rules: test/unit/test_rules.c $(RULES_SRCS) $(wildcard hv/rules/*.h) \
		$(HOST_LIB) test/rules.mk
	@mkdir -p $(dir $@)
	$(call msg,HOSTLD,$@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $< $(RULES_SRCS) $(HOST_LIB) -lcmocka -lpthread -o $@
