"""How well one piece of text supports another: the scoring shared by the citation check and
the extractive engine.

Support is a blend of meaning (cosine of MiniLM vectors) and wording (how much of the claim's
content words the evidence contains). Either alone fails in known ways: embeddings rate a
sentence about "the Fed raising rates" close to one about "the Fed holding rates"; word overlap
misses paraphrase. Together they are robust enough to flag a citation that points nowhere near
its claim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.sentences import split_sentences
from qa.models import Hit

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\u2019.-]*[A-Za-z0-9]|[A-Za-z0-9]")

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been before
    being below between both but by can could did didn't do does doesn't doing don't down during each
    either few for from further had has have having he her here hers herself him himself his how i if
    in into is isn't it it's its itself just let's me more most much my myself neither no nor not now
    of off on once one only or other ought our ours ourselves out over own per same she should so some
    such than that that's the their theirs them themselves then there these they this those through to
    too under until up upon very was wasn't we were what what's when where which while who whom whose
    why will with within without would you your yours yourself yourselves
    according article articles report reported reports reporting source sources published said says
    say news piece story stories mentioned mention mentions discussed discusses discussing regarding
    considering based information detailed detailing described describes suggest suggests suggested
    following between both first second another latest recent recently later earlier while whether
    whose indicate indicates indicated""".split()
)


def words(text: str) -> list[str]:
    """Lower-cased word tokens; possessive 's and edge dots dropped so "Putin's" matches "Putin"."""
    out = []
    for w in _WORD.findall(text):
        w = w.lower().replace("\u2019", "'").strip(".")
        if w.endswith("'s"):
            w = w[:-2]
        if w:
            out.append(w)
    return out


def content_words(text: str) -> list[str]:
    """Words that carry meaning: no stop words, no one-letter tokens; order kept, no repeats."""
    seen: dict[str, None] = {}
    for w in words(text):
        if len(w) > 1 and w not in STOPWORDS:
            seen.setdefault(w, None)
    return list(seen)


def _stem(w: str) -> str:
    # Crude plural/verb folding; enough for "ceasefires" ~ "ceasefire", "talks" ~ "talk".
    for suffix in ("ing", "ed", "es", "s"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def stems(text: str) -> set[str]:
    return {_stem(w) for w in words(text)}


def word_recall(claim_words: Sequence[str], evidence_stems: set[str], weights: dict[str, float] | None = None) -> float:
    """Share of the claim's content words (weighted, if given) that the evidence contains."""
    if not claim_words:
        return 0.0
    total = hit = 0.0
    for w in claim_words:
        weight = 1.0 if weights is None else weights.get(w, 1.0)
        total += weight
        if _stem(w) in evidence_stems:
            hit += weight
    return hit / total if total else 0.0


@dataclass(frozen=True)
class Span:
    """A sentence (or short run of sentences) of a hit, as offsets into the chunk text."""

    hit_index: int
    start: int
    end: int
    sentences: int = 1

    def text(self, hits: Sequence[Hit]) -> str:
        return hits[self.hit_index].chunk.text[self.start : self.end]

    def body_offsets(self, hits: Sequence[Hit]) -> tuple[int, int]:
        base = hits[self.hit_index].chunk.char_start
        return base + self.start, base + self.end


def hit_sentences(hits: Sequence[Hit], hit_index: int, window: int = 1) -> list[Span]:
    """The sentences of one hit's chunk, plus runs of up to ``window`` adjacent sentences."""
    text = hits[hit_index].chunk.text
    spans = split_sentences(text)
    out = []
    for size in range(1, max(1, window) + 1):
        for i in range(len(spans) - size + 1):
            out.append(Span(hit_index, spans[i][0], spans[i + size - 1][1], size))
    return out


def cosine_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarity of every row of ``a`` with every row of ``b`` (rows are unit vectors)."""
    if len(a) == 0 or len(b) == 0:
        return np.zeros((len(a), len(b)), dtype=np.float32)
    return np.asarray(a, dtype=np.float32) @ np.asarray(b, dtype=np.float32).T


# Weight of meaning against wording in support_score; wording is the stricter half.
SEMANTIC_WEIGHT = 0.55


def support_score(cosine: float, recall: float) -> float:
    """One number in about [0, 1]: how well a span supports a claim."""
    return SEMANTIC_WEIGHT * max(0.0, cosine) + (1.0 - SEMANTIC_WEIGHT) * recall


def _is_specific(token: str, sentence_initial: bool) -> bool:
    return (
        any(ch.isdigit() for ch in token)
        or "-" in token.strip("-")
        or (token[:1].isupper() and not sentence_initial and len(token) > 1)
    )


def missing_specifics(claim: str, evidence: str) -> list[str]:
    """Numbers, hyphenated terms and names the claim states but the evidence never mentions.

    A claim that adds a figure or a name its source lacks is not supported, however close the
    rest of its wording: that is how a fabricated detail ("the key is sk-123") hides in a
    sentence that otherwise paraphrases its source.
    """
    have = set(words(evidence))
    missing = []
    for i, m in enumerate(_WORD.finditer(claim)):
        token = m.group(0)
        if not _is_specific(token, i == 0):
            continue
        (norm,) = words(token) or [""]
        if norm and norm not in have and norm not in STOPWORDS:
            missing.append(token)
    return missing
