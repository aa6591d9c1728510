"""``newsqa ingest`` with URLs among its sources: fetch first, then store, so the store's writer
lock is held only while writing (``ask`` and the chat keep reading while pages download); and
``--follow``, which does that every few minutes until stopped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from index.errors import EmptyIndex, InputError, NewsQAError
from index.ingest import Progress, Watch, ingest
from index.models import IngestReport
from index.settings import Settings
from index.store import Store

from . import is_url

if TYPE_CHECKING:
    from index.embedder import TextEmbedder


def _stored_hashes(settings: Settings) -> dict[str, str]:
    try:
        with Store.open(settings) as store, store.reading():
            return dict(store.article_hashes())
    except EmptyIndex:
        return {}  # no store yet: the write makes it


def ingest_sources(
    sources: Sequence[str | Path],
    settings: Settings,
    *,
    prune: bool = False,
    progress: Progress | None = None,
    embedder: TextEmbedder | None = None,
    watch: Watch | None = None,
    report: IngestReport | None = None,
) -> IngestReport:
    """Ingest files, folders and URLs together: one report, one write (``watch`` and ``report``
    as ``ingest`` takes them)."""
    from .client import Fetcher
    from .crawl import crawl
    from .state import FetchState

    urls = [str(s) for s in sources if is_url(s)]
    paths = [Path(s) for s in sources if not is_url(s)]
    for p in paths:  # before any download: a typo should not cost a crawl
        if not p.exists():
            raise InputError(f"no such file or directory: {p}")
    if not urls:
        return ingest(paths, settings, prune=prune, progress=progress, embedder=embedder, watch=watch, report=report)
    known = _stored_hashes(settings)
    with FetchState(settings.fetch_state_db) as state, Fetcher(settings) as fetcher:
        fetched = crawl(urls, settings, known=known, state=state, fetcher=fetcher)
        report = ingest(
            paths,
            settings,
            prune=prune,
            progress=progress,
            extra=fetched.by_url,
            embedder=embedder,
            watch=watch,
            report=report,
        )
        state.save(fetched.records)  # only now: what the records vouch for is stored
    return report


@dataclass
class Totals:
    """What a ``--follow`` run has done so far (kept current, so an interrupt can report it)."""

    rounds: int = 0
    added: int = 0
    updated: int = 0
    failed: int = 0


def follow(
    urls: Sequence[str],
    settings: Settings,
    minutes: float,
    totals: Totals,
    on_round: Callable[[IngestReport | NewsQAError], None],
    *,
    rounds: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Ingest ``urls`` every ``minutes`` until interrupted (or ``rounds`` are done). A round that
    fails as a whole (the store busy, say) is reported and the next one tries again."""
    from index.embedder import make_embedder

    bad = [u for u in urls if not is_url(u)]
    if bad:
        raise InputError(f"--follow polls URLs only; not a URL: {bad[0]}")
    embedder = make_embedder(settings)
    while True:
        try:
            report: IngestReport | NewsQAError = ingest_sources(urls, settings, embedder=embedder)
        except NewsQAError as exc:
            report = exc
        totals.rounds += 1
        if isinstance(report, IngestReport):
            totals.added += report.added
            totals.updated += report.updated
            totals.failed += len(report.skipped)
        else:
            totals.failed += 1
        on_round(report)
        if rounds is not None and totals.rounds >= rounds:
            return
        sleep(minutes * 60)
