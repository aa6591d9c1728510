"""The one place an ``openai`` client is built: for the chat engine, condense, the LLM judge and
the OpenAI embedder alike, so the key, base URL, timeout and retries are read the same way.

Retries are the client's own (exponential backoff with jitter, Retry-After honoured) unless the
caller asks for none: the chat engine does, since it must stop waiting the moment the user
cancels, which the client's sleep cannot (see qa/llm_errors.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from index.settings import Settings

LOCAL_PLACEHOLDER_KEY = "not-needed"
"""Local servers (llama.cpp, Ollama) ignore the key, but the client insists on one."""


def api_key(settings: Settings) -> str | None:
    """The configured key, or None."""
    return settings.openai_api_key.get_secret_value() if settings.openai_api_key is not None else None


def openai_client(
    key: str | None, base_url: str | None, *, timeout: float, max_retries: int
) -> Any:  # openai.OpenAI; typed loosely so importing this module never imports openai
    import openai  # lazy: the CLI's start-up and the extractive engine never pay for it

    return openai.OpenAI(
        api_key=key or LOCAL_PLACEHOLDER_KEY, base_url=base_url, timeout=timeout, max_retries=max(max_retries, 0)
    )


def client_from_settings(settings: Settings, *, timeout: float | None = None, max_retries: int | None = None) -> Any:
    """A client for the settings' server; ``timeout``/``max_retries`` override the settings'."""
    return openai_client(
        api_key(settings),
        settings.openai_base_url,
        timeout=settings.request_timeout if timeout is None else timeout,
        max_retries=settings.max_retries if max_retries is None else max_retries,
    )
