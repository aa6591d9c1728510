"""Gzipped files (``.html.gz``, ``.json.gz``, ...): inflated within the size cap, then read as the
format inside them. A gzipped WARC is left whole: warcio reads its per-record members itself."""

from __future__ import annotations

import gzip
import io
import zlib

from ._decode import LoadProblem
from ._sniff import suffix_of

_CHUNK = 1 << 16


def inner_name(name: str) -> str:
    """``page.html.gz`` -> ``page.html``; ``x.tgz`` -> ``x.tar``."""
    suffix = suffix_of(name)
    base = name.split("?", 1)[0].split("#", 1)[0]
    if suffix == ".gz":
        return base[: -len(".gz")]
    if suffix == ".tgz":
        return base[: -len(".tgz")] + ".tar"
    return base


def _open(data: bytes) -> gzip.GzipFile:
    return gzip.GzipFile(fileobj=io.BytesIO(data), mode="rb")


def is_gzipped_warc(data: bytes) -> bool:
    try:
        with _open(data) as stream:
            return stream.read(5) == b"WARC/"
    except (OSError, EOFError, zlib.error):
        return False


def gunzip(data: bytes, max_bytes: int) -> bytes:
    """The inflated bytes, refused past ``max_bytes`` (a small file may inflate enormously)."""
    out = bytearray()
    try:
        with _open(data) as stream:
            while chunk := stream.read(_CHUNK):
                out += chunk
                if len(out) > max_bytes:
                    raise LoadProblem(f"inflates to over max_file_bytes {max_bytes}")
    except EOFError:
        raise LoadProblem("truncated gzip data") from None
    except (OSError, zlib.error) as exc:
        raise LoadProblem(f"corrupt gzip data: {' '.join(str(exc).split())[:120]}") from None
    if not out.strip():
        raise LoadProblem("empty file")
    return bytes(out)
