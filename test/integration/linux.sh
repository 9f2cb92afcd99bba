#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Debian's own kernel with a busybox initramfs, chain-loaded by iomvisor
# under QEMU TCG with two CPUs (AMD SVM), reaches userspace, sees both CPUs and
# powers off; the CMOS/RTC ports are traced through the IOM while Linux runs.
# A virtio RNG whose registers the firmware puts in a 64-bit BAR above 4 GiB,
# beyond the nested page tables built at start (QEMU's CPU has no 1-GiB pages):
# its GiB is mapped when Linux's driver first touches it, and the driver reads
# random bytes from the device. A second virtio RNG at 00:06.0 is hidden by a
# rule (hide pci): Linux, which enumerates through ECAM on q35, never sees it.
# While the kernel prints its boot messages, a script enters the debug console:
# both vCPUs stop (in the kernel) before the prompt, no kernel line comes out
# until 'continue', and Linux goes on to userspace without ever seeing the
# console's NMI. Then the same kernel through systemd-boot, where nothing hides
# the second RNG.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/test/lib/esp.sh"
. "$TOP/test/lib/check.sh"
OUT=${TEST_OUT:-$TOP/build/test-out}/linux
mkdir -p "$OUT"

linux_guest_ready "Linux guest" || exit 0

esp=$OUT/esp
esp_linux "$esp" "panic=-1" "trace port 0x70-0x71" "trace port 0x40-0x43" "hide pci 00:06.0"
cat >"$OUT/console-script" <<'SCRIPT'
wait 600 smp: Brought up
send \x1d\x1d
wait debug console: active
send cpus\r
wait ^vcpu +apic
send regs 1\r
wait ^pending:
send rip 1\r
wait ^vcpu 1 rip
send continue\r
SCRIPT
"$TOP/test/run-qemu.sh" -s 2 -t 900 -l "$esp.log" -S "$OUT/console-script" "$esp" \
	-- -device virtio-rng-pci,addr=0x5 -device virtio-rng-pci,addr=0x6 >/dev/null 2>&1

check_begin "Debian Linux under iomvisor on QEMU SVM, 2 CPUs" "$esp.log"
expect '^iomvisor\[0\]: hypervisor: 2 of 2 CPUs taken over$' "both CPUs taken over"
expect '^iomvisor\[0\]: rule 1 \(line 1\): trace port 0x70-0x71$' "RTC ports traced"
expect '^iomvisor\[0\]: rule 2 \(line 2\): trace port 0x40-0x43$' "PIT ports traced"
expect '^iomvisor\[0\]: rules: ECAM at 0x[0-9a-f]+, buses ' "the ECAM window found in ACPI MCFG"
expect '^iomvisor\[0\]: rule 3 \(line 3\): hide pci 00:06.0$' "hide pci rule installed"
expect '^linux-guest: pci:.*0000:00:05\.0' "the visible virtio RNG enumerated"
expect_not '^linux-guest: pci:.*0000:00:06\.0' "the hidden virtio RNG enumerated"
# Kernel messages and the init's lines reach the console through the virtual
# UART (the guest's COM1 is trapped; Linux's 8250 driver finds a 16550A there).
expect '^iomvisor\[0\]: vuart: ' "virtual UART installed"
expect '^\[ *[0-9.]+\] Linux version 6\.' "kernel messages on the console"
expect 'ttyS0 at I/O 0x3f8 .* is a 16550A' "Linux's 8250 driver accepts the virtual UART"
expect 'smpboot: Total of 2 processors activated' "Linux started its second CPU (INIT-SIPI under the hypervisor)"
expect '^linux-guest: userspace up$' "reached userspace"
expect '^linux-guest: nproc=2$' "nproc = 2"
expect '^linux-guest: cpus with the hypervisor flag: 2$' "both CPUs report the hypervisor (CPUID)"
expect '^linux-guest: rtc [A-Z][a-z]{2} ' "hwclock read the RTC"
expect '^iomvisor\[0\]: npt: identity map of 4 GiB with 2-MiB pages, the rest on first use' \
	"nested page tables cover 4 GiB at start"
expect '^linux-guest: virtio-rng BAR4 at 0x0*[1-9a-f][0-9a-f]{8,}$' "virtio BAR above 4 GiB"
expect '^iomvisor\[[01]\]: npt: mapped the GiB at 0x0*[1-9a-f][0-9a-f]{8,} on first use' \
	"its GiB mapped on first use"
