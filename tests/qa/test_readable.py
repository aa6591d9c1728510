"""Output for people: dates, plurals, wrapping at spaces only, a stream wrapped as it arrives."""

from __future__ import annotations

import random

import pytest

from qa.readable import StreamWrapper, human_date, plural, wrap

QUOTE = (
    "From the Kremlin's side, Putin's conditions for a ceasefire encompass several critical demands, "
    "see https://example.org/a/very/long/path/that/no/terminal/line/can/hold/in/forty/columns and "
    "an acknowledgment crucial for Moscow's strategic security interests."
)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2023-10-06T20:17:00Z", "6 Oct 2023"),
        ("2025-03-19", "19 Mar 2025"),
        ("2025-03-19T00:03:00", "19 Mar 2025"),
        ("2025-03-19T23:30:00-05:00", "19 Mar 2025"),  # the day the outlet dated it, not UTC's
        ("2025-03", "Mar 2025"),
        ("2025", "2025"),
        ("last Tuesday", "last Tuesday"),
        ("2025-13", "2025-13"),
        ("", ""),
        (None, ""),
        ("2025-03-19\x1b[2J", "19 Mar 2025"),  # escapes dropped first
    ],
)
def test_dates_as_people_read_them(value, shown):
    assert human_date(value) == shown


def test_plurals():
    assert plural(1, "article") == "1 article"
    assert plural(0, "article") == "0 articles"
    assert plural(2, "question") == "2 questions"
    assert plural(12345, "chunk") == "12,345 chunks"
    assert plural(3, "entry", "entries") == "3 entries"


def _words_intact(lines: list[str], text: str) -> bool:
    return " ".join(" ".join(lines).split()) == " ".join(text.split())


@pytest.mark.parametrize("width", [20, 40, 61, 120])
def test_wrap_breaks_only_at_spaces(width):
    lines = wrap(QUOTE, width, "    \u201c", "     ")
    assert _words_intact([line.replace("\u201c", "") for line in lines], QUOTE)
    for line in lines:
        # Only a word longer than the line (the URL) may overflow it, alone on its line.
        assert len(line) <= width or len(line.split()) == 1, line
    assert lines[0].startswith("    \u201c") and all(line.startswith("     ") for line in lines[1:])


def test_no_width_means_one_line_per_paragraph():
    assert wrap("a  b\nc\n\nd", None) == ["a b", "c", "", "d"]
    assert wrap("x\x1b[31my", None) == ["xy"]


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("width", [25, 50])
def test_a_stream_in_any_pieces_wraps_like_the_whole_text(seed, width):
    rng = random.Random(seed)
    text = QUOTE + "\nSecond paragraph [1]."
    pieces, i = [], 0
    while i < len(text):
        n = rng.randint(1, 9)
        pieces.append(text[i : i + n])
        i += n
    out: list[str] = []
    w = StreamWrapper(out.append, width)
    for p in pieces:
        w.feed(p)
    w.finish()
    shown = "".join(out)
    assert shown.endswith("\n") and "".join(w.text) == text
    lines = shown.rstrip("\n").split("\n")
    assert _words_intact(lines, text)
    assert all(len(line) <= width or len(line.split()) == 1 for line in lines)
    assert lines == wrap(QUOTE, width) + wrap("Second paragraph [1].", width)
