#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds the Linux test guest from Debian's packages into build/linux/:
#   vmlinuz      Debian's EFI-stub kernel (package linux-image-amd64, unpacked, not installed)
#   initrd.img   a busybox initramfs whose init reports and powers off (with
#                the kernel command-line word linux-guest.demo, make run's, it
#                prints a guide and starts a shell first, and powers off when
#                that shell exits)
# The init prints "linux-guest: userspace up", "linux-guest: nproc=N", how many
# CPUs have the hypervisor flag, and "linux-guest: rtc ..." (hwclock reads the
# CMOS clock), then powers off. With a virtio RNG (QEMU -device virtio-rng-pci)
# it loads Debian's virtio modules and prints the device's BAR and 16 bytes read
# from /dev/hwrng first. With the word linux-guest.hw on the command line it
# also reports CPUs, memory, huge pages, a virtio disk and NIC (the init's
# comment says what). Idempotent: a second run reuses what is there.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$TOP/build/linux
CACHE=${IOMVISOR_CACHE:-$TOP/build/cache}
mkdir -p "$OUT" "$CACHE"
# Tests build it side by side (run-all runs two scripts at once; make test may
# run beside another, the cache may be shared): one builder at a time.
exec 9>"$CACHE/.build.lock"
flock 9

# The kernel package, unpacked into the cache (the kernel and its modules).
if [ ! -d "$CACHE/kernel/boot" ] || [ ! -d "$CACHE/kernel/lib/modules" ]; then
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
	if [ -z "$pkg" ]; then
		apt-get update -qq >/dev/null
		pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
	fi
	[ -n "$pkg" ] || { echo "linux-guest: cannot find Debian's kernel package" >&2; exit 1; }
	(cd "$CACHE" && ls "$pkg"_*.deb >/dev/null 2>&1 || apt-get download "$pkg" >/dev/null)
	rm -rf "$CACHE/kernel" "$OUT/vmlinuz" "$OUT/initrd.img"
	dpkg-deb -x "$(ls "$CACHE/$pkg"_*.deb | head -1)" "$CACHE/kernel"
fi
if [ ! -s "$OUT/vmlinuz" ]; then
	cp "$(ls "$CACHE"/kernel/boot/vmlinuz-* | head -1)" "$OUT/vmlinuz"
fi

if [ ! -s "$OUT/initrd.img" ] || [ "$0" -nt "$OUT/initrd.img" ]; then
	root=$(mktemp -d)
	trap 'rm -rf "$root"' EXIT
	mkdir -p "$root"/{bin,dev,proc,sys}
	cp /bin/busybox "$root/bin/busybox"
	# Every applet: the report uses a few, the demo's shell offers them all.
	for tool in $(/bin/busybox --list); do
		[ "$tool" = busybox ] || ln -s busybox "$root/bin/$tool"
	done
	# add_modules DIR MODULE...: the kernel's modules (paths under kernel/,
	# without .ko) into DIR, numbered in the order given, which is the order
	# the init loads them in.
	add_modules() {
		local dir=$1 m n=0
		shift
		mkdir -p "$dir"
		for m in "$@"; do
			n=$((n + 1))
			cp "$(ls "$CACHE"/kernel/lib/modules/*/kernel/$m.ko | head -1)" "$dir/$n-${m##*/}.ko"
		done
	}
	# Debian builds virtio as modules; each needs the ones before it.
	add_modules "$root/lib/modules" drivers/virtio/virtio_ring drivers/virtio/virtio \
		drivers/virtio/virtio_pci_legacy_dev drivers/virtio/virtio_pci_modern_dev \
		drivers/virtio/virtio_pci drivers/char/hw_random/virtio-rng
	# The hardware report's block and network drivers (linux-guest.hw), loaded
	# after the virtio core above.
	add_modules "$root/lib/modules/hw" drivers/block/virtio_blk net/core/failover \
		drivers/net/net_failover drivers/net/virtio_net
	cat >"$root/init" <<'EOI'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
echo "linux-guest: userspace up"
echo "linux-guest: nproc=$(nproc)"
echo "linux-guest: cpus with the hypervisor flag: $(grep -c '^flags.* hypervisor' /proc/cpuinfo)"
echo "linux-guest: rtc $(hwclock -r 2>&1 | head -1)"
# The PCI functions Linux enumerated (a hidden one must be missing).
echo "linux-guest: pci:$(cd /sys/bus/pci/devices && echo *)"
# A virtio RNG (QEMU -device virtio-rng-pci; transitional or modern ID): its
# registers are in a 64-bit BAR (BAR4, line 5 of resource) that the firmware
# put above 4 GiB. Load the drivers, read the device.
for d in /sys/bus/pci/devices/*; do
	case "$(cat "$d/vendor"):$(cat "$d/device")" in
	0x1af4:0x1005 | 0x1af4:0x1044) ;;
	*) continue ;;
	esac
	for m in /lib/modules/*.ko; do insmod "$m"; done
	echo "linux-guest: virtio-rng BAR4 at $(sed -n '5s/ .*//p' "$d/resource")"
	echo "linux-guest: hwrng:$(dd if=/dev/hwrng bs=16 count=1 2>/dev/null | od -An -tx1)"
	break
