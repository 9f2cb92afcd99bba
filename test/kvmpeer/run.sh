#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The bench's KVM peer: boots Debian's kernel (the package scripts/linux-guest.sh
# unpacks into the cache) with a busybox initramfs under the same QEMU as the
# iomvisor bench (-cpu qemu64,+svm,+npt -icount shift=0, no firmware), loads
# kvm_amd from the same package and runs kvmpeer (test/kvmpeer/kvmpeer.c), then
# powers off. Prints kvmpeer's "kvm: NAME TICKS" lines.
#   test/kvmpeer/run.sh KVMPEER_BINARY
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
peer=${1:?usage: run.sh KVMPEER_BINARY}
OUT=$TOP/build/kvmpeer
CACHE=${IOMVISOR_CACHE:-$TOP/build/cache}
bash "$TOP/scripts/linux-guest.sh" >/dev/null
mkdir -p "$OUT"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,lib/modules}
cp /bin/busybox "$root/bin/busybox"
for tool in sh mount insmod cat poweroff; do
	ln -s busybox "$root/bin/$tool"
done
cp "$peer" "$root/bin/kvmpeer"
# kvm-amd needs kvm and ccp, kvm needs irqbypass: in load order.
n=0
for m in virt/lib/irqbypass arch/x86/kvm/kvm drivers/crypto/ccp/ccp arch/x86/kvm/kvm-amd; do
	n=$((n + 1))
	cp "$(ls "$CACHE"/kernel/lib/modules/*/kernel/$m.ko | head -1)" "$root/lib/modules/$n-${m##*/}.ko"
done
cat >"$root/init" <<'EOI'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
echo
for m in /lib/modules/*.ko; do insmod "$m" || echo "kvm: error: insmod $m"; done
echo "kvm: nrips $(cat /sys/module/kvm_amd/parameters/nrips 2>/dev/null)"
/bin/kvmpeer || echo "kvm: error: kvmpeer failed"
poweroff -f
EOI
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$OUT/initrd.img"

log=$OUT/console.log
timeout 600 qemu-system-x86_64 -machine q35 -cpu qemu64,+svm,+npt -smp 1 -m 512 \
	-icount shift=0 -nographic -no-reboot -monitor none -serial file:"$log" \
	-kernel "$TOP/build/linux/vmlinuz" -initrd "$OUT/initrd.img" \
	-append "console=ttyS0 quiet panic=-1" </dev/null >/dev/null 2>&1 || true
if ! tr -d '\r' <"$log" | grep -q '^kvm: cpuid-exit '; then
	echo "kvm: no results; log: $log" >&2
	tail -20 "$log" >&2
	exit 1
fi
tr -d '\r' <"$log" | grep '^kvm: '
