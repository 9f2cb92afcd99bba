#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""A serial line on a pseudo-terminal, for emulators that take a tty (Bochs's
com1 "term" mode): everything the guest sends is appended to LOG, and SCRIPT
feeds its input, in the script language of test/run-qemu.sh -S:
    wait [SECONDS] REGEX   until a line of LOG matches (ceiling: default 300 s)
    send TEXT              TEXT with \\r, \\n, \\xNN escapes
    sleep SECONDS
Progress goes to LOG.script; a wait that times out stops the script there.
Input is sent a byte at a time, SERIAL_PACE seconds apart (default 0.03), as a
person types: an emulated 16550 receives at its baud rate into a 16-byte FIFO,
and the hypervisor reads it between exits, so a burst would overrun it.
Usage: serial_pty.py PTYFILE LOG SCRIPT  (writes the pty's path to PTYFILE)."""
import os, re, select, sys, termios, time, tty


def main():
    ptyfile, log_path, script_path = sys.argv[1:4]
    pace = float(os.environ.get("SERIAL_PACE", "0.03"))
    master, slave = os.openpty()
    tty.setraw(slave)
    attrs = termios.tcgetattr(slave)
    attrs[3] &= ~termios.ECHO
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    with open(ptyfile + ".tmp", "w") as f:
        f.write(os.ttyname(slave))
    os.rename(ptyfile + ".tmp", ptyfile)

    log = open(log_path, "ab", buffering=0)
    progress = open(log_path + ".script", "w", buffering=1)
    lines = [l.strip() for l in open(script_path)]
    lines = [l for l in lines if l and not l.startswith("#")]
    seen = b""
    step, deadline, pattern = 0, None, None

    def text():
        return seen.replace(b"\r", b"").decode("latin-1")

    while True:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                data = os.read(master, 4096)
            except OSError:
                break
            log.write(data)
            seen += data
        while step < len(lines):
            cmd, _, rest = lines[step].partition(" ")
            if cmd == "wait":
                if pattern is None:
                    m = re.match(r"(\d+) (.*)$", rest)
                    timeout, regex = (int(m.group(1)), m.group(2)) if m else (300, rest)
                    pattern, deadline = re.compile(regex, re.M), time.time() + timeout
                if pattern.search(text()):
                    progress.write(f"seen /{pattern.pattern}/\n")
                    pattern = None
                    step += 1
                    continue
                if time.time() > deadline:
                    progress.write(f"timed out waiting for /{pattern.pattern}/: script stopped\n")
                    step = len(lines)
                break
            if cmd == "send":
                for byte in rest.encode().decode("unicode_escape").encode("latin-1"):
                    os.write(master, bytes([byte]))
                    time.sleep(pace)
                progress.write(f"sent '{rest}'\n")
            elif cmd == "sleep":
                time.sleep(float(rest))
            else:
                progress.write(f"unknown script command '{cmd}': script stopped\n")
                step = len(lines)
                break
            step += 1
        if step == len(lines) and not getattr(main, "done", False):
            progress.write("script done\n")
            main.done = True


if __name__ == "__main__":
    main()
