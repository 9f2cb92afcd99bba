#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Puts one file of a Debian package (downloaded with apt-get download, unpacked,
# never installed) at build/debian/NAME, NAME being the file's own name:
#   scripts/debian-file.sh memtest86+ boot/memtest86+x64.efi
#   scripts/debian-file.sh systemd-boot-efi usr/lib/systemd/boot/efi/systemd-bootx64.efi
# The guests the integration tests chain-load besides Linux (scripts/linux-guest.sh).
# Idempotent: a second run reuses what is there.
set -euo pipefail
pkg=${1:?usage: debian-file.sh PACKAGE PATH-IN-PACKAGE}
path=${2:?usage: debian-file.sh PACKAGE PATH-IN-PACKAGE}
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$TOP/build/debian
CACHE=${IOMVISOR_CACHE:-$TOP/build/cache}
mkdir -p "$OUT" "$CACHE"
# Tests build it side by side (run-all runs two scripts at once; make test may
# run beside another, the cache may be shared): one builder at a time.
exec 9>"$CACHE/.build.lock"
flock 9

name=$(basename "$path")
[ -s "$OUT/$name" ] && exit 0
if ! ls "$CACHE/${pkg}"_*.deb >/dev/null 2>&1; then
	(cd "$CACHE" && { apt-get download "$pkg" >/dev/null 2>&1 ||
		{ apt-get update -qq >/dev/null && apt-get download "$pkg" >/dev/null; }; })
fi
rm -rf "$CACHE/unpacked-$pkg"
dpkg-deb -x "$(ls "$CACHE/${pkg}"_*.deb | head -1)" "$CACHE/unpacked-$pkg"
cp "$CACHE/unpacked-$pkg/$path" "$OUT/$name"
