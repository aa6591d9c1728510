"""The offline answer engine: answers with verbatim sentences of the retrieved articles.

No language model: every candidate sentence of the hits is scored by meaning (MiniLM cosine to
the question), wording (IDF-weighted share of the question's content words it holds) and the
rank of its hit; then up to MAX_SENTENCES sentences are picked so that each outlet, entity and
date the question names is covered once, without near-duplicates. Each sentence is quoted
verbatim and cited, so the answer cannot claim what no article says. When the evidence is too
weak the engine refuses rather than quote something loosely related.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from index.embedder import TextEmbedder
from index.sentences import split_sentences
from qa.dates import in_windows, iso_ts
from qa.engines import quotable, relevance
from qa.engines.base import Cancelled, TokenCallback
from qa.models import Answer, Citation, Hit, Query
from qa.support import content_words, cosine_rows, stems, word_recall

REFUSAL_TEXT = "The indexed articles don't say."

MAX_CANDIDATES = 60
EMBED_CANDIDATES = 16
MAX_SENTENCES = 4
MIN_SENTENCE_CHARS = 25
# A further sentence must score at least this share of the best one to join the answer.
KEEP_RELATIVE = 0.75
# ... or this share, if it covers a name or outlet of the question the others miss.
COVER_RELATIVE = 0.5
# Two sentences this similar say the same thing; only the better one is quoted.
DUPLICATE_COSINE = 0.85

# Weights of the combined score; they sum to 1 before the bonuses.
W_SEMANTIC, W_LEXICAL, W_RANK = 0.5, 0.35, 0.15
OUTLET_BONUS = 0.08
DATE_BONUS = 0.05
COVERAGE_BONUS = 0.1


@dataclass
class _Candidate:
    hit_rank: int
    hit: Hit
    start: int
    """Offsets into the chunk text."""
    end: int
    text: str
    score: float = 0.0
    wording: float = 0.0
    """IDF-weighted share of the question's content words the sentence holds."""
    shared: int = 0
    """How many of them it holds."""
    covers: set[str] = field(default_factory=set)


def entities_of(query: Query) -> list[str]:
    """The names the question is about, lower-cased for matching against sentences."""
    return list(dict.fromkeys(n.lower() for n in query.names))


def _mentions(haystack: str, name: str) -> bool:
    # Multi-word names match on their last word too ("Sam Bankman-Fried" ~ "Bankman-Fried").
    if name in haystack:
        return True
    last = name.split()[-1]
    return len(last) > 3 and " " in name and re.search(r"\b" + re.escape(last) + r"\b", haystack) is not None


