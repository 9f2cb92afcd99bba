#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make test: builds everything, runs the host unit tests, the fuzz smoke run and
# the integration tests on the emulators, and ends with one line
# "N passed, N failed". Exit status 0 only when nothing failed.
#
#   TESTS=banner make test     run only the integration scripts whose names match
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
OUT=$TOP/build/test-out
export TEST_OUT=$OUT
mkdir -p "$OUT"
passed=0 failed=0

count() { # count PASSES FAILS
	passed=$((passed + $1))
	failed=$((failed + $2))
}

if ! make -s -j2 all unit-build; then
	echo "build failed"
	echo "0 passed, 1 failed"
	exit 1
fi

echo "== unit tests"
for t in $(make -s print-unit-tests); do
	log=$OUT/unit-$(basename "$t").out
	"$t" >"$log" 2>&1
	status=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	# A crash or sanitizer report before cmocka's summary is a failure too.
	if [ $status != 0 ] && [ "$f" = 0 ]; then f=1; fi
	count "$p" "$f"
	echo "$(basename "$t"): $p passed, $f failed"
	[ "$f" != 0 ] && grep -E '^\[  (ERROR|FAILED) |ERROR|Sanitizer|runtime error' "$log" | head -20
done

if make -s -n fuzz-smoke >/dev/null 2>&1; then
	echo "== fuzz smoke run"
	if make -s fuzz-smoke >"$OUT/fuzz-smoke.out" 2>&1; then
		count 1 0
		echo "PASS: fuzz smoke run"
	else
		count 0 1
		echo "FAIL: fuzz smoke run (see $OUT/fuzz-smoke.out)"
		tail -20 "$OUT/fuzz-smoke.out"
	fi
fi

echo "== repository"
if bash scripts/spdx-check.sh >"$OUT/spdx.out" 2>&1; then
	count 1 0
	echo "PASS: every source file carries its SPDX license line"
else
	count 0 1
	echo "FAIL: license lines (scripts/spdx-check.sh):"
	grep -v '^spdx:' "$OUT/spdx.out" | head -20
fi

echo "== integration tests"
scripts=()
for s in test/integration/*.sh; do
	[[ -z "${TESTS:-}" || "$(basename "$s")" == *${TESTS}* ]] && scripts+=("$s")
done
# Two at a time: each emulator is single-threaded and the machine has 2 cores.
running=0
for s in "${scripts[@]}"; do
	bash "$s" >"$OUT/$(basename "$s" .sh).out" 2>&1 &
	running=$((running + 1))
	if [ $running -ge 2 ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait
for s in "${scripts[@]}"; do
	out=$OUT/$(basename "$s" .sh).out
	cat "$out"
	p=$(grep -c '^PASS: ' "$out")
	f=$(grep -c '^FAIL: ' "$out")
	# A script that died before reporting anything counts as one failure.
	[ "$p" = 0 ] && [ "$f" = 0 ] && f=1 && echo "FAIL: $s reported nothing"
	count "$p" "$f"
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
