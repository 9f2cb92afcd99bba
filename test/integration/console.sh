#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The virtual 16550 and the serial debug console, on QEMU SVM and on
# Bochs VMX (serial input through a pseudo-terminal there). The guest
# (test/guest/serialtest) writes COM1 through the proxy and reads a line from it;
# a script on the serial input (test/run-qemu.sh -S) then enters the debug console
# with Ctrl-] Ctrl-], runs its commands, sets watchpoints, leaves, and sends the
# guest "go"; the guest's next port write stops it until "continue".
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/test/lib/esp.sh"
. "$TOP/test/lib/check.sh"
OUT=${TEST_OUT:-$TOP/build/test-out}/console
mkdir -p "$OUT"

serial_esp() {
	esp_new "$1"
	esp_add "$1" "$BUILD/guest/serialtest.efi" EFI/test/serialtest.efi
	esp_config "$1" "testdev on" "debugcon on" 'next \EFI\test\serialtest.efi'
}

cat >"$OUT/script" <<'SCRIPT'
wait 600 ^guest: serial: ready for input
send hello vuart\r
wait ^guest: serial: got 'hello vuart'$
# The hotkey, then every command, once the guest reads its UART with the
# firmware's timer held off (raised TPL): otherwise the firmware's terminal
# driver may take the 'go' sent after 'continue' before the guest does.
wait ^guest: serial: waiting for go
send \x1d\x1d
wait debug console: active
send help\r
wait continue +resume the vCPUs
send ioport\r
wait testdev
send ioport -v\r
wait RBR/DLL
send ioport 0x1234\r
wait no range holds port
send ioport 0x70 x\r
wait usage: ioport
send mmio 0xfe800010\r
wait ^MMIO ranges:
send stats\r
wait ^IOM \(in all\)
send stats -v\r
wait ^IOM statistics
send stats x\r
wait ^error: usage: stats
send cpus\r
wait ^vcpu +apic
send trace off\r
wait trace printing off
send trace show\r
wait trace: cpu 0: last
send frobnicate\r
wait unknown command
send rule add port 0x5b4 w count\r
wait ^rule 1 on
send rule add mmio 0xfe901000+4 r count\r
wait ^rule 2 on
send rule add port 0x5b4 w write=drop stop bogus\r
wait unknown word
send rule add port 0xfff0+0x20 log\r
wait runs past 0xFFFF
# Watchpoints are rules (3 and 4): the guest knows rules 1 and 2 by number.
send break port 0x5a0 w 0x42 stop\r
wait ^rule 3 on
send break port 0x80 w\r
wait ^rule 4 on
send break port 0x80 w 0x55 write=drop\r
wait ^break: 'write=drop': unexpected
send break\r
wait ^rule 4 on: break port 0x80 w, 0 hits
send continue\r
wait debug console: left
send go\r
wait vcpu 0 stopped at rip
send cpus\r
wait ^ +0 +0 +stopped
# A look at the stopped vCPU and at memory.
send regs\r
wait ^pending:
send rip\r
wait ^vcpu 0 rip
send mem 0x3000000 48\r
wait ^000003000020
send vmem 0x3000000 32\r
wait ^0000000003000000 ->
send mem 0xfe800000 16\r
wait ^0000fe800000 +16 bytes
send regs 9\r
wait ^error: no vcpu 9
send mem 0x3000000 5000\r
wait ^error: '5000'
send rules\r
wait ^    1 hits: log 1$
send rule off 2\r
wait ^rule 2 off
send rule del 1\r
wait ^rule 1 deleted
send rule del 2\r
wait ^rule 2 deleted
send rule del 2\r
wait no rule 2
send break clear 2\r
wait ^error: no watchpoint 2
send break clear 3\r
wait ^rule 3 deleted
send break clear\r
wait ^all watchpoints removed
send break\r
wait ^no watchpoints
send continue\r
wait ^iomvisor-test:
SCRIPT

