"""The chat driven through Textual's pilot on the seed corpus."""

from __future__ import annotations

import socket

from pydantic import SecretStr

from index.settings import Settings
from index.store import Store
from qa.conversations import ConversationStore
from tests.qa.chat_stub_server import ChatStubServer
from tests.tui.conftest import answered, ask, ready, wait_for
from tui.app import NewsQAChat
from tui.screens.article import ArticleScreen
from tui.widgets.messages import AnswerView
from tui.widgets.sources import SourcesPanel
from tui.widgets.status import StatusLine

SIZE = (120, 40)
QUESTION = "What are Putin's conditions for a ceasefire?"


def rendered(widget) -> str:
    return str(widget.render())


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_question_gets_a_cited_answer(seed_settings):
    app = NewsQAChat(seed_settings)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        with Store.open(seed_settings) as store:
            chunks = store.counts()[1]
        assert f"1 articles · {chunks} chunks" in rendered(app.chat.query_one(StatusLine))
        assert "engine extractive" in rendered(app.chat.query_one(StatusLine))
        view = await ask(pilot, QUESTION)
        answer = view.turn.answer
        assert view.turn.status == "complete" and answer.answered and answer.citations
        assert "[1]" in answer.text
        body = view.query_one(".body")
        assert "Putin" in body.source and "(cite:1)" in body.source
        panel = app.chat.query_one(SourcesPanel)
        assert panel.citations == answer.citations
        label = str(panel.get_option_at_index(0).prompt)
        assert label.startswith("[1] ") and "2025-03-19" in label and "Trump and Putin" in label
        saved = ConversationStore(seed_settings.conversations_db).load(app.session.conversation_id)
        assert saved.turns[0].status == "complete" and saved.turns[0].answer.citations


async def test_a_follow_up_keeps_its_context_and_shows_the_rewrite(seed_settings):
    app = NewsQAChat(seed_settings)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await ask(pilot, QUESTION)
        view = await ask(pilot, "when was that?")
        standalone = view.turn.answer.standalone_question
        assert standalone and "Putin" in standalone
        shown = view.query_one(".standalone")
        assert shown.display and standalone in rendered(shown)
        assert view.turn.answer.citations


async def test_a_citation_opens_the_article_at_the_quote(seed_settings):
    app = NewsQAChat(seed_settings)
    async with app.run_test(size=(100, 24)) as pilot:
        await ready(pilot)
        view = await ask(pilot, QUESTION)
        citation = view.turn.answer.citations[0]
        panel = app.chat.query_one(SourcesPanel)
        panel.focus()
        panel.highlighted = 0
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: isinstance(app.screen, ArticleScreen) and app.screen.quote_widget is not None, "the article"
        )
        screen = app.screen
        await pilot.pause(0.2)
        quoted = screen.quote_widget
        text = quoted.render()
        spans = [text.plain[s.start : s.end] for s in text.spans if "yellow" in str(s.style)]
        assert spans == [citation.quote]
        body = screen.query_one("#article-body")
        assert body.max_scroll_y > 0  # the article is longer than the screen
        # The quote is centred in view: scrolled down to it unless it sits in the first screenful.
        await wait_for(pilot, lambda: body.content_region.contains_region(quoted.region), "the quote in view")
        if quoted.virtual_region.y >= body.content_region.height:
            assert body.scroll_offset.y > 0
        await pilot.press("escape")
        assert app.screen is app.chat


async def test_esc_cancels_a_streaming_answer_and_it_is_not_saved_as_complete(seed_settings):
    with ChatStubServer(token_delay=0.3) as srv:
        settings = seed_settings.model_copy(update={"openai_base_url": srv.base_url, "engine": "openai"})
        app = NewsQAChat(settings)
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            app.chat.query_one("#prompt").text = QUESTION
            await pilot.press("enter")
            await wait_for(pilot, lambda: app._views and list(app._views.values())[-1].streamed, "the first tokens")
            turn = app.session.turns[-1]
            await pilot.press("escape")
            view = await answered(pilot)
            assert turn.status == "cancelled" and turn.answer is None
            assert "cancelled" in rendered(view.query_one(".meta"))
            assert "answer cancelled" in notifications(app)
            await wait_for(pilot, lambda: srv.disconnects >= 1, "the stream to be dropped")
            srv.token_delay = 0.0
            view = await ask(pilot, QUESTION)  # the chat goes on
            assert view.turn.status == "complete" and view.turn.answer.engine == "openai"
            assert view.turn.answer.citations
        statuses = [t.status for t in ConversationStore(settings.conversations_db).load(1).turns]
        assert statuses == ["cancelled", "complete"]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_a_stopped_llm_server_is_a_notification_and_the_chat_goes_on(seed_settings):
    settings = seed_settings.model_copy(
        update={
            "openai_base_url": f"http://127.0.0.1:{closed_port()}/v1",
            "engine": "openai",
            "max_retries": 0,
            "openai_api_key": SecretStr("sk-test-never-stored"),
        }
    )
    app = NewsQAChat(settings)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        view = await ask(pilot, QUESTION)
        assert view.turn.status == "failed"
        assert any("unreachable" in n for n in notifications(app))
        assert "failed" in rendered(view.query_one(".meta"))
        app.set_engine("extractive")
        view = await ask(pilot, QUESTION)
        assert view.turn.status == "complete" and view.turn.answer.citations
    raw = settings.conversations_db.read_bytes()
    assert b"sk-test-never-stored" not in raw
    turns = ConversationStore(settings.conversations_db).load(1).turns
    assert [t.status for t in turns] == ["failed", "complete"]


