#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Boots an ESP folder in QEMU TCG with OVMF, AMD SVM + NPT, serial console to a log.
#
#   test/run-qemu.sh [-c CPU] [-s SMP] [-m MIB] [-t SECONDS] [-l LOG] [-e REGEX] [-i] [-S SCRIPT]
#                    ESPDIR [-- QEMU ARGS...]
#
# -c: the CPU model (default qemu64,+svm,+npt: no NRIP save, no decode assists).
#
# -i: interactive, serial console on this terminal (make run), and a copy of all
# it prints in LOG (QEMU's chardev logfile). Otherwise the console goes to LOG
# (default ESPDIR.log). The run ends when the guest writes to
# isa-debug-exit (port 0xF4), on power-off, or at the timeout (exit status 124):
# a ceiling for when the awaited event never comes, never a run length;
# -t 0: none (make run's shell: a person ends it).
# -e REGEX: end the run as soon as a line of LOG matches the extended regex (CR
# and terminal escapes removed), for guests that never end on their own
# (memtest86+'s progress; a hypervisor panic, after which the machine is
# stopped, not off); the run then counts as ended normally.
#
# -S SCRIPT: feed the serial input from SCRIPT while the console goes to LOG (the
# serial port is a pipe pair, LOG collects its output). One command per line:
#   wait [SECONDS] REGEX   wait until a line of LOG matches the extended regex
#                          (CR removed; ceiling: default 300 s)
#   send TEXT              send TEXT; printf %b escapes (\r, \x1d); the rest of
#                          the line, leading blank removed
#   sleep SECONDS
#   # comment
# The feeder logs its progress to LOG.script; when a wait times out it stops
# there (and says so in LOG.script) and the run goes on to its own end.
# Facts behind the command line: docs/emulators.md.
set -euo pipefail
. "$(dirname "$0")/lib/stop_at.sh"

cpu=qemu64,+svm,+npt smp=1 mem=256 timeout_s=600 log="" end="" interactive=0 script=""
while getopts "c:s:m:t:l:e:iS:" opt; do
	case $opt in
	c) cpu=$OPTARG ;;
	s) smp=$OPTARG ;;
	m) mem=$OPTARG ;;
	t) timeout_s=$OPTARG ;;
	l) log=$OPTARG ;;
	e) end=$OPTARG ;;
	i) interactive=1 ;;
	S) script=$OPTARG ;;
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
			t=300 re=$rest
			if [[ $rest =~ ^([0-9]+)\ (.*)$ ]]; then t=${BASH_REMATCH[1]} re=${BASH_REMATCH[2]}; fi
			deadline=$((SECONDS + t))
			until tr -d '\r' <"$log" | grep -Eq -- "$re"; do
				# The run is over and its log complete: one last look.
				if [ -e "$fifodir/ended" ]; then
					tr -d '\r' <"$log" | grep -Eq -- "$re" && break
					echo "the run ended before /$re/: script stopped" >>"$log.script"
					exec 3>&-
					return 0
				fi
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
	# What -serial mon:stdio is (serial and monitor multiplexed on stdio,
	# Ctrl-A C switches, Ctrl-A X quits), plus logfile=: QEMU copies the
	# output there; signal=off: Ctrl-C goes to the guest (its shell's
	# command), not to QEMU as SIGINT.
	serial=(-chardev "stdio,id=con0,mux=on,signal=off,logfile=$log" -serial chardev:con0
		-mon chardev=con0,mode=readline)
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

qemu=(timeout --foreground -k 5 "$timeout_s" qemu-system-x86_64
	-accel tcg -machine q35 -cpu "$cpu" -smp "$smp" -m "$mem"
	-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd
	-drive if=pflash,format=raw,file="$vars"
	-drive format=raw,file=fat:rw:"$esp"
	-nodefaults -display none -monitor none -no-reboot
	-device isa-debug-exit,iobase=0xf4,iosize=0x04
	"${serial[@]}" "$@")

set +e
if [ -n "$end" ] && [ $interactive = 0 ]; then
	# QEMU in the background, ended (SIGTERM through timeout) at that line.
	"${qemu[@]}" &
	run=$! seen=0
	stop_at "$run" "$log" "$end" && seen=1
	wait "$run"
	status=$?
	[ $seen = 1 ] && status=0
else
	"${qemu[@]}"
	status=$?
fi
set -e
# The log collector copies what QEMU wrote last; it ends at the pipe's EOF.
if [ -n "$script" ]; then
	wait "${helpers[0]}"
	# The feeder judges its last wait on the complete log, then ends.
	: >"$fifodir/ended"
	wait "${helpers[1]}"
fi
exit $status