# expect_not_in_console REGEX DESC: no line from the debug console's activation
# to its end matches (its own prompt and output are all there is).
expect_not_in_console() {
	awk '/debug console: active on cpu/ { on = 1 } on; /debug console: left/ { on = 0 }' \
		"$case_log.txt" >"$case_log.console.txt"
	if grep -Eq -- "$1" "$case_log.console.txt"; then
		echo "  $case_name: inside the debug console: $2 (/$1/):"
		grep -E -- "$1" "$case_log.console.txt" | head -3 | sed 's/^/    /'
		case_failures=$((case_failures + 1))
	fi
}

# The lines of regs, rip, mem, vmem and stats fit 80 columns.
expect_inspection_fits_80() {
	if awk 'length($0) > 80' "$case_log.console.txt" | grep -Eq \
		'^(exits/s|  cpu [0-9]|  all |devices|  (port|mmio) |IOM \(in all\)|over |r[a-z0-9]+ +[0-9a-f]{16}|[ecsdfg]s [0-9a-f]{4} |cr[0-4] |efer |pending|vcpu [0-9]|[0-9a-f]{12}  )'; then
		echo "  $case_name: a line of regs, rip, mem, vmem or stats is wider than 80 columns"
		case_failures=$((case_failures + 1))
	fi
}

