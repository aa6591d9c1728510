"""The configured API key never leaves through an answer (issue #14): a server that echoes it,
whole or split across stream pieces, has it redacted from what is shown, returned and saved;
an article that holds it is not stored."""

from __future__ import annotations

import itertools
import json

from hypothesis import given
from hypothesis import strategies as st
from pydantic import SecretStr

from index.loaders import iter_articles
from index.models import Skipped
from qa.conversations import ConversationStore
from qa.redact import MASK, StreamRedactor
from qa.service import NewsQA
from tests.qa.fault_server import FaultServer, stream

KEY = "sk-test-Echo0123456789abcdefECHO"


@given(text=st.text(alphabet="sk-Echo01 abc", max_size=80), cuts=st.lists(st.integers(0, 200), max_size=12))
def test_a_key_split_anywhere_across_pieces_never_gets_through(text, cuts):
    whole = f"{text}{KEY}{text}{KEY[:-1]} {KEY}"
    bounds = sorted({0, len(whole), *(c % (len(whole) + 1) for c in cuts)})
    out: list[str] = []
    redactor = StreamRedactor(KEY, out.append)
    for a, b in itertools.pairwise(bounds):
        redactor.feed(whole[a:b])
    redactor.flush()
    shown = "".join(out)
    assert KEY not in shown
    assert shown == whole.replace(KEY, MASK)


def test_an_answer_echoing_the_key_is_redacted_shown_and_saved(seed_settings):
    pieces = ["Putin demands ", KEY[:9], KEY[9:20], KEY[20:], " be withdrawn [1]."]
    with FaultServer([stream(pieces)]) as server:
        settings = seed_settings.model_copy(
            update={
                "engine": "openai",
                "openai_base_url": server.base_url,
                "openai_api_key": SecretStr(KEY),
                "max_retries": 0,
            }
        )
        app = NewsQA(settings)
        shown: list[str] = []
        try:
            answer = app.ask("What are Putin's conditions for a ceasefire?", on_token=shown.append)
        finally:
            app.close()
    assert KEY not in "".join(shown) and MASK in "".join(shown)
    assert KEY not in answer.text and KEY not in json.dumps(answer.as_dict())
    conversations = ConversationStore(settings.conversations_db)
    try:
        conversation = conversations.create("t")
        conversations.add_turn(conversation, answer.question, answer, "complete")
    finally:
        conversations.close()
    assert KEY.encode() not in settings.conversations_db.read_bytes()


def test_an_article_holding_the_key_is_not_stored(settings, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "env.txt").write_text(f"Notes\n\nSet up on Monday.\nOPENAI_API_KEY={KEY}\n")
    (folder / "fine.txt").write_text("Harbours\n\nA fine article about harbours and their cranes.\n")
    loaded = list(iter_articles([folder], settings.model_copy(update={"openai_api_key": SecretStr(KEY)})))
    skipped = [i for i in loaded if isinstance(i, Skipped)]
    assert [s.reason for s in skipped] == ["holds the configured OpenAI API key: not stored"]
    assert len(loaded) == 2
