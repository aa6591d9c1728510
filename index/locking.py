"""The single-writer rule for a local store, kept with an advisory file lock.

Two Chroma PersistentClients writing one directory can block each other on SQLite locks for
minutes (chroma issue #7040), so writers take the lock exclusively and readers share it. A
process that cannot get it within ``timeout`` seconds gets ``StoreBusy`` instead of hanging.
"""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path

from index.errors import StoreBusy


@contextmanager
def store_lock(directory: Path, *, exclusive: bool, timeout: float):
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = directory / "newsqa.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusy(
                        f"store is busy: another newsqa process is {'using' if exclusive else 'writing to'} "
                        f"{directory}; try again when it finishes, or use a Chroma server (--chroma-url) "
                        "for concurrent use"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)