expect_console() {
expect '^iomvisor\[0\]: vuart: the guest.s UART at 0x3f8 is a proxy of the console' "vuart installed"
expect '^guest: ok: scratch, divisor latch and LCR read back' "shadowed registers"
# The guest's line stays whole; the log line it provoked follows it (or, where
# the guest took longer than the line timeout to end it, the hypervisor may
# have ended it first, at any byte: both parts then stand on lines of their
# own).
if grep -q '^guest: serial: that line was open within the line timeout$' "$case_log.txt"; then
	expect '^guest: serial: this line is not broken$' "guest line kept whole"
else
	expect '^guest: serial: that line was open longer than the line timeout$' \
		"the guest's measure of its line"
	# The hypervisor ends the line at whatever byte the timeout falls on.
	expect '^guest: serial: this line is (n(o(t( (b(r(o(k(en?)?)?)?)?)?)?)?)?)?$' \
		"guest line whole, or ended by the hypervisor after the timeout"
fi
expect '^iomvisor\[0\]: debugcon: cpu 0: log line while the guest.s line is open$' \
	"log line on a line of its own"
expect "^guest: serial: got 'hello vuart'$" "serial input reached the guest"
expect '^iomvisor\[[0-9]\]: debug console: active on cpu' "hotkey entered the debug console"
expect '^iomvisor> help$' "command echoed"
expect '^  break \[port\|mmio ADDR ' "help lists break"
expect '^I/O port ranges: [0-9]+ created' "ioport dump"
expect '^  03f8-03ff +[0-9]+ +[0-9]+  vuart$' "ioport: the virtual UART's range, brief"
expect '^  05a0-05a7 +[0-9]+ +[0-9]+  testdev' "ioport: the test device's range, brief"
expect '^  03f8 03ff +8 .*  vuart$' "ioport -v: the virtual UART's range, every counter"
expect '^      \+0 +in RBR/DLL' "ioport -v: per-port names"
expect '^no range holds port 0x1234: its accesses go to the hardware$' "ioport PORT: a port no range holds"
expect "^error: 'x' is neither -v nor an address" "ioport: a wrong word named"
expect '^MMIO ranges: [0-9]+ created' "mmio dump"
expect '^  00000000fe800000-00000000fe800fff +[0-9]+ +[0-9]+  testdev' "mmio ADDR: the test device's page"
expect '^over [0-9]+\.[0-9] s of running since the machine started' "stats: the interval"
expect '^exits/s +total +port +mmio +cpuid +msr +hcall +nmi +other$' "stats: exits by kind"
expect '^  cpu 0 +[0-9]+ +[1-9][0-9]* ' "stats: vCPU 0's port exits per second"
expect '^  cpu 1 +[0-9]+ ' "stats: vCPU 1"
expect '^  port vuart +[0-9]+ +[0-9]+ +[1-9][0-9]* +[1-9][0-9]*$' "stats: the virtual UART's accesses"
expect '^IOM \(in all\): [0-9]+ deferred, 0 dropped \(deferral queue full\), [0-9]+ unclaimed$' \
	"stats: deferred and dropped work"
expect "^error: 'x' is not -v$" "stats: a wrong word named"
expect '^IOM statistics \(all CPUs\)' "stats -v: the IOM's counters"
expect '^  reads +[0-9]+ +[0-9]+$' "stats: read counters"
expect '^ +0 +0 +stopped +[0-9]+ +0x[0-9a-f]+ \(console\)$' "cpus: vCPU 0 stopped by the console"
expect '^trace printing off$' "trace off"
expect '^iomvisor\[[0-9]\]: trace: cpu 0: last [0-9]+ accesses$' "trace show"
expect "^error: unknown command 'frobnicate' \(type 'help'\)$" "unknown command reported"
expect '^rule 3 on: break port 0x5a0 w 0x42 stop$' "a stopping watchpoint is rule 3"
expect '^rule 4 on: break port 0x80 w$' "a watchpoint on an unclaimed port is rule 4"
expect "^break: 'write=drop': unexpected after the value or 'stop'$" \
	"a watchpoint with a word too many refused"
expect '^rule 4 on: break port 0x80 w, 0 hits$' "break lists the watchpoints"
expect '^iomvisor\[[0-9]\]: debug console: left' "continue leaves the console"
expect "^guest: ok: after the debug console, input reaches the guest again \('go'\)" \
	"input back to the guest after continue"
expect '^iomvisor\[0\]: rule 4: cpu 0 rip 0x[0-9a-f]+ out port 0x80 size 1 value 0x55$' \
	"watchpoint on an unclaimed port logged"
expect '^iomvisor\[0\]: rule 3: cpu 0 rip 0x[0-9a-f]+ out port 0x5a0 size 1 value 0x42 \(stopping the vcpu\)$' \
	"stopping watchpoint logged"
expect '^iomvisor\[0\] warn: vcpu 0 stopped at rip 0x[0-9a-f]+: debug console active' "vCPU stopped"
expect '^ +0 +0 +stopped +[0-9]+ +0x[0-9a-f]+ \(rule 3\)$' "cpus shows the stopped vCPU and why"
expect_count 2 "^iomvisor\[[0-9]\]: debug console: active on cpu 0, 2 of 2 vCPUs stopped;" \
	"every vCPU stopped before the prompt, both times"
# The second vCPU idles in the firmware (HLT) without exits: the console's NMI
# brings it out, and the guest never sees that NMI (no exception, no hang).
expect_count 2 '^ +1 +1 +stopped +[0-9]+ +0x[0-9a-f]+ \(console\)$' "cpus: vCPU 1 stopped by the console"
expect '^vcpu 0, stopped \(rule 3\), cpl 0, 64-bit code$' "regs: the stopped vCPU"
expect '^rax 0000000000000042  rcx [0-9a-f]{16}  rdx 00000000000005a0$' "regs: RAX and RDX of the OUT"
expect '^rbx 1badb002deadbeef  rsp [0-9a-f]{16}  rbp [0-9a-f]{16}$' "regs: the RBX the guest planted"
expect '^rflags [0-9a-f]{16}  .*IOPL=0$' "regs: RFLAGS decoded"
expect '^cs [0-9a-f]{4} base 0000000000000000 limit [0-9a-f]{8} attr [0-9a-f]{5}$' "regs: segments"
expect '^cr0 +[0-9a-f]{16}  PE .*PG$' "regs: CR0 decoded"
expect '^cr4 +[0-9a-f]{16}  .*PAE' "regs: CR4 decoded"
expect '^efer +[0-9a-f]{16}  .*LME LMA' "regs: EFER decoded"
expect '^pending: none$' "regs: no pending event"
expect '^vcpu 0 rip [0-9a-f]+: 89 07  mov dword \[rdi\], eax$' "rip: the MOV after the OUT, decoded"
expect '^000003000000  69 6f 6d 76 69 73 6f 72 2d 6d 61 72 6b 65 72 3a  iomvisor-marker:$' \
	"mem: the marker the guest planted"
expect '^000003000010 ( [0-9a-f]{2}){16}   planted by seri$' "mem: the rest of it"
expect '^0000000003000000 -> 3000000:$' "vmem: the guest's identity mapping"
expect '^0000fe800000  16 bytes: trapped \(a device.s; not read\)$' "mem: a trapped page is not read"
expect '^error: no vcpu 9 ' "regs: a vCPU that does not exist"
expect "^error: '5000' is not a length from 1 to 1024$" "mem: a length too long"
expect '^vcpu 0 resumes$' "continue resumes it"
expect '^rule 1 on: port 0x5b4 w count$' "rule added from the console"
expect "^error: unknown word 'bogus'$" "a bad console rule refused"
expect "^error: port range '0xfff0\+0x20' runs past 0xFFFF$" "a console port range past 0xFFFF refused"
expect '^rule 2 on: mmio 0xfe901000\+4 r count$' "MMIO rule added from the console"
expect '^guest: ok: console rules trap an untrapped port and page' "console rules trap what nothing trapped"
expect '^rule 1 on: port 0x5b4 w count$' "rules lists rule 1"
expect '^    2 hits: count 2$' "rules shows hits per rule and action (CPU 0's and CPU 1's)"
expect '^rule 3 on: break port 0x5a0 w 0x42 stop$' "rules lists the stopping watchpoint"
expect '^    1 hits: log 1 stop 1$' "rules shows the watchpoint's hit per action"
expect '^    1 hits: log 1$' "rules shows the other watchpoint's hit"
expect "^error: no watchpoint 2 \(see 'break'\)$" "break clear refuses a rule that is no watchpoint"
expect '^rule 3 deleted$' "break clear N deletes the watchpoint's rule"
expect '^no watchpoints$' "break clear removed every watchpoint"
expect '^error: no rule 2 \(see .rules.\)$' "a deleted rule is gone"
expect '^guest: ok: console rules trap CPU 1.s accesses too' "console rules trap on every CPU"
expect '^guest: ok: deleting the rules gave the port and page back' "deleting rules untraps"
expect '^guest: ok: and to CPU 1 ' "deleting rules untraps on every CPU"
expect '^guest: serial: resumed after the watchpoint$' "guest resumed"
expect_not '^guest: FAIL' "failed guest checks"
expect_not 'PANIC|iomvisor\[[0-9]\] error' "hypervisor errors"
expect_not '.iomvisor\[[0-9]\]' "a log line in the middle of another line"
# The guest's unfinished line of dots (it waits for "go") is ended by the
# console before its first line; the guest, stopped, adds nothing until
# 'continue'.
expect '^guest: serial: waiting for go\.*$' "the guest's open line ended before the console's"
# While the console is active, the guest's output waits for 'continue'.
expect_not_in_console '^\.|^guest:' "guest output"
expect_not_in_console '^iomvisor\[[0-9]\]( [a-z]+)?: (watch|debugcon|vuart)' "a log line"
expect_inspection_fits_80
expect_not '.iomvisor> ' "the console's prompt in the middle of a line"
expect_not '^iomvisor> .*\.' "guest output inside the console's line"
expect '^iomvisor-test: PASS$' "guest verdict"
}

esp=$OUT/qemu
serial_esp "$esp"
"$TOP/test/run-qemu.sh" -s 2 -t 900 -l "$esp.log" -S "$OUT/script" "$esp" >/dev/null 2>&1
check_begin "virtual UART and debug console on QEMU SVM" "$esp.log"
expect_script_done "$esp.log.script"
expect_console
check_end

esp=$OUT/bochs-vmx
serial_esp "$esp"
"$TOP/test/run-bochs.sh" -c corei7_skylake_x -n 2 -t 1800 -l "$esp.log" -S "$OUT/script" "$esp" >/dev/null 2>&1
check_begin "virtual UART and debug console on Bochs VMX" "$esp.log"
expect_script_done "$esp.log.script"
expect '^iomvisor\[0\]: hypervisor: vmx backend ready' "VMX backend started"
expect_console
check_end
