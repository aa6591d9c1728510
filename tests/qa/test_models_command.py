"""`newsqa models` against real HTTP servers on 127.0.0.1: the list, and one line for each failure."""

from __future__ import annotations

import json
import socket

import pytest

from qa.cli import main
from tests.qa.chat_stub_server import ChatStubServer


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["models", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_lists_what_the_server_offers_and_marks_the_current_model(capsys, monkeypatch):
    with ChatStubServer() as srv:
        srv.models = ["zeta-7b", "alpha-1b"]
        monkeypatch.setenv("OPENAI_BASE_URL", srv.base_url)
        monkeypatch.setenv("NEWSQA_MODEL", "zeta-7b")
        code, out, err = run(capsys)
        assert code == 0 and err == ""
        assert out.splitlines() == ["alpha-1b", "zeta-7b  (current: NEWSQA_MODEL)"]
        code, out, _ = run(capsys, "--json")
        assert json.loads(out) == [{"id": "alpha-1b", "current": False}, {"id": "zeta-7b", "current": True}]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    ("status", "expected"),
    [(401, "rejected the API key (HTTP 401)"), (404, "refused the request (HTTP 404): no such thing")],
)
def test_a_refusing_server_is_one_line_without_the_key(capsys, monkeypatch, status, expected):
    with ChatStubServer() as srv:
        srv.models_status = status
        monkeypatch.setenv("OPENAI_BASE_URL", srv.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-models-key")
        monkeypatch.setenv("NEWSQA_MAX_RETRIES", "0")
        code, out, err = run(capsys)
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1 and expected in err and "127.0.0.1" in err
    assert "sk-secret" not in err


def test_unreachable_and_unconfigured_are_one_line(capsys, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{closed_port()}/v1")
    monkeypatch.setenv("NEWSQA_MAX_RETRIES", "0")
    code, _, err = run(capsys)
    assert code == 1 and err.splitlines() == [err.strip()] and "is unreachable" in err
    monkeypatch.delenv("OPENAI_BASE_URL")
    code, _, err = run(capsys)
    assert code == 1 and err.strip() == (
        "error: no LLM server configured: set OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL (another server)"
    )
    monkeypatch.setenv("OPENAI_BASE_URL", "ftp://127.0.0.1/v1")
    code, _, err = run(capsys)
    assert code == 1 and "OPENAI_BASE_URL must look like" in err and len(err.splitlines()) == 1
