"""HTML extraction beside embedding, on real saved news pages: does extraction dominate ingest?

Each page goes through the real loader (``load_file``: decoding, trafilatura, the metadata
precedence, hygiene), timed page by page; then the articles they gave are chunked and embedded
as ``ingest`` embeds them (the configured embedder, no cache), timed as one batch. Both are
reported as pages/s, with extraction's share of the two together (the goal: under half, so
extraction never dominates). One page is loaded first, untimed: importing trafilatura is not
extraction.

Pages: ``../shared/evals/webpages/html`` (105 real pages of many sites) when present, else the
project's own fixture pages (few and small: the figure then says so in ``pages_dir``).
"""

from __future__ import annotations

import time
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[2]
SHARED_PAGES = _ROOT.parent / "shared" / "evals" / "webpages" / "html"
FIXTURE_PAGES = _ROOT / "tests" / "fixtures" / "pages" / "html"


def pages_to_time(pages: Path | None = None) -> Path:
    if pages is not None:
        return pages
    return SHARED_PAGES if SHARED_PAGES.is_dir() else FIXTURE_PAGES


def bench_extraction(settings, *, pages: Path | None = None, limit: int | None = None) -> dict:
    from index.chunking import chunk_article
    from index.embedder import make_embedder
    from index.ingest import _embedding_text
    from index.loaders import load_file
    from index.models import Article

    folder = pages_to_time(pages)
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".html", ".htm"))[:limit]
    if not files:
        return {"pages_dir": str(folder), "pages": 0}
    load_file(files[0], settings)  # warm-up: imports and lxml's first parse
    articles: list[Article] = []
    seconds = 0.0
    for path in files:
        started = time.perf_counter()
        loaded = load_file(path, settings)
        seconds += time.perf_counter() - started
        articles.extend(x for x in loaded if isinstance(x, Article))
    texts = [_embedding_text(a, c.text) for a in articles for c in chunk_article(a, settings.chunk_chars)]
    embedder = make_embedder(settings, cache=False)
    embedder.embed(["load the model"])  # loading the model is not embedding
    started = time.perf_counter()
    if texts:
        embedder.embed(texts)
    embed_s = time.perf_counter() - started
    size = sum(p.stat().st_size for p in files)
    return {
        "pages_dir": str(folder),
        "pages": len(files),
        "articles": len(articles),
        "html_mb": round(size / 1e6, 2),
        "extract_s": round(seconds, 3),
        "pages_per_s": round(len(files) / seconds, 1) if seconds else None,
        "mb_per_s": round(size / 1e6 / seconds, 2) if seconds else None,
        "chunks": len(texts),
        "embed_s": round(embed_s, 3),
        "embed_pages_per_s": round(len(files) / embed_s, 1) if embed_s else None,
        "embed_chunks_per_s": round(len(texts) / embed_s, 1) if embed_s else None,
        "extraction_share": round(seconds / (seconds + embed_s), 3) if seconds + embed_s else None,
    }
