"""The embedding contract every embedder (and the cache in front of them) implements.

Apart from the factory in index/embedder.py so that the cache can name it without importing the
factory that imports the cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    import numpy


@runtime_checkable
class TextEmbedder(Protocol):
    """Turns texts into vectors; every row is float32 and L2-normalised."""

    name: str

    @property
    def dim(self) -> int:
        """The length of every vector (read-only: an API embedder may learn it on first use)."""
        ...

    def embed(self, texts: Sequence[str]) -> numpy.ndarray:
        """Return an ``(len(texts), dim)`` float32 array, one unit-norm row per text, in order."""
        ...
