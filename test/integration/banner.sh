#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The image boots on both vendors' emulators, prints a correct banner,
# reports a bad configuration line and still chain-loads the next image with its
# options; load options override the file.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/test/lib/esp.sh"
. "$TOP/test/lib/check.sh"
OUT=${TEST_OUT:-$TOP/build/test-out}/banner
mkdir -p "$OUT"
version=$(cd "$TOP" && git describe --always --dirty --tags 2>/dev/null || echo unknown)

make_esp() {
	esp_new "$1"
	esp_add "$1" "$BUILD/guest/hello.efi" EFI/test/hello.efi
	esp_config "$1" \
		"# banner test configuration" \
		"log info" \
		"" \
		"uart com1   # the console stays on COM1" \
		"frobnicate 0x80" \
		'next \EFI\test\hello.efi from=config "two words"'
}

# Lines every banner has, whatever the CPU.
expect_common() {
	expect "^iomvisor\[0\]: iomvisor $version, I/O monitor hypervisor$" "version line"
	expect "line 5: unknown setting: 'frobnicate 0x80' \(rule skipped\)" "bad rule reported with its line"
	expect "^iomvisor\[0\]: cpus: $1 logical, $1 enabled$" "$1 logical CPU(s)"
	expect "^iomvisor\[0\]: memory: [0-9]+ MiB usable" "memory-map summary"
	expect "hypervisor memory: [0-9]+ KiB of runtime memory at 0x[0-9a-f]+ for $1 CPUs" \
		"runtime memory pool sized for $1 CPU(s)"
	expect "hypervisor memory: pool [0-9]+ KiB, [0-9]+ KiB in use, peak [0-9]+ KiB \(all CPUs taken over\)" \
		"pool's peak use reported at start-up"
	expect "^guest: hello from the chain-loaded image, options 'from=config \"two words\"'$" \
		"next image started with its options"
	expect "^iomvisor-test: PASS$" "guest verdict"
}

qemu_case() {
	local name=$1 smp=$2
	make_esp "$OUT/$name"
	"$TOP/test/run-qemu.sh" -s "$smp" -t 600 -l "$OUT/$name.log" "$OUT/$name" >/dev/null 2>&1
	check_begin "banner on QEMU TCG (AMD SVM+NPT, $smp CPU)" "$OUT/$name.log"
	expect '^iomvisor\[0\]: cpu: AuthenticAMD family 0xf model 0x6b' "AMD vendor and model"
	expect '^iomvisor\[0\]: vmx: no$' "no VMX on AMD"
	# TCG's SVM: NPT but no NRIP save, decode assists or clean bits, 16 ASIDs
	# (docs/emulators.md).
	expect '^iomvisor\[0\]: svm: yes, npt yes, nrip-save no, decode-assists no, vmcb-clean no, vgif no, asids 16, revision 1$' "SVM features"
	expect '^iomvisor\[0\]: svm firmware: VM_CR=0x0, SVM enabled, unlocked$' "VM_CR state"
	expect_common "$smp"
	check_end
}

bochs_case() {
	local name=$1 model=$2
	shift 2
	make_esp "$OUT/$name"
	"$TOP/test/run-bochs.sh" -c "$model" -t 1200 -l "$OUT/$name.log" "$OUT/$name" >/dev/null 2>&1
	check_begin "banner on Bochs $model" "$OUT/$name.log"
	"$@"
	expect_common 1
	check_end
}

bochs_intel() {
	expect '^iomvisor\[0\]: cpu: GenuineIntel family 0x6 model 0x55' "Intel Skylake-X vendor and model"
	expect '^iomvisor\[0\]: vmx: yes, ept yes \(wb yes, uc yes, 2m yes, 1g yes, misconfig-trap yes\), unrestricted-guest yes, vpid yes, vmcs-revision 0x2b, true-ctls yes, ins-outs-info yes$' "VMX features"
	expect '^iomvisor\[0\]: vmx firmware: IA32_FEATURE_CONTROL=0x0, unlocked' "IA32_FEATURE_CONTROL state"
	expect '^iomvisor\[0\]: svm: no$' "no SVM on Intel"
}

bochs_amd() {
	expect '^iomvisor\[0\]: cpu: AuthenticAMD family 0x17' "AMD Zen vendor and family"
	expect '^iomvisor\[0\]: vmx: no$' "no VMX on AMD"
	expect '^iomvisor\[0\]: svm: yes, npt yes, ' "SVM with NPT"
	expect '^iomvisor\[0\]: svm firmware: VM_CR=0x[0-9a-f]+, SVM enabled' "VM_CR state"
}

# Load options: a first iomvisor chain-loads a second copy with options that name
# another configuration file, override its log level and the next image, and
# include an unknown key.
options_case() {
	local esp=$OUT/options
	make_esp "$esp"
	esp_add "$esp" "$BUILD/iomvisor.efi" EFI/iomvisor/second.efi
	printf '%s\n' 'log error' 'next \EFI\test\nothere.efi' >"$esp/EFI/iomvisor/second.cfg"
	esp_config "$esp" \
		'next \EFI\iomvisor\second.efi config=\EFI\iomvisor\second.cfg log=info colour=blue next=\EFI\test\hello.efi passed=on'
	"$TOP/test/run-qemu.sh" -t 600 -l "$esp.log" "$esp" >/dev/null 2>&1
	check_begin "load options override the configuration file" "$esp.log"
	expect "options: 'config=.EFI.iomvisor.second.cfg log=info colour=blue next=.EFI.test.hello.efi passed=on'; config file .EFI.iomvisor.second.cfg$" "second copy read its options and the file they named"
	expect "load options: unknown setting: 'colour=blue' \(ignored\)" "unknown key reported"
	expect "starting '.EFI.test.hello.efi' with options: passed=on" "next= from the options wins over the file"
	expect "^guest: hello from the chain-loaded image, options 'passed=on'$" "guest got the words after next="
	expect "^iomvisor-test: PASS$" "guest verdict"
	check_end
}

qemu_case qemu-1cpu 1
qemu_case qemu-2cpu 2
options_case
bochs_case bochs-skylake corei7_skylake_x bochs_intel
bochs_case bochs-ryzen ryzen bochs_amd
