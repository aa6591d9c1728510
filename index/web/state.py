"""What the last run learnt about each fetched URL, so the next one can ask "changed since?"
(ETag / Last-Modified) and skip feed entries it has already stored.

A small SQLite file in the user data dir (mode 0600: the URLs someone reads are private). It is
only advice: before trusting it a caller checks that the articles it names are still in the
store with the same content, so a deleted or different store just means a full fetch.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

from .client import Validators

_SCHEMA = """
CREATE TABLE IF NOT EXISTS fetched (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    entry TEXT,
    articles TEXT NOT NULL,
    checked_at REAL NOT NULL
)
"""


@dataclass(frozen=True)
class UrlRecord:
    url: str
    validators: Validators
    articles: dict[str, str] = field(default_factory=dict)
    """doc_id -> content hash of the articles this URL gave."""
    entry: str | None = None
    """For a page linked from a feed: the content hash of the feed entry that linked it."""

    def still_stored(self, known: dict[str, str]) -> bool:
        """True if every article this URL gave is in the store as it was then."""
        return all(known.get(doc_id) == digest for doc_id, digest in self.articles.items())


class FetchState:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        os.chmod(path, 0o600)  # also when an older file was made under a looser umask
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=30)
        self._db.execute(_SCHEMA)
        self._db.commit()
        self._lock = threading.Lock()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def get(self, url: str) -> UrlRecord | None:
        with self._lock:
            row = self._db.execute(
                "SELECT etag, last_modified, articles, entry FROM fetched WHERE url = ?", (url,)
            ).fetchone()
        if row is None:
            return None
        try:
            articles = json.loads(row[2])
        except ValueError:
            return None  # a damaged row is no advice at all
        if not isinstance(articles, dict):
            return None
        return UrlRecord(url, Validators(row[0], row[1]), articles, row[3])

    def save(self, records: list[UrlRecord]) -> None:
        now = time.time()
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO fetched (url, etag, last_modified, entry, articles, checked_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        r.url,
                        r.validators.etag,
                        r.validators.last_modified,
                        r.entry,
                        json.dumps(r.articles, sort_keys=True),
                        now,
                    )
                    for r in records
                ],
            )
