#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Debian's memtest86+ (an EFI program that takes the machine over: its own page
# tables, its own start of the other CPUs) chain-loaded by iomvisor under QEMU
# SVM with two CPUs. It starts CPU 1 itself with INIT-SIPI, which the hypervisor
# turns into a restart under it, and tests all usable memory on both CPUs through
# its first four tests, until it starts the fifth, without an error: the
# hypervisor's memory is not offered to it, and nothing the hypervisor does
# shows in memory. memtest86+ wants a framebuffer
# (GOP), hence -device VGA; its screen also comes out on the serial line.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/test/lib/esp.sh"
. "$TOP/test/lib/check.sh"
OUT=${TEST_OUT:-$TOP/build/test-out}/memtest
mkdir -p "$OUT"

if ! bash "$TOP/scripts/debian-file.sh" memtest86+ boot/memtest86+x64.efi >"$OUT/get.out" 2>&1; then
	echo "FAIL: memtest86+ under iomvisor on QEMU SVM, 2 CPUs: could not get it (see $OUT/get.out)"
	exit 0
fi

esp=$OUT/esp
esp_new "$esp"
esp_add "$esp" "$BUILD/debian/memtest86+x64.efi" EFI/memtest/memtest.efi
esp_config "$esp" "log debug" 'next \EFI\memtest\memtest.efi console=ttyS0,115200'
# memtest86+ runs until it is stopped: the run ends when it starts its fifth
# test (or reports an error); the timeout is only a ceiling.
"$TOP/test/run-qemu.sh" -s 2 -t 1200 -l "$esp.log" \
	-e '#4 +\[Moving inversions, 8 bit pattern\]|Errors: +[1-9]' "$esp" -- -device VGA >/dev/null 2>&1

check_begin "memtest86+ under iomvisor on QEMU SVM, 2 CPUs" "$esp.log"
expect '^iomvisor\[0\]: hypervisor: 2 of 2 CPUs taken over$' "both CPUs taken over"
expect "^iomvisor\[0\]: starting '.EFI.memtest.memtest.efi'" "memtest86+ chain-loaded"
expect '^iomvisor\[1\] debug: vcpu 1: SIPI, starting at 0x[0-9a-f]+:0000$' \
	"memtest86+ restarted CPU 1, under the hypervisor"
expect 'SMP: 2T' "memtest86+ tests on both CPUs"
expect '#4 +\[Moving inversions, 8 bit pattern\]' "it got to its fifth test"
expect 'Errors: +0' "its error count shown"
expect_not 'Errors: +[1-9]' "memory errors"
expect_not 'PANIC|iomvisor\[[01]\] error' "hypervisor failure"
check_end
