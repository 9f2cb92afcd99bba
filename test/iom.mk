# SPDX-License-Identifier: GPL-2.0-only
# test/iom.mk - the IOM's dispatch benchmark (included by the top Makefile).
#   make bench-iom   instructions per port dispatch at 1, 16, 256 and 4,096
#                    ranges (hinted, unhinted) beside a direct handler call and
#                    a linear scan, counted by callgrind; a table of ratios.
# Not part of `make test`: it reports, it does not judge.
# The IOM is built here at -O2 without sanitizers, with room for 4,096 port
# ranges (the hypervisor's default is 64) and 4 CPUs to keep the per-CPU
# range counters small; DWARF 4 because Debian 12's valgrind cannot read
# clang's default DWARF 5.

IOM_BENCH := $(BUILD)/bench/iom_bench
IOM_BENCH_CFLAGS := -std=gnu11 -O2 -gdwarf-4 -Wall -Wextra -Werror -Wno-unused-parameter \
	-I. -DIOM_MAX_PORT_RANGES=4096 -DIOM_MAX_CPUS=4

$(IOM_BENCH): test/iom/bench_iom.c test/iom.mk $(wildcard iom/*.c) $(wildcard iom/*.h)
	@mkdir -p $(dir $@)
	$(call msg,HOSTLD,$@)
	$(Q)$(HOST_CC) $(IOM_BENCH_CFLAGS) test/iom/bench_iom.c $(wildcard iom/*.c) -o $@

bench-iom: $(IOM_BENCH)
	@bash test/iom/bench.sh $(IOM_BENCH)

.PHONY: bench-iom
