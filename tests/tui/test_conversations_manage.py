"""Renaming and deleting saved conversations from the chat (Ctrl+O, then r / d), with the Pilot."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from index.errors import InputError
from qa.conversations import ConversationStore
from qa.models import Answer
from tests.tui.conftest import QUOTE, ready, save_conversation, wait_for
from tui.app import NewsQAChat
from tui.screens.conversations import ConfirmScreen, ConversationsScreen, TextScreen
from tui.widgets.messages import AnswerView


def answer(question: str, citations) -> Answer:
    return Answer(question=question, text=f"{QUOTE} [1]", answered=True, engine="extractive", citations=citations[:1])


async def test_rename_and_delete_from_the_chat(seed_settings, seed_citations):
    first = save_conversation(seed_settings, [answer("What does Putin demand?", seed_citations)])
    second = save_conversation(seed_settings, [answer("What are the ceasefire terms?", seed_citations)])
    app = NewsQAChat(seed_settings, resume="last")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: app.chat.query(AnswerView), "the resumed conversation")
        assert app.session.conversation_id == second
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, ConversationsScreen), "the saved conversations")
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, TextScreen), "the rename box")
        box = app.screen.query_one(Input)
        assert box.value == "What are the ceasefire terms?"
        box.value = "  Ceasefire\nterms  "
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConversationsScreen), "the list again")
        with ConversationStore(seed_settings.conversations_db) as store:
            assert store.load(second).title == "Ceasefire terms"
        listing = app.screen.query_one("OptionList")
        assert "Ceasefire terms" in str(listing.get_option_at_index(0).prompt)

        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        await pilot.press("n")  # not deleted
        await wait_for(pilot, lambda: isinstance(app.screen, ConversationsScreen), "the list again")
        with ConversationStore(seed_settings.conversations_db) as store:
            assert [c.id for c in store.list_conversations()] == [second, first]

        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, ConversationsScreen), "the list again")
        with ConversationStore(seed_settings.conversations_db) as store:
            assert [c.id for c in store.list_conversations()] == [first]
            with pytest.raises(InputError):
                store.load(second)
        assert listing.option_count == 1
        # The conversation on screen was the one deleted: the chat starts afresh.
        await wait_for(pilot, lambda: app.session.conversation_id is None, "a new chat")
        assert not app.chat.query(AnswerView)

        await pilot.press("enter")  # the one left opens
        await wait_for(pilot, lambda: app.session.conversation_id == first, "the other conversation")
        assert app.focused is app.chat.query_one("#prompt")
