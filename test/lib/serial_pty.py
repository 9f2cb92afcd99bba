#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""A serial line on a pseudo-terminal, driven by a script.

    serial_pty.py PTYFILE LOG SCRIPT
        for emulators that take a tty (Bochs's com1 "term" mode): writes the
        pty's path to PTYFILE; the emulator opens it.
    serial_pty.py --run LOG SCRIPT COMMAND [ARGS...]
        runs COMMAND with the pty as its terminal (stdin, stdout, stderr), as a
        person at a terminal would (make run), and exits with its status; 124
        when a wait timed out and the command was ended (SIGTERM to its
        process group).

Everything the other side sends is appended to LOG, and SCRIPT feeds its input,
in the script language of test/run-qemu.sh -S:
    wait [SECONDS] REGEX   until a line of LOG matches (ceiling: default 300 s)
    send TEXT              TEXT with \\r, \\n, \\xNN escapes
    sleep SECONDS
Progress goes to LOG.script; a wait that times out stops the script there.
Input is sent a byte at a time, SERIAL_PACE seconds apart (default 0.03), as a
person types: an emulated 16550 receives at its baud rate into a 16-byte FIFO,
and the hypervisor reads it between exits, so a burst would overrun it."""
import os, pty, re, select, signal, sys, termios, time, tty


def drive(master, log_path, script_path, on_timeout=None):
    """Logs what master sends and plays the script, until master's other side
    closes. on_timeout: called once when a wait times out."""
    pace = float(os.environ.get("SERIAL_PACE", "0.03"))
    log = open(log_path, "ab", buffering=0)
    progress = open(log_path + ".script", "w", buffering=1)
    lines = [l.strip() for l in open(script_path)]
    lines = [l for l in lines if l and not l.startswith("#")]
    seen = b""
    step, deadline, pattern, done = 0, None, None, False

    def text():
        return seen.replace(b"\r", b"").decode("latin-1")

    while True:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                data = os.read(master, 4096)
            except OSError:
                data = b""
            if not data:
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
                    if on_timeout:
                        on_timeout()
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
        if step == len(lines) and not done:
            progress.write("script done\n")
            done = True
    if pattern is not None:
        progress.write(f"the other side closed before /{pattern.pattern}/: script stopped\n")


def emulator_tty(ptyfile, log_path, script_path):
    master, slave = os.openpty()
    tty.setraw(slave)
    attrs = termios.tcgetattr(slave)
    attrs[3] &= ~termios.ECHO
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    with open(ptyfile + ".tmp", "w") as f:
        f.write(os.ttyname(slave))
    os.rename(ptyfile + ".tmp", ptyfile)
    drive(master, log_path, script_path)


def run_on_tty(log_path, script_path, argv):
    # pty.fork: the child leads a session of its own, the pty its terminal.
    pid, master = pty.fork()
    if pid == 0:
        os.execvp(argv[0], argv)
    ended = []

    def end():
        ended.append(True)
        try:
            os.killpg(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass

    drive(master, log_path, script_path, end)
    _, status = os.waitpid(pid, 0)
    sys.exit(124 if ended else os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    if sys.argv[1] == "--run":
        run_on_tty(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        emulator_tty(*sys.argv[1:4])
