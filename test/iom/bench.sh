#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs the IOM dispatch benchmark (test/iom/bench_iom.c) under callgrind and
# prints instructions per operation and their ratios. Instruction counts, not
# time: they repeat exactly from run to run and do not depend on the machine.
# Targets: hinted dispatch within 1.2x a direct handler call;
# unhinted dispatch at 4,096 ranges within 3x the cost at 1 range.
set -euo pipefail
prog=${1:?usage: bench.sh PROGRAM}
command -v valgrind >/dev/null || { echo "bench-iom: valgrind is not installed" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$prog" >"$out/log" 2>&1 || {
	cat "$out/log" >&2; exit 1; }

# Each dump names its measurement ("MODE N OPS") and holds its instruction total.
for f in "$out"/cg.*; do
	label=$(sed -n 's/^desc: Trigger: Client Request: //p' "$f")
	[ -n "$label" ] || continue
	total=$(sed -n 's/^\(summary\|totals\): *//p' "$f" | head -1)
	echo "$label $total"
done | awk '
{ ipo[$1, $2] = $4 / $3; n[$2] = 1 }
END {
	printf "IOM port dispatch, instructions per operation (callgrind)\n"
	printf "%7s %8s %8s %8s %9s   %14s %16s %15s\n", "ranges", "direct", "linear",
	       "hinted", "unhinted", "hinted/direct", "unhinted/1-range", "linear/unhinted"
	base = ipo["unhinted", 1]
	split("1 16 256 4096", sizes, " ")
	for (i = 1; i <= 4; i++) {
		s = sizes[i]
		if (!(("direct", s) in ipo)) continue
		printf "%7d %8.1f %8.1f %8.1f %9.1f   %13.2fx %15.2fx %14.2fx\n", s,
		       ipo["direct", s], ipo["linear", s], ipo["hinted", s],
		       ipo["unhinted", s], ipo["hinted", s] / ipo["direct", s],
		       ipo["unhinted", s] / base, ipo["linear", s] / ipo["unhinted", s]
	}
	printf "targets: hinted/direct <= 1.20x; unhinted/1-range at 4096 <= 3.00x\n"
}'
