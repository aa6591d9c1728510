"""The list of places (file paths and URLs) a local store's articles came from, kept beside its
database by every ingest, so that a store whose database is damaged can be built again
(``newsqa repair``) even when nothing in the database can be read."""

from __future__ import annotations

import json
import os
from pathlib import Path

PATHS_FILE = "newsqa.paths.json"
"""The places (file paths and URLs) the store's articles were loaded from, kept by each ingest."""


def record_store_paths(store) -> None:
    """Under the writer's lock: list where the store's articles came from, as they are now."""
    record_paths(store.settings.store_dir, {meta.path for meta in store.list_articles() if meta.path})


def record_paths(directory: Path, paths: set[str]) -> None:
    """Write the store's source list atomically (a reader never sees half of it), owner-only."""
    target = directory / PATHS_FILE
    tmp = directory / f".{PATHS_FILE}.{os.getpid()}"
    data = json.dumps({"version": 1, "paths": sorted(paths)}, ensure_ascii=False, indent=0)
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(data)
        os.replace(tmp, target)
    except OSError:
        tmp.unlink(missing_ok=True)  # the list only serves a later rebuild: never fail an ingest for it


def recorded_paths(directory: Path) -> list[str] | None:
    """The source list a store's ingests left, or None when there is none to trust."""
    try:
        data = json.loads((directory / PATHS_FILE).read_text(encoding="utf-8"))
        paths = data["paths"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        return None
    return paths
