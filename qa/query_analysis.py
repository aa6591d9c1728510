"""One reading of a question: the ``Query`` every later step reads.

``analyse`` runs once per question. It finds the outlets the question names (matched to the
store's outlets), the date windows it gives, the names (people, organisations, places) it is
about, and, for a question combining several outlets' reports ("the Verge article says X, while
TechCrunch says Y"), its clauses, one per outlet. Retrieval, the engines, condense and the UI all
read that value; none of them parses the question again.

Outlets and dates only steer (soft boosts); the user's explicit filters stay the only hard limits.
The store's outlets and newest date are ``StoreFacts``, taken with the retriever's snapshot and
refreshed with it.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from dataclasses import dataclass

import numpy as np

from qa.dates import date_spans, date_windows
from qa.models import Filters, Part, Query
from qa.outlets import Mention, OutletMatcher

__all__ = [
    "Mention",
    "OutletMatcher",
    "StoreFacts",
    "analyse",
    "date_windows",
    "names_in",
    "question_parts",
    "search_text",
    "split_parts",
]

_WORD = re.compile(r"[^\W_]+")


# -- parts -----------------------------------------------------------------------------------
# Over-cutting is harmless: a piece naming no outlet is joined back to its neighbour.
_CLAUSE_BREAK = re.compile(r",(?!\s*\d)|;|\b(?:while|whereas|and (?=the\b))", re.I)
_JOINT = re.compile(r"\b(?:and|with|to|than|but|or|as|versus|vs|from|by)\b", re.I)


def split_parts(text: str, mentions: list[Mention]) -> list[tuple[str, tuple[str, ...]]]:
    """Cut a question naming several outlets into clauses, each with the outlets it names.

    Returns [] for a question naming fewer than two outlets (nothing to separate)."""
    if len({m.sources for m in mentions}) < 2:
        return []
    cuts = {0, len(text)} | {b.start() for b in _CLAUSE_BREAK.finditer(text)}
    for left, right in itertools.pairwise(mentions):
        # two outlets in one clause ("X's report agrees with the Y article"): cut between them
        gap = text[left.end : right.start]
        if left.sources != right.sources and not any(left.end <= c <= right.start for c in cuts):
            joints = list(_JOINT.finditer(gap))
            cuts.add(left.end + (joints[-1].start() if joints else len(gap) // 2))
    at = sorted(cuts)
    pieces = [(at[i], at[i + 1]) for i in range(len(at) - 1) if text[at[i] : at[i + 1]].strip(" ,;")]
    starts = [a for a, _ in pieces]
    owned: list[list[Mention]] = [[] for _ in pieces]
    for m in mentions:
        owned[max(0, bisect_right(starts, m.start) - 1)].append(m)
    parts: list[tuple[str, tuple[str, ...]]] = []
    for (a, b), ms in zip(pieces, owned, strict=True):
        clause = text[a:b].strip(" ,;")
        if not ms:
            if parts:  # a clause naming no outlet continues the previous one
                prev_text, prev_src = parts[-1]
                parts[-1] = (f"{prev_text} {clause}", prev_src)
            else:
                parts.append((clause, ()))
            continue
        names = tuple(dict.fromkeys(n for m in ms for n in m.sources))
        if parts and not parts[-1][1]:
            clause = f"{parts.pop()[0]} {clause}"
        parts.append((clause, names))
    return parts if len(parts) >= 2 else []


# -- the words to search with ----------------------------------------------------------------
# How questions talk about their sources, not about the news: noise to BM25 and the embedder.
_SCAFFOLD = re.compile(
    r"\b(?:articles?|reports?|reported|reporting|stor(?:y|ies)|pieces?|according to|as per|"
    r"suggest(?:s|ed|ing)?|claim(?:s|ed|ing)?|mention(?:s|ed|ing)?|indicat(?:e|es|ed|ing)|"
    r"publish(?:ed|es)?|sources?|news|discuss(?:es|ed|ing)?|portray(?:s|ed|al)?|describ(?:e|es|ed|ing)|"
    r"considering|information|excerpts?|(?:the )?(?:same )?(?:day|date|week|month))\b",
    re.I,
)


def search_text(text: str, matcher: OutletMatcher) -> str:
    """``text`` without the outlets, dates and scaffolding a question wraps its subject in."""
    out = _stripped(text, matcher)
    return out if len(_WORD.findall(out)) >= 2 else text


def _stripped(text: str, matcher: OutletMatcher) -> str:
    spans = [(m.start, m.end) for m in matcher.find(text)]
    spans += date_spans(text)
    spans += [m.span() for m in _SCAFFOLD.finditer(text)]
    keep = np.ones(len(text), dtype=bool)
    for a, b in spans:
        keep[a:b] = False
    out = "".join(c if k else " " for c, k in zip(text, keep, strict=True))
    return re.sub(r"\s+", " ", out).strip()


_FUNCTION_WORDS = frozenset(
    "a an the and or of in on at to by for with as from that this these those which who whom what is are was "
    "were be been has have had do does did its it their his her also both another other including".split()
)


def says_something(clause: str, matcher: OutletMatcher, least: int = 3) -> bool:
    """Whether a clause has words of its own besides outlets, dates, scaffolding and function
    words ("and The Age", "as reported by TechCrunch" have none)."""
    words = [w for w in _WORD.findall(_stripped(clause, matcher)) if w.casefold() not in _FUNCTION_WORDS]
    return len(words) >= least


def question_parts(
    question: str, mentions: list[Mention], matcher: OutletMatcher
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``split_parts``, where an outlet listed with others ("articles from A, B and C") stands in
    a clause of its own that says nothing: its articles are searched with the whole question."""
    return tuple((c if says_something(c, matcher) else question, o) for c, o in split_parts(question, mentions))


