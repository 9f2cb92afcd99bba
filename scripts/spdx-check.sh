#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Checks that every source file starts with the project's license identifier,
#
#   SPDX-License-Identifier: GPL-2.0-only
#
# in the comment syntax of its type, as its first line (the second after a "#!"
# line):
#   .c .h .S .ld                 /* SPDX-License-Identifier: GPL-2.0-only */
#   .sh .py .mk, Makefile,       # SPDX-License-Identifier: GPL-2.0-only
#   and other scripts with "#!"
#
#   scripts/spdx-check.sh          list the files without it; exit 1 if any
#   scripts/spdx-check.sh --add    add it where it is missing; exit 1 if a file
#                                  names another license (never overwritten)
#
# The files are those git tracks (or, outside a git work tree, those under the
# top folder, build/ left out). The last line says how many files were checked.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"

LICENSE=GPL-2.0-only
TAG="SPDX-License-Identifier: $LICENSE"

add=0
case "${1:-}" in
--add) add=1 ;;
"") ;;
*)
	echo "usage: scripts/spdx-check.sh [--add]" >&2
	exit 2
	;;
esac

# The comment that carries the tag in FILE, or nothing for files not checked.
comment_for() {
	case "$1" in
	*.c | *.h | *.S | *.ld) echo "/* $TAG */" ;;
	*.sh | *.py | *.mk | Makefile | */Makefile) echo "# $TAG" ;;
	*)
		# Extensionless scripts (.ci/run): judged by their "#!" line.
		if head -c 2 "$1" 2>/dev/null | grep -q '^#!'; then
			echo "# $TAG"
		fi
		;;
	esac
}

list_files() {
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git ls-files
	else
		find . -path ./build -prune -o -path ./.git -prune -o -type f -print |
			sed 's|^\./||' | sort
	fi
}

checked=0 missing=0 added=0 other=0
while IFS= read -r f; do
	[ -f "$f" ] || continue
	want=$(comment_for "$f")
	[ -n "$want" ] || continue
	checked=$((checked + 1))
	first=$(head -n 1 "$f")
	line=1
	if [ "${first:0:2}" = "#!" ]; then
		line=2
	fi
	have=$(sed -n "${line}p" "$f")
	[ "$have" = "$want" ] && continue
	if grep -q 'SPDX-License-Identifier:' "$f" &&
		! grep -qF "$TAG" "$f"; then
		echo "other license: $f: $(grep -m1 'SPDX-License-Identifier:' "$f")"
		other=$((other + 1))
		continue
	fi
	if [ $add = 0 ]; then
		echo "missing: $f"
		missing=$((missing + 1))
		continue
	fi
	# Insert the line; a tag elsewhere in the file (misplaced) is left for
	# a person to remove.
	tmp=$(mktemp "$f.spdx.XXXXXX")
	if [ $line = 2 ]; then
		{ printf '%s\n' "$first"; printf '%s\n' "$want"; tail -n +2 "$f"; } >"$tmp"
	else
		{ printf '%s\n' "$want"; cat "$f"; } >"$tmp"
	fi
	chmod --reference="$f" "$tmp"
	mv "$tmp" "$f"
	added=$((added + 1))
done < <(list_files)

if [ $add = 1 ]; then
	echo "spdx: $checked files checked, $added tagged now, $other with another license"
	[ $other = 0 ]
else
	echo "spdx: $checked files checked, $missing without '$TAG', $other with another license"
	[ $missing = 0 ] && [ $other = 0 ]
fi
