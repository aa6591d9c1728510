"""The Chroma store: a local directory or a `chroma run` server, behind one class.

Two collections per store: ``<name>-chunks`` holds chunk vectors and their places in the body
(a chunk's text is its slice of the body, stored once); ``<name>-articles``
holds one record per article (body and metadata). The article record is written last, so it
marks an article as complete: chunks without a matching record are debris of an interrupted
ingest, and ``repair`` removes them. A record is removed before its chunks change, so a record
always has exactly its own chunks.

A local writer leaves a marker file while it works; a process killed mid-write leaves it behind,
and the next process to open or read the store repairs it first (under the exclusive lock), so
no reader ever sees the debris of a crash.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from index import _chroma
from index.damage import damaged_error, is_damage
from index.errors import EmbedderMismatch, EmptyIndex, StoreError
from index.locking import WRITER_LOCK, store_lock
from index.models import Article, ArticleMeta, Chunk
from index.settings import Settings

if TYPE_CHECKING:
    from index.embedder import TextEmbedder

_DIRTY = "newsqa.writing"
"""Marker of a local write in progress; found with no writer alive, it means a crash."""


class Store:
    """Open with ``Store.open(settings, write=...)`` as a context manager."""

    def __init__(self, settings: Settings, client, *, write: bool, exit_stack: ExitStack):
        self.settings = settings
        self.write = write
        self._client = client
        self._stack = exit_stack
        self._embedder: TextEmbedder | None = None
        self._chunks = None
        self._articles = None
        # doc_id -> content hash, kept current by this store's own writes. Only a writer caches
        # it: it holds the exclusive lock of a local store (a server has no lock: two writers at
        # once were never safe there either).
        self._hashes: dict[str, str] | None = None
        self._closed = False
        self._write_mutex = threading.RLock()
        self._write_depth = 0
        self.mended = 0
        """Articles this store's repairs have mended (debris of crashed writers removed)."""

    # -- opening -------------------------------------------------------------------------------
    @classmethod
    def open(cls, settings: Settings, *, write: bool = False, embedder: TextEmbedder | None = None) -> Store:
        """``embedder`` reuses an already loaded model (a reader reopening the store)."""
        stack = ExitStack()
        try:
            if settings.chroma_url:
                client = _chroma.http_client(settings.chroma_url)
            else:
                directory = settings.store_dir
                if write:
                    stack.enter_context(
                        store_lock(directory, exclusive=True, timeout=settings.lock_timeout, name=WRITER_LOCK)
                    )
                elif not directory.is_dir():
                    # A reader never creates a store: a mistyped --store would read as an empty one.
                    if directory.exists():
                        raise StoreError(f"{directory} is a file, not a store directory; check --store")
                    raise EmptyIndex(_missing(directory))
                wait = _batch_wait(settings) if write else settings.lock_timeout
                with store_lock(directory, exclusive=write, timeout=wait):
                    client = _chroma.local_client(directory)
                # Chroma shares one client per directory within a process and its vector index
                # is only read from disk when the last one closes: close ours with the store.
                stack.callback(_chroma.close_client, client)
        except BaseException:
            stack.close()
            raise
        store = cls(settings, client, write=write, exit_stack=stack)
        store._embedder = embedder
        if not settings.chroma_url:
            try:
                if write:
                    with store.writing():
                        pass  # recovers a crashed writer's debris first, if there is any
                else:
                    with store.reading():
                        pass
            except BaseException:
                store.close()
                raise
        return store

    def close(self, clean: bool = True) -> None:
        """Release the store (each write clears its own in-progress marker, see ``writing``)."""
        if self._closed:
            return
        self._closed = True
        self._stack.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        self.close(clean=exc_type is None)

    @contextmanager
    def reading(self):
        """Hold the shared lock of a local store for one read (a long-lived reader, such as the
        chat, must not keep writers out between questions). Debris of a writer that died is
        repaired first. A live writer's marker exists only while it holds the exclusive lock,
        so a marker seen under the shared lock was left by a crash."""
        if self.write or self.settings.chroma_url:
            yield
            return
        settings = self.settings
        for _ in range(2):
            with store_lock(settings.store_dir, exclusive=False, timeout=settings.lock_timeout):
                if not _dirty_path(settings).exists():
                    with _damage_named(settings.store_dir):
                        yield
                    return
            with store_lock(settings.store_dir, exclusive=True, timeout=settings.lock_timeout):
                self._recover_locked()
        with (
            store_lock(settings.store_dir, exclusive=False, timeout=settings.lock_timeout),
            _damage_named(settings.store_dir),
        ):
            yield

    @contextmanager
    def writing(self):
        """Hold the exclusive lock of a local store for one batch of writes, with the
        in-progress marker on disk. Between batches the store is whole and unlocked, so readers
        answer from the last committed state while a long ingest runs. A batch that raises keeps
        its marker: the next opener (or this writer's next batch) repairs what it left.
        Re-entrant within the writer."""
        self._require_write()
        if self.settings.chroma_url:
            yield
            return
        with self._write_mutex:
            if self._write_depth:
                self._write_depth += 1
                try:
                    yield
                finally:
                    self._write_depth -= 1
                return
            with store_lock(self.settings.store_dir, exclusive=True, timeout=_batch_wait(self.settings)):
                self._recover_locked()
                marker = _dirty_path(self.settings)
                try:
                    marker.touch(mode=0o600)
                except OSError as exc:
                    from index.locking import _place_error

                    raise StoreError(_place_error(self.settings.store_dir, exc)) from None
                self._write_depth = 1
                try:
                    yield
                except BaseException as exc:
                    self._hashes = None  # what was written is unknown until a repair says
                    if isinstance(exc, Exception) and is_damage(exc):
                        raise damaged_error(self.settings.store_dir, _chroma.one_line(exc)) from None
                    if isinstance(exc, Exception) and type(exc).__module__.startswith("chromadb"):
                        # A full disk, a file size limit, a damaged database: the marker stays,
                        # so the next run repairs what this batch left half-written.
                        raise StoreError(_write_failed(self.settings.store_dir, exc)) from None
                    raise
                finally:
                    self._write_depth = 0
                marker.unlink(missing_ok=True)

    def _recover_locked(self) -> None:
        """With the exclusive lock held: repair a crashed writer's debris and clear its marker."""
        marker = _dirty_path(self.settings)
        if not marker.exists():
            return
        if marker.is_dir():
            raise StoreError(f"{marker} is a directory, not newsqa's write marker: remove it and try again")
        was_write, self.write = self.write, True
        try:
            self._repair()
        finally:
            self.write = was_write
            if not was_write:
                self._hashes = None
        marker.unlink(missing_ok=True)

    @property
    def location(self) -> str:
        return self.settings.chroma_url or str(self.settings.store_dir)

    @property
    def lexical_dir(self) -> Path:
        """Where the BM25 index of this store is persisted (beside a local store)."""
        if self.settings.chroma_url:
            key = hashlib.sha1(f"{self.settings.chroma_url}|{self.settings.collection}".encode()).hexdigest()[:16]
            return self.settings.cache_dir / "lexical" / key
        return self.settings.store_dir / "lexical" / self.settings.collection

    @property
    def loaded_embedder(self) -> TextEmbedder | None:
        """The embedder if it is loaded already (to hand on to a reopened store), else None."""
        return self._embedder

    @property
    def embedder(self) -> TextEmbedder:
        if self._embedder is None:
            from index.embedder import make_embedder

            self._embedder = make_embedder(self.settings)
        return self._embedder

    # -- collections ---------------------------------------------------------------------------
    def _chunk_collection(self, create: bool = False):
        if self._chunks is None:
            name = f"{self.settings.collection}-chunks"
            emb = self.embedder
            if create:
                col = self._client.get_or_create_collection(
                    name,
                    embedding_function=None,
                    metadata={"hnsw:space": "cosine", "embedder": emb.name, "dim": emb.dim},
                )
            else:
                col = _chroma.get_collection(self._client, name)
                if col is None:
                    return None
            built_by = (col.metadata or {}).get("embedder")
            if built_by and built_by != emb.name:
                raise EmbedderMismatch(
                    f"the store at {self.location} was built with embedder {built_by!r}, not {emb.name!r}; "
                    "use the same embedder or a new --store"
                )
            self._chunks = col
        return self._chunks

    def _article_collection(self, create: bool = False):
        if self._articles is None:
            name = f"{self.settings.collection}-articles"
            if create:
                self._articles = self._client.get_or_create_collection(
                    name, embedding_function=None, metadata={"hnsw:space": "l2"}
                )
            else:
                self._articles = _chroma.get_collection(self._client, name)
        return self._articles

    # -- reading -------------------------------------------------------------------------------
    def counts(self) -> tuple[int, int]:
        arts, chunks = self._article_collection(), self._chunk_collection()
        return (arts.count() if arts else 0, chunks.count() if chunks else 0)

    def get_article(self, doc_id: str) -> Article | None:
        return self.get_articles([doc_id]).get(doc_id)

    def get_articles(self, doc_ids: Sequence[str]) -> dict[str, Article]:
        """The stored articles among ``doc_ids``, in one round trip."""
        arts = self._article_collection()
        if arts is None or not doc_ids:
            return {}
        got = arts.get(ids=list(dict.fromkeys(doc_ids)), include=["metadatas", "documents"])
        return {
            i: Article(meta=_chroma.meta_from(i, m), body=d)
            for i, m, d in zip(got["ids"], got["metadatas"], got["documents"], strict=True)
        }

    def get_metas(self, doc_ids: Sequence[str]) -> dict[str, ArticleMeta]:
        arts = self._article_collection()
        if arts is None or not doc_ids:
            return {}
        got = arts.get(ids=list(dict.fromkeys(doc_ids)), include=["metadatas"])
        return {i: _chroma.meta_from(i, m) for i, m in zip(got["ids"], got["metadatas"], strict=True)}

    def list_articles(self) -> list[ArticleMeta]:
        arts = self._article_collection()
        if arts is None:
            return []
        out: list[ArticleMeta] = []
        for ids, metas, _ in _chroma.pages(arts, include=["metadatas"]):
            out.extend(_chroma.meta_from(i, m) for i, m in zip(ids, metas, strict=True))
        return sorted(out, key=lambda m: (m.published_ts or 0, m.doc_id))

    def article_hashes(self) -> dict[str, str]:
        """doc_id -> content hash of every stored article (a writer answers from memory after the
        first call; callers must not mutate the result)."""
        if self._hashes is not None:
            return self._hashes
        hashes = {m.doc_id: m.content_hash for m in self.list_articles()}
        if self.write:
            self._hashes = hashes
        return hashes

    def sources(self) -> list[str]:
        return sorted({m.source for m in self.list_articles() if m.source})

    def newest_ts(self) -> int | None:
        stamps = [m.published_ts for m in self.list_articles() if m.published_ts is not None]
        return max(stamps) if stamps else None

    def iter_chunks(self) -> Iterator[tuple[Chunk, dict]]:
        """Every chunk with its stored metadata (doc_id, published_ts, source_key, ...); its text
        is sliced from its article's body. A chunk without an article record (debris of an
        interrupted write, which ``repair`` removes) is left out."""
        col = self._chunk_collection()
        if col is None:
            return
        for ids, metas, _ in _chroma.pages(col, include=["metadatas"]):
            bodies = {d: a.body for d, a in self.get_articles([m["doc_id"] for m in metas]).items()}
            for i, m in zip(ids, metas, strict=True):
                body = bodies.get(m["doc_id"])
                if body is not None:
                    yield _chroma.chunk_from(i, m, body), m

    def chunk_doc_ids(self) -> dict[str, str]:
        """chunk_id -> doc_id for every chunk (cheap: metadata only)."""
        col = self._chunk_collection()
        if col is None:
            return {}
        out: dict[str, str] = {}
        for ids, metas, _ in _chroma.pages(col, include=["metadatas"]):
            out.update((i, m["doc_id"]) for i, m in zip(ids, metas, strict=True))
        return out

    def dense_search(
        self, vector, k: int, where: dict | None = None, ids: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        """The ``k`` chunks nearest ``vector`` among those ``where`` allows, as (chunk id, similarity).

        ``ids``, when the caller knows them, are the chunk ids ``where`` allows: Chroma searches
        a list of ids several times faster than it evaluates a metadata filter (1.7 vs 7.5 ms for
        2.4k of 15.6k chunks). A stale list (a chunk deleted since) fails the query; ``where``
        then answers."""
        col = self._chunk_collection()
        if col is None or k <= 0:
            return []
        query = np.asarray(vector, dtype=np.float32).reshape(1, -1)
        # No count() first: Chroma returns fewer results when it has fewer, and a count costs
        # as much as the search itself.
        res = None
        if ids is not None:
            if not len(ids):
                return []
            # The local client and a server say "unknown id" differently: then the metadata filter
            # below answers, or raises what is really wrong.
            with contextlib.suppress(Exception):
                res = col.query(query_embeddings=query, n_results=k, ids=list(ids), include=["distances"])
        if res is None:
            res = col.query(query_embeddings=query, n_results=k, where=where or None, include=["distances"])
        return [(i, 1.0 - d) for i, d in zip(res["ids"][0], res["distances"][0], strict=True)]

    def probe_vectors(self) -> None:
        """Read a vector back and search with it, in both collections: a damaged vector index
        fails here (or, hnswlib reading a mangled file unchecked, crashes the process: run this
        in a child process)."""
        for col in (self._chunk_collection(), self._article_collection()):
            if col is None or not col.count():
                continue
            got = col.get(limit=1, include=["embeddings"])
            col.query(query_embeddings=np.asarray(got["embeddings"][:1], dtype=np.float32), n_results=1)

    # -- writing -------------------------------------------------------------------------------
    def _require_write(self) -> None:
        if not self.write:
            raise StoreError("store opened read-only")

    def put_article(self, article: Article, chunks: Sequence[Chunk], vectors) -> None:
        """Replace an article and its chunks. The article record goes last: it marks completion."""
        self.put_articles([(article, chunks, vectors)])

    def put_articles(self, items: Sequence[tuple[Article, Sequence[Chunk], object]]) -> None:
        """Write several articles (each with its chunks and their vectors) in a few large calls.

        Chroma's cost is per call more than per row, so a batch of articles goes in one upsert of
        chunks and one of article records. Old chunks are deleted only for articles already stored
        (a new article has none). All chunk writes precede all record writes: an interruption
        leaves chunks without a record, which ``repair`` removes."""
        if not items:
            return
        with self.writing():
            self._put_articles(items)

    def _put_articles(self, items: Sequence[tuple[Article, Sequence[Chunk], object]]) -> None:
        chunks_col = self._chunk_collection(create=True)
        arts = self._article_collection(create=True)
        stored = self.article_hashes()
        replaced = [a.doc_id for a, _, _ in items if a.doc_id in stored]
        if replaced:
            # Record first: until the new record lands, the article is absent, never a record
            # over chunks of another version.
            arts.delete(ids=replaced)
            chunks_col.delete(where={"doc_id": {"$in": replaced}})
        ids, matrix, metas = _chroma.chunk_records(items)
        step = self._write_page()
        for start in range(0, len(ids), step):
            end = start + step
            # No documents: a chunk's text is its slice of the article body, stored once in the
            # article record. Chroma indexes documents for full-text search while it holds the
            # GIL, which made a write 4x slower and stalled the embedder.
            chunks_col.upsert(ids=ids[start:end], embeddings=matrix[start:end], metadatas=metas[start:end])
        records = [_chroma.article_record(article.meta, len(chunks)) for article, chunks, _ in items]
        for start in range(0, len(items), step):
            part = items[start : start + step]
            arts.upsert(
                ids=[a.meta.doc_id for a, _, _ in part],
                embeddings=np.ones((len(part), 1), dtype=np.float32),
                documents=[a.body for a, _, _ in part],
                metadatas=records[start : start + step],
            )
        for article, _, _ in items:
            stored[article.doc_id] = article.meta.content_hash

    def _write_page(self) -> int:
        try:
            return max(1, min(_chroma.PAGE, int(self._client.get_max_batch_size())))
        except Exception:  # older clients or servers without the call
            return _chroma.PAGE

    def delete_article(self, doc_id: str) -> None:
        """Record first, then chunks: an interruption leaves orphan chunks that ``repair`` removes."""
        with self.writing():
            self._delete_article(doc_id)

    def _delete_article(self, doc_id: str) -> None:
        arts, chunks = self._article_collection(), self._chunk_collection()
        if arts is not None:
            arts.delete(ids=[doc_id])
        if self._hashes is not None:
            self._hashes.pop(doc_id, None)
        if chunks is not None:
            chunks.delete(where={"doc_id": doc_id})

    def repair(self) -> int:
        """Remove the debris an interrupted ingest can leave. Returns the number of articles mended."""
        with self.writing():
            return self._repair()

    def _repair(self) -> int:
        chunks_col = self._chunk_collection()
        if chunks_col is None:
            return 0
        per_doc: dict[str, int] = {}
        for doc_id in self.chunk_doc_ids().values():
            per_doc[doc_id] = per_doc.get(doc_id, 0) + 1
        metas = self.list_articles()
        self._hashes = {m.doc_id: m.content_hash for m in metas}
        expected = {m.doc_id: m.n_chunks for m in metas}
        mended = 0
        for doc_id in per_doc.keys() | expected.keys():
            if expected.get(doc_id) != per_doc.get(doc_id, 0):
                self._delete_article(doc_id)
                mended += 1
        self.mended += mended
        return mended


@contextmanager
def _damage_named(directory: Path):
    """SQLite finding the database damaged mid-read is the store's fault, not the question's: say
    so, with the cure, instead of answering from what is left."""
    try:
        yield
    except Exception as exc:
        if is_damage(exc):
            raise damaged_error(directory, _chroma.one_line(exc)) from None
        raise


def _batch_wait(settings: Settings) -> float:
    """How long a writer waits for readers between its batches: a reader holds the lock only for
    one read, so a longer wait than a reader's keeps a long ingest from failing on a slow one."""
    return max(settings.lock_timeout, 120.0)


def _write_failed(directory: Path, exc: Exception) -> str:
    from index._chroma import one_line

    text = one_line(exc)
    return (
        f"writing to the store at {directory} failed ({text}); if the disk is full, free some space and run "
        "it again (the next run repairs what was half-written)"
    )


def _missing(directory: Path) -> str:
    return f"no store at {directory}: run `newsqa ingest PATH` first, or check --store"


def _dirty_path(settings: Settings) -> Path:
    return settings.store_dir / _DIRTY
