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
