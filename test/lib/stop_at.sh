# SPDX-License-Identifier: GPL-2.0-only
# stop_at PID LOG REGEX: while PID runs, watch LOG; at the first line matching
# the extended regex (CR and terminal escapes removed), give the emulator a
# second to flush, end PID and return 0; return 1 if PID ended first.
# Sourced by the runners (test/run-qemu.sh, test/run-bochs.sh -e).
stop_at() {
	local pid=$1 log=$2 re=$3
	while kill -0 "$pid" 2>/dev/null; do
		if tr -d '\r' <"$log" | sed 's/\x1b\[[0-9;=?]*[a-zA-Z]//g' | grep -aEq -- "$re"; then
			sleep 1 # let the last lines reach the log
			kill "$pid" 2>/dev/null
			return 0
		fi
		sleep 1
	done
	return 1
}
