"""The embedding contract and the factory that picks an embedder from the settings.

Importing this module is cheap on purpose: onnxruntime, tokenizers and openai are only
imported when a model is first used, so the CLI's start-up does not pay for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    import numpy

    from index.settings import Settings

CACHE_FILE_NAME = "embeddings.sqlite3"


@runtime_checkable
class TextEmbedder(Protocol):
    """Turns texts into vectors; every row is float32 and L2-normalised."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> numpy.ndarray:
        """Return an ``(len(texts), dim)`` float32 array, one unit-norm row per text, in order."""
        ...


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
