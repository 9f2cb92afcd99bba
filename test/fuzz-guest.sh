#!/usr/bin/env bash
# make fuzz-guest SECONDS=N SEED=S: the hostile guest (test/guest/hostile)
# under QEMU SVM for N seconds of operations. Prints the operations per second,
# or the seed and operations of a failure and the hypervisor's panic line.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/test/lib/esp.sh"
seconds=${1:-60} seed=${2:-1}
esp=$TOP/build/fuzz-guest
hostile_opts="seed=$seed seconds=$seconds ${FUZZ_OPTIONS:-}"
esp_new "$esp"
esp_add "$esp" "$BUILD/guest/hostile.efi" EFI/test/hostile.efi
esp_config "$esp" "testdev on" "next \\EFI\\test\\hostile.efi $hostile_opts"
# Boot and firmware take about a minute under TCG on a busy machine.
"$TOP/test/run-qemu.sh" -t $((seconds * 2 + 180)) \
	-e 'PANIC: the machine is stopped|resetting the machine' -l "$esp.log" "$esp" >/dev/null 2>&1
log=$(tr -d '\r' <"$esp.log")
if grep -aq '^iomvisor-test: PASS' <<<"$log"; then
	grep -a '^hostile: \(done\|exceptions\)' <<<"$log"
	exit 0
fi
echo "fuzz-guest: FAILED with seed $seed (log: $esp.log)"
grep -a 'PANIC\|guest shutdown\|hostile: FAIL\|^hostile: ops' <<<"$log" | tail -4
echo "replay the last batch with FUZZ_OPTIONS='first=N ops=1000 verbose' (N its first op)"
exit 1
