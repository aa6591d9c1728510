"""The single-writer rule for a local store, kept with advisory file locks.

Two Chroma PersistentClients writing one directory can block each other on SQLite locks for
minutes (chroma issue #7040), so a write holds ``newsqa.lock`` exclusively and a read shares it.
A writer takes that lock per batch, not for its whole run, so readers slip in between batches
and answer from the last committed state; ``newsqa.writer.lock``, held for the writer's whole
run, keeps a second writer out. A process that cannot get a lock within ``timeout`` seconds gets
``StoreBusy`` instead of hanging.
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path

from index.errors import StoreBusy, StoreError

LOCK = "newsqa.lock"
WRITER_LOCK = "newsqa.writer.lock"


@contextmanager
def store_lock(directory: Path, *, exclusive: bool, timeout: float, name: str = LOCK):
    path = directory / name
    fd = _open_lock(path, create_dir=exclusive)
    if fd is None:
        yield  # a read-only store nobody can write: nothing to keep out
        return
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
        if fd is not None:
            os.close(fd)


def _open_lock(path: Path, *, create_dir: bool) -> int | None:
    """The lock file's descriptor, or None for a reader of a store it cannot write. Every way the
    surroundings can be wrong is one line naming the path."""
    directory = path.parent
    try:
        if create_dir:
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except IsADirectoryError:
        raise StoreError(f"{path} is a directory, not newsqa's lock file: remove it and try again") from None
    except (PermissionError, OSError) as exc:
        if not create_dir and exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            try:
                return os.open(path, os.O_RDONLY)  # flock works on a read-only descriptor
            except OSError:
                return None
        raise StoreError(_place_error(directory, exc)) from None


def _place_error(directory: Path, exc: OSError) -> str:
    """One line for a store directory newsqa cannot use, saying what to do."""
    for parent in [directory, *directory.parents]:
        if parent.exists() and not parent.is_dir():
            return f"cannot use the store at {directory}: {parent} is a file, not a directory; choose another --store"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"cannot write to the store at {directory}: {(exc.strerror or str(exc)).lower()}; "
            "check its permissions or choose another --store"
        )
    if exc.errno == errno.ENOSPC:
        return f"no space left on the device of {directory}: free some space and run the command again"
    return f"cannot use the store at {directory}: {exc.strerror or exc}"
