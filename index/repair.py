"""Checking a local store and rebuilding one whose database is damaged (``newsqa repair``).

Chroma keeps everything of a local store in ``chroma.sqlite3`` (records, bodies, and the vectors
not yet folded into its HNSW files). When that file is damaged (a bad disk, a copy cut short,
another program writing into it) nothing in it can be trusted, and SQLite cannot mend it: the
cure is to build the store again from the articles' own files and URLs. So every ingest leaves,
beside the database, the list of the places its articles came from (``newsqa.paths.json``),
and a rebuild moves the damaged directory aside (never deleting what a user might still want)
and ingests those places into a new one. Re-embedding is cheap: the embedding cache, which lives
outside the store, still holds every chunk's vector.

The BM25 files and the crash marker mend themselves on the next read (see ``lexical`` and
``store``); ``repair`` on a sound store just does both now and says what it found.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from index.damage import database_damage
from index.errors import InputError, StoreError
from index.ingest import ingest
from index.locking import WRITER_LOCK, store_lock
from index.models import Article, ArticleMeta, IngestReport
from index.settings import Settings
from index.source_list import PATHS_FILE, record_store_paths, recorded_paths


@dataclass
class RepairReport:
    store: str
    damage: str | None = None
    """What was wrong with the database (None: it was sound)."""
    moved_to: str | None = None
    """Where the damaged directory was kept, when the store was rebuilt."""
    sources: int = 0
    missing: list[str] = field(default_factory=list)
    """Recorded places that no longer exist: their articles could not be brought back."""
    mended: int = 0
    """Articles whose half-written debris was removed (a sound store)."""
    articles: int = 0
    chunks: int = 0

    def as_dict(self) -> dict:
        return {
            "store": self.store,
            "damaged": self.damage is not None,
            "damage": self.damage,
            "moved_to": self.moved_to,
            "sources": self.sources,
            "missing": self.missing,
            "mended": self.mended,
            "articles": self.articles,
            "chunks": self.chunks,
        }


def repair(settings: Settings, *, progress: Callable[[int, str], None] | None = None) -> RepairReport:
    """Check the local store; mend a sound one, rebuild a damaged one (from its own article
    records when they can still be read, else from its recorded sources)."""
    if settings.chroma_url:
        raise InputError("repair works on a local store; a Chroma server keeps its own database")
    directory = settings.store_dir
    if not directory.is_dir():
        raise InputError(f"no store at {directory}; check --store")
    report = RepairReport(store=str(directory))
    report.damage = database_damage(directory)
    records: list[Article] | None = None
    if report.damage is None:
        report.damage, records = _probe(settings)
    if report.damage is None:
        _mend(settings, report)
        return report
    _move_aside(settings, report)
    result: IngestReport | None
    if records is not None:
        report.sources = len(records)
        by_place: dict[str, list[Article]] = {}
        for article in records:
            by_place.setdefault(article.meta.path or article.doc_id, []).append(article)
        result = ingest([], settings, extra=by_place.items(), progress=progress)
    else:
        result = _ingest_recorded(settings, report, progress)
    if result is not None:
        report.articles, report.chunks = result.articles, result.chunks
    return report


def _probe(settings: Settings) -> tuple[str | None, list[Article] | None]:
    """Read every record and search the vector index in a child process: hnswlib reading a
    mangled file can crash the process that opens it, and must not take ``repair`` with it.
    Returns what is damaged (None: nothing) and, when the records could be read, the articles."""
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory(prefix="newsqa-repair-") as tmp:
        out = Path(tmp) / "articles.jsonl"
        env = {**os.environ, "NEWSQA_STORE": str(settings.store_dir), "NEWSQA_COLLECTION": settings.collection}
        env.pop("NEWSQA_CHROMA_URL", None)
        run = subprocess.run(
            [sys.executable, "-m", "index.repair", str(out)], capture_output=True, text=True, env=env, check=False
        )
        records = _read_records(out) if out.is_file() else None
        if run.returncode == 0:
            return None, records
        lines = [line for line in run.stderr.strip().splitlines() if line.strip()]
        if run.returncode < 0:
            return f"reading its vector index crashed a process (signal {-run.returncode})", records
        return (lines[-1][:300] if lines else f"the check failed (exit status {run.returncode})"), records


def _read_records(path: Path) -> list[Article]:
    articles = []
    for line in path.read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        articles.append(Article(meta=ArticleMeta(**data["meta"]), body=data["body"]))
    return articles


def _probe_main(out: Path) -> int:
    """The child's side of ``_probe``: dump the article records, then exercise the vector index."""
    from dataclasses import asdict

    from index.store import Store

    settings = Settings()
    with Store.open(settings) as store, store.reading():
        metas = store.list_articles()
        ids = [m.doc_id for m in metas]
        with out.open("w", encoding="utf-8") as f:
            for start in range(0, len(ids), 500):
                for article in store.get_articles(ids[start : start + 500]).values():
                    f.write(json.dumps({"meta": asdict(article.meta), "body": article.body}) + "\n")
        store.probe_vectors()
    return 0


def _mend(settings: Settings, report: RepairReport) -> None:
    import shutil

    from index.lexical import sync_lexical
    from index.store import Store

    with Store.open(settings, write=True) as store, store.writing():
        report.mended = store.repair()
        shutil.rmtree(store.lexical_dir, ignore_errors=True)  # built again below, from the records
        sync_lexical(store)
        report.articles, report.chunks = store.counts()
        record_store_paths(store)


def _move_aside(settings: Settings, report: RepairReport) -> None:
    """Keep the damaged directory (a user may want it) under a dated name beside the new one."""
    directory = settings.store_dir
    aside = directory.with_name(f"{directory.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    # Holding the writer's lock keeps an ingest from writing into the directory while it moves.
    with store_lock(directory, exclusive=True, timeout=settings.lock_timeout, name=WRITER_LOCK):
        try:
            directory.rename(aside)
        except OSError as exc:
            raise StoreError(f"cannot move the damaged store {directory} aside: {exc.strerror or exc}") from None
    report.moved_to = str(aside)


def _ingest_recorded(
    settings: Settings, report: RepairReport, progress: Callable[[int, str], None] | None
) -> IngestReport | None:
    from index.web import is_url
    from index.web.run import ingest_sources

    paths = recorded_paths(Path(report.moved_to or settings.store_dir))
    if paths is None:
        raise StoreError(
            f"the store at {settings.store_dir} was damaged ({report.damage}) and kept no list of its sources "
            f"(it predates {PATHS_FILE}); it was moved to {report.moved_to}: run `newsqa ingest PATH...` again"
        )
    sources = [p for p in paths if is_url(p) or os.path.exists(p)]
    report.missing = [p for p in paths if p not in set(sources)]
    report.sources = len(sources)
    return ingest_sources(sources, settings, progress=progress) if sources else None


if __name__ == "__main__":
    import sys

    from index.errors import NewsQAError

    try:
        sys.exit(_probe_main(Path(sys.argv[1])))
    except NewsQAError as exc:
        print(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, file=sys.stderr)
        sys.exit(1)
