"""The repo's seed article, loaded by the real loader and chunked by the real chunker, as hits."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from index.chunking import chunk_article
from index.loaders import load_file
from index.models import Article
from index.settings import Settings
from qa.models import Hit

SEED_FILE = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))[0]


def seed_article() -> Article:
    """The seed article with a stable id and a named outlet (the file itself names neither)."""
    (article,) = load_file(SEED_FILE, Settings())
    meta = replace(article.meta, doc_id="seed-000", source="RedState", url="https://redstate.com/seed-000")
    return Article(meta=meta, body=article.body)


def seed_hits(article: Article | None = None, target_chars: int = 900) -> list[Hit]:
    """Every chunk of the article as a hit, best-scored first in article order."""
    article = article or seed_article()
    chunks = chunk_article(article, target_chars)
    return [Hit(chunk=c, meta=replace(article.meta, n_chunks=len(chunks)), score=1.0 - i / 100) for i, c in enumerate(chunks)]
