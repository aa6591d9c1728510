"""The question box: Enter asks, Shift+Enter / Ctrl+J adds a line, Up/Down walk earlier questions.

The keys are declared as BINDINGS (the help and the palette read them) and run from the box's
own key handler, in the order they were typed: a TextArea would otherwise take Enter as a new
line before any binding saw it, and a priority binding would run Enter ahead of the characters
typed just before it (a fast typist or a paste would lose the end of the question).
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import TextArea


class PromptInput(TextArea):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Ask", tooltip="ask the question", show=False),
        Binding(
            "shift+enter,ctrl+j,alt+enter",
            "newline",
            "New line",
            tooltip="new line in the question",
            show=False,
        ),
        Binding("up", "history(-1)", "Earlier", tooltip="earlier questions (on the first line)", show=False),
        Binding("down", "history(1)", "Later", tooltip="later questions (on the last line)", show=False),
    ]

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

    async def _on_key(self, event: events.Key) -> None:
        action = _OWN_KEYS.get(event.key)
        if action is None:
            await super()._on_key(event)
            return
        event.prevent_default()
        event.stop()
        await self.run_action(action)

    def remember(self, question: str) -> None:
        if question and (not self.asked or self.asked[-1] != question):
            self.asked.append(question)
        self._position = len(self.asked)
        self._draft = ""

    def action_submit(self) -> None:
        text = self.text.strip()
        if text:
            self.post_message(self.Submitted(self, text))

    def action_newline(self) -> None:
        self.insert("\n")

    def action_history(self, step: int) -> None:
        # Up on the first line / Down on the last walk the history; elsewhere they move the cursor.
        row = self.cursor_location[0]
        if step < 0 and row == 0 and self.asked:
            self._walk(-1)
        elif step > 0 and row == self.document.line_count - 1 and self._position < len(self.asked):
            self._walk(1)
        elif step < 0:
            self.action_cursor_up()
        else:
            self.action_cursor_down()

    def _walk(self, step: int) -> None:
        if self._position == len(self.asked):
            self._draft = self.text
        self._position = max(0, min(len(self.asked), self._position + step))
        self.text = self._draft if self._position == len(self.asked) else self.asked[self._position]
        self.move_cursor(self.document.end)


_OWN_KEYS = {b.key: b.action for b in Binding.make_bindings(PromptInput.BINDINGS)}
