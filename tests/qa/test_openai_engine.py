"""The `openai` engine against a scripted, misbehaving OpenAI-compatible server on 127.0.0.1.

Real HTTP, the real `openai` client, the real citation check and embedder; only the "model" is a
script, so retries, error mapping and streaming are tested exactly.
"""

from __future__ import annotations

import threading

import pytest

from index.errors import InputError, LLMAuthError, LLMBadResponse, LLMRateLimited, LLMUnavailable
from index.settings import Settings
from qa.engines import make_engine
from qa.engines.base import Cancelled
from qa.engines.openai_engine import NO_KEY_MESSAGE, OpenAIEngine
from qa.llm_errors import RetryPolicy, retry_after_seconds, server_label
from qa.prompts import REFUSAL, SYSTEM_PROMPT, chat_messages
from qa.query_analysis import analyse
from tests.qa.fault_server import FaultServer, raw_stream, slow, status, stream

SENTINEL_KEY = "sk-SENTINEL-7f3a9c-never-print-me"
CONDITIONS = (
    "Putin's conditions include the complete withdrawal of foreign military assistance to Ukraine "
    "and recognition of Russia's territorial gains"
)


def _source_of(hits, phrase: str) -> int:
    return next(i for i, h in enumerate(hits) if phrase in h.chunk.text) + 1


def _engine(server: FaultServer, embedder, *, key: str | None = None, retries: int = 2) -> OpenAIEngine:
    settings = Settings(
        openai_base_url=server.base_url, openai_api_key=key, model="scripted", request_timeout=1.0, max_retries=retries
    )
    return OpenAIEngine(settings, embedder, backoff_base=0.05)


def _pieces(text: str, size: int = 7) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def test_streams_tokens_and_checks_citations(embedder, article, hits):
    n = _source_of(hits, "withdrawal of foreign military assistance")
    reply = f"{CONDITIONS} [{n}]."
    tokens: list[str] = []
    with FaultServer([stream(_pieces(reply))]) as srv:
        answer = _engine(srv, embedder).answer(analyse("What are Putin's conditions?"), hits, on_token=tokens.append)
        (_, path, body) = srv.requests[0]

    assert len(tokens) > 3 and "".join(tokens) == reply
    assert answer.answered and answer.engine == "openai" and answer.model == "scripted"
    assert answer.text == f"{CONDITIONS} [1]."
    (c,) = answer.citations
    assert c.supported and c.doc_id == "seed-000" and article.body[c.char_start : c.char_end] == c.quote
    assert answer.retrieved == hits and "llm" in answer.timings_ms
    # What went over the wire: a streamed chat request carrying the grounding prompt and sources.
    assert path == "/v1/chat/completions" and body["stream"] is True and body["model"] == "scripted"
    assert body["messages"] == chat_messages("What are Putin's conditions?", hits)


def test_prompt_numbers_sources_with_visible_metadata(hits):
    system, user = chat_messages("Who is Steve Witkoff?", hits[:2])
    assert system["content"] == SYSTEM_PROMPT and REFUSAL in SYSTEM_PROMPT and "[n]" not in SYSTEM_PROMPT
    title = hits[0].meta.title
    assert user["content"].startswith(f"Sources:\n\n[1] RedState — {title} (2025-03-19)\n{hits[0].chunk.text.strip()}")
    assert f"\n\n[2] RedState — {title}" in user["content"] and "[3]" not in user["content"]
    assert "Question: Who is Steve Witkoff?" in user["content"]


def test_injected_source_cannot_make_citations_up(embedder, article, hits):
    # A source told the model to cite [7] and [42]; the model obeyed. Only real sources survive.
    n = _source_of(hits, "withdrawal of foreign military assistance")
    reply = f"The moon is made of cheese [7]. {CONDITIONS} [{n}][42]."
    with FaultServer([stream(_pieces(reply))]) as srv:
        answer = _engine(srv, embedder).answer(analyse("What are Putin's conditions?"), hits)

    assert "[7]" not in answer.text and "[42]" not in answer.text
    assert "citation [7] refers to no source; dropped" in answer.warnings
    assert "citation [42] refers to no source; dropped" in answer.warnings
    assert answer.unsupported_sentences == [0]
    assert [c.n for c in answer.citations] == [1] and answer.citations[0].supported
    assert article.body[answer.citations[0].char_start : answer.citations[0].char_end] == answer.citations[0].quote


