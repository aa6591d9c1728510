"""An on-disk cache of embeddings, so re-ingesting or re-asking never embeds a text twice.

SQLite in WAL mode: several newsqa processes may read and write it at once. It only ever
holds rebuildable data, so a damaged file is deleted and recreated, and a cache that cannot
be used at all is bypassed with a warning instead of failing the caller.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.embedding.protocol import TextEmbedder
from index.embedding.vectors import empty

log = logging.getLogger(__name__)

# Stay under SQLite's bound-parameter limit (999 in older builds) with room for the namespace.
_IN_CHUNK = 500
_BUSY_TIMEOUT_MS = 10_000
_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (
    embedder TEXT NOT NULL,
    text_sha1 BLOB NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (embedder, text_sha1)
) WITHOUT ROWID
"""


def _plausible(vector: np.ndarray) -> bool:
    return bool(np.isfinite(vector).all()) and float(vector.max() - vector.min()) > 0.0


def text_key(text: str) -> bytes:
    # surrogatepass: a stray lone surrogate from a badly decoded file must not crash the cache
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).digest()


class CachedEmbedder:
    """Wraps a :class:`TextEmbedder`; only texts not yet cached under ``namespace`` reach ``inner``."""

    def __init__(self, inner: TextEmbedder, path: Path, *, namespace: str | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self.path = Path(path)
        self.namespace = namespace or inner.name
        self._conn: sqlite3.Connection | None = None
        self._disabled = False
        self._recreated = False
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:  # delegated: OpenAI models learn it late
        return self.inner.dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return empty(self.dim)
        keys = [text_key(t) for t in texts]
        found = self._lookup(set(keys))
        missing: dict[bytes, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in found:
                missing.setdefault(key, text)
        if missing:
            fresh = np.asarray(self.inner.embed(list(missing.values())), dtype=np.float32)
            new = dict(zip(missing.keys(), fresh, strict=True))
            self._store(new)
            found.update(new)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # -- storage -----------------------------------------------------------

    def _lookup(self, keys: set[bytes]) -> dict[bytes, np.ndarray]:
        found: dict[bytes, np.ndarray] = {}
        wanted = list(keys)
        with self._lock:
            conn = self._connection()
            if conn is None:
                return found
            try:
                for start in range(0, len(wanted), _IN_CHUNK):
                    chunk = wanted[start : start + _IN_CHUNK]
                    marks = ",".join("?" * len(chunk))
                    rows = conn.execute(
                        f"SELECT text_sha1, vector FROM embeddings WHERE embedder = ? AND text_sha1 IN ({marks})",
                        [self.namespace, *chunk],
                    )
                    for key, blob in rows:
                        vector = np.frombuffer(blob, dtype=np.float32)
                        if vector.ndim == 1 and vector.size > 0:
                            found[bytes(key)] = vector
            except sqlite3.DatabaseError as exc:
                self._give_up(exc)
                return {}
        if found:
            # A row of another length came from a different model under the same name: recompute it.
            dim = self.inner.dim
            found = {k: v for k, v in found.items() if v.size == dim}
            bad = [k for k, v in found.items() if not _plausible(v)]
            if bad:
                # NaN, infinite or constant rows: no model writes them, the file was damaged or
                # tampered with. They would fail the ingest or silently change answers.
                log.warning(
                    "embedding cache %s held %d damaged vectors (NaN, infinite or constant); recomputing them",
                    self.path,
                    len(bad),
                )
                for k in bad:
                    del found[k]
                self._forget(bad)
        return found

    def _forget(self, keys: list[bytes]) -> None:
        with self._lock:
            conn = self._connection()
            if conn is None:
                return
            try:
                with conn:
                    conn.executemany(
                        "DELETE FROM embeddings WHERE embedder = ? AND text_sha1 = ?",
                        [(self.namespace, k) for k in keys],
                    )
            except sqlite3.DatabaseError as exc:
                self._give_up(exc)

    def _store(self, vectors: dict[bytes, np.ndarray]) -> None:
        rows = [
            (self.namespace, key, np.ascontiguousarray(v, dtype=np.float32).tobytes()) for key, v in vectors.items()
        ]
        with self._lock:
            conn = self._connection()
            if conn is None:
                return
            try:
                with conn:
                    conn.executemany(
                        "INSERT OR REPLACE INTO embeddings (embedder, text_sha1, vector) VALUES (?, ?, ?)", rows
                    )
            except sqlite3.OperationalError as exc:
                # Busy past the timeout or a full disk: the vectors are still returned, just not kept.
                log.warning("embedding cache %s: not saved (%s)", self.path, exc)
            except sqlite3.DatabaseError as exc:
                self._give_up(exc)

    def _connection(self) -> sqlite3.Connection | None:
        if self._conn is not None or self._disabled:
            return self._conn
        try:
            self._conn = self._open()
        except sqlite3.DatabaseError as exc:
            log.warning("embedding cache %s is damaged (%s); recreating it", self.path, exc)
            self._remove_files()
            try:
                self._conn = self._open()
            except (sqlite3.Error, OSError) as again:
                self._disable(again)
        except OSError as exc:
            self._disable(exc)
        return self._conn

    def _open(self) -> sqlite3.Connection:
        parent = self.path.parent
        if not parent.exists():
            parent.mkdir(parents=True, exist_ok=True)
            os.chmod(parent, 0o700)  # only a directory we created: never re-mode a shared one
        # Create the file 0600 ourselves; SQLite gives its -wal/-shm files the same mode. Only a
        # missing file: closing any descriptor of an open database drops every POSIX lock this
        # process holds on it, and another process would then delete the WAL under our feet.
        with contextlib.suppress(FileExistsError):
            os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        os.chmod(self.path, 0o600)
        conn = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")  # a lost last write only costs a recompute
            conn.execute(_SCHEMA)
            conn.commit()
        except BaseException:
            conn.close()
            raise
        return conn

    def _give_up(self, exc: Exception) -> None:
        # Damage found mid-use: start a fresh file once; if that breaks too, run uncached.
        log.warning("embedding cache %s is damaged (%s); recreating it", self.path, exc)
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self._remove_files()
        self._disabled = self._recreated
        self._recreated = True

    def _disable(self, exc: BaseException) -> None:
        log.warning("embedding cache %s cannot be used (%s); embedding without it", self.path, exc)
        self._conn = None
        self._disabled = True

    def _remove_files(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            try:
                os.unlink(f"{self.path}{suffix}")
            except FileNotFoundError:
                pass
            except OSError as exc:
                log.warning("cannot remove %s%s: %s", self.path, suffix, exc)
