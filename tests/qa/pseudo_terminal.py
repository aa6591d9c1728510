"""Run `newsqa` on a pseudo-terminal, as a person in a terminal runs it: Rich draws its bar,
answers stream, the window has a width, and Ctrl-C typed into it interrupts the command."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import signal
import struct
import subprocess
import sys
import termios
from collections.abc import Callable

ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")


def _controlling_terminal() -> None:  # in the child: the pty is its terminal, Ctrl-C interrupts
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # a test runner in the background may ignore it


def run_in_terminal(
    *args: str,
    columns: int = 0,
    env: dict | None = None,
    watch: Callable[[str], bytes | None] | None = None,
) -> tuple[int, str]:
    """Run ``newsqa ARGS`` on a pty ``columns`` wide (0: a pty with no size, as some CI has) and
    without COLUMNS. ``watch`` sees the screen so far (colours removed) after each read and may
    return keys to type. Returns the exit code and the whole screen without colours."""
    master, slave = pty.openpty()
    if columns:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, columns, 0, 0))
    full_env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "qa.cli", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**full_env, **(env or {})},
        preexec_fn=_controlling_terminal,
    )
    os.close(slave)
    out = b""
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        out += data
        keys = watch(ANSI.sub(b"", out).decode("utf-8", "replace")) if watch is not None else None
        if keys:
            os.write(master, keys)
    code = proc.wait(timeout=300)
    os.close(master)
    return code, ANSI.sub(b"", out).decode("utf-8", "replace")
