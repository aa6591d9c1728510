"""How a failed call to an OpenAI-compatible server becomes a retry or a one-line newsqa error.

Kept apart from the engine so the policy (what is retried, how long to wait) can be read and
tested on its own. Messages name the server's host, never the key: a server may echo the key in
its error body, so bodies are redacted and left out entirely for auth failures.
"""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from index.errors import InputError, LLMAuthError, LLMBadResponse, LLMError, LLMRateLimited, LLMUnavailable

DEFAULT_HOST = "api.openai.com"
_MAX_DETAIL = 160


def server_label(base_url: str | None) -> str:
    """``host[:port]`` of the server: enough to tell which one failed, never credentials in the URL."""
    if not base_url:
        return DEFAULT_HOST
    parts = urlsplit(base_url if "//" in base_url else f"//{base_url}")
    host = parts.hostname or base_url
    try:
        port = parts.port
    except ValueError:  # a malformed port: still name the host
        port = None
    return f"{host}:{port}" if port else host


def check_base_url(base_url: str) -> None:
    """Raise InputError unless ``base_url`` is an http(s) URL with a host and a valid port.

    A malformed URL would otherwise surface as "unreachable" after pointless retries.
    """
    hint = "OPENAI_BASE_URL must look like http://127.0.0.1:8080/v1"
    try:
        parts = urlsplit(base_url)
        port = parts.port
    except ValueError:
        raise InputError(f"{hint}; got a malformed URL") from None
    if parts.scheme not in ("http", "https"):
        raise InputError(f"{hint}; got scheme {parts.scheme or 'none'!r}")
    if not parts.hostname or port == 0:
        raise InputError(f"{hint}; got no host" if not parts.hostname else f"{hint}; got port 0")


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries with exponential backoff and full jitter; a 429's Retry-After wins, capped."""

    max_retries: int = 2
    base_delay: float = 0.5
    max_delay: float = 8.0
    retry_after_cap: float = 30.0

    def delay(self, retry: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``retry`` (1-based)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.retry_after_cap)
        ceiling = min(self.max_delay, self.base_delay * (2 ** (retry - 1)))
        # Half fixed, half random: spreads clients apart yet never retries instantly.
        return ceiling / 2 + random.uniform(0, ceiling / 2)


def retry_after_seconds(headers) -> float | None:
    """How long the server asked us to wait, read as the ``openai`` client reads it for its own
    retries: ``retry-after-ms``, else ``Retry-After`` (seconds or an HTTP date); None if neither."""
    if headers is None:
        return None
    try:
        return max(float(headers.get("retry-after-ms")) / 1000, 0.0)
    except (TypeError, ValueError):
        pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def one_line(text: str, secret: str | None) -> str:
    """``text`` squeezed to one short line with ``secret`` cut out."""
    if secret:
        text = text.replace(secret, "***")
    text = " ".join(str(text).split())
    return text if len(text) <= _MAX_DETAIL else text[: _MAX_DETAIL - 1] + "…"


@dataclass(frozen=True)
class Failure:
    """One failed attempt: the error to raise if it is the last, whether another attempt may help,
    and how long the server asked us to wait."""

    error: LLMError
    retryable: bool
    retry_after: float | None = None


def classify(exc: BaseException, server: str, secret: str | None) -> Failure:
    """Map an ``openai`` / ``httpx`` exception from one attempt to a Failure."""
    import httpx
    import openai

    if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException):
        return Failure(LLMUnavailable(f"LLM server {server} timed out"), True)
    if isinstance(exc, openai.APIConnectionError | httpx.ConnectError | httpx.ConnectTimeout):
        return Failure(LLMUnavailable(f"LLM server {server} is unreachable"), True)
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        if status in (401, 403):
            what = "rejected the API key" if status == 401 else "refused access"
            return Failure(LLMAuthError(f"LLM server {server} {what} (HTTP {status}); check OPENAI_API_KEY"), False)
        detail = _status_detail(exc, secret)
        if status == 429:
            return Failure(
                LLMRateLimited(f"LLM server {server} is rate limiting requests (HTTP 429){detail}"),
                True,
                retry_after_seconds(exc.response.headers),
            )
        if status >= 500:  # a 503's Retry-After is honoured as a 429's (as the client's own retries do)
            return Failure(
                LLMUnavailable(f"LLM server {server} failed (HTTP {status}){detail}"),
                True,
                retry_after_seconds(exc.response.headers),
            )
        return Failure(LLMBadResponse(f"LLM server {server} refused the request (HTTP {status}){detail}"), False)
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return Failure(LLMBadResponse(f"LLM server {server} cut the answer off mid-stream"), False)
    if isinstance(exc, openai.APIError):  # an error event inside the stream
        return Failure(LLMBadResponse(f"LLM server {server} reported an error: {one_line(exc.message, secret)}"), False)
    if isinstance(exc, ValueError | KeyError | TypeError | AttributeError):  # JSON and shape errors
        return Failure(LLMBadResponse(f"LLM server {server} sent a malformed reply"), False)
    return Failure(LLMBadResponse(f"LLM server {server} failed: {type(exc).__name__}"), False)


def _status_detail(exc, secret: str | None) -> str:
    body = getattr(exc, "body", None)
    message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(message, str) or not message.strip():
        return ""
    return f": {one_line(message, secret)}"
