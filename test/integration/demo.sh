#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make run as a person uses it: scripts/run.sh on a pseudo-terminal (its stdin
# and stdout, test/lib/serial_pty.py --run), one boot of Debian's Linux under
# iomvisor on QEMU SVM with two CPUs. The guest's init prints its guide and
# starts a shell; the shell answers a command, Ctrl-C stops a command (and not
# QEMU), the shell writes through port 0xE9; the hotkey enters the debug
# console, `cpus` lists both vCPUs, `continue` leaves it and the same shell
# answers again; `exit` powers the machine off and the run ends by itself.
# QEMU's copy of the console (build/console.log) holds it all.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/test/lib/check.sh"
OUT=${TEST_OUT:-$TOP/build/test-out}/demo
mkdir -p "$OUT"

cat >"$OUT/script" <<'SCRIPT'
# Each command is typed after the shell's next prompt, as a person does: a wait
# for a command's output runs on to the prompt after it (the regex spans lines).
wait 900 demo:/#
send echo $((6*7))\r
wait ^42\ndemo:/#
# Ctrl-C ends the shell's command, not QEMU: the command prints once it runs
# in the foreground.
send sh -c 'echo sleeping $((1+1)); exec sleep 1000'\r
wait ^sleeping 2$
send \x03
wait \^C\ndemo:/#
send echo after ctrl-c $((5*5))\r
wait ^after ctrl-c 25\ndemo:/#
send debugcon hello from the demo\r
wait debugcon: cpu [01]: hello from the demo\ndemo:/#
send \x1d\x1d
wait iomvisor>
send cpus\r
wait ^ +1 +[0-9]+ +[a-z-]+ +[0-9]+ +0x
send continue\r
wait debug console: left
send echo again $((6*7))\r
wait ^again 42\ndemo:/#
send exit\r
wait linux-guest: powering off
SCRIPT

tty_log=$OUT/tty.log
rm -f "$tty_log"
# A ceiling for the whole run (QEMU's timeout), never reached when it works:
# the run ends at the guest's power-off. run.sh builds the Linux guest itself,
# as make run does; what goes wrong there is in the terminal's log.
status=0
TIMEOUT=900 python3 "$TOP/test/lib/serial_pty.py" --run "$tty_log" "$OUT/script" \
	bash "$TOP/scripts/run.sh" || status=$?
cp "$TOP/build/console.log" "$OUT/console.log" 2>/dev/null

check_begin "make run: the guest's shell, the console tour, exit powers off" "$OUT/console.log"
expect_script_done "$tty_log.script"
[ $status = 0 ] || { echo "  the run did not end by itself with status 0 (status $status; terminal: $tty_log)"; case_failures=$((case_failures + 1)); }
expect '^iomvisor\[0\]: hypervisor: 2 of 2 CPUs taken over$' "both CPUs taken over"
expect '^linux-guest: userspace up$' "reached userspace"
expect '^linux-guest: the iomvisor demo\.' "the guide"
expect '^demo:/# echo \$\(\(6\*7\)\)$' "the command typed at the shell's prompt, echoed"
expect '^42$' "the shell's answer"
expect '^after ctrl-c 25$' "Ctrl-C ended the shell's command, and the shell answers"
expect '^iomvisor\[[01]\]: debugcon: cpu [01]: hello from the demo$' "port 0xE9 written from the shell"
expect '^iomvisor> cpus$' "the debug console's prompt, cpus typed"
expect '^ +0 +[0-9]+ +[a-z-]+ +[0-9]+ +0x' "cpus: vCPU 0"
expect '^ +1 +[0-9]+ +[a-z-]+ +[0-9]+ +0x' "cpus: vCPU 1"
expect '^iomvisor> continue$' "continue typed"
expect '^again 42$' "the same shell answers after the console"
expect '^linux-guest: the shell ended$' "exit ended the shell"
expect '^linux-guest: powering off$' "the init powered off"
expect_not 'PANIC|Kernel panic|iomvisor\[[01]\] error|unknown command' "hypervisor, kernel or console failure"
check_end