class ExtractiveEngine:
    name = "extractive"

    def __init__(self, embedder: TextEmbedder) -> None:
        self.embedder = embedder

    def answer(
        self,
        query: Query,
        hits: Sequence[Hit],
        *,
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> Answer:
        started = time.perf_counter()
        picked, _ = self.select(query, hits)
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        answer = self._compose(query, hits, picked, on_token, cancel)
        answer.timings_ms["answer"] = (time.perf_counter() - started) * 1000
        return answer

    def select(self, query: Query, hits: Sequence[Hit]) -> tuple[list[_Candidate], dict[str, float]]:
        """The sentences to quote (empty means refuse), and the evidence signals behind the choice."""
        question = query.text
        candidates = _candidates(hits)
        if not candidates or not question.strip():
            return [], {"best": 0.0, "entity_coverage": 0.0}
        outlets = set(query.outlets)
        entities = entities_of(query)
        q_words = content_words(question)

        cand_stems = [stems(c.text) for c in candidates]
        weights = _idf(q_words, cand_stems)
        for i, c in enumerate(candidates):
            c.wording = word_recall(q_words, cand_stems[i], weights)
            c.shared = sum(1 for w in q_words if stems(w) <= cand_stems[i])
            rank = 1.0 - c.hit_rank / max(1, len(hits))
            c.score = W_LEXICAL * c.wording + W_RANK * rank
            if c.hit.meta.source in outlets:
                c.score += OUTLET_BONUS
                c.covers.add("outlet:" + c.hit.meta.source)
            if query.windows and in_windows(iso_ts(c.hit.meta.published_at), query.windows):
                c.score += DATE_BONUS
            context = f"{c.text} {c.hit.meta.title}".lower()
            c.covers |= {e for e in entities if _mentions(context, e)}
        found = set().union(*(c.covers for c in candidates))
        coverage = len([e for e in entities if e in found]) / len(entities) if entities else 1.0

        # Embedding costs ~5 ms a sentence on one core: only the lexical shortlist is embedded.
        candidates = _shortlist(candidates)
        vectors = self.embedder.embed([question] + [c.text for c in candidates])
        semantic = cosine_rows(vectors[:1], vectors[1:])[0]
        for i, c in enumerate(candidates):
            c.score += W_SEMANTIC * float(semantic[i])

        best = max(c.score for c in candidates)
        scored = [relevance.Scored(c.text, c.score, c.wording, c.shared) for c in candidates]
        answers, evidence = relevance.answers(query, scored, W_LEXICAL)
        signals = {"best": best, "evidence": evidence, "entity_coverage": coverage}
        if not answers:
            return [], signals
        return _with_followups(_pick(candidates, vectors[1:], best)), signals

    def _compose(
        self,
        query: Query,
        hits: Sequence[Hit],
        picked: list[_Candidate],
        on_token: TokenCallback | None,
        cancel: threading.Event | None,
    ) -> Answer:
        if not picked:
            if on_token is not None:
                on_token(REFUSAL_TEXT)
            return Answer(
                question=query.text,
                text=REFUSAL_TEXT,
                answered=False,
                engine=self.name,
                retrieved=list(hits),
                query=query,
            )
        pieces: list[str] = []
        citations: list[Citation] = []
        number: dict[str, int] = {}  # one source number per article, however many quotes
        said: set[str] = set()
        for c in picked:
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            spans = [(a, b) for a, b in split_sentences(c.text) if quotable.key(c.text[a:b]) not in said]
            if not spans:
                continue
            said |= {quotable.key(c.text[a:b]) for a, b in spans}
            n = number.setdefault(c.hit.chunk.doc_id, len(number) + 1)
            # A quote of two sentences cites each one, so every answer sentence carries its source.
            marked = " ".join(f"{quotable.inert(c.text[a:b])} [{n}]" for a, b in spans)
            piece = ("" if not pieces else " ") + marked
            pieces.append(piece)
            if on_token is not None:
                on_token(piece)
            citations.append(Citation.of(n, c.hit, c.start + spans[0][0], c.start + spans[-1][1]))
        citations.sort(key=lambda c: (c.n, c.char_start))
        return Answer(
            question=query.text,
            text="".join(pieces),
            answered=True,
            engine=self.name,
            citations=citations,
            retrieved=list(hits),
            query=query,
        )


def _candidates(hits: Sequence[Hit]) -> list[_Candidate]:
    """Sentences of the hits in rank order, each once (chunks overlap), at most MAX_CANDIDATES.

    Taken round-robin over the hits so a long top chunk cannot crowd out the others.
    """
    per_hit: list[list[_Candidate]] = []
    seen: set[str] = set()  # a sentence repeated (syndicated copies, overlapping windows) is one candidate
    for rank, hit in enumerate(hits):
        text = hit.chunk.text
        mine = []
        for a, b in split_sentences(text):
            key = quotable.key(text[a:b])
            if key in seen or b - a < MIN_SENTENCE_CHARS or not quotable.is_quotable(text[a:b], hit.meta.title):
                continue
            seen.add(key)
            mine.append(_Candidate(rank, hit, a, b, text[a:b]))
        per_hit.append(mine)
    out: list[_Candidate] = []
    depth = 0
    while len(out) < MAX_CANDIDATES and any(depth < len(m) for m in per_hit):
        for mine in per_hit:
            if depth < len(mine) and len(out) < MAX_CANDIDATES:
                out.append(mine[depth])
        depth += 1
    out.sort(key=lambda c: (c.hit_rank, c.start))
    return out


_ANAPHOR = re.compile(r"(?:They|These|This|Those|It|He|She|Such|That)\b")


def _with_followups(picked: list[_Candidate]) -> list[_Candidate]:
    """A quote whose next sentence starts "They ..." or "These ..." is extended by it: the
    second sentence usually holds what the first only announces ("... several demands. They
    include ..."). Quotes an extension already contains are dropped."""
    out: list[_Candidate] = []
    for c in picked:
        text = c.hit.chunk.text
        following = split_sentences(text, c.end)
        if (
            following
            and _ANAPHOR.match(text, following[0][0])
            and quotable.is_quotable(text[following[0][0] : following[0][1]])
        ):
            c = replace(c, end=following[0][1], text=text[c.start : following[0][1]])
        doc = c.hit.chunk.doc_id
        body_span = (c.hit.chunk.char_start + c.start, c.hit.chunk.char_start + c.end)
        if any(
            o.hit.chunk.doc_id == doc
            and o.hit.chunk.char_start + o.start <= body_span[0] < o.hit.chunk.char_start + o.end
            for o in out
        ):
            continue
        out.append(c)
    return out


def _shortlist(candidates: list[_Candidate]) -> list[_Candidate]:
    """The EMBED_CANDIDATES best by the score so far, plus the best holder of each name or outlet
    the question names that the shortlist would otherwise miss."""
    ranked = sorted(candidates, key=lambda c: -c.score)
    short = ranked[:EMBED_CANDIDATES]
    covered = set().union(*(c.covers for c in short)) if short else set()
    for c in ranked[EMBED_CANDIDATES:]:
        if c.covers - covered:
            short.append(c)
            covered |= c.covers
    return short


def _idf(q_words: list[str], cand_stems: list[set[str]]) -> dict[str, float]:
    """Rarer question words weigh more; a word no candidate holds weighs most (its absence hurts)."""
    n = len(cand_stems)
    weights = {}
    for w in q_words:
        s = stems(w)
        df = sum(1 for cs in cand_stems if s <= cs)
        weights[w] = math.log((n + 1) / (df + 0.5))
    return weights


def _pick(candidates: list[_Candidate], vectors: np.ndarray, best: float) -> list[_Candidate]:
    """Greedy selection: score plus a bonus for covering a new name or outlet, no near-duplicates.

    A sentence joins when it is nearly as good as the best, or when it covers a name or outlet
    the chosen ones miss and is still reasonably good (comparison questions need both sides).
    """
    sims = cosine_rows(vectors, vectors)
    chosen: list[int] = []
    covered: set[str] = set()
    while len(chosen) < MAX_SENTENCES:
        top, top_gain = -1, -1.0
        for i, c in enumerate(candidates):
            if i in chosen:
                continue
            new = c.covers - covered
            if c.score < KEEP_RELATIVE * best and not (new and c.score >= COVER_RELATIVE * best):
                continue
            if chosen and max(float(sims[i, j]) for j in chosen) >= DUPLICATE_COSINE:
                continue
            gain = c.score + COVERAGE_BONUS * len(new)
            if gain > top_gain:
                top, top_gain = i, gain
        if top < 0:
            break
        chosen.append(top)
        covered |= candidates[top].covers
    return [candidates[i] for i in chosen]
