#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Trace, deny, debugcon and the PCI monitor, configured in iomvisor.cfg,
# seen from the guest (test/guest/devtest) and in the hypervisor's log.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/test/lib/esp.sh"
. "$TOP/test/lib/check.sh"
OUT=${TEST_OUT:-$TOP/build/test-out}/devices
mkdir -p "$OUT"

# The guest's flood (test/guest/devtest: REP OUTSB of 4096 bytes to the traced
# port 0x5b8, one exit, a ring of 256 records): the guest goes on, every record
# is either printed or counted as overwritten, and the printing is spread over
# later entries (flood records follow the marker the guest wrote right after it).
expect_flood() {
	local after from printed lost marker last
	after=$(grep -n '^guest: ok: host bridge present' "$case_log.txt" | head -1 | cut -d: -f1)
	from=${after:-1}
	printed=$(tail -n +"$from" "$case_log.txt" |
		grep -Ec '^iomvisor\[0\]: trace: cpu0 tsc=[0-9]+ rip=[0-9a-f]+ rule=[0-9]+ out 0x5b8 size=1 ')
	lost=$(tail -n +"$from" "$case_log.txt" |
		sed -n 's/^iomvisor\[0\] warn: trace: cpu0: \([0-9]*\) records overwritten before they were printed$/\1/p' |
		awk '{s += $1} END {print s + 0}')
	expect '^guest: ok: REP OUTSB of 4096 bytes to a traced port completed' \
		"the guest went on after the flood"
	expect '^iomvisor\[0\] warn: trace: cpu0: [0-9]+ records overwritten before they were printed$' \
		"records lost in the flood reported"
	if [ $((printed + lost)) != 4096 ]; then
		echo "  $case_name: the flood's 4096 records: $printed printed + $lost reported lost"
		case_failures=$((case_failures + 1))
	fi
	marker=$(grep -n '^iomvisor\[0\]: debugcon: cpu 0: after the flood$' "$case_log.txt" | cut -d: -f1)
	last=$(grep -n 'trace: cpu0 tsc=[0-9]+ rip=[0-9a-f]+ rule=[0-9]+ out 0x5b8 ' -E "$case_log.txt" | tail -1 | cut -d: -f1)
	if [ -z "$marker" ] || [ -z "$last" ] || [ "$last" -lt "$marker" ]; then
		echo "  $case_name: missing: flood records printed after the guest's next exits" \
			"(marker line ${marker:-absent}, last flood record line ${last:-absent})"
		case_failures=$((case_failures + 1))
	fi
}

# A value as trace lines print it: 0x and two digits per byte (empty: none).
hex_width() { # BYTES VALUE
	[ -n "$2" ] && printf '0x%0*x' $(($1 * 2)) "$2"
}

esp=$OUT/qemu
esp_new "$esp"
esp_add "$esp" "$BUILD/guest/devtest.efi" EFI/test/devtest.efi
esp_config "$esp" \
	"trace port 0x70-0x71" \
	"trace port 0x5b8+1" \
	"deny port 0x5b0+4" \
	"deny mmio 0xfe900000+0x1000" \
	"trace mmio 0xfed00000+0x400   # HPET registers, not page aligned" \
	"debugcon on" \
	"pcimon on" \
	"deny mmio 0xfe9g0000+4   # not a number: reported, skipped" \
	"deny mmio 0x20000000000+0x1000   # beyond qemu64's 40 address bits: reported, skipped" \
	"deny mmio 0x100000-0xbfffffff   # all RAM, the hypervisor's too: reported, skipped" \
	"trace limit off   # the flood below checks the ring, not the limit" \
	'next \EFI\test\devtest.efi'
"$TOP/test/run-qemu.sh" -t 600 -l "$esp.log" "$esp" >/dev/null 2>&1

check_begin "trace, deny, debugcon and PCI monitor on QEMU SVM" "$esp.log"
expect '^iomvisor\[0\]: trace port 0x70-0x71$' "trace rule installed"
expect '^iomvisor\[0\]: deny port 0x5b0-0x5b3$' "deny rule installed"
expect '^iomvisor\[0\]: trace mmio 0xfed00000-0xfed003ff$' "unaligned MMIO trace rule installed"
expect 'line 8: bad address range .*: .deny mmio 0xfe9g0000\+4 .*\(rule skipped\)' "bad rule reported with its line"
expect '^iomvisor\[0\] error: deny mmio 0x20000000000-0x20000000fff: beyond the 40-bit physical address space: not installed$' \
	"a rule beyond the address space refused"
