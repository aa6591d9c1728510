"""NewsQAEmbedding: llama_index's embedding interface over the real MiniLM embedder."""

from __future__ import annotations

import numpy as np
import pytest

from index.embedding.minilm import DIM, MiniLMEmbedder
from index.llama_embedding import NewsQAEmbedding

TEXTS = ["Wildfires spread across the region.", "The team won the championship."]


@pytest.fixture(scope="module")
def minilm() -> MiniLMEmbedder:
    return MiniLMEmbedder()


def test_sync_calls_match_the_embedder(minilm: MiniLMEmbedder) -> None:
    llama = NewsQAEmbedding(minilm, embed_batch_size=1)
    assert llama.model_name == "minilm-l6-v2-int8"
    direct = minilm.embed(TEXTS)
    np.testing.assert_allclose(llama.get_query_embedding(TEXTS[0]), direct[0], atol=1e-6)
    np.testing.assert_allclose(llama.get_text_embedding(TEXTS[1]), direct[1], atol=1e-6)
    batch = llama.get_text_embedding_batch(TEXTS)
    assert len(batch) == 2 and len(batch[0]) == DIM
    np.testing.assert_allclose(batch, direct, atol=1e-6)


async def test_async_calls_match_the_embedder(minilm: MiniLMEmbedder) -> None:
    llama = NewsQAEmbedding(minilm)
    direct = minilm.embed(TEXTS)
    np.testing.assert_allclose(await llama.aget_query_embedding(TEXTS[0]), direct[0], atol=1e-6)
    np.testing.assert_allclose(await llama.aget_text_embedding(TEXTS[1]), direct[1], atol=1e-6)
    np.testing.assert_allclose(await llama.aget_text_embedding_batch(TEXTS), direct, atol=1e-6)
