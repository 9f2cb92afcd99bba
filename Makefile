# SPDX-License-Identifier: GPL-2.0-only
# iomvisor build.
#   make            build/iomvisor.efi (PE32+ EFI application) and the test guests
#   make run        boot it under QEMU TCG (AMD SVM) with the serial console here
#                   (copied to build/console.log)
#   make debug      make run with QEMU's gdbstub on :1234 (and a long timeout)
#   make gdb        gdb attached to it, iomvisor's symbols at its image base
#   make test       unit + integration tests, ends with "N passed, N failed"
#   make unit       host unit tests only
#   make test-matrix  the test guest on every Bochs CPU model (test/matrix.sh)
#   make bench      benchmarks (ratios, never pass/fail)
#   make fuzz-guest SECONDS=N SEED=S   the hostile guest under QEMU SVM for N
#                   seconds (default 60, seed 1); prints ops/s or the failure
#   make clean
#
# The hypervisor is freestanding C compiled as position-independent code, linked
# by lld with our own linker.ld into an ELF shared object, then turned into a PE32+
# image by objcopy; gnu-efi supplies the headers, crt0 (which applies the ELF
# relocations at load time) and its small libraries.

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:
# Keep intermediate objects and .so files (incremental builds; gdb reads the .so).
.SECONDARY:

# Quiet by default; make V=1 shows the commands.
ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-7s %s\n' $(1) $(2)
endif

BUILD   := build
CC      := clang
LD      := ld.lld
OBJCOPY := objcopy

EFI_INC := /usr/include/efi
EFI_LIB := /usr/lib
EFI_CRT0 := $(EFI_LIB)/crt0-efi-x86_64.o

VERSION := $(shell git describe --always --dirty --tags 2>/dev/null || echo unknown)

# -mgeneral-regs-only: the host must never touch FPU/SSE state the guest owns
# (docs/real-hardware.md). -mno-red-zone: interrupts and NMIs taken on
# the host stack would clobber a red zone. -flto: the exit path crosses many
# small files (one job each); link-time optimization inlines their small
# helpers across files (a null exit: 311 -> 218 instructions).
# -fvisibility=hidden: nothing in the image can be interposed, and saying so
# is what lets LTO inline across files at all.
HV_CFLAGS := -target x86_64-unknown-none -std=gnu11 -O2 -g -flto -fvisibility=hidden \
	-ffreestanding -fno-stack-protector -fno-stack-check -fshort-wchar \
	-mno-red-zone -mgeneral-regs-only -fpic -fno-strict-aliasing \
	-fno-asynchronous-unwind-tables \
	-Wall -Wextra -Werror -Wno-unused-parameter \
	-I. -I$(EFI_INC) -I$(EFI_INC)/x86_64 -DGNU_EFI_USE_MS_ABI -MMD -MP
HV_ASFLAGS := -target x86_64-unknown-none -fpic -g -I. -MMD -MP
# --apply-dynamic-relocs: gnu-efi's _relocate adds the load base to what the place
# already holds (it ignores r_addend), so the addend must be written there too.
HV_LDFLAGS := -nostdlib -shared -Bsymbolic -znocombreloc -z norelro --apply-dynamic-relocs \
	--no-undefined -T linker.ld

# Everything under these folders is part of the hypervisor image.
HV_DIRS := boot hv hv/console hv/mem hv/exit hv/trace hv/trace/decode hv/dev hv/iommu hv/rules hv/x86 \
	iom svm vmx
HV_SRCS := $(foreach d,$(HV_DIRS),$(wildcard $(d)/*.c) $(wildcard $(d)/*.S))
HV_OBJS := $(patsubst %,$(BUILD)/hv-obj/%.o,$(HV_SRCS))

# PE sections objcopy keeps (everything linker.ld places in the image).
PE_SECTIONS := .text .reloc .data .dynamic .rela .dynsym .dynstr .bss

all: $(BUILD)/iomvisor.efi guests

$(BUILD)/hv-obj/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(call msg,CC,$<)
	$(Q)$(CC) $(HV_CFLAGS) -c $< -o $@

# Only hv/version.c sees the version string, so a new commit rebuilds one file.
$(BUILD)/hv-obj/hv/version.c.o: HV_CFLAGS += -DIOMVISOR_VERSION='"$(VERSION)"'
$(BUILD)/hv-obj/hv/version.c.o: $(BUILD)/.version

$(BUILD)/hv-obj/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(call msg,AS,$<)
	$(Q)$(CC) $(HV_ASFLAGS) -c $< -o $@

# gnu-efi's libefi defines memcpy and memset in the member that also holds
# InitializeLib, as byte loops. Our own (hv/string.c) copy eight bytes at a
# time; a copy of the library with those two symbols made weak lets them win.
EFI_LIBEFI := $(BUILD)/efi-lib/libefi.a
$(EFI_LIBEFI): $(EFI_LIB)/libefi.a
	@mkdir -p $(dir $@)
	$(call msg,OBJCOPY,$@)
	$(Q)$(OBJCOPY) --weaken-symbol=memcpy --weaken-symbol=memset $< $@
EFI_LINK := -L$(EFI_LIB) -lgnuefi $(EFI_LIBEFI)

$(BUILD)/iomvisor.so: $(HV_OBJS) linker.ld $(EFI_LIBEFI)
	$(call msg,LD,$@)
	$(Q)$(LD) $(HV_LDFLAGS) $(EFI_CRT0) $(HV_OBJS) $(EFI_LINK) -o $@

$(BUILD)/%.efi: $(BUILD)/%.so
	$(call msg,OBJCOPY,$@)
	$(Q)$(OBJCOPY) $(addprefix -j ,$(PE_SECTIONS)) --target efi-app-x86_64 $< $@

# The version string is baked in at build time; rebuild what uses it when it changes.
$(BUILD)/.version: FORCE
	@mkdir -p $(BUILD)
	@echo '$(VERSION)' | cmp -s - $@ || echo '$(VERSION)' > $@

# ---------------------------------------------------------------------------
# Test guests: small EFI applications iomvisor chain-loads in integration tests.
# Each test/guest/NAME/ folder becomes build/guest/NAME.efi; test/guest/lib/ is
# linked into every guest.
GUEST_LIB_SRCS := $(wildcard test/guest/lib/*.c test/guest/lib/*.S) hv/format.c hv/string.c \
	hv/number.c hv/acpi.c boot/acpi_rsdp.c hv/tsc_rate.c
GUEST_NAMES := $(filter-out lib,$(notdir $(patsubst %/,%,$(wildcard test/guest/*/))))
GUEST_EFIS := $(patsubst %,$(BUILD)/guest/%.efi,$(GUEST_NAMES))
GUEST_CFLAGS := $(HV_CFLAGS) -Itest/guest/lib

