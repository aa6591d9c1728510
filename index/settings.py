"""The one configuration object of newsqa.

Built once at the edge (CLI, TUI, evals) and passed down; no other module reads the
environment. Every field can be set as ``NEWSQA_<FIELD>``; the OpenAI key and base URL
also take the standard ``OPENAI_API_KEY`` / ``OPENAI_BASE_URL``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "newsqa"


def _data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))


def _cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME))


class Settings(BaseSettings):
    """newsqa's settings. Frozen: derive a changed copy with ``model_copy(update=...)``."""

    model_config = SettingsConfigDict(env_prefix="NEWSQA_", frozen=True, extra="ignore", populate_by_name=True)

    data_dir: Path = Field(default_factory=_data_dir)
    """Where newsqa keeps user data: the default store and the conversation database."""

    cache_dir: Path = Field(default_factory=_cache_dir)
    """Where rebuildable things live: the embedding cache, evaluation stores."""

    store: Path | None = None
    """The local Chroma directory; defaults to ``<data_dir>/store``."""

    chroma_url: str | None = None
    """URL of a Chroma server (``chroma run``); when set, it is used instead of ``store``."""

    collection: str = "newsqa"
    """Name prefix of the Chroma collections that hold articles and chunks."""

    embedder: Literal["minilm", "openai"] = "minilm"
    """Embedding model: the bundled offline MiniLM (int8 ONNX) or OpenAI's embeddings API."""

    openai_embedding_model: str = "text-embedding-3-small"
    """Embedding model name used when ``embedder`` is ``openai``."""

    embed_threads: int = Field(0, ge=0, le=256)
    """onnxruntime intra-op threads for the local embedder; 0 (the default) chooses per batch: the
    cores that other runnable processes leave free, at least 1. On an idle 2-core machine that is 2
    (1.8x faster than 1); with several busy clients on one machine it is 1, which avoided the
    oversubscription that cost 8 clients 44% of their throughput with a fixed 2."""

    embed_batch_size: int = 16
    """Texts per embedding batch."""

    chunk_chars: int = Field(600, ge=100, le=100_000)
    """Target chunk size in characters; chunks keep whole sentences. Small enough for MiniLM to
    read a chunk whole (it stops at 256 tokens); retrieval hands the engine windows of neighbouring
    chunks instead (qa/windows.py). Changing it takes a fresh ingest."""

    max_file_bytes: int = 20_000_000
    """Files larger than this are skipped at ingest with a reason."""

    engine: Literal["extractive", "openai"] | None = None
    """Answer engine; unset means ``openai`` when an API key or base URL is set (or another ``llm``
    is chosen), else ``extractive``."""

    model: str = "gpt-4o-mini"
    """Chat model name for the ``openai`` engine."""

    llm: str = "openai"
    """The llama-index LLM integration the ``openai`` engine talks through: ``openai`` (OpenAI or
    any OpenAI-compatible server, via llama-index's OpenAILike), a short name of an installed
    integration (``ollama``, ``anthropic``, ``gemini``, ``mistralai``, ``groq``, ``huggingface``) or
    a dotted class path such as ``llama_index.llms.ollama.Ollama``."""

    llm_options: dict[str, Any] = Field(default_factory=dict)
    """Extra keyword arguments for that integration's class, as JSON in the environment
    (``NEWSQA_LLM_OPTIONS='{"base_url": "http://127.0.0.1:11434"}'``)."""

    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("NEWSQA_OPENAI_API_KEY", "OPENAI_API_KEY", "openai_api_key")
    )
    """API key for OpenAI or a compatible server. Never printed, logged or stored."""

    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("NEWSQA_OPENAI_BASE_URL", "OPENAI_BASE_URL", "openai_base_url")
    )
    """Base URL of an OpenAI-compatible server (llama.cpp, Ollama, vLLM)."""

    request_timeout: float = 60.0
    """Seconds before a request to the LLM server is abandoned."""

    max_retries: int = 2
    """Retries (with backoff) of a failed LLM request that may succeed on a retry."""

    log: bool = True
    """Log every `newsqa ask` question and answer in the conversation database (``NEWSQA_LOG=0``
    to stop; `ask --no-log` for one question). The chat saves its conversations regardless."""

    top_k: int = Field(8, ge=1)
    """Chunks retrieved per question."""

    lock_timeout: float = 5.0
    """Seconds to wait for another newsqa process holding the local store before saying it is busy."""

    fetch_timeout: float = 20.0
    """Seconds ``ingest URL`` waits to connect, and between bytes of a response, before giving up on it."""

    fetch_max_bytes: int = 10_000_000
    """A fetched page or feed larger than this (after gzip is undone) is abandoned as too large."""

    fetch_max_redirects: int = 5
    """Redirects followed for one URL before it is reported as a redirect loop."""

    fetch_concurrency: int = 4
    """Pages fetched at once (the pages linked from summary-only feed entries)."""

    fetch_host_delay: float = 1.0
    """Seconds between two requests to the same host (longer if its robots.txt asks for it)."""

    @field_validator("store", "data_dir", "cache_dir", mode="before")
    @classmethod
    def _not_empty(cls, value):
        # An empty path would silently mean the current directory.
        if value is not None and not str(value).strip():
            raise ValueError("an empty path; give a directory")
        return value

    @field_validator("collection")
    @classmethod
    def _collection(cls, value: str) -> str:
        import re

        # Chroma's own rule for names, checked here so the error names the value up front.
        if not re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,400}[A-Za-z0-9])?", value):
            raise ValueError(
                f"{value!r} is not a collection name: use letters, digits, '.', '_' and '-', "
                "starting and ending with a letter or digit"
            )
        return value

    @field_validator("chroma_url", mode="before")
    @classmethod
    def _url(cls, value):
        if value is None:
            return None
        from urllib.parse import urlparse

        text = str(value).strip()
        try:
            parsed = urlparse(text if "://" in text else f"http://{text}")
            parsed.port  # noqa: B018 - raises for a port that is not a number
        except ValueError as exc:
            raise ValueError(f"not a URL: {text!r} ({exc})") from None
        if not parsed.hostname or parsed.scheme not in ("http", "https"):
            raise ValueError(f"not an http(s) URL of a Chroma server: {text!r}")
        return text

    @property
    def store_dir(self) -> Path:
        return self.store if self.store is not None else self.data_dir / "store"

    @property
    def llm_configured(self) -> bool:
        return self.openai_api_key is not None or self.openai_base_url is not None or self.llm != "openai"

    @property
    def resolved_engine(self) -> str:
        if self.engine is not None:
            return self.engine
        return "openai" if self.llm_configured else "extractive"

    @property
    def conversations_db(self) -> Path:
        return self.data_dir / "conversations.sqlite3"

    @property
    def fetch_state_db(self) -> Path:
        """ETags and Last-Modified dates of fetched URLs, for conditional GETs on the next run."""
        return self.data_dir / "fetch-state.sqlite3"
