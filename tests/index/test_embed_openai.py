"""The OpenAI embedder through the real ``openai`` client against a tiny local HTTP server."""

from __future__ import annotations

import hashlib
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from index.embed_cache import CachedEmbedder
from index.embedder import make_embedder
from index.embedding.openai_api import REQUEST_BATCH, OpenAIEmbedder
from index.errors import EmbedderError
from index.settings import Settings

GOOD_KEY = "sk-test-good-0123456789"
BAD_KEY = "sk-test-wrong-9876543210"
DIM = 8


def raw_vector(text: str) -> list[float]:
    """Deterministic and deliberately not unit-length, so the client must normalise."""
    digest = hashlib.sha256(text.encode()).digest()
    return [float(b) - 100.0 for b in digest[:DIM]]


class EmbeddingsServer:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.fail_with: int | None = None
        self.garbage: bytes | None = None
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep pytest output clean
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append(body)
                key = self.headers.get("Authorization", "").removeprefix("Bearer ")
                if self.path != "/v1/embeddings":
                    return self.reply(404, {"error": {"message": "no such route"}})
                if key != GOOD_KEY:
                    # Real servers echo the key back: the client must not pass it on.
                    return self.reply(401, {"error": {"message": f"Incorrect API key provided: {key}"}})
                if server.garbage is not None:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(server.garbage)))
                    self.end_headers()
                    self.wfile.write(server.garbage)
                    return None
                if server.fail_with is not None:
                    return self.reply(server.fail_with, {"error": {"message": f"overloaded, key {key}"}})
                data = [
                    {"object": "embedding", "index": i, "embedding": raw_vector(text)}
                    for i, text in enumerate(body["input"])
                ]
                data.reverse()  # the client must order by index, not by position
                self.reply(
                    200,
                    {
                        "object": "list",
                        "model": body["model"],
                        "data": data,
                        "usage": {"prompt_tokens": 1, "total_tokens": 1},
                    },
                )

            def reply(self, status: int, payload: dict) -> None:
                raw = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"


@pytest.fixture
def server() -> Iterator[EmbeddingsServer]:
    srv = EmbeddingsServer()
    thread = threading.Thread(target=srv.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


def settings_for(server_url: str, key: str | None, tmp_path) -> Settings:
    return Settings(
        cache_dir=tmp_path / "cache",
        embedder="openai",
        openai_embedding_model="test-embed",
        openai_api_key=key,
        openai_base_url=server_url,
        max_retries=0,
        request_timeout=10,
    )


def expected(texts: list[str]) -> np.ndarray:
    rows = np.asarray([raw_vector(t) for t in texts], dtype=np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_embeds_through_the_real_client(server, tmp_path) -> None:
    embedder = make_embedder(settings_for(server.base_url, GOOD_KEY, tmp_path), cache=False)
    texts = ["first text", "second, longer text", ""]
    out = embedder.embed(texts)
    assert embedder.name == "openai:test-embed"
    assert embedder.dim == DIM
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, expected(["first text", "second, longer text", " "]), atol=1e-6)
    assert [r["model"] for r in server.requests] == ["test-embed"]


def test_large_input_is_split_into_requests(server, tmp_path) -> None:
    embedder = make_embedder(settings_for(server.base_url, GOOD_KEY, tmp_path), cache=False)
    texts = [f"text {i}" for i in range(REQUEST_BATCH + 5)]
    np.testing.assert_allclose(embedder.embed(texts), expected(texts), atol=1e-6)
    assert [len(r["input"]) for r in server.requests] == [REQUEST_BATCH, 5]


def test_cached_openai_embedder_skips_repeat_requests(server, tmp_path) -> None:
    embedder = make_embedder(settings_for(server.base_url, GOOD_KEY, tmp_path))
    assert isinstance(embedder, CachedEmbedder)
    first = embedder.embed(["a", "b"])
    second = embedder.embed(["b", "a"])
    assert len(server.requests) == 1
    np.testing.assert_array_equal(second, first[::-1])


def test_wrong_key_is_a_one_line_error_without_the_key(server, tmp_path) -> None:
    embedder = make_embedder(settings_for(server.base_url, BAD_KEY, tmp_path), cache=False)
    with pytest.raises(EmbedderError) as info:
        embedder.embed(["hello"])
    message = str(info.value)
    assert "401" in message
    assert BAD_KEY not in message and BAD_KEY not in repr(info.value)
    assert "\n" not in message
    assert len(server.requests) == 1


def test_server_error_detail_is_scrubbed_of_the_key(server, tmp_path) -> None:
    server.fail_with = 503
    embedder = make_embedder(settings_for(server.base_url, GOOD_KEY, tmp_path), cache=False)
    with pytest.raises(EmbedderError, match="HTTP 503: overloaded") as info:
        embedder.embed(["hello"])
    assert GOOD_KEY not in str(info.value)


@pytest.mark.parametrize("garbage", [b"<html>proxy error</html>", b"", b"[1, 2", b'{"data": "x"}', b"null"])
def test_a_reply_that_is_not_embeddings_json_is_one_line(server, tmp_path, garbage) -> None:
    server.garbage = garbage
    embedder = make_embedder(settings_for(server.base_url, GOOD_KEY, tmp_path), cache=False)
    with pytest.raises(EmbedderError, match="malformed embeddings reply") as info:
        embedder.embed(["hello"])
    assert "\n" not in str(info.value) and GOOD_KEY not in str(info.value)


def test_unreachable_server(tmp_path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/v1"
    embedder = make_embedder(settings_for(url, GOOD_KEY, tmp_path), cache=False)
    with pytest.raises(EmbedderError, match="cannot reach"):
        embedder.embed(["hello"])


def test_no_key_and_no_server_is_refused_up_front(tmp_path) -> None:
    with pytest.raises(EmbedderError, match="API key"):
        OpenAIEmbedder("text-embedding-3-small", api_key=None, base_url=None)
