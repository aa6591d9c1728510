"""A scripted OpenAI-compatible chat server on 127.0.0.1 that misbehaves on purpose.

Each request gets the next step of the script (the last step repeats), so a test can say
"429, then a good answer" and count what arrived. Streams use chunked transfer encoding so a
cut stream is a real protocol cut, as a dying server produces.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Step = Callable[["_Handler"], None]


def _chunk(content: str | None = None, finish: str | None = None) -> bytes:
    delta = {"content": content} if content is not None else {}
    body = {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "scripted",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body)}\n\n".encode()


def stream(pieces: Sequence[str], *, finish: bool = True, done: bool = True, cut: bool = False) -> Step:
    """A streamed answer in ``pieces``; ``cut`` drops the connection mid-body, ``finish=False``
    ends the body cleanly but without a finish reason (a server that gave up quietly)."""

    def step(h: _Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/event-stream")
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        h.write_chunk(_chunk(""))  # role-only first delta, as real servers send
        for piece in pieces:
            h.write_chunk(_chunk(piece))
        if cut:
            h.close_connection = True
            return  # no terminating zero-length chunk: the body is incomplete
        if finish:
            h.write_chunk(_chunk(finish="stop"))
        if done:
            h.write_chunk(b"data: [DONE]\n\n")
        h.wfile.write(b"0\r\n\r\n")

    return step


def raw_stream(body: bytes) -> Step:
    """A 200 event stream whose body is exactly ``body`` (for malformed payloads)."""

    def step(h: _Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/event-stream")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return step


def status(code: int, message: str = "scripted failure", headers: dict[str, str] | None = None) -> Step:
    def step(h: _Handler) -> None:
        payload = json.dumps({"error": {"message": message.replace("{auth}", h.headers.get("Authorization", ""))}})
        data = payload.encode()
        h.send_response(code)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)

    return step


def slow(seconds: float, then: Step) -> Step:
    def step(h: _Handler) -> None:
        time.sleep(seconds)
        then(h)

    return step


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        step = self.server.record(self.path, body)
        # the client gave up first (timeouts): expected
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            step(self)

    def write_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def log_message(self, format: str, *args) -> None:  # keep test output clean
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, script: Sequence[Step]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script = list(script)
        self.requests: list[tuple[float, str, dict]] = []
        self._lock = threading.Lock()

    def record(self, path: str, body: dict) -> Step:
        with self._lock:
            self.requests.append((time.monotonic(), path, body))
            return self.script[min(len(self.requests), len(self.script)) - 1]


class FaultServer:
    """``with FaultServer([status(500), stream(["Hi [1]."])]) as srv: srv.base_url, srv.count``"""

    def __init__(self, script: Sequence[Step]) -> None:
        self._server = _Server(script)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def count(self) -> int:
        return len(self._server.requests)

    @property
    def requests(self) -> list[tuple[float, str, dict]]:
        return list(self._server.requests)

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join()
        self._server.server_close()
