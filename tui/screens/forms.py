"""Small forms: the search filters (since, until, source) and the chat model's name."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option

from index.errors import InputError
from qa.models import Filters
from tui.text import line
from tui.widgets.status import day


class FiltersScreen(ModalScreen[Filters | None]):
    """Dismisses with the new Filters, or None when cancelled.

    A date that does not parse turns its field red and says why under the fields; the dialog stays
    open with that field focused.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    AUTO_FOCUS = "#since"

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
    """The openai engine's chat model: one of those the server lists (GET /v1/models, read in a
    worker so the dialog opens at once), or any name typed. Dismisses with it, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    AUTO_FOCUS = "#model-name"

    def __init__(self, model: str, settings=None) -> None:
        super().__init__()
        self.model = model
        self.settings = settings

    def compose(self) -> ComposeResult:
        with Vertical(id="model", classes="dialog"):
            yield Label("Chat model of the openai engine (Enter picks; or type a name below)")
            yield Label("asking the server for its models…", id="models-status")
            models = OptionList(id="models")
            models.display = False  # until the server answers
            yield models
            yield Input(self.model, placeholder="model name", id="model-name")

    def on_mount(self) -> None:
        if self.settings is not None:
            self.load_models()

    @work(thread=True, exit_on_error=False)
    def load_models(self) -> None:
        from index.errors import NewsQAError
        from qa.llm_models import list_models

        try:
            models = list_models(self.settings)
        except NewsQAError as exc:
            self.app.call_from_thread(self.show_models, [], str(exc))
        else:
            self.app.call_from_thread(self.show_models, models, None)

    def show_models(self, models: list[str], error: str | None) -> None:
        status = self.query_one("#models-status", Label)
        if error is not None:
            status.update(Text(error, style="red"))
            return
        if not models:
            status.update("the server lists no models: type a name")
            return
        status.display = False
        options = self.query_one("#models", OptionList)
        options.add_options([Option(line(m), id=m) for m in models])
        options.display = True
        options.highlighted = models.index(self.model) if self.model in models else 0
        self.call_after_refresh(options.focus)  # shown this refresh, focusable after it

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
