"""The seed article chunked into hits, as retrieval would return them, and the real embedder:
fixtures for the engine and citation-check tests (tests/conftest.py registers them for every test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.chunking import chunk_article
from index.embedder import make_embedder
from index.models import Article, ArticleMeta
from index.settings import Settings
from qa.models import Hit

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_fb8477c1ba6629bb.txt"


@pytest.fixture(scope="module")
def embedder(tmp_path_factory):
    return make_embedder(Settings(cache_dir=tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="module")
def article() -> Article:
    body = SEED.read_text(encoding="utf-8")
    meta = ArticleMeta(
        doc_id="seed-000",
        title=body.splitlines()[0],
        source="RedState",
        published_at="2025-03-19",
        url="https://example.org/seed-000",
    )
    return Article(meta=meta, body=body)


@pytest.fixture(scope="module")
def hits(article) -> list[Hit]:
    chunks = chunk_article(article, target_chars=900)
    return [Hit(chunk=c, meta=article.meta, score=1.0 / (i + 1)) for i, c in enumerate(chunks)]
