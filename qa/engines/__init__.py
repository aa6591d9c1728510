"""Answer engines, chosen by name. Each is imported only when asked for: the openai engine
pulls in the OpenAI client, which the offline path never needs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from index.errors import InputError

if TYPE_CHECKING:
    from index.embedder import TextEmbedder
    from index.settings import Settings
    from qa.engines.base import Engine

ENGINE_NAMES = ("extractive", "openai")


def make_engine(name: str | None, settings: Settings, embedder: TextEmbedder) -> Engine:
    """The engine called ``name``; ``None`` means the one the settings resolve to."""
    name = settings.resolved_engine if name is None else name
    if name == "extractive":
        from qa.engines.extractive import ExtractiveEngine

        return ExtractiveEngine(embedder)
    if name == "openai":
        from qa.engines.openai_engine import OpenAIEngine

        return OpenAIEngine(settings, embedder)
    raise InputError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINE_NAMES)}")
