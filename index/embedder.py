"""The embedding contract (index/embedding/protocol.py) and the factory that picks an embedder from the settings.

Importing this module is cheap on purpose: onnxruntime, tokenizers and openai are only
imported when a model is first used, so the CLI's start-up does not pay for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from index.embedding.protocol import TextEmbedder

if TYPE_CHECKING:
    from index.settings import Settings

__all__ = ["CACHE_FILE_NAME", "TextEmbedder", "make_embedder"]

CACHE_FILE_NAME = "embeddings.sqlite3"


def make_embedder(settings: Settings, *, cache: bool = True) -> TextEmbedder:
    """The embedder ``settings.embedder`` names, behind the on-disk cache unless ``cache=False``."""
    if settings.embedder == "openai":
        from index.embedding.openai_api import OpenAIEmbedder

        inner: TextEmbedder = OpenAIEmbedder.from_settings(settings)
        # Two servers may serve different vectors under one model name: keep their caches apart.
        namespace = inner.name if settings.openai_base_url is None else f"{inner.name}@{settings.openai_base_url}"
    else:
        from index.embedding.minilm import MiniLMEmbedder

        inner = MiniLMEmbedder(threads=settings.embed_threads, batch_size=settings.embed_batch_size)
        namespace = inner.name
    if not cache:
        return inner
    from index.embed_cache import CachedEmbedder

    return CachedEmbedder(inner, settings.cache_dir / CACHE_FILE_NAME, namespace=namespace)
