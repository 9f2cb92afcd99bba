#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Rules (trace, deny, read=, write=, value/direction/CPU conditions, clashes),
# debugcon and the PCI monitor, configured in iomvisor.cfg, seen from the guest
# (test/guest/devtest, which knows the rules by number) and in the log.
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

# Lines 1-12, the same on both machines; the guest knows rules 1-6 by number.
RULES=(
	"deny port 0x5b0+4"
	"rule port 0x5a0 r read=0x5a"
	"rule port 0x5a1 w value=0x66 write=drop"
	"rule port 0x5a2 w write=or:0xf0,and:0x3f"
	"rule port 0x5a3 cpu=1 read=0x33"
	"rule port 0x5a0-0x5a3 w count"
	"trace port 0x70-0x71"
	"trace port 0x5b8+1"
	"deny mmio 0xfe900000+0x1000"
	"testdev on"
	"debugcon on"
	"pcimon on"
)

# The guest's checks of the rules on the test device (both machines).
expect_steering() {
	expect '^guest: ok: read= answers 0x5a' "read= answers"
	expect '^guest: ok: read= never reached the device' "read= leaves the device alone"
	expect '^guest: ok: a write where read= matches reads only reaches the device' "direction condition"
	expect '^guest: ok: write=drop on value 0x66 only' "value condition and write=drop"
	expect '^guest: ok: the value-conditioned rule hit exactly once' "value condition counted"
	expect '^guest: ok: write=or:0xf0,and:0x3f turned 0x05 into 0x35' "write=or:,and:"
	expect '^guest: ok: a rule for CPU 1 leaves CPU 0.s accesses alone' "CPU condition"
	expect '^guest: ok: the cpu=1 rule answers CPU 1.s read' "CPU condition, from CPU 1"
	expect '^guest: ok: the count rule saw the 5 writes' "rules compose"
}

esp=$OUT/qemu
esp_new "$esp"
esp_add "$esp" "$BUILD/guest/devtest.efi" EFI/test/devtest.efi
esp_config "$esp" \
	"${RULES[@]}" \
	"trace mmio 0xfed00000+0x400   # HPET registers, not page aligned" \
	"rule port 0x5a0 read=0x11   # clashes with line 2: refused" \
	"rule port 0xfff0+0x20 log   # past 0xFFFF: refused" \
	"deny mmio 0xfe9g0000+4   # not a number: reported, skipped" \
	"deny mmio 0x20000000000+0x1000   # beyond qemu64's 40 address bits: reported, skipped" \
	"deny mmio 0x100000-0xbfffffff   # all RAM, the hypervisor's too: reported, skipped" \
	"trace limit off   # the flood below checks the ring, not the limit" \
	'next \EFI\test\devtest.efi'
"$TOP/test/run-qemu.sh" -s 2 -t 600 -l "$esp.log" "$esp" >/dev/null 2>&1

check_begin "rules, debugcon and PCI monitor on QEMU SVM" "$esp.log"
expect '^iomvisor\[0\]: rule 7 \(line 7\): trace port 0x70-0x71$' "trace rule installed"
expect '^iomvisor\[0\]: rule 1 \(line 1\): deny port 0x5b0\+4$' "deny rule installed"
expect '^iomvisor\[0\]: rule 10 \(line 13\): trace mmio 0xfed00000\+0x400$' "unaligned MMIO trace rule installed"
expect '^iomvisor\[0\] error: line 14: rule port 0x5a0 read=0x11: clashes with line 2 \(rule 2\): both change reads of these ports: not installed$' \
	"a clashing rule refused, naming both lines"
expect 'line 15: port range .0xfff0\+0x20. runs past 0xFFFF: .rule port 0xfff0\+0x20 log .*\(rule skipped\)' \
	"a port range past 0xFFFF refused, saying so"
expect 'line 16: bad address range .*: .deny mmio 0xfe9g0000\+4 .*\(rule skipped\)' "bad rule reported with its line"
expect '^iomvisor\[0\] error: line 17: deny mmio 0x20000000000\+0x1000: 0x20000000000-0x20000000fff is beyond the 40-bit physical address space: not installed$' \
	"a rule beyond the address space refused"
expect '^iomvisor\[0\] error: line 18: deny mmio 0x100000-0xbfffffff: 0x100000-0xbfffffff overlaps the hypervisor.s own memory: not installed$' \
	"a rule over the hypervisor's memory refused"
expect_steering
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
	"${RULES[@]}" \
	"trace limit off   # the flood below checks the ring, not the limit" \
	'next \EFI\test\devtest.efi no-hpet'
"$TOP/test/run-bochs.sh" -c corei7_skylake_x -n 2 -t 1200 -l "$esp.log" "$esp" >/dev/null 2>&1
check_begin "rules, debugcon and PCI monitor on Bochs VMX" "$esp.log"
expect '^iomvisor\[0\]: hypervisor: vmx backend ready' "VMX backend started"
expect_steering
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
