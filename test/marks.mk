# SPDX-License-Identifier: GPL-2.0-only
# test/marks.mk - the exit-path breakdown build (included by the top Makefile):
#   make BUILD=build/marks EXIT_MARKS=1 build/marks/iomvisor.efi
# builds the hypervisor with TSC marks along the exit path
# (hv/exit/exit_marks.h), which the bench guest reads with HC_EXIT_MARKS.
# make bench does this; the ordinary build has no marks.
ifeq ($(EXIT_MARKS),1)
HV_CFLAGS += -DHV_EXIT_MARKS
endif

bench-marks:
	$(Q)$(MAKE) -s BUILD=$(BUILD)/marks EXIT_MARKS=1 $(BUILD)/marks/iomvisor.efi >/dev/null

bench: bench-marks
.PHONY: bench-marks
