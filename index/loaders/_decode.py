"""Reading a file's bytes safely and turning them into text.

Every expected failure raises ``LoadProblem`` with a one-line reason; the caller turns it into a
``Skipped``. The file is opened non-blocking and checked to be a regular file before reading, so a
FIFO or device named by mistake cannot hang the run.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from pathlib import Path


class LoadProblem(Exception):
    """A file or record that cannot become an article; the message is the one-line reason."""


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL_SAMPLE = 65_536
# Share of control characters above which decoded "text" is taken for binary data.
_MAX_CONTROL_SHARE = 0.05
_TEXT_CONTROLS = {"\n", "\r", "\t", "\f"}
# A stray NUL in text is a glitch (hygiene strips it); many of them mean binary data.
_MAX_NUL_SHARE = 0.01
_MIN_CONTROLS = 4


_SYSTEM_TREES = ("/proc/", "/sys/", "/dev/")


def read_bytes(path: Path, max_bytes: int, *, head_only: bool = False) -> bytes:
    """The file's bytes, at most ``max_bytes`` of them; with ``head_only``, its first
    ``max_bytes`` whatever its size (enough to tell its format)."""
    real = os.path.realpath(path)
    if real.startswith(_SYSTEM_TREES) or real in {t.rstrip("/") for t in _SYSTEM_TREES}:
        # /proc/self/environ is a "regular file" of size 0 that holds the API key: never an article.
        how = "links to" if real != os.path.abspath(path) else "is"
        raise LoadProblem(f"{how} {real}, a system file, not an article")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise LoadProblem("file vanished during ingest") from None
    except PermissionError:
        raise LoadProblem("permission denied") from None
    except OSError as exc:
        raise LoadProblem(f"cannot open: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise LoadProblem("is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise LoadProblem("not a regular file")
        if info.st_size > max_bytes and not head_only:
            raise LoadProblem(f"file too large ({info.st_size} bytes > max_file_bytes {max_bytes})")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        if exc.errno == errno.EISDIR:
            raise LoadProblem("is a directory") from None
        raise LoadProblem(f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if head_only:
        return data[:max_bytes]
    if len(data) > max_bytes:
        raise LoadProblem(f"file too large (over max_file_bytes {max_bytes})")
    return data


def looks_binary(text: str) -> bool:
    """Whether decoded text is mostly control characters: binary data, not text."""
    sample = text[:_CONTROL_SAMPLE]
    controls = sum(1 for c in sample if (c < " " and c not in _TEXT_CONTROLS) or "\x7f" <= c < "\xa0")
    return controls >= _MIN_CONTROLS and controls > _MAX_CONTROL_SHARE * len(sample)


def decode(data: bytes) -> str:
    """Text from bytes: a BOM wins; else UTF-8, then cp1252, then latin-1. Binary data is refused."""
    if not data.strip():
        raise LoadProblem("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise LoadProblem(f"undecodable {encoding.upper()} text") from None
    if data.count(b"\x00", 0, _CONTROL_SAMPLE) > _MAX_NUL_SHARE * min(len(data), _CONTROL_SAMPLE):
        raise LoadProblem("binary file (contains NUL bytes)")
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding != "utf-8" and looks_binary(text):
            raise LoadProblem("binary file (not text in any supported encoding)")
        return text
    raise LoadProblem("undecodable text")  # pragma: no cover - latin-1 decodes every byte
