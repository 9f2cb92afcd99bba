#!/usr/bin/env bash
# Boots an ESP folder in QEMU TCG with OVMF, AMD SVM + NPT, serial console to a log.
#
#   test/run-qemu.sh [-s SMP] [-m MIB] [-t SECONDS] [-l LOG] [-i] [-S SCRIPT] [-e REGEX] ESPDIR
#                    [-- QEMU ARGS...]
#
# -i: interactive, serial console on this terminal (make run). Otherwise the
# console goes to LOG (default ESPDIR.log). The run ends when the guest writes to
# isa-debug-exit (port 0xF4), on power-off, or at the timeout (exit status 124).
#
# -S SCRIPT: feed the serial input from SCRIPT while the console goes to LOG (the
# serial port is a pipe pair, LOG collects its output). One command per line:
#   wait [SECONDS] REGEX   wait until a line of LOG matches the extended regex
#                          (CR removed; default 60 s)
#   send TEXT              send TEXT; printf %b escapes (\r, \x1d); the rest of
#                          the line, leading blank removed
#   sleep SECONDS
#   # comment
# The feeder logs its progress to LOG.script; when a wait times out it stops
# there (and says so in LOG.script) and the run goes on to its own end.
# -e REGEX: end the run as soon as a line of LOG matches the extended regex
# (e.g. a hypervisor panic, after which the machine is stopped, not off).
# Facts behind the command line: shared/notes/qemu-svm.md.
set -euo pipefail
. "$(dirname "$0")/lib/stop_at.sh"

smp=1 mem=256 timeout_s=120 log="" interactive=0 script="" end=""
while getopts "s:m:t:l:iS:e:" opt; do
	case $opt in
	s) smp=$OPTARG ;;
	m) mem=$OPTARG ;;
	t) timeout_s=$OPTARG ;;
	l) log=$OPTARG ;;
	i) interactive=1 ;;
	S) script=$OPTARG ;;
	e) end=$OPTARG ;;
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
fifodir="" helpers=()
cleanup() {
	for p in "${helpers[@]}"; do kill "$p" 2>/dev/null; done
	rm -f "$vars"
	[ -n "$fifodir" ] && rm -rf "$fifodir"
	return 0
}
trap cleanup EXIT
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$vars"

# The script feeder: see -S above.
feed() {
	local cmd rest t re deadline
	exec 3>"$fifodir/s.in"
	while IFS= read -r line || [ -n "$line" ]; do
		line=${line#"${line%%[![:space:]]*}"}
		[ -z "$line" ] || [ "${line:0:1}" = "#" ] && continue
		cmd=${line%% *}
		rest=""
		[ "$cmd" != "$line" ] && rest=${line#* }
		case $cmd in
		wait)
			t=60 re=$rest
			if [[ $rest =~ ^([0-9]+)\ (.*)$ ]]; then t=${BASH_REMATCH[1]} re=${BASH_REMATCH[2]}; fi
			deadline=$((SECONDS + t))
			until tr -d '\r' <"$log" | grep -Eq -- "$re"; do
				if [ $SECONDS -ge $deadline ]; then
					echo "timed out after ${t}s waiting for /$re/: script stopped" >>"$log.script"
					exec 3>&-
					return 0
				fi
				sleep 0.2
			done
			echo "seen /$re/" >>"$log.script" ;;
		send)
			printf '%b' "$rest" >&3
			echo "sent '$rest'" >>"$log.script" ;;
		sleep)
			sleep "$rest" ;;
		*)
			echo "unknown script command '$cmd': script stopped" >>"$log.script"
			exec 3>&-
			return 0 ;;
		esac
	done <"$script"
	echo "script done" >>"$log.script"
	exec 3>&-
}

if [ $interactive = 1 ]; then
	serial=(-serial mon:stdio)
elif [ -n "$script" ]; then
	# QEMU reads s.in and writes s.out (-chardev pipe); both stay open in QEMU.
	fifodir=$(mktemp -d /tmp/iomvisor-serial.XXXXXX)
	mkfifo "$fifodir/s.in" "$fifodir/s.out"
	serial=(-chardev "pipe,id=serial0,path=$fifodir/s" -serial chardev:serial0)
	: >"$log"
	: >"$log.script"
	cat "$fifodir/s.out" >>"$log" &
	helpers+=($!)
	feed &
	helpers+=($!)
else
	serial=(-serial "file:$log")
	: >"$log"
fi

cmd=(timeout --foreground -k 5 "$timeout_s" qemu-system-x86_64
	-accel tcg -machine q35 -cpu qemu64,+svm,+npt -smp "$smp" -m "$mem"
	-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd
	-drive if=pflash,format=raw,file="$vars"
	-drive format=raw,file=fat:rw:"$esp"
	-nodefaults -display none -monitor none -no-reboot
	-device isa-debug-exit,iobase=0xf4,iosize=0x04
	"${serial[@]}" "$@")
set +e
if [ -n "$end" ] && [ $interactive = 0 ]; then
	"${cmd[@]}" &
	pid=$!
	stop_at "$pid" "$log" "$end"
	wait "$pid"
else
	"${cmd[@]}"
fi
status=$?
set -e
# Let the log collector copy what QEMU wrote last (it ends at the pipe's EOF).
if [ -n "$script" ]; then
	for _ in $(seq 50); do kill -0 "${helpers[0]}" 2>/dev/null || break; sleep 0.1; done
fi
exit $status
