"""The one small interface every answer engine implements."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Protocol

from qa.models import Answer, Hit, Query

TokenCallback = Callable[[str], None]


class Engine(Protocol):
    name: str

    def answer(
        self,
        query: Query,
        hits: Sequence[Hit],
        *,
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> Answer:
        """Answer ``query`` (the question as read once: its text, outlets, dates, names) from
        ``hits`` only; every claim cites a hit's article.

        ``on_token`` receives text as it is generated (streaming engines); ``cancel``, when set,
        stops generation and raises ``Cancelled``.
        """
        ...


class Cancelled(Exception):
    """The user cancelled an answer in flight; it must not be saved as complete."""
