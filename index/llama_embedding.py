"""llama_index's embedding interface over a :class:`~index.embedder.TextEmbedder`.

The only module of ``index`` that imports llama_index (about 1.7 s): import it only where
llama_index itself is used, never on the CLI's start-up path.
"""

from __future__ import annotations

import asyncio

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from index.embedder import TextEmbedder


class NewsQAEmbedding(BaseEmbedding):
    """Lets llama_index components embed with newsqa's embedder (and its cache)."""

    _embedder: TextEmbedder = PrivateAttr()

    def __init__(self, embedder: TextEmbedder, *, embed_batch_size: int = 32) -> None:
        super().__init__(model_name=embedder.name, embed_batch_size=max(1, embed_batch_size))
        self._embedder = embedder

    @classmethod
    def class_name(cls) -> str:
        return "NewsQAEmbedding"

    @property
    def embedder(self) -> TextEmbedder:
        return self._embedder

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embedder.embed([query])[0].tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embedder.embed([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.embed(texts).tolist()

    # The model is CPU-bound: the async variants run it in a worker thread so an event loop
    # (the TUI) stays responsive.
    async def _aget_query_embedding(self, query: str) -> list[float]:
        return await asyncio.to_thread(self._get_query_embedding, query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return await asyncio.to_thread(self._get_text_embedding, text)

    async def _aget_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return await asyncio.to_thread(self._get_text_embeddings, texts)
