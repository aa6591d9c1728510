"""Snapshots of the chat, the filters dialog, the help, the article and the saved conversations
over a fixed saved conversation on the seed store, at 80x24 and at 160x48."""

from __future__ import annotations

import pytest

from qa.models import Answer, Citation
from tests.tui.conftest import QUOTE, ready, save_conversation, wait_for
from tui.app import NewsQAChat
from tui.screens.article import ArticleScreen
from tui.widgets.messages import AnswerView

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]


@pytest.fixture
def seeded_chat(seed_settings, seed_citations):
    """A saved two-turn conversation citing the seed article, fixed word for word."""
    cite = seed_citations[0]
    first = Answer(
        question="What are Putin's conditions for a ceasefire?",
        text=f"{QUOTE} [1]",
        answered=True,
        engine="extractive",
        citations=[cite],
    )
    second = Answer(
        question="when was that?",
        text="The talks were reported on March 19, 2025 [1, 2]. Everyone agreed at once.",
        answered=True,
        engine="extractive",
        citations=[cite, Citation(**{**seed_citations[1].as_dict(), "supported": False})],
        standalone_question="When was that (Putin)?",
        unsupported_sentences=[1],
    )
    save_conversation(seed_settings, [first, second])
    return NewsQAChat(seed_settings, resume="last", show_dates=False)


async def settle(pilot) -> None:
    app = pilot.app
    await ready(pilot)
    await wait_for(
        pilot,
        lambda: len(app.chat.query(AnswerView)) == 2 and all(v.has_class("done") for v in app.chat.query(AnswerView)),
        "the saved answers",
    )
    await steady(pilot)


async def steady(pilot) -> None:
    """Cursors that do not blink: a snapshot must not depend on when in the blink it is taken."""
    for screen in pilot.app.screen_stack:
        for widget in screen.query("Input, TextArea"):
            widget.cursor_blink = False
    await pilot.pause(0.1)


@pytest.mark.parametrize("size", SIZES)
def test_chat_screen(snap_compare, seeded_chat, size):
    assert snap_compare(seeded_chat, terminal_size=size, run_before=settle)


def then_press(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        await pilot.pause(0.1)
        await steady(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(snap_compare, seeded_chat, size):
    assert snap_compare(seeded_chat, terminal_size=size, run_before=then_press("f1"))


@pytest.mark.parametrize("size", SIZES)
def test_filters_dialog_with_a_bad_date(snap_compare, seeded_chat, size):
    assert snap_compare(seeded_chat, terminal_size=size, run_before=then_press("ctrl+t", *"2025-13-01", "enter"))


@pytest.mark.parametrize("size", SIZES)
def test_article_screen_at_the_quote(snap_compare, seeded_chat, size):
    async def run_before(pilot):
        await settle(pilot)
        app = pilot.app
        app.open_citation(app.session.turns[0].answer.citations[0])
        await wait_for(
            pilot, lambda: isinstance(app.screen, ArticleScreen) and app.screen.quote_widget is not None, "the article"
        )
        await pilot.pause(0.2)

    assert snap_compare(seeded_chat, terminal_size=size, run_before=run_before)


def test_conversations_screen(snap_compare, seeded_chat):
    assert snap_compare(seeded_chat, terminal_size=(80, 24), run_before=then_press("ctrl+o"))
