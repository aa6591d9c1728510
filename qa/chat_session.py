"""One chat: its turns, the history follow-ups lean on, and saving each turn as it ends.

The UI drives a session: ``start`` a turn, then exactly one of ``complete`` / ``cancel`` /
``fail``. Only complete turns feed the history that ``NewsQA.ask`` condenses follow-ups with,
and only they are stored as 'complete'.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from index.errors import InputError
from qa.conversations import Conversation, ConversationStore
from qa.export import export_markdown
from qa.models import Answer, Filters

HISTORY_TURNS = 4
"""Complete turns a follow-up may lean on; older ones rarely help and cost condense tokens."""


@dataclass
class Turn:
    question: str
    status: str = "pending"
    """pending | complete | cancelled | failed"""
    answer: Answer | None = None
    partial: str = ""
    """What had streamed when the turn was cancelled or failed."""
    error: str | None = None
    cancel: threading.Event = field(default_factory=threading.Event)
    saved_id: int | None = None

    @property
    def done(self) -> bool:
        return self.status != "pending"


class ChatSession:
    def __init__(self, store: ConversationStore | None = None, conversation: Conversation | None = None):
        self.store = store
        self.conversation_id: int | None = None
        self.title: str | None = None
        self.turns: list[Turn] = []
        self.filters = Filters()
        self.engine: str | None = None
        if conversation is not None:
            self.conversation_id = conversation.id
            self.title = conversation.title
            self.filters = _filters_from(conversation.filters)
            for saved in conversation.turns:
                self.turns.append(
                    Turn(saved.question, saved.status, saved.answer if saved.status == "complete" else None,
                         partial=saved.answer.text if saved.status != "complete" else "", error=saved.error,
                         saved_id=saved.id)
                )  # fmt: skip

    @classmethod
    def resume(cls, store: ConversationStore, conversation_id: int | None = None) -> ChatSession:
        """The saved conversation ``conversation_id`` (default: the last one used)."""
        if conversation_id is None:
            conversation_id = store.last_id()
            if conversation_id is None:
                raise InputError("no saved conversation to continue")
        return cls(store, store.load(conversation_id))

    # -- turns ---------------------------------------------------------------------------------
    @property
    def pending(self) -> Turn | None:
        return next((t for t in self.turns if t.status == "pending"), None)

    def start(self, question: str) -> Turn:
        question = question.strip()
        if not question:
            raise InputError("the question is empty")
        if self.pending is not None:
            raise InputError("an answer is still coming: wait for it or cancel it (Esc)")
        turn = Turn(question)
        self.turns.append(turn)
        return turn

    def history(self, before: Turn | None = None) -> list[Answer]:
        """The answers of the last complete turns (before ``before``), oldest first."""
        turns = self.turns[: self.turns.index(before)] if before is not None and before in self.turns else self.turns
        return [t.answer for t in turns if t.status == "complete" and t.answer is not None][-HISTORY_TURNS:]

    def complete(self, turn: Turn, answer: Answer) -> None:
        if turn.done:  # cancelled while the worker was finishing: the late answer is dropped
            return
        turn.status, turn.answer = "complete", answer
        self._save(turn)

    def cancel(self, turn: Turn, partial: str = "") -> None:
        turn.cancel.set()
        if turn.done:
            return
        turn.status, turn.partial = "cancelled", partial
        self._save(turn)

    def fail(self, turn: Turn, error: str, partial: str = "") -> None:
        if turn.done:
            return
        turn.status, turn.error, turn.partial = "failed", error, partial
        self._save(turn)

    def _save(self, turn: Turn) -> None:
        if self.store is None:
            return
        if self.conversation_id is None:
            self.title = turn.question
            self.conversation_id = self.store.create(turn.question, _filters_dict(self.filters))
        turn.saved_id = self.store.add_turn(
            self.conversation_id, turn.question, turn.answer, turn.status, error=turn.error, partial_text=turn.partial
        )

    # -- the whole conversation ----------------------------------------------------------------
    def export_markdown(self, with_dates: bool = True) -> str:
        if self.store is None or self.conversation_id is None:
            raise InputError("nothing to export yet: ask a question first")
        return export_markdown(self.store.load(self.conversation_id), with_dates=with_dates)


def _filters_dict(f: Filters) -> dict:
    return {"since_ts": f.since_ts, "until_ts": f.until_ts, "sources": list(f.sources)}


def _filters_from(d: dict) -> Filters:
    return Filters(since_ts=d.get("since_ts"), until_ts=d.get("until_ts"), sources=tuple(d.get("sources") or ()))