expect '^linux-guest: hwrng:( [0-9a-f]{2}){16}$' "Linux's virtio driver read the RNG through that BAR"
# No end anchor: the kernel's own console lines (a late TSC calibration,
# say) may be printed on the rest of that line, as it was seen once.
expect '^linux-guest: powering off' "powered off"
# CMOS index writes and data reads from Linux (kernel addresses), through the IOM.
expect '^iomvisor\[[01]\]: trace: cpu[01] tsc=[0-9]+ rip=ffffffff[0-9a-f]+ rule=[0-9]+ out 0x70 size=1 <- 0x[0-9a-f]{2}  cmos index = 0x[0-9a-f]{2} \(' "CMOS index writes traced and decoded"
expect '^iomvisor\[[01]\]: trace: cpu[01] tsc=[0-9]+ rip=ffffffff[0-9a-f]+ rule=[0-9]+ in 0x71 size=1 -> 0x[0-9a-f]{2}  cmos (seconds|minutes|hours|status A) = ' "CMOS data reads traced and decoded"
expect '^iomvisor\[[01]\]: trace: cpu[01] tsc=[0-9]+ rip=ffffffff[0-9a-f]+ rule=[0-9]+ out 0x4[0-3] size=1 <- 0x[0-9a-f]{2}  pit (control|channel)' "PIT programming traced and decoded"
expect_not 'PANIC|Kernel panic|iomvisor\[[01]\] error' "hypervisor or kernel failure"
expect_script_done "$esp.log.script"
expect '^iomvisor\[[01]\]: debug console: active on cpu [01], 2 of 2 vCPUs stopped;' \
	"the console stopped both vCPUs while Linux booted"
expect_count 2 '^ +[01] +[01] +stopped +[0-9]+ +0xffffffff[0-9a-f]+ \(console\)$' \
	"cpus: both vCPUs stopped in the kernel"
expect '^vcpu 1, stopped \(console\), cpl 0, 64-bit code$' "regs: the second vCPU"
expect '^vcpu 1 rip ffffffff[0-9a-f]+:( [0-9a-f]{2}){1,15}' "rip: the second vCPU's instruction bytes"
expect_not '^vcpu 1 rip .{70,}' "rip: a line wider than 80 columns"
awk '/debug console: active on cpu/ { on = 1 } on; /debug console: left/ { on = 0 }' \
	"$esp.log.txt" >"$esp.log.console.txt"
if grep -Eq '^\[ *[0-9]+\.[0-9]+\]' "$esp.log.console.txt"; then
	echo "  $case_name: a kernel line inside the debug console"
	case_failures=$((case_failures + 1))
fi
expect_not 'NMI received for unknown reason|Uhhuh' "the console's NMI reached Linux"
check_end

# The same kernel through a boot manager: iomvisor chain-loads Debian's
# systemd-boot, which reads its loader entry and starts Linux. The hypervisor
# stays underneath through both hand-overs and ExitBootServices.
if ! bash "$TOP/scripts/debian-file.sh" systemd-boot-efi \
	usr/lib/systemd/boot/efi/systemd-bootx64.efi >"$OUT/get.out" 2>&1; then
	echo "FAIL: Debian Linux through systemd-boot under iomvisor: could not get it (see $OUT/get.out)"
	exit 0
fi
esp=$OUT/esp-sdboot
esp_new "$esp"
esp_add "$esp" "$BUILD/debian/systemd-bootx64.efi" EFI/systemd/systemd-bootx64.efi
esp_add "$esp" "$BUILD/linux/vmlinuz" EFI/linux/vmlinuz
esp_add "$esp" "$BUILD/linux/initrd.img" EFI/linux/initrd.img
esp_config "$esp" "trace port 0x70-0x71" 'next \EFI\systemd\systemd-bootx64.efi'
mkdir -p "$esp/loader/entries"
printf 'default debian.conf\ntimeout 0\n' >"$esp/loader/loader.conf"
printf '%s\n' "title Debian" "linux /EFI/linux/vmlinuz" "initrd /EFI/linux/initrd.img" \
	"options console=ttyS0 panic=-1" >"$esp/loader/entries/debian.conf"
"$TOP/test/run-qemu.sh" -t 900 -l "$esp.log" "$esp" -- -device virtio-rng-pci,addr=0x6 >/dev/null 2>&1

check_begin "Debian Linux through systemd-boot under iomvisor" "$esp.log"
expect '^linux-guest: pci:.*0000:00:06\.0' "without the rule, the virtio RNG at 00:06.0 is enumerated"
expect "^iomvisor\[0\]: starting '.EFI.systemd.systemd-bootx64.efi'" "systemd-boot chain-loaded"
expect '^\[ *[0-9.]+\] Command line: .*console=ttyS0 panic=-1' "Linux started by systemd-boot"
expect '^linux-guest: userspace up$' "reached userspace"
expect '^linux-guest: cpus with the hypervisor flag: 1$' "still under the hypervisor (CPUID)"
expect '^iomvisor\[0\]: trace: cpu0 tsc=[0-9]+ rip=ffffffff[0-9a-f]+ rule=[0-9]+ in 0x71 size=1 ' \
	"Linux's CMOS reads trapped and traced"
expect '^linux-guest: powering off' "powered off"
expect_not 'PANIC|Kernel panic|iomvisor\[0\] error' "hypervisor or kernel failure"
check_end
