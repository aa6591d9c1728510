"""Sentence boundaries as character offsets, so chunks and quotes stay verbatim slices of a body.

A small rule-based splitter: news prose is regular enough, and offsets matter more than
linguistic finesse. It never splits after common abbreviations, initials or decimal points.
"""

from __future__ import annotations

import re

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st mt gen gov sen rep col lt sgt capt cmdr adm pres vs etc inc ltd co corp "
    "jan feb mar apr jun jul aug sep sept oct nov dec no fig u.s u.k e.g i.e a.m p.m".split()
)
# A candidate end: terminal punctuation, optional closing quotes/brackets, then whitespace.
_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s)")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the sentences of ``text[start:end]``, whitespace trimmed.

    Paragraph breaks (newlines) always end a sentence.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for para_start, para_end in _lines(text, start, end):
        cursor = para_start
        for m in _END.finditer(text, para_start, para_end):
            if _is_abbreviation(text, cursor, m.start()):
                continue
            if not _next_starts_sentence(text, m.end(), para_end):
                continue
            spans.append((cursor, m.end()))
            cursor = m.end()
        spans.append((cursor, para_end))
    return [s for s in (_trim(text, a, b) for a, b in spans) if s is not None]


def _lines(text: str, start: int, end: int):
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        if stop > pos:
            yield pos, stop
        pos = stop + 1


def _is_abbreviation(text: str, sent_start: int, punct: int) -> bool:
    if text[punct] != ".":
        return False
    m = _WORD_BEFORE.search(text, max(sent_start, punct - 12), punct)
    if not m:
        # "3.5" never reaches here (no whitespace after), so a bare "." after a digit ends a sentence.
        return False
    word = m.group(1).lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha() and text[m.start()].isupper())


def _next_starts_sentence(text: str, pos: int, end: int) -> bool:
    while pos < end and text[pos].isspace():
        pos += 1
    if pos >= end:
        return True
    ch = text[pos]
    return not ch.islower()


def _trim(text: str, a: int, b: int) -> tuple[int, int] | None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return (a, b) if b > a else None
