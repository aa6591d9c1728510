"""Small measuring helpers shared by the bench sections: percentiles, memory, disk, timing."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation; 0.0 for no values."""
    xs = sorted(values)
    if not xs:
        return 0.0
    pos = (len(xs) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def latency_summary(seconds: Sequence[float]) -> dict:
    """p50/p95/mean in milliseconds of a list of per-request wall times."""
    ms = [s * 1000.0 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "mean_ms": round(sum(ms) / len(ms), 2) if ms else 0.0,
    }


def peak_rss_mb() -> float:
    """Peak resident memory of this process's own address space so far. ``VmHWM``, not
    ``ru_maxrss``: Linux carries the latter over exec from the forked parent's pages, so every
    worker started by a large bench process reported at least the parent's RSS."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def current_rss_mb() -> float:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return peak_rss_mb()


def du_mb(path: Path) -> float:
    """Bytes actually allocated on disk under ``path`` (like ``du``), in MiB."""
    path = Path(path)
    if not path.exists():
        return 0.0
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file() and not p.is_symlink()]
    total = 0
    for p in files:
        with contextlib.suppress(OSError):
            total += p.stat().st_blocks * 512
    return total / 2**20


class Timer:
    """``with Timer() as t: ...`` then ``t.seconds``."""

    def __enter__(self) -> Timer:
        self._t0 = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self._t0


def run_worker(module: str, args: Sequence[str], env: dict[str, str] | None = None, timeout: float = 7200):
    """Run ``python -m module args...`` in a fresh process; it prints one JSON object last.

    Fresh processes give clean peak-RSS figures and honest cold caches."""
    proc = subprocess.run(
        [sys.executable, "-m", module, *args], capture_output=True, text=True, env=env, timeout=timeout
    )
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"{module} failed ({proc.returncode}): {tail}")
    return json.loads(lines[-1])


def emit(result: object) -> None:
    """A worker's last line: its result as JSON."""
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
