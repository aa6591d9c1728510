"""The shared multihop corpus (609 JSON articles) loads whole, with its ids and metadata."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.loaders import iter_articles
from index.models import Article
from index.settings import Settings

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "evals" / "multihop-rag" / "corpus"

pytestmark = [
    pytest.mark.shared,
    pytest.mark.skipif(not CORPUS.is_dir(), reason="shared multihop corpus absent"),
]


def test_multihop_corpus_loads_with_metadata(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", cache_dir=tmp_path / "cache")
    files = sorted(CORPUS.glob("*.json"))
    items = list(iter_articles([CORPUS], settings))
    articles = {x.doc_id: x for x in items if isinstance(x, Article)}
    assert len(items) == len(files) == len(articles)
    for file in files:
        record = json.loads(file.read_text(encoding="utf-8"))
        article = articles[record["doc_id"]]
        meta = article.meta
        assert meta.path == str(file)
        assert meta.title == " ".join(record["title"].split())[:500] or len(record["title"]) > 499
        assert meta.source == (" ".join(record["source"].split()) if record.get("source") else None)
        assert meta.url == record.get("url")
        assert meta.author == (" ".join(record["author"].split()) if record.get("author") else None)
        assert meta.published_at == record["published_at"]
        assert meta.published_ts is not None
        # Load-time hygiene drops invisible controls (a stray BOM, say); the words are the same.
        visible = "".join(c for c in record["body"] if c.isprintable() or c.isspace())
        assert "".join(c for c in article.body if c.isprintable() or c.isspace()).split() == visible.split()
