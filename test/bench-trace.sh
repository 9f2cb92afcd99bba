#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make bench, tracing's row: Debian Linux to power-off under iomvisor on QEMU
# TCG (2 CPUs) with the HPET's registers traced (every access exits, is
# decoded and counted; the per-register limit prints at most 20 lines a
# second of the counter's flood) and untraced, alternating so that drift in
# the machine's speed hits both alike. A ratio, reported, never judged.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/test/lib/esp.sh"
bash "$TOP/scripts/linux-guest.sh" >/dev/null
boot_ms() { # DIR: milliseconds for the whole run, to Linux's power-off
	local start end
	start=$(date +%s%N)
	"$TOP/test/run-qemu.sh" -s 2 -t 600 -l "$1.log" "$1" >/dev/null 2>&1 || true
	grep -q 'linux-guest: powering off' "$1.log" ||
		{ echo "bench: Linux did not finish ($1.log)" >&2; exit 1; }
	end=$(date +%s%N)
	echo $(((end - start) / 1000000))
}
esp_linux "$TOP/build/bench-trace-off" "panic=-1" "hypervisor on"
esp_linux "$TOP/build/bench-trace-hpet" "panic=-1" "trace mmio 0xfed00000+0x400"
off=0 on=0
for round in 1 2; do
	off=$((off + $(boot_ms "$TOP/build/bench-trace-off")))
	on=$((on + $(boot_ms "$TOP/build/bench-trace-hpet")))
done
lines=$(grep -c 'trace: cpu[0-9]* tsc=' "$TOP/build/bench-trace-hpet.log" || true)
summaries=$(grep -c '(suppressed; ' "$TOP/build/bench-trace-hpet.log" || true)
echo "bench: linux-boot HPET untraced $((off / 2)) ms, traced $((on / 2)) ms (mean of 2, 2 CPUs;" \
	"last traced run: $lines lines, $summaries flood summaries)"
r=$((on * 100 / off))
echo "bench: linux-boot HPET traced / untraced = $((r / 100)).$(printf '%02d' $((r % 100)))"
