"""The store's outlets found in free text: in a question, a filter, a follow-up.

One matcher for every reader of a question (retrieval, the engines, condense, the filters), so
"CBS Sports" means "CBSSports.com" everywhere. Hand-written: outlet names are a small closed set
per store whose aliases (a leading "The", a domain suffix, a section after " - ") no fuzzy-match
library knows; difflib only suggests near misses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+")
_NAME_PARTS = re.compile(r"\s+[|\-–—]\s+|:\s+")
_DOMAIN = re.compile(r"\.(com|co\.uk|net|org|news|io)$", re.I)


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
        ends = {s + len(t): i for i, (s, t) in enumerate(zip(starts, squashed, strict=True))}
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
