#!/usr/bin/env bash
# Builds the Linux test guest from Debian's packages into build/linux/:
#   vmlinuz      Debian's EFI-stub kernel (package linux-image-amd64, unpacked, not installed)
#   initrd.img   a busybox initramfs whose init reports and powers off
# The init prints "linux-guest: userspace up", "linux-guest: nproc=N", how many
# CPUs have the hypervisor flag, and "linux-guest: rtc ..." (hwclock reads the
# CMOS clock), then powers off. Idempotent: a second run reuses what is there.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$TOP/build/linux
CACHE=${IOMVISOR_CACHE:-$TOP/build/cache}
mkdir -p "$OUT" "$CACHE"

if [ ! -s "$OUT/vmlinuz" ]; then
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
	if [ -z "$pkg" ]; then
		apt-get update -qq >/dev/null
		pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
	fi
	[ -n "$pkg" ] || { echo "linux-guest: cannot find Debian's kernel package" >&2; exit 1; }
	(cd "$CACHE" && ls "$pkg"_*.deb >/dev/null 2>&1 || apt-get download "$pkg" >/dev/null)
	rm -rf "$CACHE/kernel"
	dpkg-deb -x "$(ls "$CACHE/$pkg"_*.deb | head -1)" "$CACHE/kernel"
	cp "$(ls "$CACHE"/kernel/boot/vmlinuz-* | head -1)" "$OUT/vmlinuz"
fi

if [ ! -s "$OUT/initrd.img" ] || [ "$0" -nt "$OUT/initrd.img" ]; then
	root=$(mktemp -d)
	trap 'rm -rf "$root"' EXIT
	mkdir -p "$root"/{bin,dev,proc,sys}
	cp /bin/busybox "$root/bin/busybox"
	for tool in sh mount nproc cat echo poweroff sleep hwclock date grep; do
		ln -s busybox "$root/bin/$tool"
	done
	cat >"$root/init" <<'EOI'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
echo "linux-guest: userspace up"
echo "linux-guest: nproc=$(nproc)"
echo "linux-guest: cpus with the hypervisor flag: $(grep -c '^flags.* hypervisor' /proc/cpuinfo)"
echo "linux-guest: rtc $(hwclock -r 2>&1 | head -1)"
echo "linux-guest: powering off"
poweroff -f
EOI
	chmod +x "$root/init"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) >"$OUT/initrd.img"
fi
ls -la "$OUT"