expect '^iomvisor\[0\] error: deny mmio 0x100000-0xbfffffff: overlaps the hypervisor.s own memory: not installed$' \
	"a rule over the hypervisor's memory refused"
expect '^iomvisor\[0\]: hypervisor: running on CPU 0' "and the hypervisor runs without it"
expect '^guest: ok: denied port reads all ones' "denied port"
expect '^guest: ok: the denied access counted once each way' "deny counted"
expect '^guest: ok: denied MMIO reads all ones' "denied MMIO"
expect '^iomvisor\[0\]: debugcon: cpu 0: hello from the guest.s debugcon$' "debugcon line"
expect_not '^guest: FAIL' "failed guest checks"
expect '^iomvisor-test: PASS$' "guest verdict"
# The trace must show exactly what the guest saw.
sec=$(hex_width 1 "$(sed -n 's/^guest: cmos seconds read \(0x[0-9a-f]*\)$/\1/p' "$esp.log.txt")")
cap=$(hex_width 4 "$(sed -n 's/^guest: hpet capabilities \(0x[0-9a-f]*\)$/\1/p' "$esp.log.txt")")
id=$(hex_width 4 "$(sed -n 's/^guest: pci 00:00.0 id \(0x[0-9a-f]*\)$/\1/p' "$esp.log.txt")")
expect "trace: cpu0 tsc=[0-9]+ rip=[0-9a-f]+ rule=[0-9]+ out 0x70 size=1 <- 0x00  cmos index = 0x00 \\(seconds\\)" "CMOS index write traced and decoded"
expect "trace: cpu0 tsc=[0-9]+ rip=[0-9a-f]+ rule=[0-9]+ in 0x71 size=1 -> ${sec:-none}  cmos seconds" "CMOS read traced with the value the guest got"
expect "trace: cpu0 tsc=[0-9]+ rip=[0-9a-f]+ rule=[0-9]+ read 0xfed00000 size=4 -> ${cap:-none}  hpet capabilities" "HPET read traced with the value the guest got"
expect_not "trace: .* 0xfed00800 " "access outside the MMIO rule traced"
expect "trace: cpu0 tsc=[0-9]+ rip=[0-9a-f]+ rule=[0-9]+ in pci:00:00.0\\+0x000 size=4 -> ${id:-none}  pci 00:00.0 vendor ID" "PCI read decoded and traced"
expect_flood
check_end

# The same on Intel VMX (Bochs i440fx: no HPET, so no MMIO trace rule there).
esp=$OUT/bochs-vmx
esp_new "$esp"
esp_add "$esp" "$BUILD/guest/devtest.efi" EFI/test/devtest.efi
esp_config "$esp" \
	"trace port 0x70-0x71" \
	"trace port 0x5b8+1" \
	"deny port 0x5b0+4" \
	"deny mmio 0xfe900000+0x1000" \
	"debugcon on" \
	"pcimon on" \
	"trace limit off   # the flood below checks the ring, not the limit" \
	'next \EFI\test\devtest.efi no-hpet'
"$TOP/test/run-bochs.sh" -c corei7_skylake_x -t 1200 -l "$esp.log" "$esp" >/dev/null 2>&1
check_begin "trace, deny, debugcon and PCI monitor on Bochs VMX" "$esp.log"
expect '^iomvisor\[0\]: hypervisor: vmx backend ready' "VMX backend started"
expect '^guest: ok: denied port reads all ones' "denied port"
expect '^guest: ok: the denied access counted once each way' "deny counted"
expect '^guest: ok: denied MMIO reads all ones' "denied MMIO"
expect '^iomvisor\[0\]: debugcon: cpu 0: hello from the guest.s debugcon$' "debugcon line"
expect_not '^guest: FAIL' "failed guest checks"
expect '^iomvisor-test: PASS$' "guest verdict"
sec=$(hex_width 1 "$(sed -n 's/^guest: cmos seconds read \(0x[0-9a-f]*\)$/\1/p' "$esp.log.txt")")
id=$(hex_width 4 "$(sed -n 's/^guest: pci 00:00.0 id \(0x[0-9a-f]*\)$/\1/p' "$esp.log.txt")")
expect "trace: cpu0 tsc=[0-9]+ rip=[0-9a-f]+ rule=[0-9]+ in 0x71 size=1 -> ${sec:-none}  cmos seconds" "CMOS read traced with the value the guest got"
expect "trace: cpu0 tsc=[0-9]+ rip=[0-9a-f]+ rule=[0-9]+ in pci:00:00.0\\+0x000 size=4 -> ${id:-none}  pci 00:00.0 vendor ID" "PCI read decoded and traced"
expect_flood
check_end
