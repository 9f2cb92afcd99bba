# Building EFI system partitions for the runners. Sourced by test scripts.
#
# esp_new DIR                      empty ESP with iomvisor as the default boot image
# esp_config DIR "line" ...        writes \EFI\iomvisor\iomvisor.cfg, one line per argument
# esp_add DIR SRC DEST             copies SRC to DEST (a path inside the ESP, '/'-separated)

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
