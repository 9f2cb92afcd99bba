#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# iomvisor takes over the firmware on AMD SVM (QEMU TCG) and the test
# guest checks, from inside, the signature, the test devices through trapped ports
# and MMIO, exact IOM counts, and the hypervisor's memory out of reach.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/test/lib/esp.sh"
. "$TOP/test/lib/check.sh"
. "$TOP/test/lib/hvtest.sh"
OUT=${TEST_OUT:-$TOP/build/test-out}/svm
mkdir -p "$OUT"

expect_hvtest() {
	expect '^iomvisor\[0\]: npt: identity map of [0-9]+ GiB' "nested page tables built"
	expect_hvtest_common
	expect 'error: vcpu 0: cannot emulate the instruction at rip 0x[0-9a-f]+ \(gpa 0xfe800020\), bytes \[0f af 07[0-9a-f ]*\]: #GP to the guest' "unknown instruction logged with bytes, RIP and GPA"
	expect_not 'PANIC' "hypervisor panic"
}

case_qemu() { # case_qemu SMP [CPU]: CPU is qemu64 (run-qemu.sh's) or max
	local smp=$1 cpu=${2:-} esp=$OUT/qemu-smp$1${2:+-$2}
	# With more than one CPU the guest also wakes the APs through MP services,
	# which sends them INIT-SIPI-SIPI under the hypervisor (hv/exit/ipi.h).
	hvtest_esp "$esp" "$([ "$smp" -gt 1 ] && echo ap-signature)"
	"$TOP/test/run-qemu.sh" ${cpu:+-c "$cpu"} -s "$smp" -t 600 -l "$esp.log" "$esp" >/dev/null 2>&1
	check_begin "SVM test guest on QEMU TCG${cpu:+ -cpu $cpu}, $smp CPU(s)" "$esp.log"
	expect_hvtest
	if [ "$cpu" = max ]; then
		# max has 1-GiB pages (and VGIF): the NPT covers all of the
		# 40-bit physical space from the start.
		expect '^iomvisor\[0\]: svm: .* vgif yes' "VGIF reported"
		expect '^iomvisor\[0\]: npt: identity map of 1024 GiB with 1-GiB pages' \
			"NPT of 1-GiB pages over 1024 GiB"
		expect_not 'npt: mapped the GiB at .* on first use' "a GiB mapped on first use"
	else
		# qemu64 has no 1-GiB pages: the NPT covers 4 GiB at start, the
		# rest on first use (the deny rule's GiB at start, the plain
		# read's then).
		expect '^iomvisor\[0\]: npt: identity map of 4 GiB with 2-MiB pages, the rest on first use' \
			"NPT of 4 GiB at start"
		expect '^iomvisor\[0\]: npt: mapped the GiB at 0xc00000000 on first use' \
			"a GiB mapped when the guest first reached it"
	fi
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
# What TCG has of a current CPU (XSAVE, AVX, VGIF, 1-GiB pages).
case_qemu 2 max
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
