"""Small forms: the search filters (since, until, source) and the chat model's name."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from index.errors import InputError
from qa.models import Filters
from tui.widgets.status import day


class FiltersScreen(ModalScreen[Filters | None]):
    """Dismisses with the new Filters, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, filters: Filters) -> None:
        super().__init__()
        self.filters = filters

    def compose(self) -> ComposeResult:
        f = self.filters
        with Vertical(id="filters", classes="dialog"):
            yield Label("Only articles published…")
            yield Input(day(f.since_ts), placeholder="since YYYY-MM-DD", id="since")
            yield Input(day(f.until_ts), placeholder="until YYYY-MM-DD", id="until")
            yield Input(", ".join(f.sources), placeholder="by outlets (comma separated)", id="sources")
            yield Label("", id="filters-error")
            with Horizontal(classes="buttons"):
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Clear", id="clear")
                yield Button("Cancel", id="cancel")

    def on_input_submitted(self) -> None:
        self.apply()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "apply":
            self.apply()
        elif event.button.id == "clear":
            self.dismiss(Filters())
        else:
            self.dismiss(None)

    def apply(self) -> None:
        from qa.dates import parse_user_date

        since = self.query_one("#since", Input).value.strip()
        until = self.query_one("#until", Input).value.strip()
        sources = tuple(s.strip() for s in self.query_one("#sources", Input).value.split(",") if s.strip())
        try:
            filters = Filters(
                since_ts=parse_user_date(since, "since") if since else None,
                until_ts=parse_user_date(until, "until", end_of_day=True) if until else None,
                sources=sources,
            )
        except InputError as exc:
            self.query_one("#filters-error", Label).update(str(exc))
            return
        self.dismiss(filters)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ModelScreen(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, model: str) -> None:
        super().__init__()
        self.model = model

    def compose(self) -> ComposeResult:
        with Vertical(id="model", classes="dialog"):
            yield Label("Chat model of the openai engine (Enter sets it)")
            yield Input(self.model, id="model-name")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
