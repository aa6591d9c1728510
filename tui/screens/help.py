"""The help screen: what the chat does and its keys."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# newsqa chat

Ask about the articles in your store. Every claim in an answer carries a numbered citation
**[n]**; the *Sources* panel lists the cited articles of the selected answer. Choose a source
(or click a marker) to read the article with the quoted passage highlighted. Sentences the
citation check could not support are marked **⚠ unsupported**.

Follow-up questions keep their context: *"and what did Putin demand?"*, *"when was that?"* are
rewritten into standalone questions (shown as *↳ asked as*) before the search.

| key | does |
| --- | --- |
| Enter | ask |
| Shift+Enter, Ctrl+J | new line in the question |
| Up / Down | earlier questions |
| Esc | cancel the answer being written |
| Tab / Shift+Tab | move between the question, answers and sources |
| Ctrl+N | new chat |
| Ctrl+O | saved conversations |
| Ctrl+T | filters (since, until, source) |
| Ctrl+E | export this chat to Markdown |
| Ctrl+P | command palette: engine, model, filters, export… |
| F1 | this help |
| Ctrl+Q | quit |

Conversations are saved as you go; `newsqa chat --continue` resumes the last one.
"""


class HelpScreen(ModalScreen):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "app.pop_screen", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(HELP)
