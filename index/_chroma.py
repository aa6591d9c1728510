"""Chroma plumbing for the store: clients (local directory or server), paging, and the
conversion between Chroma records and newsqa's models."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from index.damage import damaged_error, database_damage, is_damage
from index.errors import InputError, StoreError
from index.models import ArticleMeta, Chunk

PAGE = 2000
META_FIELDS = ("title", "source", "published_at", "published_ts", "url", "author", "path", "content_hash", "n_chunks")


def close_client(client) -> None:
    close = getattr(client, "close", None)
    if close is not None:
        close()


def local_client(directory: Path):
    import chromadb

    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    database = directory / "chroma.sqlite3"
    if not database.exists():
        # People's archives: the database is private from its first byte (SQLite gives its
        # journal files the same mode), whatever the process umask.
        # OSError: created meanwhile, or a read-only place: Chroma reports what matters
        with contextlib.suppress(OSError):
            os.close(os.open(database, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        return chromadb.PersistentClient(path=str(directory), settings=chromadb.Settings(anonymized_telemetry=False))
    except Exception as exc:  # chroma raises many types for an unusable directory
        damage = (database_damage(directory) or one_line(exc)) if is_damage(exc) else None
        if damage:
            raise damaged_error(directory, damage) from None
        raise StoreError(f"cannot open the store at {directory}: {one_line(exc)}") from None


def http_client(url: str):
    import chromadb

    parsed = urlparse(url if "://" in url else f"http://{url}")
    if not parsed.hostname:
        raise InputError(f"not a Chroma server URL: {url!r}")
    port = parsed.port or (443 if parsed.scheme == "https" else 8000)
    try:
        client = chromadb.HttpClient(
            host=parsed.hostname,
            port=port,
            ssl=parsed.scheme == "https",
            settings=chromadb.Settings(anonymized_telemetry=False),
        )
        client.heartbeat()
    except Exception as exc:
        raise StoreError(f"cannot reach the Chroma server at {url}: {one_line(exc)}") from None
    return client


def get_collection(client, name: str):
    try:
        return client.get_collection(name, embedding_function=None)
    except Exception:
        # chroma signals a missing collection with different exception types across versions
        return None


def pages(col, include: list[str]):
    offset = 0
    while True:
        got = col.get(include=include, limit=PAGE, offset=offset)
        ids = got["ids"]
        if not ids:
            return
        yield ids, got.get("metadatas") or [{}] * len(ids), got.get("documents") or [None] * len(ids)
        offset += len(ids)


def meta_dict(m: ArticleMeta) -> dict:
    return {k: getattr(m, k) for k in META_FIELDS}


def article_record(meta: ArticleMeta, n_chunks: int) -> dict:
    record = {k: v for k, v in meta_dict(meta).items() if v is not None}
    record["n_chunks"] = n_chunks
    return record


def chunk_records(items) -> tuple[list[str], np.ndarray, list[dict]]:
    """Ids, one float32 matrix of vectors and the metadata of the chunks of ``items`` (article,
    chunks, vectors): a chunk record holds its article's filter fields and its place in the body."""
    ids: list[str] = []
    metas: list[dict] = []
    blocks = []
    for article, chunks, vectors in items:
        m = article.meta
        base = {"doc_id": m.doc_id}
        if m.published_ts is not None:
            base["published_ts"] = int(m.published_ts)
        if m.source:
            base["source_key"] = m.source.casefold()
        ids.extend(c.chunk_id for c in chunks)
        metas.extend({**base, "ordinal": c.ordinal, "char_start": c.char_start, "char_end": c.char_end} for c in chunks)
        if len(chunks):
            blocks.append(np.asarray(vectors, dtype=np.float32).reshape(len(chunks), -1))
    return ids, np.concatenate(blocks) if blocks else np.zeros((0, 0), dtype=np.float32), metas


def meta_from(doc_id: str, md: dict | None) -> ArticleMeta:
    md = md or {}
    return ArticleMeta(
        doc_id=doc_id,
        title=md.get("title") or doc_id,
        source=md.get("source"),
        published_at=md.get("published_at"),
        published_ts=md.get("published_ts"),
        url=md.get("url"),
        author=md.get("author"),
        path=md.get("path"),
        content_hash=md.get("content_hash", ""),
        n_chunks=int(md.get("n_chunks", 0)),
    )


def chunk_from(chunk_id: str, md: dict, body: str) -> Chunk:
    """A chunk record with its text sliced from ``body``, its article's."""
    start, end = int(md["char_start"]), int(md["char_end"])
    return Chunk(
        chunk_id=chunk_id,
        doc_id=md["doc_id"],
        ordinal=int(md.get("ordinal", 0)),
        text=body[start:end],
        char_start=start,
        char_end=end,
    )


def one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__
