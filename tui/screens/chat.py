"""The main screen: the conversation, the sources of the selected answer, the question box."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.widgets.messages import AnswerView, QuestionView
from tui.widgets.prompt import PromptInput
from tui.widgets.sources import SourcesPanel
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from qa.models import Citation


class ChatHost(Protocol):
    """What this screen asks of the app that shows it (tui/app.py, which imports this module)."""

    def refresh_status(self) -> None: ...

    def ask(self, text: str) -> None: ...

    def open_citation(self, citation: Citation) -> None: ...


WELCOME = "Ask about your news: every claim comes with a numbered source. F1 for help."


class ChatScreen(Screen):
    # Footer descriptions are short so that every key fits in 80 columns; the help shows the tooltips.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "app.help", "Help", tooltip="this help"),
        # Shown only while an answer is being written; otherwise Esc goes back to the question box.
        Binding(
            "escape",
            "app.cancel_answer",
            "Cancel",
            tooltip="cancel the answer being written (otherwise: back to the question box)",
        ),
        Binding("escape", "focus_prompt", show=False),
        Binding("ctrl+n", "app.new_chat", "New chat", tooltip="new chat"),
        Binding("ctrl+o", "app.conversations", "Chats", tooltip="saved conversations: reopen, rename or delete one"),
        Binding("ctrl+t", "app.filters", "Filters", tooltip="filters: since, until, outlets"),
        Binding("ctrl+s", "app.export", "Export", tooltip="export this chat to Markdown"),
    ]

    def __init__(self, history: list[str]) -> None:
        super().__init__()
        self._history = history

    @property
    def host(self) -> ChatHost:
        return cast("ChatHost", self.app)

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with VerticalScroll(id="log"):
                yield Static(WELCOME, id="welcome")
            yield SourcesPanel(id="sources")
        yield PromptInput(history=self._history, id="prompt", placeholder="Ask a question (Enter)")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#sources", SourcesPanel).show([])
        self.query_one(PromptInput).focus()

    def on_screen_resume(self) -> None:
        # Back from an article, a dialog or the help: the next keys typed belong to the question
        # box (left on the Sources panel, Enter would reopen the article and typing would be lost).
        self.action_focus_prompt()
        self.host.refresh_status()

    def action_focus_prompt(self) -> None:
        self.query_one(PromptInput).focus()

    @property
    def log_view(self) -> VerticalScroll:
        return self.query_one("#log", VerticalScroll)

    async def add_turn(self, turn) -> AnswerView:
        view = AnswerView(turn, classes="answer")
        await self.log_view.mount_all([QuestionView(turn.question, classes="question"), view])
        self.log_view.scroll_end(animate=False)
        return view

    async def clear_log(self) -> None:
        await self.log_view.remove_children()
        self.query_one("#sources", SourcesPanel).show([])

    def select(self, view: AnswerView) -> None:
        self.query_one("#sources", SourcesPanel).show(view.citations)

    def on_answer_view_selected(self, message: AnswerView.Selected) -> None:
        self.select(message.view)
        if not message.view.has_focus:  # a newly finished answer: keep the latest one in view
            self.log_view.scroll_end(animate=False)

    def on_prompt_input_submitted(self, message: PromptInput.Submitted) -> None:
        self.host.ask(message.text)

    def on_sources_panel_open(self, message: SourcesPanel.Open) -> None:
        self.host.open_citation(message.citation)

    def on_answer_view_citation_clicked(self, message: AnswerView.CitationClicked) -> None:
        self.select(message.view)
        found = [c for c in message.view.citations if c.n == message.n]
        if found:
            self.host.open_citation(found[0])
