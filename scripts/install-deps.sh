#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs everything iomvisor's build, tests and benchmarks use, on Debian 12.
# Run as root (make run / make test call it; it does nothing when all is present).
set -euo pipefail

PACKAGES=(
  make clang lld llvm gnu-efi          # the hypervisor image: compiler, linker, objcopy, EFI crt0/libs
  libcmocka-dev                        # host unit tests
  libzydis-dev                         # x86 decoder differential test (test/x86/, never linked into the hypervisor)
  qemu-system-x86 ovmf                 # AMD SVM runs under QEMU TCG with OVMF
  bochs bochsbios vgabios bochs-term   # Intel VMX (and a second SVM) under Bochs
  mtools dosfstools                    # FAT16 disk images for Bochs
  busybox-static cpio gzip             # the Linux test guest's initramfs (scripts/linux-guest.sh)
  git coreutils                        # version string; timeout
  gdb                                  # make gdb, test/integration/debug.sh
  python3                              # test/lib/serial_pty.py: serial input for Bochs
  python3-matplotlib                   # scripts/iomtrace --plot
  valgrind                             # make bench-iom (callgrind instruction counts)
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "iomvisor: missing Debian packages: ${missing[*]}" >&2
  echo "iomvisor: install them as root with:  apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "iomvisor: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
