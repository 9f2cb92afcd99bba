#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Decoded traces of a real OS, and the host tool on them. Debian Linux under
# iomvisor on QEMU SVM (2 CPUs) with the CMOS/RTC, the PIT, the HPET and PCI
# configuration (pcimon) traced: the console shows the accesses decoded by
# device and register, the HPET counter's flood (or any other) is summarised
# instead of printed, and "trace top" on the debug console names the busiest
# registers. Then scripts/iomtrace on the captured log: the trace-event JSON
# passes a schema check, the plot is a PNG, and its counts of every register
# agree with the counts the hypervisor printed in its flood summaries.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/test/lib/esp.sh"
. "$TOP/test/lib/check.sh"
OUT=${TEST_OUT:-$TOP/build/test-out}/traces
mkdir -p "$OUT"

linux_guest_ready "Linux guest traced" || exit 0

esp=$OUT/esp
esp_linux "$esp" "panic=-1" "trace port 0x70-0x71" "trace port 0x40-0x43" \
	"trace mmio 0xfed00000+0x400" "pcimon on" "trace limit 20"
# "trace top" once Linux is in userspace, from the debug console; the guest
# runs on meanwhile and powers itself off.
cat >"$OUT/script" <<'SCRIPT'
wait 900 ^linux-guest: userspace up
send \x1d\x1d
wait debug console: active
send trace top\r
wait ^trace top: the last
send continue\r
wait debug console: left
SCRIPT
"$TOP/test/run-qemu.sh" -s 2 -t 900 -S "$OUT/script" -l "$esp.log" "$esp" >/dev/null 2>&1

log=$esp.log.txt
check_begin "Linux traced and decoded: CMOS, PIT, HPET, PCI" "$esp.log"
P='^iomvisor\[[01]\]: trace: cpu[01] tsc=[0-9]+ rip=ffffffff[0-9a-f]+ rule=[0-9]+ '
expect '^iomvisor\[[01]\]: trace: format 1: .*tsc_mhz=[0-9]+$' "the line format's version announced"
expect "${P}out 0x70 size=1 <- 0x[0-9a-f]{2}  cmos index = 0x[0-9a-f]{2} \\((seconds|status A|status B)\\), NMI (en|dis)abled$" \
	"CMOS index written, register named"
expect "${P}in 0x71 size=1 -> 0x[0-9a-f]{2}  cmos (seconds|minutes|hours|status A|status B) = " \
	"CMOS register read, named by the index before it"
expect "${P}out 0x43 size=1 <- 0x[0-9a-f]{2}  pit control = 0x[0-9a-f]{2}: channel [0-2], " \
	"PIT control word decoded"
expect "${P}read 0xfed000f0 size=[48] -> 0x[0-9a-f]+  hpet main counter = " "HPET counter read named"
expect "${P}(read|write) 0xfed00[0-3][0-9a-f]{2} size=[48] [<>-]+ 0x[0-9a-f]+  hpet (capabilities|config|timer 0 config)" \
	"HPET set-up decoded"
expect "${P}(in|out) pci:00:[0-9a-f]{2}\\.[0-7]\\+0x0[0-3][0-9a-f] size=[124] [<>-]+ 0x[0-9a-f]+  pci 00:[0-9a-f]{2}\\.[0-7] (vendor ID|device ID|command|class|header type|BAR[0-5])" \
	"PCI configuration accesses decoded"
expect "${P}(in|out) pci:.* pci 00:[0-9a-f]{2}\\.[0-7] BAR[0-5] = 0xffffffff \\(sizing\\)$" "a BAR sizing write"
expect "${P}(in|out) pci:.* pci 00:[0-9a-f]{2}\\.[0-7] BAR[0-5] = 0x[0-9a-f]{8} \\((memory|I/O).*size [0-9]+ (bytes|KiB|MiB)\\)$" \
	"the BAR's size read back"
expect '^iomvisor\[[01]\]: trace: cpu[01] [a-z-]+ .* (read|written) [0-9]+ times in the last second \(suppressed; [0-9]+ reads, [0-9]+ writes so far\)$' \
	"a flood summarised instead of printed"
expect '^trace top: the last [0-9]+\.[0-9]{3} s$' "trace top on the debug console"
expect '^ +[0-9]+  (hpet|pci|cmos|pit) +' "trace top names registers"
expect '^linux-guest: rtc [A-Z][a-z]{2} ' "hwclock read the RTC through the trace"
expect '^linux-guest: powering off$' "powered off"
expect_script_done "$esp.log.script"
expect_not 'PANIC|Kernel panic|iomvisor\[[01]\] error' "hypervisor or kernel failure"
check_end

# The host tool on the captured log; its output and the checks' are the
# case's log.
tool_log=$OUT/iomtrace.log
"$TOP/scripts/iomtrace" --check --perfetto "$OUT/trace.json" --plot "$OUT/trace.png" "$log" \
	>"$tool_log" 2>&1
status=$?
python3 "$TOP/test/lib/trace_event_check.py" "$OUT/trace.json" >>"$tool_log" 2>&1
check_begin "scripts/iomtrace on the traced Linux boot" "$tool_log"
expect '^iomtrace: [0-9]+ trace records, [1-9][0-9]* flood summaries; skipped [0-9]+ other lines' \
	"the tool read the records and said what it skipped"
expect '^iomtrace: check: ([0-9]+) flood summaries, \1 agree with the hypervisor.s counts$' \
	"its counts equal the hypervisor's in every summary"
expect '^(cmos|pit|hpet|pci) +' "summary table rows"
expect '^total: [0-9]+ accesses .*cmos [0-9]+' "per-device totals"
expect '^trace_event_check: [0-9]+ events ok .*tracks: .*cpu0 .*cpu1' \
	"the trace-event JSON passes the schema check, a track per CPU"
if [ $status != 0 ]; then
	echo "  $case_name: iomtrace exited with $status"
	case_failures=$((case_failures + 1))
fi
if [ "$(head -c 8 "$OUT/trace.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" != 89504e470d0a1a0a ]; then
	echo "  $case_name: missing: the plot $OUT/trace.png"
	case_failures=$((case_failures + 1))
fi
check_end
