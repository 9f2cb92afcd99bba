#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The hostile guest (test/guest/hostile): a seeded stream of random port I/O,
# instructions on the trapped MMIO page and RAM, MSR, CPUID, hypercall, CR/DR
# and XSETBV operations; after every 1000 the hypervisor must still answer a
# hypercall and its memory still read all ones. The variants known to crash
# the hypervisor stay out (the guest's "unsafe=" list, test/guest/hostile/).
# Before the stream the guest tries the MSRs that reach memory around the page
# tables (memory map on AMD, Intel PT on Intel) once.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/test/lib/esp.sh"
. "$TOP/test/lib/check.sh"
OUT=${TEST_OUT:-$TOP/build/test-out}/hostile
mkdir -p "$OUT"

# hostile_esp DIR GUEST-OPTIONS
hostile_esp() {
	esp_new "$1"
	esp_add "$1" "$BUILD/guest/hostile.efi" EFI/test/hostile.efi
	esp_config "$1" "testdev on" "next \\EFI\\test\\hostile.efi $2"
}

expect_hostile() {
	expect "^hostile: seed $1, ops $2 from 0" "the guest read its seed and count"
	expect "^hostile: ops $(($2 - ${3:-1000}))-$(($2 - 1))$" "the last batch ran"
	expect "^hostile: done: $2 ops in [0-9]+ ms \([0-9]+ ops/s\), seed $1$" "all operations done"
	expect '^guest: ok: the hypervisor answered and hid its memory after every batch' \
		"hypervisor alive and hidden after every batch"
	expect '^guest: ok: [1-9][0-9]* hypercalls from CPL 3: each raised #UD' \
		"hypercalls from user mode are #UD"
	expect_not 'PANIC' "hypervisor panic"
	expect_not 'guest shutdown|resetting the machine' "guest triple fault"
	expect '^iomvisor-test: PASS$' "guest verdict"
}

esp=$OUT/qemu
hostile_esp "$esp" "seed=1 ops=100000"
"$TOP/test/run-qemu.sh" -t 300 -e 'PANIC: the machine is stopped' -l "$esp.log" "$esp" \
	>"$esp.out" 2>&1
check_begin "hostile guest on QEMU SVM, seed 1, 100000 operations" "$esp.log"
expect_hostile 1 100000
# The memory-map MSRs keep the firmware's values (QEMU's TCG reads them as 0
# and drops writes, so the hypervisor's log line is what shows the intercept).
for msr in TOP_MEM TOP_MEM2 SYSCFG; do
	expect "^hostile: memory map: WRMSR $msr 0x[0-9a-f]+: kept" "WRMSR $msr kept out"
	expect "warn: vcpu 0: WRMSR $msr 0x[0-9a-f]+ ignored: the memory map stays" \
		"WRMSR $msr ignored and logged"
done
check_end

# Bochs (Intel VMX, EPT): another seed.
esp=$OUT/bochs
hostile_esp "$esp" "seed=2 ops=100000"
"$TOP/test/run-bochs.sh" -t 400 -e 'PANIC: the machine is stopped|iomvisor-test: ' \
	-l "$esp.log" "$esp" >"$esp.out" 2>&1
check_begin "hostile guest on Bochs VMX, seed 2, 100000 operations" "$esp.log"
expect_hostile 2 100000
# Intel PT is hidden: its MSRs #GP as on a CPU without it (Bochs, with
# ignore_bad_msrs, would read them as 0).
expect '^hostile: memory map: CPUID.\(7,0\):EBX Intel PT clear$' "CPUID reports no Intel PT"
expect '^hostile: memory map: RDMSR IA32_RTIT_CTL: #GP$' "RDMSR IA32_RTIT_CTL raises #GP"
expect '^hostile: memory map: WRMSR IA32_RTIT_OUTPUT_BASE 0: #GP$' \
	"WRMSR IA32_RTIT_OUTPUT_BASE raises #GP"
check_end

# INIT/SIPI storms: the APs loop on exits (a trapped port read, CPUID) while
# the BSP, between its operations, sends them INIT, SIPI, INIT-SIPI and
# INIT-SIPI-SIPI at random; each must stop, start or ignore the SIPI as a CPU
# does, and come back after every batch.
expect_storm() {
	expect '^hostile: storm: [0-9]+ APs, one IPI sequence every' "the APs started"
	expect "^hostile: storm: $1 sequences to [0-9]+ APs: [1-9][0-9]* INIT, [1-9][0-9]* SIPI \\([1-9][0-9]* to a running AP\\), [1-9][0-9]* INIT-SIPI, [1-9][0-9]* INIT-SIPI-SIPI" \
		"every kind of sequence sent"
	expect '^guest: ok: every AP came back after every INIT/SIPI sequence' "every AP came back"
	expect_not 'PANIC' "hypervisor panic"
	expect '^iomvisor-test: PASS$' "guest verdict"
}

esp=$OUT/qemu-storm
hostile_esp "$esp" "seed=5 ops=10000 storm=25"
"$TOP/test/run-qemu.sh" -s 3 -t 400 -e 'PANIC: the machine is stopped' -l "$esp.log" "$esp" \
	>"$esp.out" 2>&1
check_begin "INIT/SIPI storms on QEMU SVM, 3 CPUs, 400 sequences" "$esp.log"
expect_storm 400
check_end

esp=$OUT/bochs-storm
hostile_esp "$esp" "seed=6 ops=6000 storm=15"
"$TOP/test/run-bochs.sh" -n 2 -t 400 -e 'PANIC: the machine is stopped|iomvisor-test: ' \
	-l "$esp.log" "$esp" >"$esp.out" 2>&1
check_begin "INIT/SIPI storms on Bochs VMX, 2 CPUs, 400 sequences" "$esp.log"
expect_storm 400
check_end

# A guest state VMRUN refuses. Hardware faults the guest's MOV to CR4 with a
# reserved bit first; QEMU's TCG takes it, and the next VMRUN fails. The host
# must treat it as the guest's shutdown (log, reset), never panic.
esp=$OUT/qemu-refused
hostile_esp "$esp" "seed=4 first=5 ops=1 no=pio,insn,cpuid,hc,msr,xsetbv unsafe=cr verbose"
"$TOP/test/run-qemu.sh" -t 300 -e 'PANIC: the machine is stopped' -l "$esp.log" "$esp" \
	>"$esp.out" 2>&1
check_begin "a guest state VMRUN refuses is the guest's shutdown (QEMU SVM)" "$esp.log"
expect '^hostile: op 5: mov cr4, 0x100000000668' "the guest wrote CR4 with a reserved bit"
expect '^iomvisor\[0\] error: vcpu 0: VMRUN refused the guest state' "refusal logged"
expect '^iomvisor\[0\]: resetting the machine$' "machine reset, as after a shutdown"
expect_not 'PANIC' "hypervisor panic"
check_end
