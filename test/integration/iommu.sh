#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# DMA containment (hv/iommu/): a test guest (test/guest/dmatest/) programs
# QEMU's edu PCI device to DMA to and from its own RAM (must work) and to and
# from the hypervisor's image and pool (must be blocked), tries to switch the
# IOMMU off through its registers, with the CPU (must be dropped) and by DMA
# over them (must be blocked: without the hole in the map, QEMU's amd-iommu
# is switched off that way and the next check sees the hypervisor's image),
# and checks that the hypervisor still answers. On QEMU TCG (AMD SVM CPU) with an Intel VT-d
# (intel-iommu) and with an AMD-Vi (amd-iommu) IOMMU; and without one, where
# the hypervisor must say that DMA is not contained and the same guest shows
# that its read check does catch a leak. Then Debian Linux with two CPUs under
# each IOMMU: it must not see the IOMMU's table, and its virtio RNG, whose
# DMA goes through the IOMMU (iommu_platform=on makes QEMU's virtio device
# translate its accesses; QEMU allows it on a modern-only device), must work
# through the identity map.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/test/lib/esp.sh"
. "$TOP/test/lib/check.sh"
OUT=${TEST_OUT:-$TOP/build/test-out}/iommu
mkdir -p "$OUT"

# edu clamps DMA addresses to 28 bits by default; the hypervisor's memory may
# lie above. The IOMMU comes first so that it sees every PCI device.
EDU=(-device edu,dma_mask=0xffffffffffffffff)

dmatest() { # dmatest NAME OPTIONS QEMU-ARGS...
	local esp=$OUT/$1 opts=$2
	shift 2
	esp_new "$esp"
	esp_add "$esp" "$BUILD/guest/dmatest.efi" EFI/test/dmatest.efi
	esp_config "$esp" "next \\EFI\\test\\dmatest.efi $opts"
	"$TOP/test/run-qemu.sh" -t 300 -l "$esp.log" "$esp" -- "$@" >/dev/null 2>&1
}

# The guest's own report, and what it names: the edu's address and the
# hypervisor's addresses it aimed at.
expect_guest_contained() {
	expect '^guest: ok: DMA to and from the guest.s own RAM works at first' "DMA to the guest's RAM"
	expect '^guest: ok: the ACPI tables list no DMAR and no IVRS$' "IOMMU table hidden"
	expect '^guest: ok: DMA from the hypervisor.s image is blocked' "read of the hypervisor's image blocked"
	expect '^guest: ok: the hypervisor answers 1000 hypercalls after it$' "hypervisor alive after the write"
	expect '^guest: ok: DMA to and from the guest.s own RAM works afterwards' "DMA to the guest's RAM afterwards"
	expect_not '^guest: FAIL' "failed guest checks"
	expect_not 'PANIC|DMA is not contained' "panic, or containment off"
	expect '^iomvisor-test: PASS$' "guest verdict"
}

guest_value() { # guest_value SED-EXPRESSION: from the plain log
	sed -n "$1" "$case_log.txt" | head -1
}

case_vtd() {
	dmatest vtd "" -device intel-iommu "${EDU[@]}"
	check_begin "DMA containment with VT-d on QEMU TCG (SVM)" "$OUT/vtd.log"
	expect '^iomvisor\[0\]: iommu: vt-d unit 0 at 0xfed90000: .*\(queued invalidation\)$' "VT-d unit found"
	expect '^iomvisor\[0\]: iommu: VT-d: 1 of 1 units translating .*DMAR hidden from the guest$' "translation on"
	expect '^guest: ok: VT-d global status reads all off \(0x0\)$' "registers read as off"
	expect '^iomvisor\[0\] warn: iommu: cpu 0 wrote 0x0 to vt-d unit 0 register 0x18: dropped$' "GCMD write dropped"
	expect_guest_contained
	# The fault records name the device and the exact pages the guest aimed at.
	local bdf image pool
	bdf=$(guest_value 's/^guest: dma: edu is \([0-9a-f:.]*\)$/\1/p')
	image=$(guest_value 's/^guest: dma: reading \(0x[0-9a-f]*\) .*/\1/p')
	pool=$(guest_value 's/^guest: dma: writing \(0x[0-9a-f]*\) .*/\1/p')
	expect "^iomvisor\[0\] warn: iommu: DMA from ${bdf:-none} to ${image:-none} blocked \(read, fault reason 6\)$" "blocked read logged"
	expect "^iomvisor\[0\] warn: iommu: DMA from ${bdf:-none} to ${pool:-none} blocked \(write, fault reason 5\)$" "blocked write logged"
	expect "^iomvisor\[0\] warn: iommu: DMA from ${bdf:-none} to 0xfed90000 blocked \(write, fault reason 5\)$" "DMA over the registers blocked"
	check_end
}

