"""Whether the sentences found answer the question: the extractive engine's one refusal test.

Sharing topic words is not answering. "What is the capital of Australia?" retrieves cricket
reports that name Australia; "What is a metaphor?" retrieves "... vampires as a metaphor.", a
sentence holding every content word of the question and answering nothing. ``evidence`` scores
the best sentence the way the engine ranks them (meaning, wording, rank), with two corrections:

- **its subject**: a sentence's share of the question's content words counts in full only once
  it shares at least ``SPECIFIC_WORDS`` of them. One or two shared words (a place, a common noun)
  pin nothing down, however large a share of a short question they are; a long question's
  dozen specific words shared by one sentence do.
- **what it asks for**: a question asking when, how many / how much, or who / which company is
  answered only by a sentence holding a date, a quantity, or a name the question does not
  already give (``asks_for``, ``holds``); a sentence without one loses ``WRONG_KIND_PENALTY``.

``answers`` compares the evidence with ``MIN_EVIDENCE_SCORE``. Measured on the MultiHop-RAG
store with scripts/measure_refusal.py (README, Evaluations). Hand-written: question words and
number/date/name shapes are a small closed set in English, and no library here models them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from qa.models import Query

# Refuse when the best sentence's evidence is below this (see the module docstring and README).
MIN_EVIDENCE_SCORE = 0.44
# Shared question words below this count scale a sentence's wording share down in proportion.
SPECIFIC_WORDS = 4
# Taken off a sentence's evidence when it lacks what the question asks for.
WRONG_KIND_PENALTY = 0.05

_WHEN = re.compile(
    r"^\s*(?:when\b|(?:in |since |until |by )?what (?:year|date|month|day|time|decade|century)\b"
    r"|(?:in |since )?which (?:year|month|decade|century)\b|how long ago\b)",
    re.I,
)
_QUANTITY = re.compile(
    r"^\s*(?:how (?:many|much|long|old|far|tall|high|deep|fast|big|large|heavy|often|wide)\b"
    r"|what (?:is |was |are |were )?(?:the )?(?:number|percentage|share|amount|population|"
    r"size|length|height|depth|weight|speed|cost|price|value|age|distance|temperature)\b)",
    re.I,
)
# Questions whose answer is a name: a person, a company, a team, a place.
_WHO = re.compile(
    r"^\s*(?:who|whom|whose|(?:which|what) (?:company|companies|firm|brand|organi[sz]ation|person|people|"
    r"individual|man|woman|team|club|player|athlete|country|countries|nation|city|cities|state|author|"
    r"writer|artist|band|singer|actor|actress|president|leader|ceo|founder|planet|river|mountain)\b)",
    re.I,
)
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DATE = re.compile(
    rf"\b(?:1[0-9]{{3}}|20[0-9]{{2}}|(?:{_MONTHS})\.?|monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday|today|yesterday|tomorrow|tonight|ago|last (?:week|month|year)|this (?:week|month|year)|"
    r"next (?:week|month|year)|\d{1,2}(?:st|nd|rd|th)|\d{4}s|century|decade)\b",
    re.I,
)
_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions|trillion|dozen|"
    r"dozens|half|twice|once|percent|per cent|double|triple)\b",
    re.I,
)
_CALENDAR = frozenset(_MONTHS.split("|")) | frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
)
_CAPITALISED = re.compile(r"\b[A-Z][\w'\u2019&.-]*")


@dataclass(frozen=True)
class Scored:
    """A candidate sentence as the engine scored it."""

    text: str
    score: float
    """The engine's ranking score (meaning, wording, rank, bonuses)."""
    wording: float
    """IDF-weighted share of the question's content words the sentence holds."""
    shared: int
    """How many of the question's content words it holds."""


def asks_for(question: str) -> str | None:
    """ "date", "quantity", "name" or None (anything else: no shape to insist on)."""
    if _WHEN.search(question):
        return "date"
    if _QUANTITY.search(question):
        return "quantity"
    if _WHO.search(question):
        return "name"
    return None


def holds(sentence: str, kind: str | None, question: str = "") -> bool:
    """Whether ``sentence`` holds what a question of ``kind`` asks for (for "name": a capitalised
    word, not the sentence's first, that ``question`` does not contain)."""
    if kind == "date":
        return _DATE.search(sentence) is not None
    if kind == "quantity":
        return _NUMBER.search(sentence) is not None
    if kind == "name":
        asked = question.lower()
        text = sentence.lstrip(" \"'\u201c\u2018([")
        words = _CAPITALISED.findall(text)
        if text[:1].isupper():
            words = words[1:]  # a sentence's first word is capitalised whatever it is
        names = (w.lower().strip(".'\u2019") for w in words)
        return any(n not in asked and n not in _CALENDAR for n in names)
    return True


def evidence(query: Query, sentences: Sequence[Scored], lexical_weight: float) -> float:
    """How well the best of ``sentences`` answers ``query`` (``lexical_weight``: the wording's
    weight in ``Scored.score``)."""
    kind = asks_for(query.text)
    best = float("-inf")
    for s in sentences:
        specific = min(1.0, s.shared / SPECIFIC_WORDS) if SPECIFIC_WORDS > 0 else 1.0
        value = s.score - lexical_weight * s.wording * (1.0 - specific)
        if not holds(s.text, kind, query.text):
            value -= WRONG_KIND_PENALTY
        best = max(best, value)
    return best


def answers(query: Query, sentences: Sequence[Scored], lexical_weight: float) -> tuple[bool, float]:
    """Whether the sentences answer ``query`` at all, and the evidence behind the verdict."""
    value = evidence(query, sentences, lexical_weight)
    return value >= MIN_EVIDENCE_SCORE, value
