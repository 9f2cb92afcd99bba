#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make test-matrix: iomvisor on every Bochs 2.7 CPU model that has hardware
# virtualization, one verdict line per model:
#   PASS: Bochs MODEL (vmx|svm|refused: reason)
# A model with VMX + EPT + unrestricted guest or SVM + nested paging runs the
# test guest hvtest under iomvisor (one CPU; two CPUs on one model per vendor);
# one VMX model also runs Debian Linux with two CPUs (test/matrix_linux.sh).
# A model iomvisor cannot run on must say why at start-up and boot the next
# image bare: the small guest hello runs without the hypervisor. Ends with
# "N passed, N failed"; exit status 0 only when nothing failed.
#
#   TESTS=ryzen make test-matrix     only the models whose names match
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/test/lib/esp.sh"
. "$TOP/test/lib/check.sh"
. "$TOP/test/lib/hvtest.sh"
OUT=${TEST_OUT:-$TOP/build/test-out}/matrix
mkdir -p "$OUT"

# The models, oldest first (Bochs' own order), with what iomvisor makes of them
# (docs/emulators.md, "CPU models"):
#   MODEL CPUS vmx|svm GIB      GIB: 1g when the nested map has 1-GiB pages, else 2m
#   MODEL 1 refused REASON...   the start-up message names REASON
#   MODEL CPUS linux            Debian Linux with CPUS CPUs (test/matrix_linux.sh)
MODELS=(
	"p4_prescott_celeron_336 1 refused no VMX"
	"core2_penryn_t9600 1 refused no EPT"
	"corei5_lynnfield_750 1 refused no unrestricted guest"
	"corei5_arrandale_m520 1 vmx 2m"
	"corei7_sandy_bridge_2600k 1 vmx 2m"
	"corei7_ivy_bridge_3770k 1 vmx 2m"
	"corei7_haswell_4770 1 vmx 1g"
	"broadwell_ult 1 vmx 1g"
	"corei7_skylake_x 1 vmx 1g"
	"corei3_cnl 1 vmx 1g"
	"corei7_icelake_u 1 vmx 1g"
	"tigerlake 1 vmx 1g"
	"tigerlake 2 vmx 1g"
	"corei7_skylake_x 2 linux"
	"athlon64_clawhammer 1 refused no SVM"
	"turion64_tyler 1 refused no nested paging"
	"phenom_8650_toliman 1 svm 1g"
	"zambezi 1 svm 1g"
	"trinity_apu 1 svm 1g"
	"ryzen 1 svm 1g"
	"ryzen 2 svm 1g"
)

# The start-up line that says why, for each refusal reason.
refusal_line() {
	case $1 in
	"no EPT") echo 'vmx: needs EPT and unrestricted guest \(ept no, unrestricted guest no\): booting without the hypervisor$' ;;
	"no unrestricted guest") echo 'vmx: needs EPT and unrestricted guest \(ept yes, unrestricted guest no\): booting without the hypervisor$' ;;
	"no VMX") echo 'vmx: not available on this CPU: booting without the hypervisor$' ;;
	"no SVM") echo 'svm: not available on this CPU: booting without the hypervisor$' ;;
	"no nested paging") echo 'svm: no nested paging: booting without the hypervisor$' ;;
	*) echo "matrix: no start-up line known for '$1'" >&2; echo '^$never' ;;
	esac
}

