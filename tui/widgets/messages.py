"""A question and its answer in the chat log.

The answer streams into a Markdown view token by token; when the checked answer arrives it
replaces the stream, its [n] markers become links to the sources, and the sentences the
citation check found no support for are marked.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.widgets import Markdown

from qa.terminal import safe
from tui.text import line, plain

UNSUPPORTED_MARK = " **⚠ unsupported**"
STREAM_REFRESH_S = 0.05


def marker_links(marker: re.Match) -> str:
    """``[1]`` -> one ``cite:1`` link; a group ``[1, 2]`` -> a link per number, shown as ``[1, 2]``."""
    numbers = [n.strip() for n in marker.group(1).split(",")]
    shown = list(numbers)
    shown[0] = "\\[" + shown[0]
    shown[-1] += "\\]"
    links = [f"[{label}](cite:{n})" for label, n in zip(shown, numbers, strict=True)]
    return ", ".join(links)


def answer_markdown(text: str, unsupported: list[int] | tuple[int, ...] = ()) -> str:
    """The answer as Markdown: markers as ``cite:n`` links, unsupported sentences flagged."""
    from index.sentences import split_sentences
    from qa.citecheck import MARKER  # lazily: it imports the embedder

    text = safe(text)
    if unsupported:
        spans = [(a, b) for a, b in split_sentences(text) if MARKER.sub("", text[a:b]).strip()]
        flagged = {i for i in unsupported if 0 <= i < len(spans)}
        out, last = [], 0
        for i, (_a, b) in enumerate(spans):
            if i in flagged:
                out.append(text[last:b] + UNSUPPORTED_MARK)
                last = b
        text = "".join(out) + text[last:]
    return MARKER.sub(marker_links, text)


class QuestionView(Static):
    def __init__(self, question: str, **kwargs) -> None:
        super().__init__(Text.assemble(("› ", "bold"), plain(question)), **kwargs)


class AnswerView(Vertical, can_focus=True):
    """One answer; focused, it is the one whose sources the panel lists."""

    class Token(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Selected(Message):
        def __init__(self, view: AnswerView) -> None:
            super().__init__()
            self.view = view

    class Finished(Message):
        """The turn ended: with its checked answer, or (None) cancelled or failed."""

        def __init__(self, answer=None) -> None:
            super().__init__()
            self.answer = answer

    class CitationClicked(Message):
        def __init__(self, view: AnswerView, n: int) -> None:
            super().__init__()
            self.view = view
            self.n = n

    def __init__(self, turn, **kwargs) -> None:
        super().__init__(**kwargs)
        self.turn = turn
        self.streamed = ""
        self.finished = False
        self._flush_due = False

    @property
    def citations(self) -> list:
        answer = self.turn.answer
        return list(answer.citations) if answer is not None else []

    def _body(self) -> Markdown:
        return cast("Markdown", self.query_one(".body"))

    def compose(self) -> ComposeResult:
        # Imported here, not at the top: markdown-it and pygments cost ~0.1 s before the first paint.
        from textual.widgets import Markdown

        yield Static("", classes="standalone")
        yield Markdown("", open_links=False, classes="body")
        yield Static(Text("thinking… (Esc cancels)", style="italic"), classes="meta")

    def on_mount(self) -> None:
        self.query_one(".standalone", Static).display = False
        if self.turn.done:  # a saved turn, shown again
            self.post_message(self.Finished(self.turn.answer if self.turn.status == "complete" else None))

    def on_focus(self) -> None:
        self.post_message(self.Selected(self))

    async def on_answer_view_token(self, message: Token) -> None:
        # Tokens are batched: the body is re-rendered at most every STREAM_REFRESH_S.
        message.stop()
        if self.finished:
            return
        if not self.streamed:
            self.query_one(".meta", Static).update(Text("writing… (Esc cancels)", style="italic"))
        self.streamed += message.text
        if not self._flush_due:
            self._flush_due = True
            self.set_timer(STREAM_REFRESH_S, self._flush)

    async def _flush(self) -> None:
        self._flush_due = False
        if not self.finished:
            await self._body().update(safe(self.streamed))

    async def on_answer_view_finished(self, message: Finished) -> None:
        # Posted to this widget after its tokens, so it is handled after every one of them.
        message.stop()
        self.finished = True
        if message.answer is not None:
            await self.show_answer(message.answer)
        else:
            await self.show_stopped()
        self.post_message(self.Selected(self))

    async def show_answer(self, answer) -> None:
        if answer.standalone_question:
            standalone = self.query_one(".standalone", Static)
            standalone.update(Text.assemble(("↳ asked as: ", "dim"), plain(answer.standalone_question, "dim italic")))
            standalone.display = True
        await self._body().update(answer_markdown(answer.text, answer.unsupported_sentences))
        meta = Text(answer.engine or "", style="dim")
        if answer.model and answer.engine == "openai":
            meta.append(f" · {safe(answer.model)}", style="dim")
        if answer.citations:
            meta.append(f" · {len(answer.citations)} source{'s' if len(answer.citations) != 1 else ''}", style="dim")
        if not answer.answered:
            meta.append(" · not answered", style="yellow")
        for i in answer.unsupported_sentences:
            if i < len(answer.sentences):
                # Why the check could not support it, under the answer (the body marks where).
                unsupported = answer.sentences[i]
                meta.append("\n⚠ unsupported: ", style="yellow")
                meta.append_text(line(f"\u201c{unsupported.text}\u201d \u2014 {unsupported.reason}", "yellow"))
        for w in answer.warnings:
            meta.append("\n⚠ ", style="yellow")
            meta.append_text(line(w, "yellow"))
        self.query_one(".meta", Static).update(meta)
        self.add_class("done")

    async def show_stopped(self) -> None:
        """A cancelled or failed turn: what had streamed stays, clearly not a complete answer."""
        partial = self.streamed or self.turn.partial
        if partial:
            await self._body().update(safe(partial))
        else:
            self.query_one(".body").display = False
        if self.turn.status == "cancelled":
            note = Text("✗ cancelled", style="bold yellow")
        else:
            note = Text("✗ failed: ", style="bold red")
            note.append_text(line(self.turn.error, "red"))
        self.query_one(".meta", Static).update(note)
        self.add_class("done")

    def on_markdown_link_clicked(self, event) -> None:
        event.stop()
        if event.href.startswith("cite:") and event.href[5:].isdigit():
            self.post_message(self.CitationClicked(self, int(event.href[5:])))
