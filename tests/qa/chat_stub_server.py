"""A real OpenAI-compatible chat server on 127.0.0.1 for the chat's tests.

Streamed requests get an answer quoting the first sentence of source [1] of the request,
cited, one word per chunk with ``token_delay`` seconds between words (slow enough to cancel).
``reply``, when given, is streamed instead. Non-streamed requests (the condense step) get
``condense_reply``. Every request is recorded.
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_SOURCE_1 = re.compile(r"\[1\][^\n]*\n(.+?)(?:\n\n\[2\]|\n\nQuestion:)", re.DOTALL)


def grounded_answer(user_message: str) -> str:
    found = _SOURCE_1.search(user_message)
    if not found:
        return "The indexed articles don't say."
    first = re.split(r"(?<=[.!?])\s+", found.group(1).strip())[0]
    return f"{first.rstrip('.')} [1]."


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # the body ends when the connection closes
    server: ChatStubServer

    def do_GET(self) -> None:
        """``/v1/models``: the ``models`` ids, or ``models_status`` with an error body."""
        if not self.path.rstrip("/").endswith("/models"):
            self.send_error(404)
            return
        if self.server.models_status != 200:
            data = json.dumps({"error": {"message": "no such thing"}}).encode()
            self.send_response(self.server.models_status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        models = [{"id": m, "object": "model", "created": 0, "owned_by": "me"} for m in self.server.models]
        self._json({"object": "list", "data": models})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        self.server.requests.append(body)
        try:
            if body.get("stream"):
                self._stream(self.server.reply or grounded_answer(body["messages"][-1]["content"]))
            else:
                self._json(
                    {
                        "id": "c",
                        "object": "chat.completion",
                        "created": 0,
                        "model": body.get("model"),
                        "choices": [
                            {
                                "index": 0,
                                "finish_reason": "stop",
                                "message": {"role": "assistant", "content": self.server.condense_reply},
                            }
                        ],
                    }
                )
        except (BrokenPipeError, ConnectionResetError):
            self.server.disconnects += 1  # the client gave up: a cancelled answer

    def _json(self, obj) -> None:
        data = json.dumps(obj).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, text: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        words = text.split(" ")
        for i, word in enumerate(words):
            piece = word if i == 0 else " " + word
            self._event({"delta": {"content": piece}, "finish_reason": None})
            time.sleep(self.server.token_delay)
        self._event({"delta": {}, "finish_reason": "stop"})
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()
        self.server.streams_finished += 1

    def _event(self, choice: dict) -> None:
        chunk = {
            "id": "c",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": "stub",
            "choices": [{"index": 0, **choice}],
        }
        self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        self.wfile.flush()

    def log_message(self, format: str, *args) -> None:
        pass


class ChatStubServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, token_delay: float = 0.0, condense_reply: str = "", reply: str = "") -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.token_delay = token_delay
        self.reply = reply
        """A fixed answer to stream instead of the grounded one (e.g. a falsified claim)."""
        self.condense_reply = condense_reply
        self.models = ["stub-small", "stub-large"]
        """What GET /v1/models lists."""
        self.models_status = 200
        self.requests: list[dict] = []
        self.disconnects = 0
        self.streams_finished = 0
        """Answers streamed to their end (a client showing words before this counts up streams)."""
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def __enter__(self) -> ChatStubServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()
