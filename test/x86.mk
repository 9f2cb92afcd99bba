# SPDX-License-Identifier: GPL-2.0-only
# test/x86.mk - hv/x86 tests beyond the default unit-test rule (included by
# the top Makefile): the Zydis differential test and the libFuzzer target.
#   make unit         also builds and runs test/x86/test_x86_zydis (links Zydis)
#   make fuzz         runs the decoder/emulator fuzzer for X86_FUZZ_TIME (600) s
#   make fuzz-smoke   a short run (X86_FUZZ_SMOKE_TIME, 25 s) for `make test`
# The test/unit/test_x86_*.c programs are built by the default rule.

X86_ZYDIS_TEST := $(BUILD)/host/tests/test_x86_zydis
UNIT_TESTS += $(X86_ZYDIS_TEST)

$(X86_ZYDIS_TEST): test/x86/test_x86_zydis.c $(HOST_LIB)
	@mkdir -p $(dir $@)
	$(call msg,HOSTLD,$@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $< $(HOST_LIB) -lcmocka -lZydis -lpthread -o $@

# The fuzzer builds hv/x86 itself: it needs -fsanitize=fuzzer on every object.
X86_FUZZ := $(BUILD)/fuzz/fuzz_x86_emulate
X86_FUZZ_SRCS := $(wildcard hv/x86/*.c) test/x86/fuzz_x86_emulate.c
X86_FUZZ_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I.
X86_FUZZ_TIME ?= 600
X86_FUZZ_SMOKE_TIME ?= 25
X86_FUZZ_ARGS := -max_len=256 -len_control=0 -timeout=10 -print_final_stats=1

$(X86_FUZZ): $(X86_FUZZ_SRCS) $(wildcard hv/x86/*.h)
	@mkdir -p $(dir $@)
	$(call msg,FUZZLD,$@)
	$(Q)$(HOST_CC) $(X86_FUZZ_CFLAGS) $(X86_FUZZ_SRCS) -o $@

# The long run keeps its corpus in build/fuzz/corpus between runs.
fuzz: $(X86_FUZZ)
	@mkdir -p $(BUILD)/fuzz/corpus
	$(X86_FUZZ) $(X86_FUZZ_ARGS) -max_total_time=$(X86_FUZZ_TIME) \
		-artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus

# The smoke run starts from scratch with a fixed seed, so it is repeatable.
fuzz-smoke: $(X86_FUZZ)
	@rm -rf $(BUILD)/fuzz/smoke-corpus && mkdir -p $(BUILD)/fuzz/smoke-corpus
	$(X86_FUZZ) $(X86_FUZZ_ARGS) -seed=1 -max_total_time=$(X86_FUZZ_SMOKE_TIME) \
		-artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/smoke-corpus

.PHONY: fuzz fuzz-smoke
