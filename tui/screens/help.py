"""The help screen: what the chat does, and its keys as the bindings declare them.

The key table is built from the ``Binding`` objects themselves (their ``tooltip``, or their
footer description), so the help cannot name a key the chat does not have.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from tui.text import key_label

ABOUT = """\
## What the chat shows

Ask about the articles in your store. Every claim in an answer carries a numbered citation
**[n]**; the *Sources* panel lists the cited articles of the selected answer. Choose a source
(or click a marker) to read the article with the quoted passage highlighted. Sentences the
citation check could not support are marked **⚠ unsupported**.

Follow-up questions keep their context: *"and what did Putin demand?"*, *"when was that?"* are
rewritten into standalone questions (shown as *↳ asked as*) before the search.

Conversations are saved as you go; `newsqa chat --continue` resumes the last one.
"""


def key_rows(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
    """(keys, what they do) per action that has a description, every key bound to it, in order."""
    keys: dict[str, list[str]] = {}
    what: dict[str, str] = {}
    for b in Binding.make_bindings(bindings):
        text = b.tooltip or b.description
        if text and what.setdefault(b.action, text) == text:
            keys.setdefault(b.action, []).append(b.key)
    return [(key_label(",".join(k)), what[action]) for action, k in keys.items()]


def key_table(bindings: Iterable[BindingType]) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=True)
    table.add_column(style="bold", min_width=10, max_width=20)
    table.add_column(ratio=1)
    for keys, what in key_rows(bindings):
        table.add_row(keys, what)
    return table


class HelpScreen(ModalScreen):
    """Dismissed with Esc, F1 or q. ``sections`` are (heading, bindings) pairs."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "app.pop_screen", "Close")]

    def __init__(self, sections: list[tuple[str, Iterable[BindingType]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help") as scroll:
            scroll.border_title = "newsqa chat: keys (Esc closes)"
            for heading, bindings in self.sections:
                yield Static(heading, classes="help-heading")
                yield Static(key_table(bindings), classes="help-keys")
            yield Markdown(ABOUT)