guests: $(GUEST_EFIS)

$(BUILD)/guest-obj/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(call msg,CC,$<)
	$(Q)$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/guest-obj/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(call msg,AS,$<)
	$(Q)$(CC) $(HV_ASFLAGS) -c $< -o $@

# A guest's objects; a function because '%' in a pattern rule's prerequisites
# would be taken for the stem.
guest_objs = $(patsubst %,$(BUILD)/guest-obj/%.o,$(wildcard test/guest/$(1)/*.c test/guest/$(1)/*.S) $(GUEST_LIB_SRCS))

.SECONDEXPANSION:
$(BUILD)/guest/%.so: $$(call guest_objs,$$*) linker.ld $(EFI_LIBEFI)
	@mkdir -p $(dir $@)
	$(call msg,LD,$@)
	$(Q)$(LD) $(HV_LDFLAGS) $(EFI_CRT0) $(filter %.o,$^) $(EFI_LINK) -o $@

$(BUILD)/guest/%.efi: $(BUILD)/guest/%.so
	$(call msg,OBJCOPY,$@)
	$(Q)$(OBJCOPY) $(addprefix -j ,$(PE_SECTIONS)) --target efi-app-x86_64 $< $@

# ---------------------------------------------------------------------------
# Host unit tests (cmocka). The vendor-neutral code builds unchanged on the host:
# iom/, hv/x86/ and the few pure hv/ and boot/ files listed here.
HOST_CC     := clang
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-sanitize-recover=all -I. -MMD -MP
HOST_LIB_SRCS := $(wildcard iom/*.c) $(wildcard hv/x86/*.c) hv/format.c hv/console/log_level.c \
	hv/trace/ring.c hv/trace/filter.c hv/trace/stats.c hv/trace/line.c $(wildcard hv/trace/decode/*.c) \
	hv/pci.c hv/number.c \
	boot/config_parse.c boot/settings.c $(wildcard hv/rules/*.c)
HOST_LIB := $(BUILD)/host/libhost.a
HOST_LIB_OBJS := $(patsubst %,$(BUILD)/host-obj/%.o,$(HOST_LIB_SRCS))

UNIT_SRCS := $(wildcard test/unit/test_*.c)
UNIT_TESTS := $(patsubst test/unit/%.c,$(BUILD)/host/tests/%,$(UNIT_SRCS))

$(BUILD)/host-obj/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(call msg,HOSTCC,$<)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@

$(HOST_LIB): $(HOST_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/host/tests/%: test/unit/%.c $(HOST_LIB)
	@mkdir -p $(dir $@)
	$(call msg,HOSTLD,$@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) $< $(HOST_LIB) -lcmocka -lpthread -o $@

# Component fragments (test/*.mk) may add programs to UNIT_TESTS and targets.
-include test/*.mk

unit-build: $(UNIT_TESTS)

print-unit-tests:
	@echo $(UNIT_TESTS)

# Runs every unit test program; test/summarize.sh counts cmocka's results.
unit: unit-build
	@status=0; for t in $(UNIT_TESTS); do $$t || status=1; done; exit $$status

# ---------------------------------------------------------------------------
deps:
	@bash scripts/install-deps.sh

run: deps all
	bash scripts/run.sh

debug: deps all
	TIMEOUT=$${TIMEOUT:-86400} bash scripts/run.sh -s

gdb:
	bash scripts/gdb-script.sh
	gdb -q -x $(BUILD)/iomvisor.gdb

test: deps
	bash test/run-all.sh

test-matrix: deps all
	bash test/matrix.sh

bench: deps all
	bash test/bench.sh
	bash test/bench-trace.sh
	$(MAKE) -s bench-iom

SECONDS ?= 60
SEED ?= 1
fuzz-guest: deps all
	bash test/fuzz-guest.sh $(SECONDS) $(SEED)

clean:
	rm -rf $(BUILD)

.PHONY: all guests unit unit-build print-unit-tests deps run debug gdb test test-matrix bench fuzz-guest clean FORCE

-include $(shell find $(BUILD) -name cache -prune -o -type f -name '*.d' -print 2>/dev/null)
