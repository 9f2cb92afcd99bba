#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The Bochs matrix's Linux run (test/matrix.sh): Debian Linux with CPUS CPUs
# under iomvisor on Bochs MODEL (VMX).
#
#   test/matrix_linux.sh MODEL CPUS
#
# OVMF publishes no ACPI tables under Bochs (it builds them from QEMU's
# fw_cfg, which Bochs lacks), and Linux without a MADT or MP table runs on the
# boot CPU alone (docs/emulators.md). The test guest acpimadt
# (test/guest/acpimadt/) stands in for the firmware: it lists the CPUs the
# firmware's MP services found in a MADT, then starts the kernel. Linux must
# start the other CPUs itself (INIT-SIPI-SIPI from the kernel, under VMX), see
# the hypervisor bit on all of them, and reach userspace. 512 MiB: with two
# CPUs and the runner's 256, the kernel never printed its first line.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/test/lib/esp.sh"
. "$TOP/test/lib/check.sh"
model=${1:?usage: matrix_linux.sh MODEL CPUS} n=${2:?usage: matrix_linux.sh MODEL CPUS}
OUT=${TEST_OUT:-$TOP/build/test-out}/matrix
mkdir -p "$OUT"
name="Bochs $model, $n CPUs (vmx): Debian Linux"

linux_guest_ready "$name" || exit 0

esp=$OUT/$model-smp$n-linux
esp_new "$esp"
esp_add "$esp" "$BUILD/guest/acpimadt.efi" EFI/test/acpimadt.efi
esp_add "$esp" "$BUILD/linux/vmlinuz" EFI/linux/vmlinuz
esp_add "$esp" "$BUILD/linux/initrd.img" EFI/linux/initrd.img
esp_config "$esp" \
	"next \\EFI\\test\\acpimadt.efi \\EFI\\linux\\vmlinuz console=ttyS0 initrd=\\EFI\\linux\\initrd.img panic=-1"
"$TOP/test/run-bochs.sh" -c "$model" -n "$n" -m 512 -t 2400 \
	-e '^linux-guest: powering off|Kernel panic' -l "$esp.log" "$esp" >/dev/null 2>&1

ids=$(seq -s ' ' 0 $((n - 1)))
check_begin "$name" "$esp.log"
expect '^iomvisor\[0\]: hypervisor: vmx backend ready' "VMX backend started"
expect "^iomvisor\\[0\\]: hypervisor: $n of $n CPUs taken over\$" "every CPU taken over"
expect "^acpimadt: MADT with $n CPUs \\(APIC IDs $ids\\), I/O APIC [0-9]+, RSDP at 0x" "the MADT lists every CPU"
expect 'ACPI: APIC 0x[0-9A-F]+ [0-9A-F]+ \(v03 IOMVSR TESTMADT' "Linux found the MADT"
expect "smpboot: Total of $n processors activated" "Linux started the other CPUs (INIT-SIPI under VMX)"
expect '^linux-guest: userspace up$' "reached userspace"
expect "^linux-guest: nproc=$n\$" "nproc = $n"
expect "^linux-guest: cpus with the hypervisor flag: $n\$" "every CPU reports the hypervisor (CPUID)"
expect '^linux-guest: powering off$' "init finished"
expect_not 'PANIC|Kernel panic|iomvisor\[[0-9]+\] error' "hypervisor or kernel failure"
check_end
