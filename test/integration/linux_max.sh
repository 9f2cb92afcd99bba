#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Debian Linux under iomvisor on a QEMU machine like a current one: TCG's
# -cpu max (XSAVE, AVX, VGIF, 1-GiB pages) with 4 CPUs, 2 GiB of RAM, and
# virtio disk, network and RNG devices. The init's hardware report
# (scripts/linux-guest.sh, linux-guest.hw) must show all 4 CPUs online, the
# CPU features, the memory, 1-GiB huge pages offered, the disk's pattern read
# back (the test writes it) and the guest's own sector written through to the
# image, a DHCP address on the NIC from QEMU's user network, and bytes from the
# hardware RNG. Not here: x2APIC, which QEMU 7.2's TCG does not emulate
# (docs/emulators.md).
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/test/lib/esp.sh"
. "$TOP/test/lib/check.sh"
OUT=${TEST_OUT:-$TOP/build/test-out}/linux_max
mkdir -p "$OUT"

linux_guest_ready "Debian Linux under iomvisor on QEMU -cpu max" || exit 0

# The disk: 4 MiB, every 512-byte sector naming itself, so that a sector read
# from the wrong place changes the checksum.
disk=$OUT/disk.img
awk 'BEGIN { for (i = 0; i < 8192; i++) printf "%-511s\n", "iomvisor test disk, sector " i }' >"$disk"
disk_md5=$(md5sum <"$disk" | cut -d' ' -f1)

esp=$OUT/esp
esp_linux "$esp" "panic=-1 linux-guest.hw"
"$TOP/test/run-qemu.sh" -c max,+pdpe1gb -s 4 -m 2048 -t 900 -l "$esp.log" "$esp" -- \
	-drive file="$disk",format=raw,if=none,id=vd0 -device virtio-blk-pci,drive=vd0 \
	-netdev user,id=n0 -device virtio-net-pci,netdev=n0,romfile= \
	-device virtio-rng-pci >/dev/null 2>&1

check_begin "Debian Linux under iomvisor on QEMU -cpu max, 4 CPUs, 2 GiB, virtio" "$esp.log"
expect '^iomvisor\[0\]: svm: yes, npt yes, .*vgif yes' "SVM with NPT and VGIF"
expect '^iomvisor\[0\]: hypervisor: 4 of 4 CPUs taken over$' "all 4 CPUs taken over"
expect '^iomvisor\[0\]: npt: identity map of [0-9]+ GiB with 1-GiB pages' "nested page tables of 1-GiB pages"
expect 'smpboot: Total of 4 processors activated' "Linux started its 3 other CPUs (INIT-SIPI under the hypervisor)"
expect '^linux-guest: userspace up$' "reached userspace"
expect '^linux-guest: cpus online 0-3$' "4 CPUs online"
expect '^linux-guest: cpus with the hypervisor flag: 4$' "every CPU under the hypervisor (CPUID)"
for f in pdpe1gb avx xsave; do
	expect "^linux-guest: cpu flag $f\$" "CPUID: $f"
done
expect 'APIC: Switch to symmetric I/O mode setup' "Linux routes interrupts through the IOAPIC"
# 2 GiB less what the firmware, the kernel and the hypervisor keep.
mem=$(sed -n 's/^linux-guest: MemTotal: *\([0-9]*\) kB$/\1/p' "$case_log.txt")
if [ -z "$mem" ] || [ "$mem" -lt 1800000 ] || [ "$mem" -gt 2097152 ]; then
	echo "  $case_name: MemTotal ${mem:-missing} kB, expected near 2 GiB"
	case_failures=$((case_failures + 1))
fi
expect '^linux-guest: huge pages 1048576kB$' "1-GiB huge pages offered (the CPU's 1-GiB pages)"
expect "^linux-guest: vda 8192 sectors, md5 $disk_md5\$" "virtio disk read back the test's pattern"
expect '^linux-guest: vda sector 8 reads back: linux-guest wrote this through virtio-blk$' "the guest's write read back"
if ! dd if="$disk" bs=512 skip=8 count=1 2>/dev/null | grep -q '^linux-guest wrote this through virtio-blk'; then
	echo "  $case_name: the guest's sector did not reach the disk image"
	case_failures=$((case_failures + 1))
fi
expect '^linux-guest: eth0 address 10\.0\.2\.[0-9]+/24$' "a DHCP address on the virtio NIC"
expect '^linux-guest: hwrng:( [0-9a-f]{2}){16}$' "the virtio RNG read"
expect '^linux-guest: powering off$' "powered off"
expect_not 'PANIC|Kernel panic|iomvisor\[[0-3]\] error|Call Trace' "hypervisor or kernel failure"
check_end
