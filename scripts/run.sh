#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make run: boots Debian's Linux under iomvisor in QEMU TCG (AMD SVM + NPT, two
# CPUs) with the serial console on this terminal (and copied to build/console.log,
# where scripts/gdb-script.sh finds the image base) and a demo configuration: the
# CMOS clock's ports traced and debugcon on. ("pcimon on" would add Linux's PCI
# enumeration, decoded: some 25,000 lines.)
# The guest's init reports, then powers the machine off, so the run ends by
# itself. Extra QEMU arguments may follow; SMP=N and TIMEOUT=S change the rest.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/test/lib/esp.sh"
bash "$TOP/scripts/linux-guest.sh" >/dev/null
esp=$TOP/build/run-esp
# A log of an earlier run would give make gdb a stale image base.
rm -f "$TOP/build/console.log"
esp_linux "$esp" "panic=-1" \
	"# iomvisor demo configuration (scripts/run.sh)" \
	"log info" \
	"trace port 0x70-0x71      # the CMOS clock" \
	"debugcon on               # port 0xE9"
status=0
"$TOP/test/run-qemu.sh" -i -l "$TOP/build/console.log" -s "${SMP:-2}" -t "${TIMEOUT:-300}" "$esp" -- "$@" || status=$?
# isa-debug-exit: a guest writes v and QEMU exits with (v << 1) | 1 (33 for the
# test guests' PASS); Linux powering off exits 0.
case $status in
0 | 33) exit 0 ;;
124) echo "run: timed out" >&2; exit 1 ;;
*) exit "$status" ;;
esac
