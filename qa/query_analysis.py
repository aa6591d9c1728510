"""What the question itself says about where to look: outlets it names and dates it gives.

Both only steer retrieval (soft boosts); the user's explicit filters stay the only hard limits.
A question that combines several reports ("the Verge article says X, while TechCrunch says Y")
is also cut into parts, one per outlet-bearing clause, so each report can be looked for on its own.
"""

from __future__ import annotations

import calendar
import re
import weakref
from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np

from qa.models import Filters, Query

DAY = 86_400
_WORD = re.compile(r"[^\W_]+")
_NAME_PARTS = re.compile(r"\s+[|\-–—]\s+|:\s+")
_DOMAIN = re.compile(r"\.(com|co\.uk|net|org|news|io)$", re.I)


# -- outlets ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    sources: tuple[str, ...]


class OutletMatcher:
    """Finds the store's outlets in free text, ignoring case, punctuation and spacing
    ("the verge" ~ "The Verge", "CBS Sports" ~ "CBSSports.com", "The Independent" ~ every
    "The Independent - ..." section)."""

    def __init__(self, sources: list[str]):
        self.sources = sorted(set(sources))
        table: dict[str, set[str]] = {}
        for name in self.sources:
            for alias in _aliases(name):
                table.setdefault(alias, set()).add(name)
        self._table = {a: tuple(sorted(n)) for a, n in table.items()}
        # longest first, so "FOX News - Health" wins over "FOX News"
        self._aliases = sorted(self._table.items(), key=lambda x: -len(x[0]))

    def resolve(self, name: str) -> tuple[str, ...]:
        """The stored outlets a user's outlet name stands for, ignoring case, punctuation, a
        leading "The", a domain suffix and the section after " - " or " | " ("CNBC" ->
        "Cnbc | World Business News Leader"; "the verge.com" -> "The Verge")."""
        found = {n for alias in _aliases(name) | {_squash(name)} for n in self._table.get(alias, ())}
        return tuple(sorted(found))

    def closest(self, name: str, n: int = 3) -> list[str]:
        """Stored outlets whose names look most like ``name`` (for a "did you mean" hint)."""
        import difflib

        key = _squash(name)
        near = difflib.get_close_matches(key, list(self._table), n=n * 3, cutoff=0.6)
        near += [a for a in self._table if len(key) >= 3 and (key in a or a in key) and a not in near]
        out = list(dict.fromkeys(o for a in near for o in self._table[a]))
        return out[:n]

    def find(self, text: str) -> list[Mention]:
        words = list(_WORD.finditer(text))
        if not words or not self._aliases:
            return []
        squashed, starts = [], []
        pos = 0
        for w in words:
            starts.append(pos)
            squashed.append(w.group().casefold())
            pos += len(squashed[-1])
        flat = "".join(squashed)
        word_at = {s: i for i, s in enumerate(starts)}
        ends = {s + len(t): i for i, (s, t) in enumerate(zip(starts, squashed))}
        # a question typed all in lower case: a lower-case name counts where an outlet would stand
        trust_lower = not any(c.isupper() for c in text[1:])
        taken = [False] * len(words)
        found: list[Mention] = []
        for alias, names in self._aliases:
            at = flat.find(alias)
            while at >= 0:
                first, last = word_at.get(at), ends.get(at + len(alias))
                if first is not None and last is not None and not any(taken[first : last + 1]):
                    a, b = words[first].start(), words[last].end()
                    # outlet names are proper nouns: "a fortune", "the age of AI" are not outlets
                    if any(c.isupper() for c in text[a:b]) or (trust_lower and _cued(text, a, b)):
                        found.append(Mention(a, b, names))
                        taken[first : last + 1] = [True] * (last + 1 - first)
                at = flat.find(alias, at + 1)
        return sorted(found, key=lambda m: m.start)


