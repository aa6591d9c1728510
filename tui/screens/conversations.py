"""Saved conversations: reopen one, rename it, or delete it (after a confirmation)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option

from index.errors import NewsQAError
from tui.text import line

if TYPE_CHECKING:
    from qa.conversations import Conversation, ConversationStore


def conversation_label(conv, show_dates: bool = True) -> Text:
    label = Text.assemble((f"#{conv.id} ", "dim"), line(conv.title, "bold"))
    detail = f"{conv.n_turns} question{'s' if conv.n_turns != 1 else ''}"
    if show_dates:
        detail = datetime.fromtimestamp(conv.updated_at).strftime("%Y-%m-%d %H:%M") + " · " + detail
    label.append(f"\n{detail}", style="dim")
    return label


class ConversationsScreen(ModalScreen[int | None]):
    """Dismisses with the chosen conversation's id, or None. Posts ``Deleted`` for each one deleted."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "rename", "Rename", tooltip="rename the highlighted conversation"),
        Binding("d,delete", "delete", "Delete", tooltip="delete the highlighted conversation (asks first)"),
        Binding("escape", "dismiss_none", "Close", tooltip="close the list"),
    ]

    class Deleted(Message):
        def __init__(self, conversation_id: int) -> None:
            super().__init__()
            self.conversation_id = conversation_id

    def __init__(self, conversations: list, show_dates: bool = True, store: ConversationStore | None = None) -> None:
        super().__init__()
        self.conversations: list[Conversation] = list(conversations)
        self.show_dates = show_dates
        self.store = store

    def compose(self) -> ComposeResult:
        with Vertical(id="conversations", classes="dialog"):
            yield Label("Saved conversations (Enter opens, r renames, d deletes, Esc closes)")
            yield OptionList()

    def on_mount(self) -> None:
        self._show()

    def _show(self, keep: int | None = None) -> None:
        options = self.query_one(OptionList)
        at = options.highlighted or 0
        options.clear_options()
        if not self.conversations:
            options.add_option(Option(Text("no saved conversations yet", style="dim italic"), disabled=True))
            return
        options.add_options([Option(conversation_label(c, self.show_dates), id=str(c.id)) for c in self.conversations])
        ids = [c.id for c in self.conversations]
        options.highlighted = ids.index(keep) if keep in ids else min(at, len(ids) - 1)

    def _highlighted(self) -> Conversation | None:
        at = self.query_one(OptionList).highlighted
        if at is None or self.store is None or at >= len(self.conversations):
            return None
        return self.conversations[at]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(int(event.option.id))

    def action_rename(self) -> None:
        conv = self._highlighted()
        if conv is None:
            return

        def rename(title: str | None) -> None:
            if not title or self.store is None:
                return
            try:
                conv.title = self.store.rename(conv.id, title)
            except NewsQAError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self._show(keep=conv.id)

        self.app.push_screen(TextScreen(f"New title of conversation #{conv.id} (Enter saves, Esc cancels)", conv.title),
                             rename)  # fmt: skip

    def action_delete(self) -> None:
        conv = self._highlighted()
        if conv is None:
            return

        def delete(sure: bool | None) -> None:
            if not sure or self.store is None:
                return
            try:
                self.store.delete(conv.id)
            except NewsQAError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.conversations.remove(conv)
            self._show()
            self.post_message(self.Deleted(conv.id))

        question = Text.assemble(f"Delete conversation #{conv.id} ", line(conv.title, "bold"),
                                 f" and its {conv.n_turns} answer{'s' if conv.n_turns != 1 else ''}?")  # fmt: skip
        self.app.push_screen(ConfirmScreen(question), delete)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class TextScreen(ModalScreen[str | None]):
    """One line of text: dismisses with it (stripped) on Enter, or None on Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, prompt: str, value: str = "") -> None:
        super().__init__()
        self.prompt = prompt
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.prompt)
            yield Input(self.value, id="text")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question: y or the Delete button confirms; n, Esc or Cancel does not."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: Text) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question)
            with Horizontal(classes="buttons"):
                yield Button("Delete", variant="error", id="yes")
                yield Button("Cancel", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
