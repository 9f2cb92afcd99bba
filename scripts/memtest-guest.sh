#!/usr/bin/env bash
# Puts Debian's memtest86+ EFI image (package memtest86+, unpacked, not
# installed) at build/memtest/memtest86+x64.efi for test/integration/memtest.sh.
# Idempotent: a second run reuses what is there.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$TOP/build/memtest
CACHE=${IOMVISOR_CACHE:-$TOP/build/cache}
mkdir -p "$OUT" "$CACHE"

[ -s "$OUT/memtest86+x64.efi" ] && exit 0
if ! ls "$CACHE"/memtest86+_*.deb >/dev/null 2>&1; then
	(cd "$CACHE" && { apt-get download memtest86+ >/dev/null 2>&1 ||
		{ apt-get update -qq >/dev/null && apt-get download memtest86+ >/dev/null; }; })
fi
rm -rf "$CACHE/memtest"
dpkg-deb -x "$(ls "$CACHE"/memtest86+_*.deb | head -1)" "$CACHE/memtest"
cp "$CACHE/memtest/boot/memtest86+x64.efi" "$OUT/memtest86+x64.efi"
