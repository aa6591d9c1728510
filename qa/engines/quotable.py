"""What the extractive engine may quote, and how a quote appears in an answer.

An article body holds more than sentences that state something: its headline and subheads,
captions and bylines ("Image recovered from ...", "Published March 19"), questions the writer
asks ("Who is Sam Bankman-Fried, the former CEO of FTX?"), "Sources:" lists and its own
citation marks ("... rose [4]."). None of these answers a question; and a "[4]" copied into an
answer would read as one of the answer's own citations. Hand-written rules: they are about the
layout of news text, which no library here models.
"""

from __future__ import annotations

import re

# A statement ends with . or ! (closing quotes or brackets may follow); a heading, caption, byline
# or list introduction does not.
_STATEMENT_END = re.compile(r"[.!\u2026][\"'\u201d\u2019)\]]*$")
_QUESTION_END = re.compile(r"\?[\"'\u201d\u2019)\]]*$")
_SOURCES_LIST = re.compile(r"^(?:sources?|references?|citations?|related|read more|see also)\s*:", re.I)
# "[4]", "[4, 9]", "[4-6]", "[4][9]": citation marks of the article itself.
_MARKS = re.compile(r"\s*(?:\[\s*\d{1,3}(?:\s*[,\u2013\u2014-]\s*\d{1,3})*\s*\])+")
_NORMAL = re.compile(r"[^\w]+")


def is_quotable(sentence: str, title: str | None = None) -> bool:
    """Whether ``sentence`` states something an answer may quote: not a question, not a heading
    or the article's own title, not a "Sources:" list, not mostly citation marks."""
    s = sentence.strip()
    if not s or _QUESTION_END.search(s) or not _STATEMENT_END.search(s) or _SOURCES_LIST.match(s):
        return False
    if title and key(s) == key(title):
        return False
    bare = _MARKS.sub("", s)
    return len(bare.split()) >= 4 and len(bare) >= 0.7 * len(s)


def inert(sentence: str) -> str:
    """The sentence as the answer shows it: the article's own citation marks dropped, so only
    the answer's markers are live."""
    return _MARKS.sub("", sentence).replace("[", "(").replace("]", ")")


def key(sentence: str) -> str:
    """What two copies of one sentence share (case, spacing and punctuation aside): syndicated
    articles and overlapping windows repeat sentences word for word."""
    return _NORMAL.sub(" ", sentence.casefold()).strip()
