# SPDX-License-Identifier: GPL-2.0-only
# test/kvmpeer.mk - the bench's KVM peer (included by the top Makefile): a
# static Linux program, built with the host's gcc and libc, that runs inside
# the initramfs test/kvmpeer/run.sh boots (make bench).

KVMPEER := $(BUILD)/kvmpeer/kvmpeer

$(KVMPEER): test/kvmpeer/kvmpeer.c test/kvmpeer.mk
	@mkdir -p $(dir $@)
	$(call msg,GCC,$@)
	$(Q)gcc -static -O2 -Wall -Wextra -Werror $< -o $@

bench: $(KVMPEER)
