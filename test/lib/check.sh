# SPDX-License-Identifier: GPL-2.0-only
# Assertions over a serial-console log, for the integration tests. Sourced.
#
# An integration test prints one line per case, which test/run-all.sh counts:
#   PASS: NAME
#   FAIL: NAME: why
# check_begin NAME LOG; expect LOG-REGEX DESCRIPTION ...; check_end

case_name="" case_log="" case_failures=0

check_begin() {
	case_name=$1 case_log=$2 case_failures=0
	# Serial logs carry CR LF and the firmware's terminal escapes: keep plain lines.
	if [ -f "$case_log" ]; then
		tr -d '\r' <"$case_log" | sed 's/\x1b\[[0-9;=]*[a-zA-Z]//g' >"$case_log.txt"
	else
		: >"$case_log.txt"
	fi
}

# expect REGEX DESC: some line of the log matches the extended regex.
expect() {
	if ! grep -Eq -- "$1" "$case_log.txt"; then
		echo "  $case_name: missing: $2 (/$1/)"
		case_failures=$((case_failures + 1))
	fi
}

# expect_not REGEX DESC: no line matches.
expect_not() {
	if grep -Eq -- "$1" "$case_log.txt"; then
		echo "  $case_name: unexpected: $2 (/$1/):"
		grep -E -- "$1" "$case_log.txt" | head -3 | sed 's/^/    /'
		case_failures=$((case_failures + 1))
	fi
}

# expect_count N REGEX DESC: exactly N lines match.
expect_count() {
	local n
	n=$(grep -Ec -- "$2" "$case_log.txt" || true)
	if [ "$n" != "$1" ]; then
		echo "  $case_name: expected $1 lines of $3, found $n (/$2/)"
		case_failures=$((case_failures + 1))
	fi
}

# expect_script_done SCRIPT_LOG: a serial-input script (run-qemu.sh -S) ran to
# its end; if not, names the wait that reached its ceiling.
expect_script_done() {
	if ! grep -q '^script done$' "$1" 2>/dev/null; then
		echo "  $case_name: input script stopped: $(tail -n 1 "$1" 2>/dev/null || echo 'no progress log')"
		case_failures=$((case_failures + 1))
	fi
}

check_end() {
	if [ $case_failures = 0 ]; then
		echo "PASS: $case_name"
	else
		echo "FAIL: $case_name: $case_failures assertion(s) failed; log: $case_log.txt"
		echo "  --- last lines of the log ---"
		tail -n 15 "$case_log.txt" | sed 's/^/  | /'
		echo
	fi
}