_CUE_BEFORE = re.compile(r"\b(?:according to|from|by|per|did|does|do|has|have)\W*$", re.I)
_CUE_AFTER = re.compile(
    r"^\W*(?:'s\b\W*)?(?:say|says|said|report|reports|reported|reporting|article|articles|story|"
    r"stories|piece|wrote|writes|claim|claims|claimed|suggest|suggests|suggested)\b",
    re.I,
)


def _cued(text: str, a: int, b: int) -> bool:
    """Whether a lower-case name stands where an outlet would ("according to the verge")."""
    return bool(_CUE_BEFORE.search(text[max(0, a - 20) : a]) or _CUE_AFTER.match(text[b : b + 20]))


def _squash(text: str) -> str:
    return "".join(w.casefold() for w in _WORD.findall(text))


def _aliases(name: str) -> set[str]:
    heads = {name, _NAME_PARTS.split(name)[0]}
    heads |= {_DOMAIN.sub("", h) for h in heads}
    out = set()
    for h in heads:
        out.add(_squash(h))
        bare = re.sub(r"^the\s+", "", h, flags=re.I)
        if bare != h and len(_squash(bare)) >= 5:
            out.add(_squash(bare))
    return {a for a in out if len(a) >= 3}


# -- dates -----------------------------------------------------------------------------------
_MONTHS = {m.casefold(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS |= {m.casefold(): i for i, m in enumerate(calendar.month_abbr) if m}
_MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ABSOLUTE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MONTH_RE})\.?(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<m2>{_MONTH_RE})\.?(?:\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b)?(?:,?\s+(?:of\s+)?(?P<y2>\d{{4}}))?"
    rf"|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}}))\b",
    re.I,
)
_RELATIVE = re.compile(
    r"\b(?P<what>today|yesterday|this week|last week|past week|this month|last month|past month|"
    r"this year|last year|recently|lately|(?:last|past) (?P<n>\d{1,3}) (?P<unit>days?|weeks?|months?))\b",
    re.I,
)


def _month_window(year: int, month: int) -> tuple[int, int]:
    start = datetime(year, month, 1, tzinfo=timezone.utc)
    days = calendar.monthrange(year, month)[1]
    return int(start.timestamp()), int(start.timestamp()) + days * DAY - 1


def _day_window(year: int, month: int, day: int) -> tuple[int, int] | None:
    try:
        start = int(datetime(year, month, day, tzinfo=timezone.utc).timestamp())
    except ValueError:
        return None
    return start, start + DAY - 1


def date_windows(text: str, newest_ts: int | None) -> list[tuple[int, int]]:
    """The time windows a question names, as (first, last) unix seconds, in order of mention.

    A date without a year takes the newest article's year (the year before when that would put
    it after the newest article); relative dates count back from the newest article. A date
    outside the calendar ("March 0000", "last year" of year 1) names no window.
    """
    try:
        ref = datetime.fromtimestamp(newest_ts, timezone.utc) if newest_ts is not None else None
    except (OverflowError, OSError, ValueError):
        ref = None
    out: list[tuple[int, int]] = []
    for m in _ABSOLUTE.finditer(text):
        try:
            w = _absolute(m, ref)
        except (OverflowError, ValueError):
            continue
        if w:
            out.append(w)
    if ref is not None:
        for m in _RELATIVE.finditer(text):
            try:
                out.append(_relative(m, ref, newest_ts))
            except (OverflowError, ValueError):
                continue
    return out


def _absolute(m: re.Match, ref: datetime | None) -> tuple[int, int] | None:
    """The window of one absolute date ("5 March 2024", "March", "2024-03-05"), if it names one."""
    if m["iso"]:
        y, mo, d = map(int, m["iso"].split("-"))
        return _day_window(y, mo, d)
    month = _MONTHS[(m["m1"] or m["m2"]).casefold()]
    day, year = m["d1"] or m["d2"], m["y1"] or m["y2"]
    if m["m2"] and not (day or year):
        # a bare month word ("may", "march") is too often not a date
        if not m["m2"][0].isupper() or m["m2"].casefold() in {"may", "march"}:
            return None
    if year is None:
        if ref is None:
            return None
        year = ref.year - (1 if month > ref.month else 0)
    return _day_window(int(year), month, int(day)) if day else _month_window(int(year), month)


