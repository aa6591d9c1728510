"""Whether retrieved text can answer a question at all: its subject and what it asks for.

Sharing topic words is not answering. "What is the capital of Australia?" retrieves cricket
reports that name Australia; "When was Vladimir Putin born?" retrieves sentences about Putin
that hold no date. Two checks, both cheap and offline:

- **what it asks for**: a question asking when, or how many / how much, is answered only by a
  sentence holding a date or a quantity (``asks_for``, ``holds``);
- **its subject**: the share of the question's content words (IDF-weighted among the retrieved
  sentences) that occur nowhere in the retrieved articles, titles included (``missing_share``):
  a question whose subject words the articles never use is about something else.

Hand-written: question words and number/date shapes are a small closed set in English.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.models import Hit
from qa.support import stems

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


def asks_for(question: str) -> str | None:
    """ "date", "quantity" or None (anything else: no shape to insist on)."""
    if _WHEN.search(question):
        return "date"
    if _QUANTITY.search(question):
        return "quantity"
    return None


def holds(sentence: str, kind: str | None) -> bool:
    """Whether ``sentence`` holds what a question of ``kind`` asks for."""
    if kind == "date":
        return _DATE.search(sentence) is not None
    if kind == "quantity":
        return _NUMBER.search(sentence) is not None
    return True


def missing_share(q_words: Sequence[str], hits: Sequence[Hit], weights: dict[str, float]) -> float:
    """IDF-weighted share of the question's content words found in none of the hits (text or title)."""
    if not q_words:
        return 0.0
    seen: set[str] = set()
    for h in hits:
        seen |= stems(h.chunk.text) | stems(h.meta.title or "")
    total = sum(weights.get(w, 1.0) for w in q_words)
    gone = sum(weights.get(w, 1.0) for w in q_words if not stems(w) <= seen)
    return gone / total if total else 0.0
