#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make bench: exit-path costs under iomvisor on QEMU TCG (AMD SVM) and Bochs
# (Intel VMX, corei7_skylake_x), as ratios to
# a null CPUID exit measured in the same run. -icount shift=0 makes the guest's
# TSC count executed instructions, so the numbers are path lengths and repeat
# from run to run. Then Debian Linux booting with and without the hypervisor.
# Targets: port read <= 1.10x, MMIO read <= 1.5x, Linux boot <= 1.05x; a port
# read matched by a rule (log, read=, count) <= 1.2x the port read without
# rules (a second run with the rules configured; -icount makes runs compare).
# Reported, never judged: this is not a test.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/test/lib/esp.sh"
bench_esp() { # DIR [rules]: the benchmark guest with the test devices [and rules]
	esp_new "$1"
	esp_add "$1" "$BUILD/guest/bench.efi" EFI/test/bench.efi
	if [ "${2:-}" = rules ]; then
		esp_config "$1" "testdev on" "rule port 0x5a1 r log" \
			"rule port 0x5a2 r read=0x12" "rule port 0x5a3 r count" \
			'next \EFI\test\bench.efi rules'
	else
		esp_config "$1" "testdev on" 'next \EFI\test\bench.efi'
	fi
}
ticks() { # NAME LOG: a "bench: NAME N ticks" line's N
	tr -d '\r' <"$2" | sed -n "s/^bench: $1 \([0-9]*\) ticks$/\1/p" | head -1
}

esp=$TOP/build/bench-esp
bench_esp "$esp"
"$TOP/test/run-qemu.sh" -t 300 -l "$esp.log" "$esp" -- -icount shift=0 >/dev/null 2>&1 || true
if ! grep -q '^bench: ' "$esp.log"; then
	echo "bench: no results; log: $esp.log" >&2
	tail -20 "$esp.log" >&2
	exit 1
fi
tr -d '\r' <"$esp.log" | grep '^bench: '

# The same with rules, compared with the port read above (log includes the
# trace records' printing before each entry).
resp=$TOP/build/bench-rules-esp
bench_esp "$resp" rules
"$TOP/test/run-qemu.sh" -t 300 -l "$resp.log" "$resp" -- -icount shift=0 >/dev/null 2>&1 || true
base=$(ticks port-read "$esp.log")
for name in rule-log-read rule-read=-read rule-count-read port-read-beside-rules; do
	t=$(ticks "$name" "$resp.log")
	if [ -n "$t" ] && [ -n "$base" ] && [ "$base" -gt 0 ]; then
		r=$((t * 100 / base))
		echo "bench: $name $t ticks, / port-read without rules = $((r / 100)).$(printf '%02d' $((r % 100)))"
	else
		echo "bench: $name: no result; log: $resp.log" >&2
	fi
done

# The same loops on Intel VMX under Bochs, whose TSC also follows executed
# instructions (docs/emulators.md).
vesp=$TOP/build/bench-vmx-esp
bench_esp "$vesp"
"$TOP/test/run-bochs.sh" -c corei7_skylake_x -t 300 -l "$vesp.log" "$vesp" >/dev/null 2>&1 || true
if grep -aq '^bench: ' "$vesp.log"; then
	tr -d '\r' <"$vesp.log" | grep -a '^bench: ' | sed 's/^bench: /bench: vmx-bochs /'
else
	echo "bench: no VMX results; log: $vesp.log" >&2
fi

# Debian Linux to power-off, with and without the hypervisor,
# alternating so that drift in the machine's speed hits both alike. Wall time of
# the whole emulator run, firmware included (the hypervisor is on from the start).
bash "$TOP/scripts/linux-guest.sh" >/dev/null
boot_ms() { # DIR: milliseconds for the whole run, to Linux's power-off
	local start end
	start=$(date +%s%N)
	"$TOP/test/run-qemu.sh" -s 2 -t 300 -l "$1.log" "$1" >/dev/null 2>&1 || true
	grep -q 'linux-guest: userspace up' "$1.log" || { echo "bench: Linux did not boot ($1.log)" >&2; exit 1; }
	end=$(date +%s%N)
	echo $(((end - start) / 1000000))
}
esp_linux "$TOP/build/bench-linux-off" "panic=-1 quiet" "hypervisor off"
esp_linux "$TOP/build/bench-linux-on" "panic=-1 quiet" "hypervisor on"
off=0 on=0
for round in 1 2 3; do
	off=$((off + $(boot_ms "$TOP/build/bench-linux-off")))
	on=$((on + $(boot_ms "$TOP/build/bench-linux-on")))
done
echo "bench: linux-boot without iomvisor $((off / 3)) ms, with $((on / 3)) ms (mean of 3, 2 CPUs, to power-off)"
r=$((on * 100 / off))
echo "bench: linux-boot with / without = $((r / 100)).$(printf '%02d' $((r % 100)))"
