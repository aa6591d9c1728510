"""The chat and its export show which sentences the citation check could not support, and why:
the real chat (Pilot) against a real OpenAI-compatible server on 127.0.0.1 answering falsely."""

from __future__ import annotations

from qa.conversations import ConversationStore
from tests.qa.chat_stub_server import ChatStubServer
from tests.qa.test_unsupported_visible import REPLY
from tests.tui.conftest import ask, ready, wait_for
from tui.app import NewsQAChat
from tui.widgets.messages import UNSUPPORTED_MARK


async def test_unsupported_sentences_are_marked_explained_saved_and_exported(seed_settings):
    with ChatStubServer(reply=REPLY) as srv:
        settings = seed_settings.model_copy(update={"openai_base_url": srv.base_url, "engine": "openai"})
        app = NewsQAChat(settings)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            view = await ask(pilot, "Who is Steve Witkoff?")
            answer = view.turn.answer
            assert answer.unsupported_sentences == [1, 2]
            assert view.query_one(".body").source.count(UNSUPPORTED_MARK) == 2
            meta = str(view.query_one(".meta").render())
            assert "unsupported" in meta and "never mentions Mars" in meta and "reverses the source" in meta
            await pilot.press("ctrl+s")
            exported = settings.data_dir / "exports" / "conversation-1.md"
            await wait_for(pilot, exported.exists, "the export")
    md = exported.read_text()
    assert md.count("\u26a0 **Unsupported:**") == 2
    assert "born on Mars" in md and "never mentions Mars" in md
    saved = ConversationStore(settings.conversations_db).load(1).turns[0].answer
    assert [s.supported for s in saved.sentences] == [True, False, False]
    assert "Mars" in saved.sentences[2].reason