def _relative(m: re.Match, ref: datetime, newest: int) -> tuple[int, int]:
    what = m["what"].casefold()
    day0 = int(datetime(ref.year, ref.month, ref.day, tzinfo=timezone.utc).timestamp())
    if what == "today":
        return day0, day0 + DAY - 1
    if what == "yesterday":
        return day0 - DAY, day0 - 1
    if what in ("this week", "last week", "past week"):
        return newest - 7 * DAY, newest
    if what == "this month":
        return _month_window(ref.year, ref.month)[0], newest
    if what == "last month":
        prev = ref.replace(day=1) - timedelta(days=1)
        return _month_window(prev.year, prev.month)
    if what == "past month":
        return newest - 31 * DAY, newest
    if what == "this year":
        return int(datetime(ref.year, 1, 1, tzinfo=timezone.utc).timestamp()), newest
    if what == "last year":
        return (
            int(datetime(ref.year - 1, 1, 1, tzinfo=timezone.utc).timestamp()),
            int(datetime(ref.year, 1, 1, tzinfo=timezone.utc).timestamp()) - 1,
        )
    if m["n"]:
        unit = {"d": 1, "w": 7, "m": 31}[m["unit"][0].casefold()]
        return newest - int(m["n"]) * unit * DAY, newest
    return newest - 14 * DAY, newest  # recently, lately


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
    for left, right in zip(mentions, mentions[1:]):
        # two outlets in one clause ("X's report agrees with the Y article"): cut between them
        gap = text[left.end : right.start]
        if left.sources != right.sources and not any(left.end <= c <= right.start for c in cuts):
            joints = list(_JOINT.finditer(gap))
            cuts.add(left.end + (joints[-1].start() if joints else len(gap) // 2))
    cuts = sorted(cuts)
    pieces = [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1) if text[cuts[i] : cuts[i + 1]].strip(" ,;")]
    starts = [a for a, _ in pieces]
    owned: list[list[Mention]] = [[] for _ in pieces]
    for m in mentions:
        owned[max(0, bisect_right(starts, m.start) - 1)].append(m)
    parts: list[tuple[str, tuple[str, ...]]] = []
    for (a, b), ms in zip(pieces, owned):
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
    spans += [m.span() for m in _ABSOLUTE.finditer(text)] + [m.span() for m in _RELATIVE.finditer(text)]
    spans += [m.span() for m in _SCAFFOLD.finditer(text)]
    keep = np.ones(len(text), dtype=bool)
    for a, b in spans:
        keep[a:b] = False
    out = "".join(c if k else " " for c, k in zip(text, keep))
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


# -- the analysis ----------------------------------------------------------------------------
@dataclass
class _StoreFacts:
    matcher: OutletMatcher
    newest_ts: int | None


# One entry per lexical index, i.e. per retriever: refreshed whenever the retriever is rebuilt.
_FACTS: "weakref.WeakKeyDictionary[object, _StoreFacts]" = weakref.WeakKeyDictionary()


def store_facts(lexical, store) -> _StoreFacts:
    facts = _FACTS.get(lexical)
    if facts is None:
        facts = _StoreFacts(OutletMatcher(store.sources()), store.newest_ts())
        _FACTS[lexical] = facts
    return facts


def analyse(question: str, filters: Filters, top_k: int, lexical, store) -> Query:
    facts = store_facts(lexical, store)
    mentions = facts.matcher.find(question)
    boost = tuple(dict.fromkeys(n for m in mentions for n in m.sources))
    windows = date_windows(question, facts.newest_ts)
    since = min((a for a, _ in windows), default=None)
    until = max((b for _, b in windows), default=None)
    return Query(
        text=question,
        filters=filters,
        top_k=top_k,
        boost_sources=boost,
        since_ts=since,
        until_ts=until,
        windows=tuple(windows),
        parts=question_parts(question, mentions, facts.matcher),
    )
