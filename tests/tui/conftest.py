"""Helpers for driving the chat with Textual's pilot. Waits are bounded polls, not timings."""

from __future__ import annotations

import asyncio

import pytest

from tui.app import NewsQAChat
from tui.widgets.messages import AnswerView

WAIT_S = 90.0


# ASYNC109 is silenced: the Pilot must keep pumping events while it waits, so asyncio.timeout around it
# would do no better than this deadline, and the failure names what never happened.
async def wait_for(pilot, predicate, what: str, timeout: float = WAIT_S) -> None:  # noqa: ASYNC109
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        await pilot.pause(0.05)


async def ready(pilot) -> None:
    await wait_for(pilot, lambda: pilot.app.backend.ready, "the backend to load")
    await pilot.pause()


async def ask(pilot, question: str) -> AnswerView:
    app: NewsQAChat = pilot.app
    app.chat.query_one("#prompt").focus()
    app.chat.query_one("#prompt").text = question
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.session.turns and app.session.turns[-1].question == question, "the turn")
    return await answered(pilot)


async def answered(pilot) -> AnswerView:
    app: NewsQAChat = pilot.app
    turn = app.session.turns[-1]
    await wait_for(pilot, lambda: id(turn) in app._views and app._views[id(turn)].has_class("done"), "the answer")
    await pilot.pause()
    return app._views[id(turn)]


def screen_lines(app) -> list[str]:
    """The current screen as text, one string per terminal row."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def links_on_screen(app, region=None) -> dict[str, list[tuple[int, int]]]:
    """Where each clickable link (``@click`` action) is drawn: action -> screen cells."""
    region = region or app.screen.region
    found: dict[str, list[tuple[int, int]]] = {}
    for y in range(region.y, region.bottom):
        for x in range(region.x, region.right):
            action = app.screen.get_style_at(x, y).meta.get("@click")
            if action:
                found.setdefault(action, []).append((x, y))
    return found


QUOTE = "From the Kremlin's side, Putin's conditions for a ceasefire encompass several critical demands."
QUOTE_2 = "They include the complete withdrawal of foreign military assistance to Ukraine"


@pytest.fixture
def seed_citations(seed_settings):
    """Two citations of the seed article at two different quotes, fixed word for word."""
    from index.store import Store
    from qa.models import Citation

    with Store.open(seed_settings) as store, store.reading():
        (meta,) = store.list_articles()
        body = store.get_article(meta.doc_id).body
    out = []
    for n, quote in enumerate((QUOTE, QUOTE_2), start=1):
        start = body.index(quote)
        out.append(
            Citation(
                n=n,
                doc_id=meta.doc_id,
                title=meta.title,
                source="RedState",
                published_at=meta.published_at,
                url=None,
                quote=quote,
                char_start=start,
                char_end=start + len(quote),
            )
        )
    return out


def save_conversation(settings, answers) -> int:
    """A saved conversation of complete turns, as the chat would have written it."""
    from qa.conversations import ConversationStore

    with ConversationStore(settings.conversations_db) as store:
        cid = store.create(answers[0].question)
        for answer in answers:
            store.add_turn(cid, answer.question, answer, "complete")
    return cid
