#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make fuzz-guest SECONDS=N SEED=S: the hostile guest (test/guest/hostile)
# under QEMU SVM, stopped N seconds after its first batch began. Prints the
# operations per second, or the seed and the batch of a failure (a failed
# check, a hypervisor panic, a guest triple fault, or no batch finished for
# HANG_S seconds) with the hypervisor's panic line. The time is the host's:
# the guest's own clock (TSC) is among the things it fuzzes.
#   FUZZ_OPTIONS='no=pio unsafe=efer'   more guest options (test/guest/hostile/main.c)
#   BARE=1   the same stream without the hypervisor: is a hang the machine's own?
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/test/lib/esp.sh"
seconds=${1:-60} seed=${2:-1} hang_s=${HANG_S:-60}
esp=$TOP/build/fuzz-guest
log=$esp.log
esp_new "$esp"
esp_add "$esp" "$BUILD/guest/hostile.efi" EFI/test/hostile.efi
if [ "${BARE:-0}" = 1 ]; then
	esp_config "$esp" "hypervisor off" \
		"next \\EFI\\test\\hostile.efi seed=$seed ops=1000000000000 bare ${FUZZ_OPTIONS:-}"
else
	esp_config "$esp" "testdev on" \
		"next \\EFI\\test\\hostile.efi seed=$seed ops=1000000000000 ${FUZZ_OPTIONS:-}"
fi
# Boot and firmware take a minute or two under TCG on a busy machine.
"$TOP/test/run-qemu.sh" -t $((seconds + hang_s + 300)) -l "$log" "$esp" >/dev/null 2>&1 &
runner=$!

plain() { tr -d '\r' <"$log" 2>/dev/null; }
last_batch() { plain | grep -a '^hostile: ops ' | tail -1 | sed 's/^hostile: ops \([0-9]*\)-.*/\1/'; }
failed=""
start="" last="" last_change=$SECONDS
while kill -0 "$runner" 2>/dev/null; do
	sleep 1
	if plain | grep -aqE 'PANIC|guest shutdown|hostile: FAIL|iomvisor-test: FAIL'; then
		failed="a panic, triple fault or failed check"
		break
	fi
	b=$(last_batch)
	[ -z "$b" ] && continue
	[ -z "$start" ] && start=$SECONDS
	if [ "$b" != "$last" ]; then
		last=$b last_change=$SECONDS
	elif [ $((SECONDS - last_change)) -ge "$hang_s" ]; then
		failed="no batch finished for ${hang_s}s (hang)"
		break
	fi
	[ $((SECONDS - start)) -ge "$seconds" ] && break
done
elapsed=$((SECONDS - ${start:-$SECONDS}))
# End QEMU: the runner's child is the timeout process that holds it.
for child in $(pgrep -P "$runner"); do kill "$child" 2>/dev/null; done
wait "$runner" 2>/dev/null
if [ -n "$failed" ]; then
	echo "fuzz-guest: FAILED ($failed) with seed $seed, in the batch from operation $(last_batch)"
	plain | grep -aE 'PANIC|guest shutdown|hostile: FAIL' | head -4
	echo "replay it: FUZZ_OPTIONS='first=$(last_batch) ops=1000 verbose' and the same seed;"
	echo "each operation is printed before it runs (log: $log)"
	exit 1
fi
if [ -z "$start" ]; then
	echo "fuzz-guest: the guest never started a batch (log: $log)"
	exit 1
fi
done_ops=$(last_batch)
echo "fuzz-guest: seed $seed: $done_ops operations in ${elapsed}s ($((done_ops / (elapsed > 0 ? elapsed : 1))) ops/s), no failure"
