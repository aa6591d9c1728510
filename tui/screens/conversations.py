"""Saved conversations: pick one to reopen it."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui.text import line


def conversation_label(conv, show_dates: bool = True) -> Text:
    label = Text.assemble((f"#{conv.id} ", "dim"), line(conv.title, "bold"))
    detail = f"{conv.n_turns} question{'s' if conv.n_turns != 1 else ''}"
    if show_dates:
        detail = datetime.fromtimestamp(conv.updated_at).strftime("%Y-%m-%d %H:%M") + " · " + detail
    label.append(f"\n{detail}", style="dim")
    return label


class ConversationsScreen(ModalScreen[int | None]):
    """Dismisses with the chosen conversation's id, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_none", "Close")]

    def __init__(self, conversations: list, show_dates: bool = True) -> None:
        super().__init__()
        self.conversations = conversations
        self.show_dates = show_dates

    def compose(self) -> ComposeResult:
        with Vertical(id="conversations", classes="dialog"):
            yield Label("Saved conversations (Enter opens, Esc closes)")
            options = [Option(conversation_label(c, self.show_dates), id=str(c.id)) for c in self.conversations]
            if not options:
                options = [Option(Text("no saved conversations yet", style="dim italic"), disabled=True)]
            yield OptionList(*options)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:  # the "no saved conversations" line has none
            self.dismiss(int(event.option.id))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
