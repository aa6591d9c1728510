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
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.cancel_answer", "Cancel answer"),
        Binding("ctrl+n", "app.new_chat", "New chat"),
        Binding("ctrl+o", "app.conversations", "Conversations"),
        Binding("ctrl+t", "app.filters", "Filters"),
        Binding("ctrl+s", "app.export", "Export"),
        Binding("f1", "app.help", "Help"),
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
        self.host.refresh_status()

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
