"""Telling a damaged store database from other failures, and saying so with the cure.

SQLite reports a damaged file in its own stable words; Chroma wraps them in several exception
types, so the words are what is checked, and ``PRAGMA quick_check`` confirms before a store is
called damaged.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from index.errors import StoreDamaged

DATABASE = "chroma.sqlite3"

_DAMAGE_WORDS = (
    # SQLite's
    "file is not a database",
    "disk image is malformed",
    "database corruption",
    # Chroma's, for its vector index files (hnswlib)
    "error loading hnsw index",
    "hnsw segment",
    "error deserializing pickle",
    "error getting embedding",
)


def is_damage(exc: BaseException) -> bool:
    """Whether an exception says the store's database or vector index files are damaged."""
    text = str(exc).lower()
    return any(word in text for word in _DAMAGE_WORDS)


def database_damage(directory: Path) -> str | None:
    """Why the store's database cannot be trusted, or None when SQLite finds it sound."""
    database = directory / DATABASE
    if not database.is_file() or database.stat().st_size == 0:
        return None  # no database yet: an empty store, not a damaged one
    try:
        with closing(sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)) as con:
            rows = con.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc).strip() or type(exc).__name__
    problems = [str(r[0]) for r in rows if r and r[0] != "ok"]
    return problems[0] if problems else None


def damaged_error(directory: Path, reason: str) -> StoreDamaged:
    return StoreDamaged(
        f"the store at {directory} is damaged ({reason}): `newsqa repair --store {directory}` rebuilds it"
    )
