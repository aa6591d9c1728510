"""Text from articles (and anything saved from them) never reaches the terminal raw."""

from __future__ import annotations

from qa.conversations import ConversationStore
from qa.models import Answer, Citation
from tests.tui.conftest import ready, wait_for
from tui.app import NewsQAChat
from tui.screens.article import highlighted, paragraphs
from tui.widgets.messages import AnswerView

EVIL = "Evil \x1b[31mred\x1b[0m and [bold]loud[/bold] \x1b]0;pwned\x07text\x07 [1]."


def test_article_text_is_stripped_and_highlighted_at_raw_offsets():
    body = "Intro \x1b[31mline.\nThe [bold]quoted\x1b[0m sentence. After."
    start = body.index("The")
    end = body.index(" After")
    (first, second) = paragraphs(body)
    text = highlighted(body, *second, start, end)
    assert "\x1b" not in text.plain and "[bold]" in text.plain
    assert [text.plain[s.start : s.end] for s in text.spans] == ["The [bold]quoted sentence."]
    assert highlighted(body, *first, start, end).plain == "Intro line."


async def test_escapes_and_markup_in_a_saved_answer_render_inert(tmp_path, seed_settings):
    c = Citation(
        n=1,
        doc_id="nope",
        title="Title \x1b[2J[bold]x[/bold]",
        source="Out\x1b[31mlet",
        published_at="2025-03-19",
        url=None,
        quote="q",
        char_start=0,
        char_end=1,
    )
    with ConversationStore(seed_settings.conversations_db) as store:
        cid = store.create("evil")
        store.add_turn(
            cid,
            "q \x1b[31m[red]?",
            Answer(question="q", text=EVIL, answered=True, engine="extractive", citations=[c]),
            "complete",
        )
    app = NewsQAChat(seed_settings, resume="last")
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await wait_for(
            pilot,
            lambda: app.chat.query(AnswerView) and app.chat.query_one(AnswerView).has_class("done"),
            "the saved answer",
        )
        await pilot.pause()
        screen = app.export_screenshot()
    assert "\x1b" not in screen and "pwned" not in screen
    assert "[bold]loud[/bold]" in screen.replace("&#160;", " ")
    assert "Outlet" in screen and "[red]" in screen