# case_runs MODEL CPUS vmx|svm 1g|2m: hvtest under iomvisor.
case_runs() {
	local model=$1 n=$2 backend=$3 gib=$4 esp=$OUT/$1-smp$2 cpus=""
	[ "$n" -gt 1 ] && cpus=", $n CPUs"
	hvtest_esp "$esp" "$([ "$n" -gt 1 ] && echo ap-signature)"
	"$TOP/test/run-bochs.sh" -c "$model" -n "$n" -t 1200 -l "$esp.log" "$esp" >/dev/null 2>&1
	check_begin "Bochs $model$cpus ($backend)" "$esp.log"
	if [ "$backend" = vmx ]; then
		expect "^iomvisor\[0\]: vmx: yes, ept yes \(.*1g $([ "$gib" = 1g ] && echo yes || echo no).*\), unrestricted-guest yes" \
			"banner: VMX with EPT and unrestricted guest"
		expect '^iomvisor\[0\]: mtrr: enabled' "MTRRs read for the EPT memory types"
	else
		expect '^iomvisor\[0\]: svm: yes, npt yes' "banner: SVM with nested paging"
	fi
	# Without 1-GiB pages the nested map covers 4 GiB at start and the GiB of
	# the guest's read at 48 GiB on first use (hv/mem/idmap.c).
	local map="identity map of [0-9]+ GiB"
	if [ "$backend" = svm ]; then
		[ "$gib" = 1g ] && map="$map with 1-GiB pages" || map="$map with 2-MiB pages"
	fi
	[ "$gib" = 2m ] && map="$map.*, the rest on first use" && expect \
		"^iomvisor\[0\]: (ept|npt): mapped the GiB at 0xc00000000 on first use" \
		"a GiB mapped when the guest first reached it"
	expect "^iomvisor\[0\]: (ept|npt): $map" "nested map ($gib pages)"
	expect "^iomvisor\[0\]: hypervisor: $backend backend ready for $n CPUs" "$backend backend chosen"
	expect_hvtest_common
	expect "^guest: ok: iomvisor runs on all $n CPUs" "every CPU taken over"
	if [ "$n" -gt 1 ]; then
		expect "^iomvisor\[0\]: hypervisor: $n of $n CPUs taken over$" "APs taken over"
		expect "^guest: ok: all $((n - 1)) application processors see the signature" \
			"APs restarted by INIT-SIPI-SIPI stay virtualized"
	fi
	expect_not 'PANIC|VM entry failed|VMRUN refused' "hypervisor failure"
	check_end
}

# case_refused MODEL REASON: the reason at start-up, then hello runs bare.
case_refused() {
	local model=$1 reason=$2 esp=$OUT/$1-smp1
	esp_new "$esp"
	esp_add "$esp" "$BUILD/guest/hello.efi" EFI/test/hello.efi
	esp_config "$esp" 'next \EFI\test\hello.efi bare'
	"$TOP/test/run-bochs.sh" -c "$model" -t 1200 -l "$esp.log" "$esp" >/dev/null 2>&1
	check_begin "Bochs $model (refused: $reason)" "$esp.log"
	expect "^iomvisor\[0\] error: $(refusal_line "$reason")" "the reason at start-up"
	expect_not 'backend ready|hypervisor: running on' "no hypervisor started"
	expect '^iomvisor\[0\]: hypervisor memory: [1-9][0-9]* KiB returned to the firmware$' \
		"the hypervisor's memory given back for the OS"
	expect "^guest: hello from the chain-loaded image, options 'bare'$" "next image started bare"
	expect_not 'PANIC' "hypervisor panic"
	expect '^iomvisor-test: PASS$' "guest verdict"
	check_end
}

# Two models at a time (each Bochs is single-threaded; the machine has 2
# cores); the verdicts are printed in the table's order.
start=$(date +%s)
running=0 i=0
for row in "${MODELS[@]}"; do
	read -r model n what rest <<<"$row"
	[[ -z "${TESTS:-}" || "$model" == *${TESTS}* ]] || continue
	if [ "$what" = refused ]; then
		case_refused "$model" "$rest" >"$OUT/$i.out" 2>&1 &
	elif [ "$what" = linux ]; then
		bash "$TOP/test/matrix_linux.sh" "$model" "$n" >"$OUT/$i.out" 2>&1 &
	else
		case_runs "$model" "$n" "$what" "$rest" >"$OUT/$i.out" 2>&1 &
	fi
	i=$((i + 1)) running=$((running + 1))
	if [ $running -ge 2 ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait
passed=0 failed=0
for ((j = 0; j < i; j++)); do
	cat "$OUT/$j.out"
	p=$(grep -c '^PASS: ' "$OUT/$j.out")
	f=$(grep -c '^FAIL: ' "$OUT/$j.out")
	[ "$p" = 0 ] && [ "$f" = 0 ] && f=1 && echo "FAIL: run $j ($OUT/$j.out) reported nothing"
	passed=$((passed + p)) failed=$((failed + f))
done
echo "matrix: $i runs in $(($(date +%s) - start)) s"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
