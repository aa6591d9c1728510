"""The `openai` engine: a chat model writes the answer, streamed, and the citation check keeps only
what the retrieved articles support.

The model is any llama-index ``LLM`` (qa/llm.py picks it: by default ``OpenAILike`` over the
``openai`` client, so OpenAI or any OpenAI-compatible server). ``LLMEngine`` takes an LLM object,
for llama-index users (qa/llama.py); ``OpenAIEngine`` builds it from the settings.

When is an answer ``answered``? Only when at least one citation survives the check with
``supported=True``. The model saying "The indexed articles don't say." with no supported
citation, or text whose every citation was dropped or unsupported, gives ``answered=False``;
the text is kept (so the user sees what the model said) with a warning explaining why.

Retries happen here, not in the ``openai`` client or llama-index: the client's policy (bounded,
backoff with jitter, a 429's or 5xx's Retry-After / retry-after-ms honoured, up to a cap) but
cancellable while waiting, which the client's own sleep is not, and only while nothing has been
streamed to ``on_token`` yet, since a retry after that would show the user the same words twice.
Everything else that calls the server (the LLM judge, the OpenAI embedder) uses the client's own
retries; the client itself is built in one place, index/openai_client.py.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from index.errors import LLMBadResponse, LLMError
from index.openai_client import api_key
from qa.engines.base import Cancelled, TokenCallback
from qa.llm import NO_KEY_MESSAGE, make_llm
from qa.llm_errors import RetryPolicy, classify, server_label
from qa.models import Answer, Hit, Query
from qa.prompts import chat_messages, is_refusal

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

    from index.embedder import TextEmbedder
    from index.settings import Settings

__all__ = ["NO_KEY_MESSAGE", "LLMEngine", "OpenAIEngine", "checked_answer"]

_FINISHED = {"stop", "length", "content_filter", "tool_calls", "function_call"}


class LLMEngine:
    """Answers with any llama-index LLM; errors become one-line newsqa errors naming ``server``."""

    name = "openai"

    def __init__(
        self,
        llm: LLM,
        embedder: TextEmbedder,
        *,
        model: str | None = None,
        server: str = "",
        secret: str | None = None,
        policy: RetryPolicy = RetryPolicy(),
    ) -> None:
        self.llm = llm
        self._embedder = embedder
        self._model = model
        self._server = server or type(llm).__name__
        self._secret = secret
        self._policy = policy

    @property
    def model(self) -> str:
        return self._model or getattr(self.llm.metadata, "model_name", "") or type(self.llm).__name__

    def answer(
        self,
        query: Query,
        hits: Sequence[Hit],
        *,
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> Answer:
        hits = list(hits)
        started = time.perf_counter()
        text, timings = self.generate(chat_messages(query.text, hits), on_token, cancel)
        answer = checked_answer(
            query.text, text, hits, self._embedder, timings, started, engine=self.name, model=self.model
        )
        answer.query = query
        return answer

    def generate(
        self, messages: list[dict[str, str]], on_token: TokenCallback | None, cancel: threading.Event | None
    ) -> tuple[str, dict[str, float]]:
        """The model's whole reply, streamed, with retries; raises an LLMError or Cancelled."""
        from llama_index.core.llms import ChatMessage

        chat = [ChatMessage(role=m["role"], content=m["content"]) for m in messages]
        attempt = 0
        while True:
            _check(cancel)
            attempt += 1
            streamed = [False]
            started = time.perf_counter()
            try:
                return self._stream_once(chat, on_token, cancel, streamed, started)
            except (Cancelled, LLMError):
                raise
            except Exception as exc:
                failure = classify(exc, self._server, self._secret)
                last = attempt > self._policy.max_retries
                if not failure.retryable or streamed[0] or last:
                    raise _with_attempts(failure.error, attempt if failure.retryable else 1) from None
                delay = self._policy.delay(attempt, failure.retry_after)
                if cancel is not None:
                    if cancel.wait(delay):
                        raise Cancelled() from None
                else:
                    time.sleep(delay)

    def _stream_once(self, chat, on_token, cancel, streamed: list[bool], started: float):
        parts: list[str] = []
        finish: str | None = None
        openai_chunks = False
        first_token_ms: float | None = None
        from qa.redact import StreamRedactor, redact

        shown = StreamRedactor(self._secret, on_token)
        replies = self.llm.stream_chat(chat)
        finished = False
        try:
            for reply in replies:
                _check(cancel)
                piece = reply.delta
                if piece:
                    if not isinstance(piece, str):
                        raise TypeError("delta content is not text")
                    if first_token_ms is None:
                        first_token_ms = (time.perf_counter() - started) * 1000
                    parts.append(piece)
                    streamed[0] = True
                    shown.feed(piece)
                choices = getattr(reply.raw, "choices", None)
                if choices is not None:  # an OpenAI chunk: it says when the answer is complete
                    openai_chunks = True
                    for choice in choices:
                        finish = getattr(choice, "finish_reason", None) or finish
            shown.flush()
            finished = True
        finally:
            if not finished:
                _abandon(replies)
        # A stream that simply ends without a finish reason was cut short: never pass it off as whole.
        if openai_chunks and finish not in _FINISHED:
            raise LLMBadResponse(f"LLM server {self._server} ended the answer stream before it was complete")
        text = redact("".join(parts), self._secret).strip()
        if not text:
            raise LLMBadResponse(f"LLM server {self._server} sent an empty answer")
        timings = {"llm": (time.perf_counter() - started) * 1000}
        if first_token_ms is not None:
            timings["first_token"] = first_token_ms
        return text, timings


class OpenAIEngine(LLMEngine):
    """The engine the settings describe: ``Settings.llm`` (default OpenAILike over the openai client)."""

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
        llm = make_llm(settings, max_tokens=max_tokens, temperature=temperature)
        server = server_label(settings.openai_base_url) if settings.llm == "openai" else settings.llm
        policy = RetryPolicy(
            max_retries=max(settings.max_retries, 0), base_delay=backoff_base, retry_after_cap=retry_after_cap
        )
        super().__init__(llm, embedder, model=settings.model, server=server, secret=api_key(settings), policy=policy)


def checked_answer(
    question: str,
    text: str,
    hits: list[Hit],
    embedder: TextEmbedder,
    timings: dict[str, float],
    started: float,
    *,
    engine: str,
    model: str | None,
) -> Answer:
    """The model's ``text`` after the citation check, as an Answer."""
    from qa.citecheck import check_citations

    checked_at = time.perf_counter()
    checked = check_citations(text, hits, embedder)
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
        engine=engine,
        citations=list(checked.citations),
        retrieved=hits,
        timings_ms=timings,
        model=model,
        warnings=warnings,
        unsupported_sentences=list(checked.unsupported_sentences),
        sentences=list(checked.sentences),
    )


def _abandon(replies) -> None:
    """Stop a stream left early (cancel, error) so the server stops generating. llama-index's
    callback wrapper keeps the inner stream alive in a reference cycle (through the GeneratorExit
    it records), so the HTTP response is only closed once that cycle is collected: now."""
    close = getattr(replies, "close", None)
    if close is not None:
        close()
    del replies
    gc.collect()


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled()


def _with_attempts(error: LLMError, attempts: int) -> LLMError:
    if attempts <= 1:
        return error
    return type(error)(f"{error} (after {attempts} attempts)")