# -- names -----------------------------------------------------------------------------------
_CAPS = re.compile(r"[A-Z][\w'\u2019&.-]*(?:\s+(?:of\s+|de\s+)?[A-Z][\w'\u2019&.-]*)*")
_MONTH_WORDS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
# Capitalised words that are no names: sentence openers, pronouns, months, days, titles.
_NOT_NAMES = frozenset(
    w.lower()
    for w in (
        "Who What Which When Where Why How Did Does Do Is Are Was Were Has Have Had Can Could Will Would "
        "Should Shall May Might Must And But Or So Also Then The A An In On At Of For To From By With As "
        "It Its He She They Them Their His Her This That These Those There Here I We You Our Your My "
        "Yes No If While After Before According Since Until Meanwhile However Not Both Some Many Most Such "
        "Other Between Considering Following Regarding Given Monday Tuesday Wednesday Thursday "
        "Friday Saturday Sunday Mr Mrs Ms Dr"
    ).split()
) | frozenset(_MONTH_WORDS)


def names_in(text: str) -> list[str]:
    """Capitalised names in ``text`` in order of appearance, case kept, filler words dropped
    ("Did Vladimir Putin's envoy..." -> ["Vladimir Putin"])."""
    found: dict[str, None] = {}
    for m in _CAPS.finditer(text):
        words = m.group(0).split()
        while words and words[0].lower().strip(".'\u2019") in _NOT_NAMES:
            words.pop(0)
        while words and words[-1].lower() in ("of", "de"):
            words.pop()
        name = " ".join(words).strip(".,;:'\u2019-")
        if name.endswith(("'s", "\u2019s")):
            name = name[:-2]
        if len(name) >= 2 and name.lower() not in _NOT_NAMES and not name.isdigit():
            found.setdefault(name, None)
    return list(found)


# -- the analysis ----------------------------------------------------------------------------
@dataclass(frozen=True)
class StoreFacts:
    """What reading a question needs to know about the store: its outlets and its newest date
    (relative dates count back from it). Taken once per retriever snapshot."""

    matcher: OutletMatcher
    newest_ts: int | None

    @classmethod
    def of(cls, store) -> StoreFacts:
        """Read from ``store`` in one pass over its article records (call under ``store.reading()``)."""
        sources, newest = set(), None
        for m in store.list_articles():
            if m.source:
                sources.add(m.source)
            if m.published_ts is not None and (newest is None or m.published_ts > newest):
                newest = m.published_ts
        return cls(OutletMatcher(sorted(sources)), newest)


NO_FACTS = StoreFacts(OutletMatcher([]), None)
"""For a question read without a store (no outlets to match, no newest date)."""


def analyse(question: str, facts: StoreFacts = NO_FACTS, filters: Filters = Filters(), top_k: int = 8) -> Query:
    """The one reading of ``question``."""
    mentions = facts.matcher.find(question)
    outlets = tuple(dict.fromkeys(n for m in mentions for n in m.sources))
    # outlets blanked first: "Business Today" names no date, "CBS Sports" no name
    blanked = _blanked(question, [(m.start, m.end) for m in mentions])
    windows = date_windows(blanked, facts.newest_ts)
    return Query(
        text=question,
        filters=filters,
        top_k=top_k,
        outlets=outlets,
        windows=tuple(windows),
        names=tuple(names_in(blanked)),
        parts=tuple(
            Part(
                clause,
                names,
                tuple(date_windows(_outlets_blanked(clause, facts), facts.newest_ts)),
                search_text(clause, facts.matcher),
            )
            for clause, names in question_parts(question, mentions, facts.matcher)
        ),
        search=search_text(question, facts.matcher),
    )


def _outlets_blanked(text: str, facts: StoreFacts) -> str:
    return _blanked(text, [(m.start, m.end) for m in facts.matcher.find(text)])


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with ``spans`` (the outlets it names) replaced by a comma, so names stop there."""
    for a, b in sorted(spans, reverse=True):
        text = f"{text[:a]},{' ' * (b - a - 1)}{text[b:]}"
    return text
