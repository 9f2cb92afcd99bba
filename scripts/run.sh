#!/usr/bin/env bash
# make run: boots iomvisor under QEMU TCG (AMD SVM + NPT) with its serial console
# on this terminal. iomvisor chain-loads the demo guest, which reports and powers
# the machine off, so the run ends by itself. Extra QEMU arguments may follow.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/test/lib/esp.sh"
esp=$TOP/build/run-esp
esp_new "$esp"
esp_add "$esp" "$BUILD/guest/hello.efi" EFI/test/hello.efi
esp_config "$esp" \
	"# iomvisor demo configuration (scripts/run.sh)" \
	"log info" \
	'next \EFI\test\hello.efi greeting=hello'
status=0
"$TOP/test/run-qemu.sh" -i -s "${SMP:-2}" -t "${TIMEOUT:-300}" "$esp" -- "$@" || status=$?
# isa-debug-exit: the guest writes v and QEMU exits with (v << 1) | 1; the test
# guests write 0x10 for PASS. A plain power-off exits 0.
case $status in
0 | 33) exit 0 ;;
124) echo "run: timed out" >&2; exit 1 ;;
*) exit "$status" ;;
esac
