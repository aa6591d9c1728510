"""The chat through every LLM fault in a row, against a scripted server on 127.0.0.1.

The engine's own handling of each fault is tested in tests/qa/test_openai_engine.py; this test
checks what the user lives with: one clear notification per fault, a bounded number of
requests, a chat that keeps answering, and no partial answer ever saved as complete.
"""

from __future__ import annotations

from pydantic import SecretStr

from qa.conversations import ConversationStore
from tests.qa.chat_stub_server import grounded_answer
from tests.qa.fault_server import FaultServer, raw_stream, slow, status, stream
from tests.tui.conftest import ask, ready
from tui.app import NewsQAChat

QUESTION = "What are Putin's conditions for a ceasefire?"
SENTINEL = "sk-SENTINEL-chat-4b1e-never-show"


def grounded(h) -> None:
    """A good streamed answer quoting source [1] of the request."""
    body = h.server.requests[-1][2]
    stream([grounded_answer(body["messages"][-1]["content"])])(h)


# (what the server does on each attempt, what the user must be told, requests it may take)
FAULTS = [
    ([slow(3.0, grounded)] * 2, "timed out", 2),
    ([status(429, "slow down", headers={"Retry-After": "0"})] * 2, "429", 2),
    ([status(500), status(503)], "503", 2),
    ([stream(["Putin wants ", "a complete withdrawal of "], cut=True)], "cut the answer off", 1),
    ([raw_stream(b'data: {"choices": [{"delta": {"content": "Hi\n\n')], "malformed", 1),
    ([status(401, "invalid key {auth}")], "401", 1),
]


async def test_every_llm_fault_is_one_clear_message_and_the_chat_goes_on(seed_settings):
    script = [step for steps, _, _ in FAULTS for step in steps] + [grounded]
    with FaultServer(script) as srv:
        settings = seed_settings.model_copy(
            update={
                "openai_base_url": srv.base_url,
                "engine": "openai",
                "model": "scripted",
                "max_retries": 1,
                "request_timeout": 1.0,
                "openai_api_key": SecretStr(SENTINEL),
            }
        )
        app = NewsQAChat(settings)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            sent = 0
            for _steps, told, requests in FAULTS:
                view = await ask(pilot, QUESTION)
                sent += requests
                assert srv.count == sent, f"{told}: {srv.count} requests, expected {sent} (bounded retries)"
                assert view.turn.status == "failed" and view.turn.answer is None, told
                message = (
                    app._notifications.last if hasattr(app._notifications, "last") else list(app._notifications)[-1]
                )
                text = message.message
                assert told in text and "\n" not in text and SENTINEL not in text, text
            view = await ask(pilot, QUESTION)  # the same chat, the same server: it answers now
            assert view.turn.status == "complete" and view.turn.answer.citations
        raw = settings.conversations_db.read_bytes()
    assert SENTINEL.encode() not in raw
    turns = ConversationStore(settings.conversations_db).load(1).turns
    assert [t.status for t in turns] == ["failed"] * len(FAULTS) + ["complete"]
    cut = turns[3]
    assert cut.answer.citations == [] and "cut the answer off" in cut.error
    assert cut.answer.text.strip() in (
        "",
        "Putin wants a complete withdrawal of",
    )  # kept only as a failed turn's partial
    assert all(SENTINEL not in (t.error or "") for t in turns)
