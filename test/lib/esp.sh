# SPDX-License-Identifier: GPL-2.0-only
# Building EFI system partitions for the runners. Sourced by test scripts.
#
# esp_new DIR                      empty ESP with iomvisor as the default boot image
# esp_config DIR "line" ...        writes \EFI\iomvisor\iomvisor.cfg, one line per argument
# esp_add DIR SRC DEST             copies SRC to DEST (a path inside the ESP, '/'-separated)
# linux_guest_ready CASE           builds Debian's kernel and initramfs (scripts/linux-guest.sh,
#                                  its output in $OUT/linux-guest.out); if that fails, prints
#                                  "FAIL: CASE: could not build the Linux guest" and returns 1
# esp_linux DIR KARGS "line" ...   an ESP whose configuration (the lines given) ends by
#                                  chain-loading Debian's kernel (build/linux, made by
#                                  scripts/linux-guest.sh) with console=ttyS0, its
#                                  initramfs and KARGS

: "${TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${BUILD:=$TOP/build}"

esp_new() {
	rm -rf "$1"
	mkdir -p "$1/EFI/BOOT" "$1/EFI/iomvisor" "$1/EFI/test"
	cp "$BUILD/iomvisor.efi" "$1/EFI/BOOT/BOOTX64.EFI"
}

esp_config() {
	local dir=$1
	shift
	printf '%s\n' "$@" >"$dir/EFI/iomvisor/iomvisor.cfg"
}

esp_add() {
	mkdir -p "$(dirname "$1/$3")"
	cp "$2" "$1/$3"
}

linux_guest_ready() {
	bash "$TOP/scripts/linux-guest.sh" >"$OUT/linux-guest.out" 2>&1 && return 0
	echo "FAIL: $1: could not build the Linux guest (see $OUT/linux-guest.out)"
	return 1
}

esp_linux() {
	local dir=$1 kargs=$2
	shift 2
	esp_new "$dir"
	esp_add "$dir" "$BUILD/linux/vmlinuz" EFI/linux/vmlinuz
	esp_add "$dir" "$BUILD/linux/initrd.img" EFI/linux/initrd.img
	esp_config "$dir" "$@" \
		"next \\EFI\\linux\\vmlinuz console=ttyS0 initrd=\\EFI\\linux\\initrd.img $kargs"
}