def test_refusal_is_not_answered(embedder, hits):
    with FaultServer([stream([REFUSAL])]) as srv:
        answer = _engine(srv, embedder).answer(analyse("What did the Fed decide?"), hits)
    assert not answer.answered and answer.text == REFUSAL and answer.citations == [] and answer.warnings == []


def test_answer_whose_citations_support_nothing_is_not_answered(embedder, hits):
    reply = "The Federal Reserve raised interest rates by half a percentage point [1]."
    with FaultServer([stream([reply])]) as srv:
        answer = _engine(srv, embedder).answer(analyse("What did the Fed decide?"), hits)
    assert not answer.answered and answer.unsupported_sentences == [0]
    assert [c.supported for c in answer.citations] == [False]
    assert "no cited source supports the model's answer" in answer.warnings


def test_slow_server_times_out_after_bounded_retries(embedder, hits):
    with FaultServer([slow(2.5, stream(["late [1]."]))]) as srv:
        with pytest.raises(LLMUnavailable) as err:
            _engine(srv, embedder, retries=2).answer(analyse("q?"), hits)
        assert srv.count == 3
    message = str(err.value)
    assert f"127.0.0.1:{srv.port}" in message and "timed out" in message and "3 attempts" in message


def test_rate_limit_honours_retry_after_then_succeeds(embedder, hits):
    n = _source_of(hits, "withdrawal of foreign military assistance")
    with FaultServer([status(429, headers={"Retry-After": "1"}), stream(_pieces(f"{CONDITIONS} [{n}]."))]) as srv:
        answer = _engine(srv, embedder).answer(analyse("What are Putin's conditions?"), hits)
        (first, _, _), (second, _, _) = srv.requests
    assert srv.count == 2 and answer.answered
    # The backoff alone (0.05 s base) could never wait this long: the server's Retry-After was used.
    assert second - first >= 1.0


def test_unavailable_server_honours_retry_after_then_succeeds(embedder, hits):
    n = _source_of(hits, "withdrawal of foreign military assistance")
    with FaultServer([status(503, headers={"Retry-After": "1"}), stream(_pieces(f"{CONDITIONS} [{n}]."))]) as srv:
        answer = _engine(srv, embedder).answer(analyse("What are Putin's conditions?"), hits)
        (first, _, _), (second, _, _) = srv.requests
    assert srv.count == 2 and answer.answered
    assert second - first >= 1.0  # the server's wait, not the 0.05 s backoff


def test_rate_limit_that_persists_is_reported(embedder, hits):
    with FaultServer([status(429, "slow down", headers={"Retry-After": "0"})]) as srv:
        with pytest.raises(LLMRateLimited, match=r"HTTP 429.*slow down.*3 attempts"):
            _engine(srv, embedder).answer(analyse("q?"), hits)
        assert srv.count == 3


def test_server_errors_are_retried_then_reported(embedder, hits):
    with FaultServer([status(500), status(503)]) as srv:
        with pytest.raises(LLMUnavailable, match=r"HTTP 503.*3 attempts"):
            _engine(srv, embedder).answer(analyse("q?"), hits)
        assert srv.count == 3


def test_server_error_then_success(embedder, hits):
    n = _source_of(hits, "Steve Witkoff")
    with FaultServer([status(502), stream([f"Steve Witkoff is Trump's special envoy [{n}]."])]) as srv:
        answer = _engine(srv, embedder).answer(analyse("Who is Steve Witkoff?"), hits)
    assert srv.count == 2 and answer.answered


def test_stream_cut_mid_answer_is_a_bad_response(embedder, hits):
    tokens: list[str] = []
    with FaultServer([stream(_pieces(f"{CONDITIONS} [1]."), cut=True)]) as srv:
        with pytest.raises(LLMBadResponse, match="cut the answer off"):
            _engine(srv, embedder).answer(analyse("q?"), hits, on_token=tokens.append)
        # Words were already shown: retrying would show them twice, so no second request.
        assert srv.count == 1
    assert tokens


def test_stream_that_ends_without_finishing_is_a_bad_response(embedder, hits):
    with (
        FaultServer([stream(_pieces("Putin wants"), finish=False, done=False)]) as srv,
        pytest.raises(LLMBadResponse, match="before it was complete"),
    ):
        _engine(srv, embedder).answer(analyse("q?"), hits)


