# stop_at PID LOG REGEX: while PID runs, watch LOG; at the first line matching
# the extended regex, give the emulator a second to flush, then end PID.
# Sourced by the runners (test/run-qemu.sh, test/run-bochs.sh -e).
stop_at() {
	local pid=$1 log=$2 re=$3
	while kill -0 "$pid" 2>/dev/null; do
		if tr -d '\r' <"$log" | grep -aEq -- "$re"; then
			sleep 1 # let the last lines reach the log
			kill "$pid" 2>/dev/null
			return
		fi
		sleep 1
	done
}
