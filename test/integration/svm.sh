#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# iomvisor takes over the firmware on AMD SVM (QEMU TCG) and the test
# guest checks, from inside, the signature, the test devices through trapped ports
# and MMIO, exact IOM counts, and the hypervisor's memory out of reach.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/test/lib/esp.sh"
. "$TOP/test/lib/check.sh"
OUT=${TEST_OUT:-$TOP/build/test-out}/svm
mkdir -p "$OUT"

# hvtest_esp DIR [GUEST OPTIONS]
hvtest_esp() {
	esp_new "$1"
	esp_add "$1" "$BUILD/guest/hvtest.efi" EFI/test/hvtest.efi
	esp_config "$1" "testdev on" "deny mmio 0x800000000+0x1000" \
		"next \\EFI\\test\\hvtest.efi ${2:-}"
}

expect_hvtest() {
	expect '^iomvisor\[0\]: npt: identity map of [0-9]+ GiB' "nested page tables built"
	expect '^iomvisor\[0\]: testdev: ports 0x5a0-0x5a7, MMIO 0xfe800000-0xfe800fff$' "test devices registered"
	expect "^iomvisor\[0\]: hypervisor: running on CPU 0 \(this message comes from the guest\)$" "boot CPU taken over"
	expect "^guest: ok: CPUID 0x40000000 signature is 'iomvisor'" "signature seen by the guest"
	expect '^guest: ok: deferred write, then deferred read' "deferred port write and read"
	expect '^guest: ok: the IOM counted 8 reads of the range' "exact port counts"
	expect '^guest: ok: misaligned 32-bit load' "MMIO emulation"
	expect '^guest: ok: counted as 3 unclaimed reads and 2 unclaimed writes' "hypervisor memory unreachable"
	expect '^guest: ok: a denied page at 32 GiB reads all ones' "a trap above 4 GiB"
	expect '^guest: ok: plain memory at 48 GiB reads' "plain memory above 4 GiB"
	expect 'error: vcpu 0: cannot emulate the instruction at rip 0x[0-9a-f]+ \(gpa 0xfe800020\), bytes \[0f af 07[0-9a-f ]*\]: #GP to the guest' "unknown instruction logged with bytes, RIP and GPA"
	expect '^guest: ok: an instruction the emulator does not know gets #GP' "unknown instruction faults"
	expect_not '^guest: FAIL' "failed guest checks"
	expect_not 'PANIC' "hypervisor panic"
	expect '^iomvisor-test: PASS$' "guest verdict"
}

case_qemu() {
	local smp=$1 esp=$OUT/qemu-smp$1
	# With more than one CPU the guest also wakes the APs through MP services,
	# which sends them INIT-SIPI-SIPI under the hypervisor (hv/exit/ipi.h).
	hvtest_esp "$esp" "$([ "$smp" -gt 1 ] && echo ap-signature)"
	"$TOP/test/run-qemu.sh" -s "$smp" -t 600 -l "$esp.log" "$esp" >/dev/null 2>&1
	check_begin "SVM test guest on QEMU TCG, $smp CPU(s)" "$esp.log"
	expect_hvtest
	# qemu64 has no 1-GiB pages: the NPT covers 4 GiB at start, the rest on
	# first use (the deny rule's GiB at start, the plain read's then).
	expect '^iomvisor\[0\]: npt: identity map of 4 GiB with 2-MiB pages, the rest on first use' \
		"NPT of 4 GiB at start"
	expect '^iomvisor\[0\]: npt: mapped the GiB at 0xc00000000 on first use' \
		"a GiB mapped when the guest first reached it"
	expect "^guest: ok: iomvisor runs on all $smp CPUs" "every CPU taken over"
	if [ "$smp" -gt 1 ]; then
		expect "^iomvisor\[0\]: hypervisor: $smp of $smp CPUs taken over$" "APs taken over"
		expect "^guest: ok: all $((smp - 1)) application processors see the signature" \
			"APs restarted by INIT-SIPI-SIPI stay virtualized"
	fi
	check_end
}

case_bochs_ryzen() {
	local esp=$OUT/bochs-ryzen
	hvtest_esp "$esp"
	"$TOP/test/run-bochs.sh" -c ryzen -t 1200 -l "$esp.log" "$esp" >/dev/null 2>&1
	check_begin "SVM test guest on Bochs ryzen" "$esp.log"
	expect_hvtest
	check_end
}

case_qemu 1
case_qemu 2
case_bochs_ryzen

# A guest triple fault: logged with the guest's registers, then the machine resets
# (QEMU's -no-reboot turns the reset into an exit).
case_triple_fault() {
	local esp=$OUT/triple
	esp_new "$esp"
	esp_add "$esp" "$BUILD/guest/triple.efi" EFI/test/triple.efi
	esp_config "$esp" 'next \EFI\test\triple.efi'
	"$TOP/test/run-qemu.sh" -t 600 -l "$esp.log" "$esp" >/dev/null 2>&1
	check_begin "guest triple fault on QEMU SVM" "$esp.log"
	expect '^guest: triple fault coming$' "the guest got there"
	expect '^iomvisor\[0\] error: vcpu 0: guest shutdown \(triple fault\) at rip 0x' "shutdown logged"
	expect '^iomvisor\[0\] error:   cs 0038 ss 0030 rflags' "with the guest's state"
	expect '^iomvisor\[0\]: resetting the machine$' "machine reset"
	expect_not 'still running after the triple fault' "guest survived a triple fault"
	check_end
}
case_triple_fault
