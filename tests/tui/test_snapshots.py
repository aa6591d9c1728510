"""Snapshots of the main screens over a fixed saved conversation on the seed store."""

from __future__ import annotations

import pytest

from index.store import Store
from qa.conversations import ConversationStore
from qa.models import Answer, Citation
from tests.tui.conftest import ready, wait_for
from tui.app import NewsQAChat
from tui.screens.article import ArticleScreen
from tui.widgets.messages import AnswerView

SIZE = (110, 32)
QUOTE = "From the Kremlin's side, Putin's conditions for a ceasefire encompass several critical demands."


@pytest.fixture
def seeded_chat(seed_settings):
    """A saved two-turn conversation citing the seed article, fixed word for word."""
    with Store.open(seed_settings) as store, store.reading():
        (meta,) = store.list_articles()
        body = store.get_article(meta.doc_id).body
    start = body.index(QUOTE)
    cite = Citation(
        n=1,
        doc_id=meta.doc_id,
        title=meta.title,
        source="RedState",
        published_at=meta.published_at,
        url=None,
        quote=QUOTE,
        char_start=start,
        char_end=start + len(QUOTE),
    )
    first = Answer(
        question="What are Putin's conditions for a ceasefire?",
        text=f"{QUOTE} [1]",
        answered=True,
        engine="extractive",
        citations=[cite],
    )
    second = Answer(
        question="when was that?",
        text="The talks were reported on March 19, 2025 [1]. Everyone agreed at once.",
        answered=True,
        engine="extractive",
        citations=[cite, Citation(**{**cite.as_dict(), "n": 2, "supported": False})],
        standalone_question="When was that (Putin)?",
        unsupported_sentences=[1],
    )
    with ConversationStore(seed_settings.conversations_db) as store:
        cid = store.create(first.question)
        store.add_turn(cid, first.question, first, "complete")
        store.add_turn(cid, second.question, second, "complete")
    return NewsQAChat(seed_settings, resume="last", show_dates=False)


async def settle(pilot) -> None:
    app = pilot.app
    await ready(pilot)
    await wait_for(
        pilot,
        lambda: len(app.chat.query(AnswerView)) == 2 and all(v.has_class("done") for v in app.chat.query(AnswerView)),
        "the saved answers",
    )
    await pilot.pause(0.1)


def test_chat_screen(snap_compare, seeded_chat):
    assert snap_compare(seeded_chat, terminal_size=SIZE, run_before=settle)


def test_help_screen(snap_compare, seeded_chat):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause(0.1)

    assert snap_compare(seeded_chat, terminal_size=SIZE, run_before=run_before)


def test_article_screen_at_the_quote(snap_compare, seeded_chat):
    async def run_before(pilot):
        await settle(pilot)
        app = pilot.app
        app.open_citation(app.session.turns[0].answer.citations[0])
        await wait_for(
            pilot, lambda: isinstance(app.screen, ArticleScreen) and app.screen.quote_widget is not None, "the article"
        )
        await pilot.pause(0.2)

    assert snap_compare(seeded_chat, terminal_size=SIZE, run_before=run_before)


def test_conversations_screen(snap_compare, seeded_chat):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause(0.1)

    assert snap_compare(seeded_chat, terminal_size=SIZE, run_before=run_before)
