"""The llama-index LLM the answer engine (and condense) talk to, chosen by ``Settings.llm``.

``openai`` (the default) is llama-index's ``OpenAILike`` over the one ``openai`` client of
index/openai_client.py: OpenAI itself or any OpenAI-compatible server (llama.cpp, vLLM, Ollama's
/v1). Any other installed llama-index integration is reached by a short name or a dotted class
path; it is built as ``Class(model=settings.model, **settings.llm_options)``.

Imports llama_index (about a second): only the openai engine and condense import this module.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from index.errors import InputError, LLMAuthError
from index.openai_client import api_key, client_from_settings
from qa.llm_errors import check_base_url

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

    from index.settings import Settings

NO_KEY_MESSAGE = "no API key: set OPENAI_API_KEY or NEWSQA_OPENAI_API_KEY, or OPENAI_BASE_URL for a local server"
CONTEXT_WINDOW = 16_384
"""What OpenAILike is told of the model's context: only used by llama-index's prompt helpers."""

KNOWN = {
    "ollama": "llama_index.llms.ollama.Ollama",
    "anthropic": "llama_index.llms.anthropic.Anthropic",
    "gemini": "llama_index.llms.google_genai.GoogleGenAI",
    "mistralai": "llama_index.llms.mistralai.MistralAI",
    "groq": "llama_index.llms.groq.Groq",
    "huggingface": "llama_index.llms.huggingface.HuggingFaceLLM",
}
"""Short names of llama-index LLM integrations (each its own pip package, llama-index-llms-<name>)."""


def make_llm(
    settings: Settings, *, max_tokens: int = 600, temperature: float = 0.1, timeout: float | None = None
) -> LLM:
    """The LLM ``settings`` choose. Raises InputError/LLMAuthError with one line on bad settings."""
    if settings.llm == "openai":
        return openai_llm(settings, max_tokens=max_tokens, temperature=temperature, timeout=timeout)
    return integration_llm(settings)


def openai_llm(settings: Settings, *, max_tokens: int, temperature: float, timeout: float | None = None) -> LLM:
    """OpenAILike over newsqa's client. The client does no retries of its own and neither does
    llama-index (``max_retries=0``): the engine's RetryPolicy retries, cancellable."""
    if not api_key(settings) and not settings.openai_base_url:
        raise LLMAuthError(NO_KEY_MESSAGE)
    if settings.openai_base_url:
        check_base_url(settings.openai_base_url)
    from llama_index.llms.openai_like import OpenAILike

    client = client_from_settings(settings, timeout=timeout, max_retries=0)
    return OpenAILike(
        model=settings.model,
        api_key=client.api_key,
        api_base=str(client.base_url),
        openai_client=client,
        is_chat_model=True,
        context_window=CONTEXT_WINDOW,
        max_tokens=max_tokens,
        temperature=temperature,
        max_retries=0,
        timeout=settings.request_timeout if timeout is None else timeout,
    )


def integration_llm(settings: Settings) -> LLM:
    """``settings.llm`` as a short name or ``package.module.Class``, built with the settings' model."""
    path = KNOWN.get(settings.llm.lower(), settings.llm)
    module_name, _, class_name = path.rpartition(".")
    if not module_name:
        raise InputError(f"unknown LLM {settings.llm!r}: use openai, one of {', '.join(KNOWN)}, or a dotted class path")
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError):
        package = (
            "llama-index-llms-" + module_name.split(".")[2] if path.startswith("llama_index.llms.") else module_name
        )
        raise InputError(f"LLM {settings.llm!r} is not installed: pip install {package}") from None
    from llama_index.core.llms import LLM

    if not (isinstance(cls, type) and issubclass(cls, LLM)):
        raise InputError(f"LLM {settings.llm!r} ({path}) is not a llama-index LLM class")
    # (an integration without a ``model`` field, such as MockLLM, is built from the options alone)
    named = {"model": settings.model} if "model" in getattr(cls, "model_fields", {}) else {}
    options: dict[str, Any] = {**named, **settings.llm_options}
    try:
        return cls(**options)
    except Exception as exc:
        from qa.llm_errors import one_line

        raise InputError(
            f"LLM {settings.llm!r} refused its settings: {one_line(str(exc), api_key(settings))}"
        ) from None
