#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Boots an ESP folder in Bochs with OVMF, serial console to a log.
#
#   test/run-bochs.sh [-c CPU_MODEL] [-n CPUS] [-m MIB] [-t SECONDS] [-l LOG] [-e REGEX]
#                     [-S SCRIPT] ESPDIR
# -S SCRIPT: feed the serial input from SCRIPT (the language of run-qemu.sh -S)
# through a pseudo-terminal (test/lib/serial_pty.py); the console still goes to LOG.
# -e REGEX: end the run as soon as a line of the log matches (for guests that
# cannot switch the emulator off, e.g. Linux, whose ACPI power-off does nothing
# under Bochs with OVMF: it halts).
#
# CPU_MODEL is a Bochs model: corei7_skylake_x (Intel VMX + EPT + unrestricted
# guest, the default), ryzen (AMD SVM + NPT), ... Bochs always exits with status 1
# when the guest shuts down, so callers judge a run by the markers in LOG. Exit
# status 124: the timeout. Facts behind the settings: docs/emulators.md.
set -euo pipefail
. "$(dirname "$0")/lib/stop_at.sh"

cpu=corei7_skylake_x ncpu=1 mem=256 timeout_s=1200 log="" end="" script=""
while getopts "c:n:m:t:l:e:S:" opt; do
	case $opt in
	c) cpu=$OPTARG ;;
	n) ncpu=$OPTARG ;;
	m) mem=$OPTARG ;;
	t) timeout_s=$OPTARG ;;
	l) log=$OPTARG ;;
	e) end=$OPTARG ;;
	S) script=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
esp=${1:?usage: run-bochs.sh [options] ESPDIR}
: "${log:=$esp.log}"

work=$(mktemp -d /tmp/iomvisor-bochs.XXXXXX)
bridge=""
trap '[ -n "$bridge" ] && kill "$bridge" 2>/dev/null; rm -rf "$work"' EXIT

# An unpartitioned FAT16 disk of 32 cylinders x 16 heads x 63 sectors (16 MiB),
# which OVMF boots directly.
img=$work/disk.img
cyl=32 heads=16 spt=63
dd if=/dev/zero of="$img" bs=512 count=$((cyl * heads * spt)) status=none
mkfs.vfat -F 16 -n IOMVISOR "$img" >/dev/null
(cd "$esp" && find . -mindepth 1 -type d | sort | while read -r d; do
	mmd -i "$img" "::${d#./}"
done)
(cd "$esp" && find . -type f | while read -r f; do
	mcopy -i "$img" "$f" "::${f#./}"
done)

: >"$log"
com1="mode=file, dev=\"$log\""
if [ -n "$script" ]; then
	python3 "$(dirname "$0")/lib/serial_pty.py" "$work/pty" "$log" "$script" &
	bridge=$!
	# The bridge names its pseudo-terminal once it is up.
	until [ -s "$work/pty" ]; do
		if ! kill -0 "$bridge" 2>/dev/null; then
			echo "run-bochs: the serial bridge died before naming its terminal" >&2
			exit 1
		fi
		sleep 0.1
	done
	com1="mode=term, dev=$(cat "$work/pty")"
fi
cat >"$work/bochsrc" <<EOC
megs: $mem
romimage: file=/usr/share/ovmf/OVMF.fd, address=0xffe00000
vgaromimage: file=/usr/share/vgabios/vgabios.bin
cpu: model=$cpu, count=$ncpu, ips=100000000, reset_on_triple_fault=0, ignore_bad_msrs=1
pci: enabled=1, chipset=i440fx
ata0-master: type=disk, path="$img", mode=flat, cylinders=$cyl, heads=$heads, spt=$spt
boot: disk
com1: enabled=1, $com1
port_e9_hack: enabled=1
display_library: rfb, options="timeout=0"
panic: action=fatal
error: action=report
clock: sync=none
log: $work/bochs.log
EOC
# Debian's Bochs starts in its debugger: continue, and quit when the guest ends.
printf 'c\nquit\n' >"$work/cont.rc"

set +e
timeout -k 5 "$timeout_s" bochs -q -f "$work/bochsrc" -rc "$work/cont.rc" </dev/null \
	>"$work/stdout" 2>&1 &
pid=$!
if [ -n "$end" ]; then
	stop_at "$pid" "$log" "$end"
fi
wait "$pid"
status=$?
set -e
[ $status = 124 ] && echo "run-bochs: timed out after ${timeout_s}s" >&2
if [ -n "${BOCHS_KEEP_LOG:-}" ]; then cp "$work/bochs.log" "$BOCHS_KEEP_LOG"; fi
exit $status
