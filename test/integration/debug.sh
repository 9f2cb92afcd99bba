#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Source-level debugging of the hypervisor (make debug / make gdb): gdb, given
# the script scripts/gdb-script.sh writes from the console log, attaches to
# QEMU's gdbstub, finds hv_exit_port_io at the image base the boot line implies,
# stops there once on a hardware breakpoint and walks the stack back to the
# vendor's exit handler. The guest (serialtest) polls COM1 for input that never
# comes: every poll is a port exit, and it waits long enough for gdb to attach.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/test/lib/esp.sh"
. "$TOP/test/lib/check.sh"
OUT=${TEST_OUT:-$TOP/build/test-out}/debug
mkdir -p "$OUT"

esp=$OUT/serial log=$OUT/serial.log
esp_new "$esp"
esp_add "$esp" "$BUILD/guest/serialtest.efi" EFI/test/serialtest.efi
esp_config "$esp" 'next \EFI\test\serialtest.efi'
# A socket of this run's own, not TCP :1234: other runs may debug at the same time.
sock=$OUT/gdb.sock
rm -f "$sock" "$log"
set -m # QEMU in a process group of its own, to end it if gdb could not
"$TOP/test/run-qemu.sh" -t 900 -l "$log" "$esp" -- -gdb "unix:$sock,server=on,wait=off" \
	>/dev/null 2>&1 &
qemu=$!
set +m

# The guest's prompt: the hypervisor runs and the guest is in its polling loop.
deadline=$((SECONDS + 600))
until tr -d '\r' 2>/dev/null <"$log" | grep -q '^guest: serial: ready for input'; do
	kill -0 $qemu 2>/dev/null && [ $SECONDS -lt $deadline ] || break
	sleep 0.5
done

WAIT=10 bash "$TOP/scripts/gdb-script.sh" "$log" "$sock" "$OUT/iomvisor.gdb" 2>"$OUT/gdb-script.err"
base=$(grep -o 'image at 0x[0-9a-f]*' "$OUT/iomvisor.gdb" | cut -d' ' -f3)
# hv_exit_port_io's ELF address and size; gdb stops past its prologue, inside it.
read -r offset size < <(nm -S "$BUILD/iomvisor.so" | awk '$4 == "hv_exit_port_io" { print $1, $2 }')
want=""
[ -n "$base" ] && [ -n "$offset" ] && want=$(printf '0x%x' $((base + 0x$offset)))

timeout 300 gdb -q -batch -nx -x "$OUT/iomvisor.gdb" \
	-ex 'info address hv_exit_port_io' -ex 'hbreak hv_exit_port_io' -ex continue -ex bt \
	-ex 'printf "stopped at %#lx\n", $pc' \
	-ex kill >"$OUT/gdb.log" 2>&1
kill -0 $qemu 2>/dev/null && kill -- -$qemu
wait $qemu

check_begin "gdb: hbreak hv_exit_port_io at the banner's image base, hit once, bt" "$OUT/gdb.log"
[ -n "$want" ] || { echo "  no image base ($base) or no hv_exit_port_io in iomvisor.so ($offset)"; case_failures=1; }
expect "^Symbol \"hv_exit_port_io\" is a function at address $want\.$" "hv_exit_port_io resolved at base + its ELF address"
expect "^Hardware assisted breakpoint 1 at 0x[0-9a-f]+: file hv/exit/exit.c" "hardware breakpoint set"
expect_count 1 "^Breakpoint 1, hv_exit_port_io " "stops at the breakpoint once"
expect "^#[0-9]+ .*(svm|vmx)_handle_exit " "bt reaches the vendor's exit handler"
pc=$(sed -n 's/^stopped at //p' "$OUT/gdb.log")
if [ -z "$want" ] || [ -z "$pc" ] || ((pc < want || pc >= want + 0x$size)); then
	echo "  the CPU stopped at '$pc', not inside hv_exit_port_io ($want, size 0x$size)"
	case_failures=$((case_failures + 1))
fi
check_end
