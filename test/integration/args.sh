#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The next image's load options are what its own starter would have given it
# (boot/settings.h, settings_next_options): started by a boot manager, iomvisor
# passes the options alone, as a Boot#### entry's OptionalData; started by the
# UEFI shell, the whole command line, program path first, and the shell's
# parameters protocol with those words. The args guest prints what it got.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/test/lib/esp.sh"
. "$TOP/test/lib/check.sh"
OUT=${TEST_OUT:-$TOP/build/test-out}/args
mkdir -p "$OUT"

# shell_esp DIR "startup.nsh line": no default boot image, so OVMF's boot
# manager falls through to its built-in shell, which runs startup.nsh.
shell_esp() {
	rm -rf "$1"
	mkdir -p "$1/EFI/iomvisor"
	cp "$BUILD/iomvisor.efi" "$1/EFI/iomvisor/iomvisor.efi"
	printf '%s\r\n' "$2" >"$1/startup.nsh"
	esp_add "$1" "$BUILD/guest/args.efi" EFI/test/args.efi
}

# expect_args 'LOAD OPTIONS' WORD...: the guest's report, line by line.
expect_args() {
	local opts=$1 i=0 w
	shift
	expect "^args: load options '$(re "$opts")'$" "load options '$opts'"
	expect "^args: argc $#$" "$# words"
	for w in "$@"; do
		expect "^args: argv\[$i\] '$(re "$w")'$" "argv[$i] '$w'"
		i=$((i + 1))
	done
}
re() { printf '%s' "$1" | sed 's/[][\\.*^$(){}+?|]/\\&/g'; }

run() { "$TOP/test/run-qemu.sh" -t 120 -l "$1.log" "$1" >/dev/null 2>&1; }

# 1. A boot manager starts iomvisor (the default boot image); "next" in the file.
esp=$OUT/bootmgr
esp_new "$esp"
esp_add "$esp" "$BUILD/guest/args.efi" EFI/test/args.efi
esp_config "$esp" 'next \EFI\test\args.efi one "two words" three'
run "$esp"
check_begin "boot manager start: the next image gets the options alone" "$esp.log"
expect_args 'one "two words" three' one 'two words' three
expect '^args: no shell parameters$' "no shell parameters protocol"
expect '^iomvisor-test: PASS$' "guest verdict"
check_end

# 2. The shell starts iomvisor; next= on its command line.
esp=$OUT/shell-options
shell_esp "$esp" 'fs0:\EFI\iomvisor\iomvisor.efi log=info next=\EFI\test\args.efi alpha "b c"'
run "$esp"
check_begin "shell start, next= option: the next image gets the shell's command line" "$esp.log"
expect_args '\EFI\test\args.efi alpha "b c"' '\EFI\test\args.efi' alpha 'b c'
expect '^args: shell parameters argc 3$' "shell parameters protocol with 3 words"
expect "^args: shell argv\[0\] '\\\\EFI\\\\test\\\\args\.efi'$" "shell Argv[0] is the program"
expect "^args: shell argv\[2\] 'b c'$" "shell Argv[2] unquoted"
expect '^iomvisor-test: PASS$' "guest verdict"
check_end

# 3. The shell starts iomvisor; "next" in the configuration file.
esp=$OUT/shell-config
shell_esp "$esp" 'fs0:\EFI\iomvisor\iomvisor.efi'
esp_config "$esp" 'next \EFI\test\args.efi x y'
run "$esp"
check_begin "shell start, next in the file: the next image gets the shell's command line" "$esp.log"
expect_args '\EFI\test\args.efi x y' '\EFI\test\args.efi' x y
expect '^args: shell parameters argc 3$' "shell parameters protocol with 3 words"
expect '^iomvisor-test: PASS$' "guest verdict"
check_end
