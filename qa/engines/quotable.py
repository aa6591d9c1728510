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
_WORDS = re.compile(r"[^\W\d_][\w'\u2019&-]*")
# Words a headline leaves in lower case ("Confirm That Copying Music to Train AI Models is Not Fair Use.").
_HEADLINE_SMALL = frozenset("a an the of and or nor for to in on at by with from as is are was be vs via".split())


def is_quotable(sentence: str, title: str | None = None) -> bool:
    """Whether ``sentence`` states something an answer may quote: not a question, not a heading
    (the article's own title or any headline-like line), not a "Sources:" list, not mostly
    citation marks."""
    s = sentence.strip()
    if not s or _QUESTION_END.search(s) or not _STATEMENT_END.search(s) or _SOURCES_LIST.match(s):
        return False
    if title and key(s) == key(title):
        return False
    if is_headline_like(s):
        return False
    bare = _MARKS.sub("", s)
    return len(bare.split()) >= 4 and len(bare) >= 0.7 * len(s)


def is_headline_like(sentence: str) -> bool:
    """Every word but the small ones capitalised, four or more of them: a headline, a caption, a
    credit or a line of a list ("Watch This Story: ...", "RB Joe Mixon, Bengals vs. Colts ($7,200).")
    even when it ends with a full stop. A statement always has a lower-case word (its verb, at least)."""
    big = [w for w in _WORDS.findall(sentence) if w.lower() not in _HEADLINE_SMALL]
    return len(big) >= 4 and all(w[0].isupper() for w in big)


def inert(sentence: str) -> str:
    """The sentence as the answer shows it: the article's own citation marks dropped, so only
    the answer's markers are live."""
    return _MARKS.sub("", sentence).replace("[", "(").replace("]", ")")


def key(sentence: str) -> str:
    """What two copies of one sentence share (case, spacing and punctuation aside): syndicated
    articles and overlapping windows repeat sentences word for word."""
    return _NORMAL.sub(" ", sentence.casefold()).strip()
