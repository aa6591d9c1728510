"""One HTTP client for everything ``ingest URL`` fetches, with the limits a crawler owes the sites
it visits and the machine it runs on: timeouts, a redirect bound, a size cap checked while the
body streams (after gzip is undone, so a small bomb cannot fill memory), robots.txt, a delay
between requests to one host, and a User-Agent that names newsqa.

Redirects are followed here, one hop at a time, rather than by httpx, so that robots.txt and the
per-host delay apply to every hop (a redirect may lead to another site).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from typing import Self

import httpx

from index.settings import Settings

from .robots import ROBOTS_MAX_BYTES, Robots, RobotsUnavailable


def _version() -> str:
    try:
        return metadata.version("newsqa")
    except metadata.PackageNotFoundError:
        return "0+unknown"


USER_AGENT = f"newsqa/{_version()} (news question answering; +https://github.com/newsqa)"
ROBOTS_AGENT = "newsqa"

# Types a page or feed may come as; anything else is refused before its body is read.
# octet-stream and a missing type are let through: the loaders sniff the bytes.
_DOCUMENT_TYPES = (
    "text/",
    "application/xhtml+xml",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/json",
    "application/feed+json",
    "application/ld+json",
    "application/pdf",
    "application/octet-stream",
)


class FetchFailed(Exception):
    """A URL could not be fetched; the message (one line, without the URL) says why."""


@dataclass(frozen=True)
class Validators:
    """What the last response said about its version, for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        h = {}
        if self.etag:
            h["If-None-Match"] = self.etag
        if self.last_modified:
            h["If-Modified-Since"] = self.last_modified
        return h


@dataclass(frozen=True)
class Fetched:
    url: str
    """The URL asked for."""
    final_url: str
    """Where the redirects ended."""
    not_modified: bool
    body: bytes
    content_type: str | None
    validators: Validators


class HostPacer:
    """Spaces requests to one host by at least its delay, across threads: each request books the
    next free slot, then sleeps until it comes."""

    def __init__(self, sleep: Callable[[float], None] = time.sleep):
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()
        self._sleep = sleep

    def wait(self, host: str, delay: float) -> None:
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + delay
        if slot > now:
            self._sleep(slot - now)


class Fetcher:
    """Use as a context manager; safe to share between threads."""

    def __init__(self, settings: Settings):
        self._settings = settings
        self._client = httpx.Client(
            headers={"User-Agent": USER_AGENT},
            timeout=httpx.Timeout(settings.fetch_timeout),
            follow_redirects=False,
            limits=httpx.Limits(max_connections=max(1, settings.fetch_concurrency) + 1),
        )
        self._pacer = HostPacer()
        self._robots = Robots(ROBOTS_AGENT, self._download_robots)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, validators: Validators | None = None) -> Fetched:
        """The body at ``url`` (or ``not_modified`` if ``validators`` still hold). Raises
        ``FetchFailed`` for every way it can go wrong."""

        def allowed(hop: str) -> float:
            try:
                return self._robots.check(hop)
            except RobotsUnavailable as exc:
                raise FetchFailed(str(exc)) from None

        headers = validators.headers() if validators else {}
        final, response, body = self._follow(url, headers, self._settings.fetch_max_bytes, allowed, document=True)
        if response.status_code == 304:
            return Fetched(url, final, True, b"", None, validators or Validators())
        return Fetched(
            url,
            final,
            False,
            body,
            response.headers.get("content-type"),
            Validators(response.headers.get("etag"), response.headers.get("last-modified")),
        )

    # -- the request loop ---------------------------------------------------------------------
    def _download_robots(self, url: str) -> tuple[int, bytes]:
        try:
            _, response, body = self._follow(url, {}, ROBOTS_MAX_BYTES, lambda hop: 0.0, document=False)
        except FetchFailed as exc:
            raise RobotsUnavailable(str(exc)) from None
        return response.status_code, body

    def _follow(self, url, headers, max_bytes, allowed, *, document):
        try:
            request = self._client.build_request("GET", url, headers=headers)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise FetchFailed(f"not a fetchable URL ({exc})") from None
        for _ in range(self._settings.fetch_max_redirects + 1):
            hop = str(request.url)
            delay = allowed(hop)
            self._pacer.wait(request.url.netloc.decode("ascii", "replace"), max(self._settings.fetch_host_delay, delay))
            response, body = self._send(request, max_bytes, document=document)
            if response.is_redirect and response.next_request is not None:
                request = response.next_request
                if request.url.scheme not in ("http", "https"):
                    raise FetchFailed(f"redirected to a {request.url.scheme}: URL")
                continue
            return hop, response, body
        raise FetchFailed(f"more than {self._settings.fetch_max_redirects} redirects (a redirect loop?)")

    def _send(self, request: httpx.Request, max_bytes: int, *, document: bool) -> tuple[httpx.Response, bytes]:
        timeout = self._settings.fetch_timeout
        try:
            response = self._client.send(request, stream=True)
        except httpx.TimeoutException:
            raise FetchFailed(f"timed out after {timeout:g} s") from None
        except httpx.ConnectError as exc:
            raise FetchFailed(f"cannot connect: {_reason(exc)}") from None
        except httpx.HTTPError as exc:
            raise FetchFailed(f"request failed: {_reason(exc)}") from None
        try:
            if response.is_redirect or response.status_code == 304:
                return response, b""
            if not document:  # robots.txt: its status means something even when it is an error
                return response, _read(response, max_bytes, timeout) if response.status_code < 400 else b""
            if response.status_code >= 400:
                raise FetchFailed(f"HTTP {response.status_code} {response.reason_phrase}".rstrip())
            if response.status_code != 200:
                raise FetchFailed(f"HTTP {response.status_code} {response.reason_phrase} (expected 200)".rstrip())
            kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind and not kind.startswith(_DOCUMENT_TYPES) and not kind.endswith(("+xml", "+json")):
                raise FetchFailed(f"not a page or feed (content type {kind})")
            return response, _read(response, max_bytes, timeout)
        finally:
            response.close()


def _read(response: httpx.Response, max_bytes: int, timeout: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchFailed(f"too large: {int(declared):,} bytes (limit {max_bytes:,}, NEWSQA_FETCH_MAX_BYTES)")
    parts: list[bytes] = []
    size = 0
    try:
        for part in response.iter_bytes():
            size += len(part)
            if size > max_bytes:
                raise FetchFailed(f"too large: over {max_bytes:,} bytes (NEWSQA_FETCH_MAX_BYTES)")
            parts.append(part)
    except httpx.TimeoutException:
        raise FetchFailed(f"timed out after {timeout:g} s while reading the body") from None
    except httpx.DecodingError:
        raise FetchFailed("the body is not valid for its Content-Encoding") from None
    except httpx.HTTPError as exc:
        raise FetchFailed(f"the response broke off: {_reason(exc)}") from None
    return b"".join(parts)


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    if (
        "Name or service not known" in text
        or "nodename nor servname" in text
        or "Temporary failure in name resolution" in text
    ):
        return "the host name does not resolve (DNS)"
    if "Connection refused" in text:
        return "connection refused"
    return text
