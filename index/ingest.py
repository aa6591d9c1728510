"""The ingest pipeline: files -> articles -> chunks -> vectors -> store, with its report.

Idempotent by content: an article whose id and content hash are already stored is left alone,
a changed one replaces its old chunks, an exact duplicate under another file name is stored
once. Work is done in batches of articles so the embedder sees full batches.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from index.chunking import chunk_article
from index.errors import InputError
from index.models import Article, Chunk, FileOutcome, IngestReport, Skipped, Unchanged
from index.settings import Settings
from index.source_list import record_store_paths
from index.store import Store

if TYPE_CHECKING:
    from index.embedder import TextEmbedder

_ARTICLES_PER_BATCH = 32

Progress = Callable[[int, str], None]
"""Called with (articles done, current path) as ingest goes."""

Watch = Callable[[int, int, str, str], None]
"""Called with (files done, files in all, the file or URL just read or "", what ingest is doing):
once when the files are counted, after each file, and as a batch is embedded and the keyword
index saved, so a progress bar has a total and never sits silent."""


def ingest(
    paths: Sequence[Path],
    settings: Settings,
    *,
    prune: bool = False,
    progress: Progress | None = None,
    extra: Iterable[tuple[str, Sequence[Article | Skipped | Unchanged]]] = (),
    embedder: TextEmbedder | None = None,
    watch: Watch | None = None,
    report: IngestReport | None = None,
) -> IngestReport:
    """``extra``: articles already loaded (fetched from URLs), each with the URL that gave it,
    stored before the files'. The report names every file and URL with what became of it.
    ``embedder`` reuses a loaded model (a polling ingest writes every few minutes).
    ``report``, when given, is filled in as the run goes: after an interrupt its ``added`` and
    ``updated`` are the articles written (the batch in flight is finished before the store closes)."""
    from index.lexical import sync_lexical
    from index.loaders import DUPLICATE_OF, expand_paths, iter_files
    from index.web import is_url

    for p in paths:
        if not Path(p).exists():
            raise InputError(f"no such file or directory: {p}")
    report = report if report is not None else IngestReport()
    total = 0
    if watch is not None:  # counted first: walking a folder costs little beside reading its files
        extra = list(extra)
        total = len(extra) + sum(1 for _ in expand_paths([Path(p) for p in paths]))
        watch(0, total, "", "reading")
    with (
        Store.open(settings, write=True, embedder=embedder) as store,
        ThreadPoolExecutor(1, thread_name_prefix="ingest-write") as writer,
    ):
        with store.writing():
            store.repair()
            _clear_lexical_debris(store)
        known = dict(store.article_hashes())
        seen: set[str] = set()
        batch: list[Article] = []
        pending: Future | None = None

        def flush() -> None:
            # Embed this batch while the previous one is written: onnxruntime and Chroma both
            # release the GIL, so the second core hides most of the store's time.
            nonlocal pending
            if watch is not None:
                watch(len(report.files), total, "", f"embedding {len(batch)} article{'s' if len(batch) != 1 else ''}")
            items = _embed_batch(store, batch, settings)
            if pending is not None:
                pending.result()
            updated = sum(1 for article in batch if article.doc_id in known)
            # Counted as the batch is handed to the writer, which finishes it even if we are interrupted.
            pending = writer.submit(store.put_articles, items)
            report.updated += updated
            report.added += len(batch) - updated
            for article in batch:
                known[article.doc_id] = article.meta.content_hash
            batch.clear()
            if watch is not None:
                watch(len(report.files), total, "", "reading")

        for source, items in itertools.chain(extra, iter_files([Path(p) for p in paths], settings)):
            outcome = FileOutcome(source)
            report.files.append(outcome)
            first_duplicate: str | None = None
            for item in items:
                if isinstance(item, Skipped):
                    report.skipped.append(item)
                    if item.reason.startswith(DUPLICATE_OF):
                        outcome.duplicates += 1
                        first_duplicate = first_duplicate or item.reason
                    else:
                        outcome.skipped.append(item)
                    continue
                if item.doc_id in seen:
                    # The same article under another name (a page a file also holds), or twice in one file.
                    outcome.duplicates += 1
                    first_duplicate = first_duplicate or f"{DUPLICATE_OF}an article read before in this run"
                    continue
                seen.add(item.doc_id)
                report.articles += 1
                outcome.articles += 1
                if isinstance(item, Unchanged) or known.get(item.doc_id) == item.meta.content_hash:
                    report.unchanged += 1
                    outcome.unchanged += 1
                else:
                    if item.doc_id in known:  # flush() counts the report's; this is the file's share
                        outcome.updated += 1
                    else:
                        outcome.added += 1
                    batch.append(item)
                    if len(batch) >= _ARTICLES_PER_BATCH:
                        flush()
                if progress:
                    progress(report.articles, item.path if isinstance(item, Unchanged) else item.meta.path or "")
            outcome.settle(first_duplicate)
            if watch is not None:
                watch(len(report.files), total, source, "reading")
        if batch:
            flush()
        if pending is not None:
            pending.result()
        if watch is not None:
            watch(len(report.files), total, "", "saving the keyword index")
        with store.writing():  # the last batch: readers see the new BM25 index with the articles
            if prune:
                for meta in store.list_articles():
                    # A fetched article's path is its URL: whether it is gone is not a file question.
                    if (
                        meta.doc_id not in seen
                        and meta.path
                        and not is_url(meta.path)
                        and not os.path.exists(meta.path)
                    ):
                        store.delete_article(meta.doc_id)
                        report.pruned += 1
            report.chunks = store.counts()[1]
            sync_lexical(store)
            if not settings.chroma_url:  # what a rebuild of a damaged store would ingest again
                record_store_paths(store)
    return report


def _clear_lexical_debris(store: Store) -> None:
    """Under the writer's lock: drop half-saved BM25 indexes a killed process left, and the saved
    index itself if a repair removed chunks it may hold (its fingerprint covers records only)."""
    import shutil

    directory = store.lexical_dir
    local = not store.settings.chroma_url  # a server's BM25 copy may be mid-save by another client
    stale = list(directory.parent.glob(".lexical-*")) if local and directory.parent.exists() else []
    if store.mended:
        stale.append(directory)
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)


def _embed_batch(store: Store, batch: list[Article], settings: Settings) -> list[tuple[Article, list[Chunk], object]]:
    """Chunk and embed a batch of articles in one embedder call (it sorts texts by length, so a
    large call wastes less on padding)."""
    chunked = [(a, chunk_article(a, settings.chunk_chars)) for a in batch]
    texts = [_embedding_text(a, c.text) for a, chunks in chunked for c in chunks]
    items: list[tuple[Article, list[Chunk], object]] = []
    if not texts:
        return [(article, chunks, ()) for article, chunks in chunked]
    vectors = store.embedder.embed(texts)
    offset = 0
    for article, chunks in chunked:
        items.append((article, chunks, vectors[offset : offset + len(chunks)] if chunks else ()))
        offset += len(chunks)
    return items


def _embedding_text(article: Article, chunk_text: str) -> str:
    # The title situates a chunk whose sentences never name the subject.
    return f"{article.meta.title}\n{chunk_text}"
