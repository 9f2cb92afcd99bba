#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# iomvisor takes over the firmware on Intel VMX (Bochs) and the same test
# guest as on SVM checks, from inside, the signature, the test devices through
# trapped ports (I/O bitmaps) and MMIO (EPT misconfigurations), exact IOM counts,
# and the hypervisor's memory out of reach (EPT violations).
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/test/lib/esp.sh"
. "$TOP/test/lib/check.sh"
. "$TOP/test/lib/hvtest.sh"
OUT=${TEST_OUT:-$TOP/build/test-out}/vmx
mkdir -p "$OUT"

expect_hvtest() {
	expect '^iomvisor\[0\]: mtrr: enabled' "MTRRs read for the EPT memory types"
	expect '^iomvisor\[0\]: ept: identity map of [0-9]+ GiB' "extended page tables built"
	expect '^iomvisor\[0\]: hypervisor: vmx backend ready' "VMX backend chosen"
	expect_hvtest_common
	expect_not 'PANIC|VM entry failed' "hypervisor panic"
}

# case_bochs MODEL CPUS
case_bochs() {
	local model=$1 n=$2 esp=$OUT/bochs-$1-smp$2
	# With more than one CPU the guest also wakes the APs through MP services,
	# which sends them INIT-SIPI-SIPI under the hypervisor (hv/exit/ipi.h).
	hvtest_esp "$esp" "$([ "$n" -gt 1 ] && echo ap-signature)"
	"$TOP/test/run-bochs.sh" -c "$model" -n "$n" -t 1200 -l "$esp.log" "$esp" >/dev/null 2>&1
	check_begin "VMX test guest on Bochs $model, $n CPU(s)" "$esp.log"
	expect_hvtest
	if [ "$model" = corei7_sandy_bridge_2600k ]; then
		# No 1-GiB EPT pages: 4 GiB at start, the rest on first use.
		expect '^iomvisor\[0\]: ept: identity map of 4 GiB .*, the rest on first use' \
			"EPT of 4 GiB at start"
		expect '^iomvisor\[0\]: ept: mapped the GiB at 0xc00000000 on first use' \
			"a GiB mapped when the guest first reached it"
	fi
	expect "^guest: ok: iomvisor runs on all $n CPUs" "every CPU taken over"
	if [ "$n" -gt 1 ]; then
		expect "^iomvisor\[0\]: hypervisor: $n of $n CPUs taken over$" "APs taken over"
		expect "^guest: ok: all $((n - 1)) application processors see the signature" \
			"APs restarted by INIT-SIPI-SIPI stay virtualized"
	fi
	check_end
}

case_bochs corei7_skylake_x 1
case_bochs corei7_skylake_x 2
# An older EPT model: no 1-GiB pages, no EPT A/D bits.
case_bochs corei7_sandy_bridge_2600k 1

# Firmware that locked VMX off (IA32_FEATURE_CONTROL locked with neither VMX
# bit, test/guest/lockvmx, which then starts iomvisor): iomvisor says why and
# chain-loads its next image on the bare machine.
case_locked_off() {
	local esp=$OUT/bochs-vmx-locked-off
	esp_new "$esp"
	mv "$esp/EFI/BOOT/BOOTX64.EFI" "$esp/EFI/iomvisor/iomvisor.efi"
	esp_add "$esp" "$BUILD/guest/lockvmx.efi" EFI/BOOT/BOOTX64.EFI
	esp_add "$esp" "$BUILD/guest/hello.efi" EFI/test/hello.efi
	esp_config "$esp" 'next \EFI\test\hello.efi locked=off'
	"$TOP/test/run-bochs.sh" -c corei7_skylake_x -t 1200 -l "$esp.log" "$esp" >/dev/null 2>&1
	check_begin "VMX locked off by firmware: the next image boots without the hypervisor" \
		"$esp.log"
	expect '^lockvmx: IA32_FEATURE_CONTROL was 0x0, now 0x1$' "firmware stand-in locked VMX off"
	expect 'vmx firmware: IA32_FEATURE_CONTROL=0x1, locked off \(VMX disabled by firmware\)' \
		"banner reports VMX locked off"
	expect 'vmx: disabled by firmware \(IA32_FEATURE_CONTROL 0x1 locked without VMX outside SMX\): booting without the hypervisor' \
		"the reason is logged"
	expect_not 'backend ready' "no backend started"
	expect "^guest: hello from the chain-loaded image, options 'locked=off'$" \
		"next image started"
	expect_not 'PANIC' "hypervisor panic"
	expect '^iomvisor-test: PASS$' "guest verdict"
	check_end
}
case_locked_off

# Debian Linux under iomvisor on Bochs VMX. Bochs with OVMF lists only the boot
# CPU in its ACPI tables, so Linux runs one CPU there (SMP is covered on QEMU and
# by the test guest above); and Linux cannot power Bochs off, so the run ends at
# the init's last line.
case_linux() {
	local esp=$OUT/linux
	linux_guest_ready "Debian Linux under iomvisor on Bochs VMX" || return
	esp_linux "$esp" "panic=-1" "trace port 0x70-0x71"
	"$TOP/test/run-bochs.sh" -c corei7_skylake_x -t 1800 -e '^linux-guest: powering off' \
		-l "$esp.log" "$esp" >/dev/null 2>&1
	check_begin "Debian Linux under iomvisor on Bochs VMX" "$esp.log"
	expect '^iomvisor\[0\]: hypervisor: vmx backend ready' "VMX backend started"
	expect '^linux-guest: userspace up$' "reached userspace"
	expect '^linux-guest: cpus with the hypervisor flag: 1$' "the CPU reports the hypervisor"
	expect '^iomvisor\[0\]: trace: cpu0 tsc=[0-9]+ rip=ffffffff[0-9a-f]+ rule=[0-9]+ in 0x71 size=1 -> 0x[0-9a-f]{2}  cmos ' "CMOS reads traced and decoded"
	expect '^linux-guest: powering off$' "init finished"
	expect_not 'PANIC|Kernel panic' "hypervisor or kernel failure"
	check_end
}
case_linux
