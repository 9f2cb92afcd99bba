#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The in-guest instruction test (test/guest/mmiotest/). Every form the
# emulator handles (MOV and friends, group-1 ALU, TEST, XCHG, NOT/NEG/INC/DEC,
# BT*, string instructions, prefixes and addressing forms, RIP-relative,
# accesses straddling a RAM page into the MMIO page) runs once against RAM and
# once against the test MMIO page, and registers, memory and the flags the
# instruction defines must agree; string port I/O runs against the test ports.
# Then YMM0-15 must survive trapped accesses unchanged (ymm.c). On QEMU TCG
# (AMD SVM) qemu64 and max, on Bochs ryzen (a second SVM implementation) and
# on Bochs corei7_skylake_x (VMX).
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/test/lib/esp.sh"
. "$TOP/test/lib/check.sh"
OUT=${TEST_OUT:-$TOP/build/test-out}/mmio
mkdir -p "$OUT"

# The number of cases the guest runs (snippet, generated and port cases).
CASES_MIN=370

mmiotest_esp() {
	esp_new "$1"
	esp_add "$1" "$BUILD/guest/mmiotest.efi" EFI/test/mmiotest.efi
	esp_config "$1" "testdev on" "next \\EFI\\test\\mmiotest.efi"
}

expect_mmiotest() {
	expect '^iomvisor\[0\]: testdev: ports 0x5a0-0x5a7, MMIO 0xfe800000-0xfe800fff$' "test devices registered"
	expect '^guest: ok: running under iomvisor$' "guest runs under the hypervisor"
	expect '^guest: ok: alias window' "alias window for RIP-relative and straddling cases"
	# A few landmarks, so that a guest that stopped early cannot pass.
	expect '^guest: ok: 01 /r ADD r/m32,r32 \[flags CF PF AF ZF SF OF\]$' "ADD r/m32,r32"
	expect '^guest: ok: F3 A4 REP MOVS m8,m8 \(9, MMIO to MMIO\)' "REP MOVS MMIO to MMIO"
	expect '^guest: ok: 81 /0 id ADD \[RIP\+disp32\],imm32' "RIP-relative with an immediate"
	expect '^guest: ok: REX.W 8B /r MOV r64,m64 straddling RAM page end and MMIO page' "straddling access"
	expect '^guest: ok: F3 6D REP INS m32,DX \(3, memory in MMIO\)' "string port input to MMIO"
	expect '^guest: ok: REX.W 8B /r MOV r64,m64 \(deferring register: retried read\)' "deferring MMIO register"
	expect_not '^guest: FAIL' "failed guest checks"
	expect_not 'PANIC|cannot emulate' "hypervisor panic or refused instruction"
	local n
	n=$(sed -n 's/^guest: mmiotest: \([0-9]*\) cases.*/\1/p' "$case_log.txt")
	if [ -z "$n" ] || [ "$n" -lt $CASES_MIN ]; then
		echo "  $case_name: ran ${n:-no} cases, expected at least $CASES_MIN"
		case_failures=$((case_failures + 1))
	fi
	expect '^iomvisor-test: PASS$' "guest verdict"
}

# The vector registers across exits (ymm.c): checked where the CPU has AVX,
# a SKIP line where it has not.
expect_ymm() { # expect_ymm yes|no
	local what='YMM0-15 unchanged across trapped port, MMIO and CPUID exits'
	if [ "$1" = yes ]; then
		expect "^guest: ok: $what\$" "AVX registers survive exits"
	else
		expect "^guest: SKIP: $what: the CPU has no AVX" "no AVX: the YMM check skipped"
	fi
}

case_qemu() { # case_qemu CPU AVX(yes|no)
	local model=${1%%,*}
	# The model's name alone: a comma in the ESP's path would end QEMU's
	# -drive option there.
	local esp=$OUT/qemu-$model
	mmiotest_esp "$esp"
	"$TOP/test/run-qemu.sh" -c "$1" -t 900 -l "$esp.log" "$esp" >/dev/null 2>&1
	check_begin "MMIO instruction test on QEMU TCG (SVM) -cpu $model" "$esp.log"
	expect_mmiotest
	expect_ymm "$2"
	check_end
}

case_bochs() { # case_bochs MODEL NAME AVX(yes|no)
	local esp=$OUT/bochs-$1
	mmiotest_esp "$esp"
	"$TOP/test/run-bochs.sh" -c "$1" -t 1800 -l "$esp.log" "$esp" >/dev/null 2>&1
	check_begin "MMIO instruction test on Bochs $1 ($2)" "$esp.log"
	expect_mmiotest
	expect_ymm "$3"
	check_end
}

# qemu64: no AVX. max: what TCG has of a current CPU (AVX, XSAVE, 1-GiB pages).
case_qemu qemu64,+svm,+npt no
case_qemu max yes
case_bochs ryzen SVM yes
case_bochs corei7_skylake_x VMX yes
