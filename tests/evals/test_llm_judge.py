"""The LLM judge's strict reply format, against a scripted OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from evals.judges.llm import LLMJudge, parse_verdicts
from index.errors import LLMAuthError, LLMUnavailable
from index.settings import Settings

GOOD = '{"verdicts": [{"claim": 2, "verdict": "unsupported"}, {"claim": 1, "verdict": "supported"}]}'


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (GOOD, [True, False]),
        ("```json\n" + GOOD + "\n```", [True, False]),
        ("Yes, both claims are supported.", None),  # the word yes is no verdict
        ('{"verdicts": [{"claim": 1, "verdict": "supported"}]}', None),  # one claim missing
        ('{"verdicts": [{"claim": 1, "verdict": "yes"}, {"claim": 2, "verdict": "no"}]}', None),
        ('{"verdicts": [{"claim": 1, "verdict": "supported"}, {"claim": 1, "verdict": "supported"}]}', None),
        ('{"verdicts": [{"claim": 1, "verdict": "supported"}, {"claim": 3, "verdict": "supported"}]}', None),
        ('{"verdicts": [{"claim": true, "verdict": "supported"}, {"claim": 2, "verdict": "supported"}]}', None),
        ("Sure! " + GOOD, None),
        ('{"verdicts": "supported"}', None),
    ],
)
def test_parse_is_strict(reply, expected):
    assert parse_verdicts(reply, 2) == expected


class _Scripted(BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(body)
        replies = self.server.replies
        content = replies[min(len(self.server.requests) - 1, len(replies) - 1)]
        payload = json.dumps(
            {
                "id": "x",
                "object": "chat.completion",
                "created": 0,
                "model": body["model"],
                "choices": [
                    {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}
                ],
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    def start(*replies):
        srv = ThreadingHTTPServer(("127.0.0.1", 0), _Scripted)
        srv.replies, srv.requests = list(replies), []
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        started.append(srv)
        return srv

    started = []
    yield start
    for srv in started:
        srv.shutdown()
        srv.server_close()


def judge_for(srv) -> LLMJudge:
    return LLMJudge(Settings(openai_base_url=f"http://127.0.0.1:{srv.server_port}/v1", model="scripted", max_retries=0))


def test_per_claim_verdicts_in_one_request(server):
    srv = server(GOOD)
    verdicts = judge_for(srv).judge(["Claim one.", "Claim two."], "Some evidence.")
    assert [v.supported for v in verdicts] == [True, False] and {v.method for v in verdicts} == {"llm"}
    (request,) = srv.requests
    prompt = request["messages"][-1]["content"]
    assert "1. Claim one." in prompt and "2. Claim two." in prompt and "Some evidence." in prompt


def test_a_bad_reply_is_retried_then_left_undecided(server):
    srv = server("Yes, supported.", "Still yes.")
    verdicts = judge_for(srv).judge(["Claim one.", "Claim two."], "Evidence.")
    assert [v.supported for v in verdicts] == [None, None] and len(srv.requests) == 2
    srv = server("Yes.", GOOD)
    assert [v.supported for v in judge_for(srv).judge(["A.", "B."], "E.")] == [True, False]


def test_unconfigured_or_unreachable_server_is_a_one_line_error(server):
    with pytest.raises(LLMAuthError):
        LLMJudge(Settings())
    srv = server(GOOD)
    port = srv.server_port
    srv.shutdown()
    srv.server_close()
    with pytest.raises(LLMUnavailable, match="unreachable"):
        LLMJudge(Settings(openai_base_url=f"http://127.0.0.1:{port}/v1", max_retries=0)).judge(["A."], "E.")
