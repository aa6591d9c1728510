"""The question box: Enter asks, Shift+Enter / Ctrl+J adds a line, Up/Down walk earlier questions."""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import TextArea

NEWLINE_KEYS = ("shift+enter", "ctrl+j", "alt+enter")


class PromptInput(TextArea):
    class Submitted(Message):
        def __init__(self, prompt: PromptInput, text: str) -> None:
            super().__init__()
            self.prompt = prompt
            self.text = text

    def __init__(self, history: list[str] | None = None, **kwargs) -> None:
        super().__init__(soft_wrap=True, show_line_numbers=False, tab_behavior="focus", **kwargs)
        self.asked: list[str] = list(history or [])
        self._position = len(self.asked)
        self._draft = ""

    def remember(self, question: str) -> None:
        if question and (not self.asked or self.asked[-1] != question):
            self.asked.append(question)
        self._position = len(self.asked)
        self._draft = ""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.prevent_default()
            event.stop()
            text = self.text.strip()
            if text:
                self.post_message(self.Submitted(self, text))
            return
        if event.key in NEWLINE_KEYS:
            event.prevent_default()
            event.stop()
            self.insert("\n")
            return
        # Up on the first line / Down on the last walk the history; elsewhere they move the cursor.
        row = self.cursor_location[0]
        if event.key == "up" and row == 0 and self.asked:
            event.prevent_default()
            event.stop()
            self._walk(-1)
            return
        if event.key == "down" and row == self.document.line_count - 1 and self._position < len(self.asked):
            event.prevent_default()
            event.stop()
            self._walk(1)
            return
        await super()._on_key(event)

    def _walk(self, step: int) -> None:
        if self._position == len(self.asked):
            self._draft = self.text
        self._position = max(0, min(len(self.asked), self._position + step))
        self.text = self._draft if self._position == len(self.asked) else self.asked[self._position]
        self.move_cursor(self.document.end)
