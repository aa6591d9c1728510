"""Output for people: dates as "19 Mar 2025", counts with the right plural, text wrapped to the
terminal at spaces only (a word, a quote's word or a URL is never cut in two).

Paragraphs are wrapped by ``textwrap``; words are measured in characters, so a run of wide
(CJK) characters may still overflow and be wrapped by the terminal. A streamed answer cannot be
handed to ``textwrap`` (it arrives a few characters at a time), so ``StreamWrapper`` places each
word as soon as it is complete: the little bookkeeping of a column is all it does.
"""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Callable
from datetime import datetime

from qa.terminal import one_line, safe

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def human_date(value: str | None) -> str:
    """``2023-10-06T20:17:00Z`` as ``6 Oct 2023``; ``2025-03`` as ``Mar 2025``; ``2025`` as is.
    Anything else is shown as given (one line): the reader still learns something."""
    text = one_line(value)
    if not text:
        return ""
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        parts = text.split("-")
        if len(parts) == 2 and parts[0].isdigit() and len(parts[0]) == 4 and parts[1].isdigit():
            month = int(parts[1])
            if 1 <= month <= 12:
                return f"{_MONTHS[month - 1]} {parts[0]}"
        return text
    return f"{when.day} {_MONTHS[when.month - 1]} {when.year}"


def human_time(ts: float) -> str:
    """Unix seconds as local time, the way a log is read: ``2 Dec 2026 13:40``."""
    when = datetime.fromtimestamp(ts)
    return f"{when.day} {_MONTHS[when.month - 1]} {when.year} {when:%H:%M}"


def plural(n: int, word: str, words: str | None = None) -> str:
    """``1 article``, ``2 articles``, ``0 articles`` (``words`` for an irregular plural)."""
    return f"{n:,} {word if n == 1 else words or word + 's'}"


def output_width(stream=None) -> int | None:
    """Columns to wrap to: ``COLUMNS`` when set (as a shell sets it for its children), else the
    terminal's width; None when writing to a pipe or file (the reader's program wraps, if it wants)."""
    stream = stream if stream is not None else sys.stdout
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        if stream.isatty():
            return os.get_terminal_size(stream.fileno()).columns or None
    except (OSError, ValueError, AttributeError):
        pass
    return None


def wrap(text: str, width: int | None, indent: str = "", hanging: str | None = None) -> list[str]:
    """``text`` (made safe, and each of its paragraphs wrapped) as lines of at most ``width``
    columns where the words allow; ``indent`` starts the first line, ``hanging`` the others."""
    hanging = indent if hanging is None else hanging
    lines: list[str] = []
    for paragraph in safe(text).split("\n"):
        if not paragraph.strip():
            lines.append("")
            continue
        if width is None:
            lines.append(indent + " ".join(paragraph.split()))
        else:
            lines += textwrap.wrap(
                paragraph,
                width=max(width, len(indent) + 1, len(hanging) + 1),
                initial_indent=indent,
                subsequent_indent=hanging,
                break_long_words=False,
                break_on_hyphens=False,
            )
        indent = hanging
    return lines


class StreamWrapper:
    """Writes streamed text wrapped at ``width``: each word goes out once it is complete."""

    def __init__(self, write: Callable[[str], object], width: int | None):
        self.write = write
        self.width = width
        self.column = 0
        self.word = ""
        self.text: list[str] = []
        """Everything received, as received."""

    def feed(self, piece: str) -> None:
        self.text.append(piece)
        for ch in safe(piece):
            if ch == "\n":
                self._place_word()
                self.write("\n")
                self.column = 0
            elif ch.isspace():
                self._place_word()
            else:
                self.word += ch

    def finish(self) -> None:
        self._place_word()
        if self.column:
            self.write("\n")
            self.column = 0

    def _place_word(self) -> None:
        if not self.word:
            return
        gap = 1 if self.column else 0
        if self.width is not None and self.column and self.column + gap + len(self.word) > self.width:
            self.write("\n")
            self.column, gap = 0, 0
        self.write(" " * gap + self.word)
        self.column += gap + len(self.word)
        self.word = ""