async def test_a_saved_conversation_resumes(seed_settings):
    app = NewsQAChat(seed_settings)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        first = (await ask(pilot, QUESTION)).turn.answer
    app = NewsQAChat(seed_settings, resume="last")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await wait_for(
            pilot,
            lambda: app.chat.query(AnswerView) and app.chat.query_one(AnswerView).has_class("done"),
            "the saved answer",
        )
        await pilot.pause()
        assert [t.question for t in app.session.turns] == [QUESTION]
        assert app.chat.query_one(SourcesPanel).citations == first.citations
        assert "chat #1" in rendered(app.chat.query_one(StatusLine))
        view = await ask(pilot, "when was that?")  # the resumed history feeds the follow-up
        assert "Putin" in view.turn.answer.standalone_question
    assert len(ConversationStore(seed_settings.conversations_db).load(1).turns) == 2


async def test_an_empty_store_is_a_notification_and_the_chat_goes_on(tmp_path, embed_cache_dir):
    settings = Settings(store=tmp_path / "empty", data_dir=tmp_path / "data", cache_dir=embed_cache_dir)
    app = NewsQAChat(settings)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: any("empty" in n for n in notifications(app)), "the notification")
        view = await ask(pilot, QUESTION)
        assert view.turn.status == "failed" and "ingest" in view.turn.error
        app.chat.query_one("#prompt").text = "still typing"
        assert app.chat.query_one("#prompt").text == "still typing"


async def test_prompt_history_and_multiline_entry(seed_settings):
    app = NewsQAChat(seed_settings)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await ask(pilot, QUESTION)
        prompt = app.chat.query_one("#prompt")
        await pilot.press("u", "p")
        await pilot.press("up")
        assert prompt.text == QUESTION
        await pilot.press("down")
        assert prompt.text == "up"
        await pilot.press("ctrl+j", "x")
        assert prompt.text == "up\nx"
        assert len(app.session.turns) == 1  # a new line is not a question


async def test_export_and_palette_commands(seed_settings):
    app = NewsQAChat(seed_settings)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await ask(pilot, QUESTION)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {
            "New chat",
            "Conversations",
            "Filters",
            "Engine: extractive",
            "Engine: openai",
            "Model",
            "Export",
            "Help",
        } <= titles
        await pilot.press("ctrl+s")
        exported = seed_settings.data_dir / "exports" / "conversation-1.md"
        await wait_for(pilot, exported.exists, "the export")
        md = exported.read_text()
        assert f"## 1. {QUESTION}" in md and "Sources:" in md and "> " in md
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.session.conversation_id is None and not app.chat.query(AnswerView)


async def test_filters_form_sets_the_filters_and_rejects_bad_dates(seed_settings):
    from tui.screens.forms import FiltersScreen

    app = NewsQAChat(seed_settings)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, FiltersScreen), "the filters form")
        app.screen.query_one("#since").value = "yesterday"
        app.screen.query_one("#since").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FiltersScreen)
        assert "not a date" in rendered(app.screen.query_one("#filters-error"))
        app.screen.query_one("#since").value = "2025-03-01"
        app.screen.query_one("#outlets").value = "RedState, BBC"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is app.chat, "the chat")
        assert app.session.filters.sources == ("RedState", "BBC") and app.session.filters.since_ts is not None
        status = rendered(app.chat.query_one(StatusLine))
        assert "since 2025-03-01" in status and "source RedState, BBC" in status
