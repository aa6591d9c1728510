"""The chat's keys, dialogs and focus at the sizes people use (80x24, 160x48), through the Pilot:
the help names the keys that work, the footer fits, the filters dialog is whole and says what is
wrong, focus comes back to the question box, and every number of a grouped marker opens its source."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from rich.console import Console
from textual.widgets import Button, Footer, Input, Label
from textual.widgets._footer import FooterKey
from textual.widgets._toast import Toast

from qa.models import Answer
from tests.qa.chat_stub_server import ChatStubServer
from tests.tui.conftest import QUOTE, ask, links_on_screen, ready, save_conversation, screen_lines, wait_for
from tui.app import NewsQAChat
from tui.screens.article import ArticleScreen
from tui.screens.forms import FiltersScreen
from tui.screens.help import HelpScreen
from tui.widgets.messages import AnswerView
from tui.widgets.prompt import PromptInput
from tui.widgets.sources import SourcesPanel

QUESTION = "What are Putin's conditions for a ceasefire?"
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]


def inside(screen, widget) -> bool:
    return widget.region.width > 0 and screen.region.contains_region(widget.region)


async def test_help_names_the_keys_that_work(seed_settings):
    app = NewsQAChat(seed_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await ask(pilot, QUESTION)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        await pilot.pause(0.1)
        console = Console(width=100, color_system=None)
        with console.capture() as capture:
            for w in app.screen.query(".help-keys"):
                console.print(w.content)
        text = capture.get()
        assert "Ctrl+E" not in text
        (export_row,) = [row for row in text.splitlines() if "to Markdown" in row]
        key = export_row.split()[0]
        assert key == "Ctrl+S"
        for needed in ("Enter", "Ctrl+N", "Ctrl+O", "Ctrl+T", "Ctrl+P", "Ctrl+Q", "F1", "Esc"):
            assert needed in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.chat, "the chat")
        await pilot.press(key.lower())  # the key the help names does what it says
        exported = seed_settings.data_dir / "exports" / "conversation-1.md"
        await wait_for(pilot, exported.exists, "the export")


@pytest.mark.parametrize("size", SIZES)
async def test_the_footer_shows_every_key_and_f1(seed_settings, size):
    with ChatStubServer(token_delay=0.3) as srv:
        settings = seed_settings.model_copy(update={"openai_base_url": srv.base_url, "engine": "openai"})
        app = NewsQAChat(settings)
        async with app.run_test(size=size) as pilot:
            await ready(pilot)

            def footer_keys() -> dict[str, FooterKey]:
                return {k.key: k for k in app.chat.query_one(Footer).query(FooterKey)}

            await wait_for(pilot, lambda: "f1" in footer_keys(), "the footer")
            keys = footer_keys()
            assert {"f1", "ctrl+n", "ctrl+o", "ctrl+t", "ctrl+s", "ctrl+p"} <= set(keys)
            assert "escape" not in keys  # nothing to cancel yet
            for key in keys.values():
                assert inside(app.screen, key), f"{key.key} is cut off at {size}"
            app.chat.query_one(PromptInput).text = QUESTION
            await pilot.press("enter")
            await wait_for(pilot, lambda: "escape" in footer_keys(), "Esc in the footer while answering")
            await pilot.pause(0.1)
            for key in footer_keys().values():
                assert inside(app.screen, key), f"{key.key} is cut off at {size} while answering"
            assert "f1 Help" in screen_lines(app)[-1]
            await pilot.press("escape")
            await wait_for(pilot, lambda: "escape" not in footer_keys(), "Esc gone once cancelled")


@pytest.mark.parametrize("size", SIZES)
async def test_the_filters_dialog_is_whole_and_says_what_is_wrong(seed_settings, size):
    app = NewsQAChat(seed_settings)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, FiltersScreen), "the filters dialog")
        await pilot.pause(0.1)
        dialog = app.screen
        assert not dialog.query("#sources")  # would take the Sources panel's style
        box = dialog.query_one("#filters")
        assert box.region.width >= 40 and box.region.height < size[1]
        for widget in [*dialog.query(Input), *dialog.query(Button), dialog.query_one("#filters-error")]:
            assert inside(dialog, widget), f"{widget} is off-screen at {size}"
        assert app.focused is dialog.query_one("#since")
        await pilot.press(*"2025-13-01", "enter")
        await pilot.pause(0.1)
        error = dialog.query_one("#filters-error", Label)
        assert isinstance(app.screen, FiltersScreen)
        assert "not a date" in str(error.render()) and inside(dialog, error)
        assert dialog.query_one("#since").has_class("-invalid") and app.focused is dialog.query_one("#since")
        assert "not a date" in "\n".join(screen_lines(app))  # drawn, not just set
        app.focused.value = "2025-03-01"
        dialog.query_one("#until", Input).value = "2025-02-01"
        await pilot.click("#apply")
        await pilot.pause(0.1)
        assert "is after" in str(error.render()) and app.focused is dialog.query_one("#until")
        dialog.query_one("#until", Input).value = ""
        dialog.query_one("#outlets", Input).value = "RedState"
        await pilot.click("#apply")
        await wait_for(pilot, lambda: app.screen is app.chat, "the chat")
        assert app.session.filters.sources == ("RedState",) and app.session.filters.since_ts is not None
        assert app.focused is app.chat.query_one(PromptInput)  # focus comes back to the question box


async def test_focus_returns_to_the_prompt_after_an_article(seed_settings):
    app = NewsQAChat(seed_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await ask(pilot, QUESTION)
        panel = app.chat.query_one(SourcesPanel)
        panel.focus()
        panel.highlighted = 0
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ArticleScreen), "the article")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.chat, "the chat")
        await pilot.pause()
        prompt = app.chat.query_one(PromptInput)
        assert app.focused is prompt
        await pilot.press(*"and when", "enter")  # typed into the question box, Enter asks it
        await wait_for(pilot, lambda: len(app.session.turns) == 2, "the next question")
        assert app.session.turns[-1].question == "and when"
        assert not isinstance(app.screen, ArticleScreen)


async def test_every_number_of_a_grouped_marker_opens_its_source(seed_settings, seed_citations):
    answer = Answer(question=QUESTION, text=f"{QUOTE} [1, 2]", answered=True, engine="extractive",
                    citations=seed_citations)  # fmt: skip
    save_conversation(seed_settings, [answer])
    app = NewsQAChat(seed_settings, resume="last")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: app.chat.query(AnswerView) and app.chat.query_one(AnswerView).has_class("done"),
                       "the saved answer")  # fmt: skip
        await pilot.pause(0.1)
        view = app.chat.query_one(AnswerView)
        assert "[1, 2]" in "\n".join(screen_lines(app))  # still reads as one marker
        links = links_on_screen(app, view.region)
        assert set(links) == {"link('cite:1')", "link('cite:2')"}
        for n, citation in enumerate(seed_citations, start=1):
            x, y = links[f"link('cite:{n}')"][0]
            await pilot.click(offset=(x, y))
            await wait_for(pilot, lambda: isinstance(app.screen, ArticleScreen), f"the article of [{n}]")
            assert app.screen.citation == citation
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is app.chat, "the chat")


async def test_the_export_notification_shows_the_whole_path_at_80_columns(seed_settings, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # the data dir is under it, as ~/.local/share is
    app = NewsQAChat(seed_settings)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ready(pilot)
        await ask(pilot, QUESTION)
        await pilot.press("ctrl+s")
        exported = seed_settings.data_dir / "exports" / "conversation-1.md"
        await wait_for(pilot, lambda: app.screen.query(Toast), "the notification")
        await pilot.pause(0.1)
        (toast,) = app.screen.query(Toast)
        assert inside(app.screen, toast)
        shown = [toast.render_line(y).text.strip() for y in range(toast.region.height)]
        assert any(f"~/{exported.relative_to(tmp_path)}" in row for row in shown)  # whole, on one line


def test_chat_with_a_missing_conversation_is_one_line(seed_settings):
    env = {k: v for k, v in os.environ.items() if k != "TERM"}
    done = subprocess.run(
        [sys.executable, "-m", "qa.cli", "chat", "--conversation", "99", "--store", str(seed_settings.store)],
        check=False, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL, env=env,
        cwd=os.getcwd(),
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == ["error: no saved conversation 99 (`newsqa chat --list` lists them)"]
