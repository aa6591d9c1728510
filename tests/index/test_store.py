"""The store's own promises: which embedder built it, and read-only use."""

from __future__ import annotations

import pytest

from index.errors import EmbedderMismatch, StoreError
from index.store import Store
from qa.service import NewsQA


def test_querying_with_another_embedder_is_a_clear_error(seed_settings):
    other = seed_settings.model_copy(update={"embedder": "openai", "openai_base_url": "http://127.0.0.1:9/v1"})
    app = NewsQA(other)
    try:
        with pytest.raises(EmbedderMismatch, match="minilm-l6-v2-int8") as err:
            app.ask("What are Putin's conditions for a ceasefire?")
    finally:
        app.close()
    assert "\n" not in str(err.value)


def test_a_reader_cannot_write(seed_settings):
    with Store.open(seed_settings) as store:
        with pytest.raises(StoreError, match="read-only"):
            store.delete_article(store.list_articles()[0].doc_id)
        assert store.counts()[0] == 1
