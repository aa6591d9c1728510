"""How long `newsqa chat` takes to show its first screen, in a real pseudo-terminal.

Runs the real command (`python -m qa.cli chat --first-paint-file F`) N times; the app writes
the wall-clock time of its first compositor refresh to F and exits. The figure is the median of
(first paint - process start). Not a test: machines differ; the goal is under 0.5 s here.

    python scripts/measure_first_paint.py [--runs 7] [--store DIR]
"""

from __future__ import annotations

import argparse
import os
import pty
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def one_run(env: dict[str, str], out: Path) -> float:
    out.unlink(missing_ok=True)
    master, slave = pty.openpty()
    started = time.time()
    proc = subprocess.Popen(
        [sys.executable, "-m", "qa.cli", "chat", "--first-paint-file", str(out)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    try:
        while proc.poll() is None:  # drain the terminal so the app never blocks on writes
            try:
                os.read(master, 65536)
            except OSError:
                break
        proc.wait(timeout=60)
    finally:
        os.close(master)
    if not out.exists():
        raise SystemExit(f"the chat exited ({proc.returncode}) without painting")
    return float(out.read_text()) - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--store", help="store directory (default: a new empty one; the backend loads after paint)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(
            os.environ,
            TERM="xterm-256color",
            COLUMNS="120",
            LINES="36",
            NEWSQA_DATA_DIR=str(Path(tmp) / "data"),
            NEWSQA_STORE=args.store or str(Path(tmp) / "store"),
        )
        one_run(env, Path(tmp) / "paint")  # warm the OS file cache
        times = [one_run(env, Path(tmp) / "paint") for _ in range(args.runs)]
    print(
        f"first paint of `newsqa chat`: median {statistics.median(times):.3f} s over {len(times)} runs "
        f"(min {min(times):.3f}, max {max(times):.3f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
