# SPDX-License-Identifier: GPL-2.0-only
# The test guest hvtest under iomvisor: its ESP and the guest's own checks,
# shared by the VMX, SVM and model-matrix tests. Sourced after esp.sh and check.sh.
#
# hvtest_esp DIR [GUEST OPTIONS]   an ESP that starts hvtest with the test devices
#                                  and a deny rule at 32 GiB (test/guest/hvtest/high.c)
# expect_hvtest_common             what every backend shows: the test devices, the
#                                  boot CPU taken over, the guest's checks

hvtest_esp() {
	esp_new "$1"
	esp_add "$1" "$BUILD/guest/hvtest.efi" EFI/test/hvtest.efi
	esp_config "$1" "testdev on" "deny mmio 0x800000000+0x1000" \
		"next \\EFI\\test\\hvtest.efi ${2:-}"
}

expect_hvtest_common() {
	expect '^iomvisor\[0\]: testdev: ports 0x5a0-0x5a7, MMIO 0xfe800000-0xfe800fff$' "test devices registered"
	expect '^iomvisor\[0\]: hypervisor: running on CPU 0 \(this message comes from the guest\)$' \
		"boot CPU taken over"
	expect "^guest: ok: CPUID 0x40000000 signature is 'iomvisor'" "signature seen by the guest"
	expect '^guest: ok: SVM and VMX are hidden from the guest' "SVM and VMX hidden"
	expect '^guest: ok: deferred write, then deferred read' "deferred port write and read"
	expect '^guest: ok: the IOM counted 8 reads of the range' "exact port counts"
	expect '^guest: ok: misaligned 32-bit load' "MMIO emulation"
	expect '^guest: ok: counted as 3 unclaimed reads and 2 unclaimed writes' "hypervisor memory unreachable"
	expect '^guest: ok: a denied page at 32 GiB reads all ones' "a trap above 4 GiB"
	expect '^guest: ok: plain memory at 48 GiB reads' "plain memory above 4 GiB"
	expect '^guest: ok: an instruction the emulator does not know gets #GP' "unknown instruction faults"
	expect_not '^guest: FAIL' "failed guest checks"
	expect '^iomvisor-test: PASS$' "guest verdict"
}
