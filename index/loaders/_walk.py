"""Expanding the paths a user named into the files to load, in a stable order.

Folders are walked depth first with entries sorted by name. Hidden entries (``.git``, ``.DS_Store``)
are passed over; every other file is yielded, whatever its type, so the run reports a file it
cannot read instead of passing it over in silence. Symlinked folders are followed once: every
folder's real path is remembered, so a link back up the tree (a loop) ends the descent instead of
repeating it. A file reached twice
(through a link, or named twice) is loaded once.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from index.errors import InputError
from index.models import Skipped

_SYSTEM_TREES = ("/proc/", "/sys/", "/dev/")


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _real(path: Path) -> str:
    try:
        return os.path.realpath(path)
    except (OSError, ValueError):
        return str(path)


def _listing(folder: Path) -> list[os.DirEntry] | Skipped:
    try:
        with os.scandir(folder) as entries:
            return sorted((e for e in entries if not _is_hidden(e.name)), key=lambda e: e.name)
    except FileNotFoundError:
        return Skipped(str(folder), "folder vanished during ingest")
    except PermissionError:
        return Skipped(str(folder), "permission denied")
    except OSError as exc:
        return Skipped(str(folder), f"cannot list folder: {exc.strerror or exc}")


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:  # bytes the file system gave that are not UTF-8 (surrogateescape)
        return False


def printable_path(path: Path) -> str:
    """A path fit for a message: bytes that are not UTF-8 shown as ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _entry_is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # follows symlinks: a linked folder is walked (once)
    except OSError:
        return False


def _walk_folder(root: Path, seen_dirs: set[str]) -> Iterator[Path | Skipped]:
    # An explicit stack: folder depth is bounded by the file system, not by Python's recursion limit.
    stack: list[Path] = [root]
    while stack:
        folder = stack.pop()
        real = _real(folder)
        if real in seen_dirs:
            continue
        seen_dirs.add(real)
        if (real + "/").startswith(_SYSTEM_TREES):
            # A link to /proc or /sys: their files hold the environment (and its API key).
            yield Skipped(printable_path(folder), f"{real} is a system folder, not articles")
            continue
        listing = _listing(folder)
        if isinstance(listing, Skipped):
            yield listing
            continue
        subfolders: list[Path] = []
        for entry in listing:
            path = Path(entry.path)
            if _entry_is_dir(entry):
                subfolders.append(path)
            else:
                yield path
        # Reversed onto the stack so the alphabetically first subfolder is walked first.
        stack.extend(reversed(subfolders))


def expand_paths(paths: Sequence[Path]) -> Iterator[Path | Skipped]:
    """Files to load, or Skipped folders.

    Raises ``InputError`` before yielding anything if a named path does not exist.
    """
    paths = [Path(p) for p in paths]
    for path in paths:
        try:
            exists = path.exists()
        except (OSError, ValueError):
            exists = False
        if not exists:
            raise InputError(f"no such file or directory: {path}")
    seen_dirs: set[str] = set()
    seen_files: set[str] = set()
    for path in paths:
        found = _walk_folder(path, seen_dirs) if path.is_dir() else iter([path])
        for item in found:
            if isinstance(item, Path) and not _utf8(str(item)):
                yield Skipped(printable_path(item), "file name is not valid UTF-8: rename it")
                continue
            if isinstance(item, Path):
                real = _real(item)
                if real in seen_files:
                    continue
                seen_files.add(real)
            yield item
