"""The `openai` engine: a chat model behind any OpenAI-compatible API writes the answer, streamed,
and the citation check keeps only what the retrieved articles support.

When is an answer ``answered``? Only when at least one citation survives the check with
``supported=True``. The model saying "The indexed articles don't say." with no supported
citation, or text whose every citation was dropped or unsupported, gives ``answered=False``;
the text is kept (so the user sees what the model said) with a warning explaining why.

Retries happen here, not in the ``openai`` client: bounded, with backoff and jitter, a 429's
Retry-After honoured up to a cap, and only while nothing has been streamed to ``on_token`` yet,
since a retry after that would show the user the same words twice.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from index.errors import LLMAuthError, LLMBadResponse, LLMError
from qa.engines.base import Cancelled, TokenCallback
from qa.llm_errors import RetryPolicy, check_base_url, classify, server_label
from qa.models import Answer, Hit
from qa.prompts import chat_messages, is_refusal

if TYPE_CHECKING:
    from index.embedder import TextEmbedder
    from index.settings import Settings

NO_KEY_MESSAGE = "no API key: set OPENAI_API_KEY or NEWSQA_OPENAI_API_KEY, or OPENAI_BASE_URL for a local server"
LOCAL_PLACEHOLDER_KEY = "not-needed"
"""Local servers (llama.cpp, Ollama) ignore the key, but the client insists on one."""
_FINISHED = {"stop", "length", "content_filter", "tool_calls", "function_call"}


class OpenAIEngine:
    name = "openai"

    def __init__(
        self,
        settings: Settings,
        embedder: TextEmbedder,
        *,
        backoff_base: float = 0.5,
        retry_after_cap: float = 30.0,
        max_tokens: int = 600,
        temperature: float = 0.1,
    ) -> None:
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key is not None else None
        if not key and not settings.openai_base_url:
            raise LLMAuthError(NO_KEY_MESSAGE)
        if settings.openai_base_url:
            check_base_url(settings.openai_base_url)
        self._key = key or LOCAL_PLACEHOLDER_KEY
        self._settings = settings
        self._embedder = embedder
        self._server = server_label(settings.openai_base_url)
        self._policy = RetryPolicy(
            max_retries=max(settings.max_retries, 0), base_delay=backoff_base, retry_after_cap=retry_after_cap
        )
        self._max_tokens = max_tokens
        self._temperature = temperature
        self._client = None

    @property
    def model(self) -> str:
        return self._settings.model

    def answer(
        self,
        question: str,
        hits: Sequence[Hit],
        *,
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> Answer:
        hits = list(hits)
        started = time.perf_counter()
        text, timings = self._generate(chat_messages(question, hits), on_token, cancel)

        from qa.citecheck import check_citations

        checked_at = time.perf_counter()
        checked = check_citations(text, hits, self._embedder)
        timings["citecheck"] = (time.perf_counter() - checked_at) * 1000
        timings["total"] = (time.perf_counter() - started) * 1000

        warnings = list(checked.warnings)
        answered = any(c.supported for c in checked.citations)
        if checked.citations and not answered and not is_refusal(checked.text):
            # (an answer with no citations at all is already warned about by the check)
            warnings.append("no cited source supports the model's answer")
        return Answer(
            question=question,
            text=checked.text,
            answered=answered,
            engine=self.name,
            citations=list(checked.citations),
            retrieved=hits,
            timings_ms=timings,
            model=self.model,
            warnings=warnings,
            unsupported_sentences=list(checked.unsupported_sentences),
            sentences=list(checked.sentences),
        )

    def _generate(self, messages, on_token: TokenCallback | None, cancel: threading.Event | None):
        """The model's whole reply, streamed, with retries; raises an LLMError or Cancelled."""
        client = self._get_client()
        attempt = 0
        while True:
            _check(cancel)
            attempt += 1
            streamed = [False]
            started = time.perf_counter()
            try:
                return self._stream_once(client, messages, on_token, cancel, streamed, started)
            except (Cancelled, LLMError):
                raise
            except Exception as exc:  # noqa: BLE001 - every failure is classified below
                failure = classify(exc, self._server, self._key)
                last = attempt > self._policy.max_retries
                if not failure.retryable or streamed[0] or last:
                    raise _with_attempts(failure.error, attempt if failure.retryable else 1) from None
                delay = self._policy.delay(attempt, failure.retry_after)
                if cancel is not None:
                    if cancel.wait(delay):
                        raise Cancelled() from None
                else:
                    time.sleep(delay)

    def _stream_once(self, client, messages, on_token, cancel, streamed: list[bool], started: float):
        stream = client.chat.completions.create(
            model=self.model,
            messages=messages,
            stream=True,
            max_tokens=self._max_tokens,
            temperature=self._temperature,
        )
        from qa.redact import StreamRedactor, redact

        parts: list[str] = []
        shown = StreamRedactor(self._key, on_token)
        finish: str | None = None
        first_token_ms: float | None = None
        try:
            for chunk in stream:
                _check(cancel)
                for choice in getattr(chunk, "choices", None) or []:
                    delta = getattr(choice, "delta", None)
                    piece = getattr(delta, "content", None) if delta is not None else None
                    if piece:
                        if not isinstance(piece, str):
                            raise TypeError("delta content is not text")
                        if first_token_ms is None:
                            first_token_ms = (time.perf_counter() - started) * 1000
                        parts.append(piece)
                        streamed[0] = True
                        shown.feed(piece)
                    finish = getattr(choice, "finish_reason", None) or finish
            shown.flush()
        finally:
            stream.close()
        # A stream that simply ends without a finish reason was cut short: never pass it off as whole.
        if finish not in _FINISHED:
            raise LLMBadResponse(f"LLM server {self._server} ended the answer stream before it was complete")
        text = redact("".join(parts), self._key).strip()
        if not text:
            raise LLMBadResponse(f"LLM server {self._server} sent an empty answer")
        timings = {"llm": (time.perf_counter() - started) * 1000}
        if first_token_ms is not None:
            timings["first_token"] = first_token_ms
        return text, timings

    def _get_client(self):
        if self._client is None:
            import openai  # lazy: the CLI's start-up and the extractive engine never pay for it

            self._client = openai.OpenAI(
                api_key=self._key,
                base_url=self._settings.openai_base_url,
                timeout=self._settings.request_timeout,
                max_retries=0,
            )
        return self._client


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled()


def _with_attempts(error: LLMError, attempts: int) -> LLMError:
    if attempts <= 1:
        return error
    return type(error)(f"{error} (after {attempts} attempts)")
