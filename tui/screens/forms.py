"""Small forms: the search filters (since, until, source) and the chat model's name."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from index.errors import InputError
from qa.models import Filters
from tui.widgets.status import day


class FiltersScreen(ModalScreen[Filters | None]):
    """Dismisses with the new Filters, or None when cancelled.

    A date that does not parse turns its field red and says why under the fields; the dialog stays
    open with that field focused.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, filters: Filters) -> None:
        super().__init__()
        self.filters = filters

    def compose(self) -> ComposeResult:
        f = self.filters
        with Vertical(id="filters", classes="dialog"):
            yield Label("Only articles published…", classes="dialog-title")
            with Grid(classes="fields"):
                yield Label("since", classes="field-label")
                yield Input(day(f.since_ts), placeholder="YYYY-MM-DD", id="since")
                yield Label("until", classes="field-label")
                yield Input(day(f.until_ts), placeholder="YYYY-MM-DD", id="until")
                yield Label("by outlets", classes="field-label")
                yield Input(", ".join(f.sources), placeholder="e.g. BBC, Reuters (comma separated)", id="outlets")
            yield Label("", id="filters-error")
            with Horizontal(classes="buttons"):
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Clear", id="clear")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#since", Input).focus()

    def on_input_submitted(self) -> None:
        self.apply()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.input.remove_class("-invalid")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "apply":
            self.apply()
        elif event.button.id == "clear":
            self.dismiss(Filters())
        else:
            self.dismiss(None)

    def _date(self, field: str, *, end_of_day: bool = False) -> int | None:
        from qa.dates import parse_user_date

        value = self.query_one(f"#{field}", Input).value.strip()
        return parse_user_date(value, field, end_of_day=end_of_day) if value else None

    def apply(self) -> None:
        sources = tuple(s.strip() for s in self.query_one("#outlets", Input).value.split(",") if s.strip())
        field = "since"
        try:
            since = self._date("since")
            field = "until"
            until = self._date("until", end_of_day=True)
            if since is not None and until is not None and since > until:
                raise InputError(f"since {day(since)} is after until {day(until)}")
        except InputError as exc:
            self.query_one("#filters-error", Label).update(str(exc))
            bad = self.query_one(f"#{field}", Input)
            bad.add_class("-invalid")
            bad.focus()
            self.app.bell()
            return
        self.dismiss(Filters(since_ts=since, until_ts=until, sources=sources))

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