done
# The hardware report (the word linux-guest.hw; test/integration/linux_max.sh):
# what Linux made of a machine like a current one. CPUs online, CPU features,
# memory, 1-GiB huge pages, a virtio disk (the test wrote a pattern into the
# image, the guest prints its checksum, then writes a line of its own at
# sector 8 that the test reads back from the image), a virtio NIC (DHCP from
# QEMU's user network) and the hardware RNG (above).
case " $(cat /proc/cmdline) " in
*" linux-guest.hw "*)
	echo "linux-guest: cpus online $(cat /sys/devices/system/cpu/online)"
	for f in pdpe1gb avx xsave; do
		grep -qw "$f" /proc/cpuinfo && echo "linux-guest: cpu flag $f"
	done
	echo "linux-guest: $(grep MemTotal /proc/meminfo)"
	for h in /sys/kernel/mm/hugepages/hugepages-*; do
		echo "linux-guest: huge pages ${h##*-}"
	done
	for m in /lib/modules/*.ko /lib/modules/hw/*.ko; do insmod "$m" 2>/dev/null; done
	if [ -b /dev/vda ]; then
		echo "linux-guest: vda $(cat /sys/block/vda/size) sectors, md5 $(md5sum </dev/vda | cut -d' ' -f1)"
		printf '%-512s' "linux-guest wrote this through virtio-blk" |
			dd of=/dev/vda bs=512 seek=8 conv=notrunc,fsync 2>/dev/null
		# Read back from the device, not from the page cache.
		echo 3 >/proc/sys/vm/drop_caches
		echo "linux-guest: vda sector 8 reads back: $(dd if=/dev/vda bs=512 skip=8 count=1 2>/dev/null | head -c 41)"
	fi
	if [ -e /sys/class/net/eth0 ]; then
		ip link set eth0 up
		udhcpc -i eth0 -f -q -n -t 10 -T 1 -s /bin/udhcpc-bound >/dev/null 2>&1
		echo "linux-guest: eth0 address $(ip -o -4 addr show dev eth0 | awk '{print $4}')"
	fi
	;;
esac
# The demo (scripts/run.sh puts the word linux-guest.demo on the kernel command
# line): a guide, then a shell for a person, until it exits. Tests and
# benchmarks boot without the word: the init powers off at once.
case " $(cat /proc/cmdline) " in
*" linux-guest.demo "*)
	cat /etc/demo-guide
	# /dev/console cannot be a controlling terminal: cttyhack opens the
	# serial line it stands for, in a session of its own (setsid), so the
	# shell has job control and Ctrl-C stops its command, not the init.
	HOME=/ PS1='demo:\w# ' setsid cttyhack sh
	echo "linux-guest: the shell ended"
	;;
esac
echo "linux-guest: powering off"
poweroff -f
EOI
	chmod +x "$root/init"
	# What the demo's configuration (scripts/run.sh) traces and shows, how
	# to reach the debug console, and a few commands to try.
	mkdir -p "$root/etc"
	cat >"$root/etc/demo-guide" <<'EOG'

linux-guest: the iomvisor demo. This Linux runs under iomvisor (make run),
configured to trace the CMOS clock's ports (0x70-0x71) and to print what the
guest writes to port 0xE9. Try:
  hwclock                            read the clock: each access is traced
  debugcon hello                     "hello" through port 0xE9: a debugcon line
  grep -c hypervisor /proc/cpuinfo   the CPUs that see a hypervisor (CPUID)
Ctrl-] Ctrl-] enters iomvisor's debug console; there try help, cpus,
ioport 0x70, stats, trace show, then continue to come back here.
exit (or Ctrl-D) powers the machine off; Ctrl-A X ends QEMU at once.

EOG
	cat >"$root/bin/debugcon" <<'EOD'
#!/bin/sh
# debugcon TEXT...: TEXT and a newline to port 0xE9, where iomvisor's
# "debugcon on" collects it into a console line. /dev/port writes successive
# bytes to successive ports, so each byte is a write of its own at 0xE9 (233).
# iomvisor keeps a line per CPU: all of them from CPU 0 (taskset), one line.
taskset -p 1 $$ >/dev/null
s="$*
"
i=0
while [ $i -lt ${#s} ]; do
	printf '%s' "${s:$i:1}" | dd of=/dev/port bs=1 seek=233 conv=notrunc 2>/dev/null
	i=$((i + 1))
done
EOD
	chmod +x "$root/bin/debugcon"
	# udhcpc's event script: on a lease, the address on the interface.
	cat >"$root/bin/udhcpc-bound" <<'EOS'
#!/bin/sh
case "$1" in
bound | renew) ip addr add "$ip/${mask:-24}" dev "$interface" ;;
esac
exit 0
EOS
	chmod +x "$root/bin/udhcpc-bound"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) >"$OUT/initrd.img"
fi
ls -la "$OUT"
