#!/usr/bin/env bash
# Boots an ESP folder in QEMU TCG with OVMF, AMD SVM + NPT, serial console to a log.
#
#   test/run-qemu.sh [-s SMP] [-m MIB] [-t SECONDS] [-l LOG] [-i] ESPDIR [-- QEMU ARGS...]
#
# -i: interactive, serial console on this terminal (make run). Otherwise the
# console goes to LOG (default ESPDIR.log). The run ends when the guest writes to
# isa-debug-exit (port 0xF4), on power-off, or at the timeout (exit status 124).
# Facts behind the command line: shared/notes/qemu-svm.md.
set -euo pipefail

smp=1 mem=256 timeout_s=120 log="" interactive=0
while getopts "s:m:t:l:i" opt; do
	case $opt in
	s) smp=$OPTARG ;;
	m) mem=$OPTARG ;;
	t) timeout_s=$OPTARG ;;
	l) log=$OPTARG ;;
	i) interactive=1 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
esp=${1:?usage: run-qemu.sh [options] ESPDIR [-- QEMU ARGS]}
shift
[ "${1:-}" = "--" ] && shift
: "${log:=$esp.log}"

# OVMF's variable store must be writable and private to this run.
vars=$(mktemp /tmp/iomvisor-vars.XXXXXX)
trap 'rm -f "$vars"' EXIT
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$vars"

if [ $interactive = 1 ]; then
	serial=(-serial mon:stdio)
else
	serial=(-serial "file:$log")
	: >"$log"
fi

set +e
timeout --foreground -k 5 "$timeout_s" qemu-system-x86_64 \
	-accel tcg -machine q35 -cpu qemu64,+svm,+npt -smp "$smp" -m "$mem" \
	-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
	-drive if=pflash,format=raw,file="$vars" \
	-drive format=raw,file=fat:rw:"$esp" \
	-nodefaults -display none -monitor none -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	"${serial[@]}" "$@"
status=$?
set -e
exit $status
