"""A small website on 127.0.0.1 for the URL-ingest tests: pages, feeds, redirects, failures.

Each path maps to a ``Page`` the test may change between runs (a new body, a new ETag). The
server answers conditional GETs the way real servers do (304 when If-None-Match or
If-Modified-Since still holds), gzips when asked to, can stall or stream a huge body, and keeps
a log of what was asked so a test can count requests and see their headers.
"""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


@dataclass
class Page:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    gzip: bool = False
    delay: float = 0.0
    """Seconds to wait before answering (a slow server)."""
    endless: bool = False
    """Stream zero bytes without end and without a length (a body past any cap)."""
    hold: threading.Event | None = None
    """Answer only once this is set (a fetch the test keeps in flight; at most 60 s)."""


@dataclass(frozen=True)
class Hit:
    path: str
    headers: dict[str, str]
    at: float


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        page = self.server.hit(self.path, dict(self.headers.items()))
        # the client gave up first (caps, timeouts): expected
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._answer(page)

    def _answer(self, page: Page | None) -> None:
        if page is None:
            page = Page(b"<h1>Not Found</h1>", status=404)
        if page.delay:
            time.sleep(page.delay)
        if page.hold is not None:
            page.hold.wait(60)
        fresh = (page.etag and self.headers.get("If-None-Match") == page.etag) or (
            page.last_modified and self.headers.get("If-Modified-Since") == page.last_modified
        )
        if fresh and page.status == 200:
            self.send_response(304)
            self._validators(page)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(page.status)
        self.send_header("Content-Type", page.content_type)
        self._validators(page)
        for k, v in page.headers.items():
            self.send_header(k, v)
        if page.endless:
            self.send_header("Connection", "close")
            self.end_headers()
            block = b"\0" * 65536
            while True:
                self.wfile.write(block)
        body = page.body
        if page.gzip and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _validators(self, page: Page) -> None:
        if page.etag:
            self.send_header("ETag", page.etag)
        if page.last_modified:
            self.send_header("Last-Modified", page.last_modified)

    def log_message(self, format: str, *args) -> None:  # keep test output clean
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.pages: dict[str, Page] = {}
        self.hits: list[Hit] = []
        self._lock = threading.Lock()

    def hit(self, path: str, headers: dict[str, str]) -> Page | None:
        with self._lock:
            self.hits.append(Hit(path, headers, time.monotonic()))
            return self.pages.get(path)


class Site:
    """``with Site() as site: site.pages["/a"] = Page(b"..."); site.url("/a"); site.hits``"""

    def __init__(self) -> None:
        self._server = _Server()
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def pages(self) -> dict[str, Page]:
        return self._server.pages

    @property
    def hits(self) -> list[Hit]:
        return self._server.hits

    def paths(self) -> list[str]:
        return [h.path for h in self.hits]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def redirect(self, path: str, to: str, status: int = 301) -> None:
        self.pages[path] = Page(b"", status=status, headers={"Location": to})

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
