#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make run: boots Debian's Linux under iomvisor in QEMU TCG (AMD SVM + NPT, two
# CPUs) with the serial console on this terminal (and copied to build/console.log,
# where scripts/gdb-script.sh finds the image base) and a demo configuration: the
# CMOS clock's ports traced and debugcon on. ("pcimon on" would add Linux's PCI
# enumeration, decoded: some 25,000 lines.)
# The guest's init reports, prints a guide and starts a shell on the serial
# console; the machine powers off when that shell exits, and the run ends. So
# that a person may sit at it as long as they like, there is no timeout unless
# TIMEOUT=S sets one (a test driving the shell does). DEMO=0: the init reports
# and powers off by itself, no shell (the run then ends at TIMEOUT, default
# 300 s, if it hangs); so it is without a terminal on stdin. Extra QEMU
# arguments may follow; SMP=N sets the CPUs.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/test/lib/esp.sh"
bash "$TOP/scripts/linux-guest.sh" >/dev/null
esp=$TOP/build/run-esp
# A log of an earlier run would give make gdb a stale image base.
rm -f "$TOP/build/console.log"
# linux-guest.demo: the init's guide and shell (scripts/linux-guest.sh). A shell
# needs a person at a terminal: without one on stdin (a pipe, /dev/null), and
# no DEMO= given, the run is DEMO=0 and ends by itself.
[ -t 0 ] || DEMO=${DEMO:-0}
if [ "${DEMO:-1}" = 0 ]; then
	kargs="panic=-1" timeout_s=${TIMEOUT:-300}
else
	kargs="panic=-1 linux-guest.demo" timeout_s=${TIMEOUT:-0} # 0: none (timeout(1))
fi
esp_linux "$esp" "$kargs" \
	"# iomvisor demo configuration (scripts/run.sh)" \
	"log info" \
	"trace port 0x70-0x71      # the CMOS clock" \
	"debugcon on               # port 0xE9"
status=0
"$TOP/test/run-qemu.sh" -i -l "$TOP/build/console.log" -s "${SMP:-2}" -t "$timeout_s" "$esp" -- "$@" || status=$?
# isa-debug-exit: a guest writes v and QEMU exits with (v << 1) | 1 (33 for the
# test guests' PASS); Linux powering off exits 0.
case $status in
0 | 33) exit 0 ;;
124) echo "run: timed out" >&2; exit 1 ;;
*) exit "$status" ;;
esac
