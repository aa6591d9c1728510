"""An evaluation's own store for ``--corpus``: built once per corpus, never the user's index.

The store lives at ``<cache_dir>/eval-stores/<key>``, where the key hashes each corpus file's
relative path, size and modification time with the settings that shape a store (embedder,
chunk size). A finished build leaves a stamp; a later run with the same key skips ingest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from index.errors import InputError
from index.settings import Settings

if TYPE_CHECKING:
    from index.ingest import Watch

STAMP = "eval-store.json"


def corpus_key(corpus: Path, settings: Settings) -> str:
    corpus = Path(corpus)
    if not corpus.exists():
        raise InputError(f"corpus {corpus} does not exist")
    files = [corpus] if corpus.is_file() else sorted(p for p in corpus.rglob("*") if p.is_file())
    h = hashlib.sha256()
    h.update(f"{settings.embedder}|{settings.openai_embedding_model}|{settings.chunk_chars}\n".encode())
    for p in files:
        rel = p.name if corpus.is_file() else p.relative_to(corpus).as_posix()
        if any(part.startswith(".") for part in Path(rel).parts):
            continue
        st = p.stat()
        h.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:20]


def corpus_store(
    corpus: Path,
    settings: Settings,
    progress: Callable[[int, str], None] | None = None,
    watch: Watch | None = None,
) -> tuple[Settings, bool]:
    """Settings pointing at the corpus's own store, and whether it had to be (re)built."""
    key = corpus_key(corpus, settings)
    store_dir = settings.cache_dir / "eval-stores" / key
    own = settings.model_copy(update={"store": store_dir, "chroma_url": None})
    stamp = store_dir / STAMP
    if stamp.is_file():
        return own, False
    from index.ingest import ingest

    store_dir.mkdir(parents=True, exist_ok=True)
    report = ingest([Path(corpus)], own, prune=True, progress=progress, watch=watch)
    if report.articles == 0:
        raise InputError(f"corpus {corpus} holds no article newsqa can load")
    stamp.write_text(json.dumps({"corpus": str(Path(corpus).resolve()), **report.as_dict()}, indent=1))
    return own, True