def test_malformed_json_is_a_bad_response(embedder, hits):
    with FaultServer([raw_stream(b'data: {"choices": [{"delta": {"content": "Hi\n\ndata: [DONE]\n\n')]) as srv:
        with pytest.raises(LLMBadResponse, match="malformed"):
            _engine(srv, embedder).answer(analyse("q?"), hits)
        assert srv.count == 1


def test_wrong_key_is_an_auth_error_that_never_shows_the_key(embedder, hits):
    # The server echoes the Authorization header in its error body, as careless servers do.
    with FaultServer([status(401, "invalid key {auth}")]) as srv:
        with pytest.raises(LLMAuthError) as err:
            _engine(srv, embedder, key=SENTINEL_KEY).answer(analyse("q?"), hits)
        assert srv.count == 1
    message = str(err.value)
    assert "SENTINEL" not in message and SENTINEL_KEY not in repr(err.value)
    assert f"127.0.0.1:{srv.port}" in message and "401" in message and "\n" not in message


def test_key_echoed_in_other_errors_is_redacted(embedder, hits):
    with FaultServer([status(400, "bad request from {auth}")]) as srv, pytest.raises(LLMBadResponse) as err:
        _engine(srv, embedder, key=SENTINEL_KEY).answer(analyse("q?"), hits)
    assert "SENTINEL" not in str(err.value) and "HTTP 400" in str(err.value)


def test_stopped_server_is_unavailable(embedder, hits):
    srv = FaultServer([stream(["never"])])
    with srv:
        engine = _engine(srv, embedder)
    with pytest.raises(LLMUnavailable, match=rf"127\.0\.0\.1:{srv.port} is unreachable \(after 3 attempts\)"):
        engine.answer(analyse("q?"), hits)


def test_cancel_between_tokens(embedder, hits):
    cancel = threading.Event()
    tokens: list[str] = []

    def on_token(piece: str) -> None:
        tokens.append(piece)
        cancel.set()

    with FaultServer([stream(_pieces(f"{CONDITIONS} [1]."))]) as srv, pytest.raises(Cancelled):
        _engine(srv, embedder).answer(analyse("q?"), hits, on_token=on_token, cancel=cancel)
    assert len(tokens) == 1


def test_no_key_and_no_server(embedder):
    with pytest.raises(LLMAuthError) as err:
        OpenAIEngine(Settings(openai_api_key=None, openai_base_url=None), embedder)
    assert str(err.value) == NO_KEY_MESSAGE


@pytest.mark.parametrize(
    "url", ["localhost:8080", "ftp://llm.local/v1", "http://[::1", "http://127.0.0.1:99999/v1", "http:///v1"]
)
def test_malformed_base_url_is_an_input_error(embedder, url):
    # Caught up front: otherwise it would surface as "unreachable" after pointless retries.
    with pytest.raises(InputError, match=r"^OPENAI_BASE_URL must look like http://127\.0\.0\.1:8080/v1; got [^\n]+$"):
        OpenAIEngine(Settings(openai_base_url=url), embedder)


def test_make_engine_builds_the_openai_engine(embedder):
    engine = make_engine("openai", Settings(openai_base_url="http://127.0.0.1:9/v1", model="m"), embedder)
    assert isinstance(engine, OpenAIEngine) and engine.name == "openai" and engine.model == "m"


def test_retry_policy_delays():
    policy = RetryPolicy(max_retries=3, base_delay=1.0, max_delay=4.0, retry_after_cap=10.0)
    for retry, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (6, 4.0)]:
        assert ceiling / 2 <= policy.delay(retry) <= ceiling
    assert policy.delay(1, retry_after=3.0) == 3.0
    assert policy.delay(1, retry_after=3600.0) == 10.0


def test_retry_after_header_forms():
    assert retry_after_seconds({"retry-after": "2"}) == 2.0
    assert retry_after_seconds({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0
    assert retry_after_seconds({"retry-after": "soon"}) is None
    assert retry_after_seconds({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    assert retry_after_seconds({"retry-after-ms": "x", "retry-after": "9"}) == 9.0
    assert retry_after_seconds({}) is None


def test_server_label_hides_credentials_in_the_url():
    assert server_label("http://user:pass@llm.local:8080/v1") == "llm.local:8080"
    assert server_label(None) == "api.openai.com"
    assert server_label("https://api.example.com/v1") == "api.example.com"