# QEMU 7.2's amd-iommu blocks DMA without writing any event to its log
# (docs/emulators.md), so no "blocked" line can be asserted here; the guest's
# checks show the DMA was blocked.
case_amdvi() {
	dmatest amdvi "" -device amd-iommu "${EDU[@]}"
	check_begin "DMA containment with AMD-Vi on QEMU TCG (SVM)" "$OUT/amdvi.log"
	expect '^iomvisor\[0\]: iommu: amd-vi unit 0 at 0xfed80000: ' "AMD-Vi IOMMU found"
	expect '^iomvisor\[0\]: iommu: AMD-Vi: 1 of 1 IOMMUs translating .*IVRS hidden from the guest$' "translation on"
	expect '^guest: ok: AMD-Vi control register reads all off \(0x0\)$' "registers read as off"
	expect '^iomvisor\[0\] warn: iommu: cpu 0 wrote 0x0 to amd-vi unit 0 register 0x18: dropped$' "control write dropped"
	expect_guest_contained
	check_end
}

case_none() {
	dmatest none noiommu "${EDU[@]}"
	check_begin "No IOMMU: DMA is not contained, and said so (QEMU TCG)" "$OUT/none.log"
	expect '^iomvisor\[0\] warn: iommu: none usable: DMA is not contained' "start-up warning"
	expect '^guest: ok: without an IOMMU the device reads the hypervisor.s image \(4d 5a\)$' "the read check sees the leak"
	expect '^guest: ok: DMA to and from the guest.s own RAM works afterwards' "DMA to the guest's RAM"
	expect_not '^guest: FAIL' "failed guest checks"
	expect '^iomvisor-test: PASS$' "guest verdict"
	check_end
}

case_linux() { # case_linux NAME IOMMU-DEVICE TABLE HIDDEN-TABLE
	local esp=$OUT/linux-$1
	esp_linux "$esp" "panic=-1"
	"$TOP/test/run-qemu.sh" -s 2 -t 300 -l "$esp.log" "$esp" -- -device "$2" \
		-device virtio-rng-pci,disable-legacy=on,iommu_platform=on >/dev/null 2>&1
	check_begin "Debian Linux under iomvisor with $1 on, 2 CPUs (QEMU TCG, SVM)" "$esp.log"
	expect "^iomvisor\[0\]: iommu: .* translating .*$3 hidden from the guest$" "translation on"
	expect "^\[ *[0-9.]+\] ACPI: $4 0x" "Linux sees the renamed table"
	expect_not "^\[ *[0-9.]+\] ACPI: $3 0x" "Linux sees the IOMMU's table"
	expect 'smpboot: Total of 2 processors activated' "Linux started its second CPU"
	expect '^linux-guest: hwrng:( [0-9a-f]{2}){16}$' "virtio RNG read through the IOMMU"
	expect '^linux-guest: powering off$' "powered off"
	expect_not 'DMA from .* blocked' "blocked DMA (Linux never aims at the hypervisor)"
	expect_not 'PANIC|Kernel panic|iomvisor\[[01]\] error' "hypervisor or kernel failure"
	check_end
}

case_vtd
case_amdvi
case_none
if linux_guest_ready "Debian Linux with an IOMMU"; then
	case_linux VT-d intel-iommu DMAR HDMR
	case_linux AMD-Vi amd-iommu IVRS HIVR
fi
