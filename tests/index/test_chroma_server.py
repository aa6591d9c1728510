"""The same commands against a real `chroma run` server on 127.0.0.1."""

from __future__ import annotations

import pytest

from index.errors import StoreError
from index.ingest import ingest
from index.store import Store
from qa.service import NewsQA
from tests.chroma_server import chroma_server, free_port
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def server_url(tmp_path_factory):
    with chroma_server(tmp_path_factory.mktemp("chroma-server") / "data") as url:
        yield url


def test_ingest_sources_and_ask_through_a_server(settings, server_url):
    remote = settings.model_copy(update={"chroma_url": server_url, "collection": "seedtest"})
    report = ingest([SEEDS], remote)
    assert report.added == 1
    assert ingest([SEEDS], remote).unchanged == 1  # idempotent against the server too
    with Store.open(remote) as store:
        metas = store.list_articles()
        assert [m.published_at[:10] for m in metas] == ["2025-03-19"]
        assert store.counts()[1] == metas[0].n_chunks
    assert not settings.store_dir.exists() or not (settings.store_dir / "chroma.sqlite3").exists()
    app = NewsQA(remote)
    try:
        answer = app.ask("What are Putin's conditions for a ceasefire?")
    finally:
        app.close()
    assert answer.answered and answer.citations
    with Store.open(remote) as store:  # a filtered search by id list, stale ids included
        where = {"doc_id": metas[0].doc_id}
        ids = [c.chunk_id for c, _ in store.iter_chunks()]
        vector = store.embedder.embed(["ceasefire conditions"])[0]
        by_filter = store.dense_search(vector, 3, where)
        assert len(by_filter) == 3
        assert store.dense_search(vector, 3, where, ids=ids) == by_filter
        assert store.dense_search(vector, 3, where, ids=[*ids, "gone#0"]) == by_filter


def test_unreachable_server_is_a_one_line_error(settings):
    remote = settings.model_copy(update={"chroma_url": f"http://127.0.0.1:{free_port()}"})
    with pytest.raises(StoreError, match="cannot reach the Chroma server") as err:
        Store.open(remote)
    assert "\n" not in str(err.value)
