"""Check an answer's [n] citations against the hits they point to, and make them verbatim.

Used by every engine: an LLM may cite a source that does not exist, cite the wrong source, or
make a claim no source holds. For each (answer sentence, cited source) pair the best supporting
sentence of that source's chunk becomes the citation's quote, a verbatim slice of the article
body, and the pair is marked supported when the support score reaches SUPPORT_THRESHOLD.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from index.embedder import TextEmbedder
from index.sentences import split_sentences
from qa.meaning import contradiction
from qa.models import Citation, Hit, SentenceCheck
from qa.support import (
    Span,
    content_words,
    hit_sentences,
    missing_specifics,
    stems,
    support_score,
    word_recall,
)

# A claim counts as supported when support_score(cosine, word recall) of its best span reaches
# this. Measured on 120 MultiHop-RAG dev fact sentences: the fact (or its first 60% of words)
# against the chunk holding it scores >= 0.78 in 99% of cases; against a random chunk of another
# article <= 0.31 (99th percentile); against another chunk of the same article, where related
# facts recur, 6.7% of pairs reach 0.50. LLM paraphrase sits between, hence the middle ground.
SUPPORT_THRESHOLD = 0.5

# Spans embedded first for each (claim, source) pair, by word recall; the rest only if they could
# still score near the best of these.
_FIRST_EMBEDDED = 6

# How far below the best span another span may score and still count as the claim's source
# when the best one contradicts it: the same line repeated with other figures scores within 0.02.
RIVAL_MARGIN = 0.05

# "[1]", "[1, 3]", "[1][2]" (the last is two markers); also tolerates "[1,3]" and "[ 2 ]".
MARKER = re.compile(r"\[\s*(\d+(?:\s*,\s*\d+)*)\s*\]")

_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff]")

# Sentences that say the sources do not answer; they need no citation.
REFUSAL = re.compile(
    r"\b(?:do(?:es)?n[’']t|do(?:es)? not|can[’']?not|can[’']t|could ?n[’']?o?t|unable to|no)\b.{0,40}?"
    r"\b(?:say|said|mention|contain|cover|address|answer|find|found|specify|state|provide|determine|"
    r"information|evidence|indication|details?)\b"
    r"|\binsufficient information\b|\bnot enough information\b",
    re.IGNORECASE,
)


@dataclass
class CheckedAnswer:
    """The answer text with markers renumbered 1..m, and the citations those numbers mean."""

    text: str
    citations: list[Citation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unsupported_sentences: list[int] = field(default_factory=list)
    """Indexes (into ``sentences``) of claims no cited source supports."""
    sentences: list[SentenceCheck] = field(default_factory=list)
    """Every sentence of the answer, its citation numbers, and whether and why it is supported."""


@dataclass
class _Sentence:
    start: int
    end: int
    claim: str
    sources: list[int]
    """Cited hit indexes (0-based), valid ones only, in order, no repeats."""
    markers: list[re.Match]
    dangling: list[int] = field(default_factory=list)
    """Numbers it cites that refer to no source ("[7]" of five hits)."""
    inherited: bool = False
    """It has no marker: ``sources`` are those of the next sentence, checked but not cited."""


# A bare verdict ("Yes.", "No, it did not.") states no fact of its own; the sentences after it do.
VERDICT = re.compile(r"^\W*(?:yes|no|true|false)\b\W*(?:\w+\W*){0,3}$", re.IGNORECASE)


_SPACE_BEFORE_STOP = re.compile(r"\s+([.,;:!?])")


def _no_source(s: _Sentence) -> str:
    if s.dangling:
        return f"cites [{s.dangling[0]}], which is no source"
    return "cites no source"


def is_refusal(sentence: str) -> bool:
    return bool(REFUSAL.search(sentence))


def _needs_no_source(claim: str) -> bool:
    return is_refusal(claim) or bool(VERDICT.match(claim)) or not content_words(claim)


def check_citations(text: str, hits: Sequence[Hit], embedder: TextEmbedder) -> CheckedAnswer:
    """Verify and renumber the [n] citations of ``text``; ``[n]`` refers to ``hits[n-1]``."""
    if not text.strip():
        return CheckedAnswer(text=text)
    warnings: list[str] = []
    sentences = _sentences(text, len(hits), warnings)

    pairs = [(si, h) for si, s in enumerate(sentences) for h in s.sources]
    best = _best_spans(sentences, pairs, hits, embedder)

    citations: list[Citation] = []
    number_of: dict[tuple[str, int, int], int] = {}
    pair_number: dict[tuple[int, int], int] = {}
    supported_sentence = [False] * len(sentences)
    why: list[list[str]] = [[] for _ in sentences]
    for si, h in pairs:
        span, score, reason = best[(si, h)]
        ok = score >= SUPPORT_THRESHOLD and reason is None
        supported_sentence[si] = supported_sentence[si] or ok
        if sentences[si].inherited:
            if not ok:
                why[si].append(f"against the source cited after it: {reason or 'it does not say this'}")
            continue
        start, end = span.body_offsets(hits)
        key = (hits[h].chunk.doc_id, start, end)
        if key not in number_of:
            number_of[key] = len(citations) + 1
            citations.append(_citation(number_of[key], hits[h], span, hits, ok))
        elif ok and not citations[number_of[key] - 1].supported:
            # One quote backing two claims: it is supported if it supports either.
            old = citations[number_of[key] - 1]
            citations[number_of[key] - 1] = _citation(old.n, hits[h], span, hits, True)
        pair_number[(si, h)] = number_of[key]
        if not ok:
            why[si].append(f"[{number_of[key]}] {reason or 'does not say this'}")

    checks: list[SentenceCheck] = []
    unsupported = []
    for i, s in enumerate(sentences):
        numbers = list(dict.fromkeys(pair_number[(i, h)] for h in s.sources if (i, h) in pair_number))
        if supported_sentence[i]:
            checks.append(SentenceCheck(s.claim, numbers, True, ""))
        elif not s.sources and _needs_no_source(s.claim):
            checks.append(SentenceCheck(s.claim, numbers, True, "needs no source"))
        else:
            unsupported.append(i)
            reason = "; ".join(why[i]) if why[i] else _no_source(s)
            checks.append(SentenceCheck(s.claim, numbers, False, reason))
    if sentences and not pairs and any(not _needs_no_source(s.claim) for s in sentences):
        warnings.append("the answer cites no sources")
    return CheckedAnswer(
        text=_renumber(text, sentences, pair_number),
        citations=citations,
        warnings=warnings,
        unsupported_sentences=unsupported,
        sentences=checks,
    )


def _sentences(text: str, n_hits: int, warnings: list[str]) -> list[_Sentence]:
    spans = split_sentences(text)
    # A marker written after the full stop ("... rose. [2] Then ...") opens the next span;
    # it belongs to the sentence before it.
    bounds: list[list[int]] = [[a, b] for a, b in spans]
    for i in range(1, len(bounds)):
        lead = re.match(r"(?:\s*" + MARKER.pattern + r")+", text[bounds[i][0] : bounds[i][1]])
        if lead:
            bounds[i - 1][1] = bounds[i][0] + lead.end()
            bounds[i][0] = bounds[i][0] + lead.end()
            while bounds[i][0] < bounds[i][1] and text[bounds[i][0]].isspace():
                bounds[i][0] += 1
    out: list[_Sentence] = []
    warned: set[int] = set()
    for a, b in bounds:
        if a >= b:
            continue
        chunk = text[a:b]
        markers = list(MARKER.finditer(text, a, b))
        sources: list[int] = []
        dangling: list[int] = []
        for m in markers:
            for part in m.group(1).split(","):
                n = int(part)
                if 1 <= n <= n_hits:
                    if n - 1 not in sources:
                        sources.append(n - 1)
                    continue
                dangling.append(n)
                if n not in warned:
                    warned.add(n)
                    warnings.append(f"citation [{n}] refers to no source; dropped")
        # Zero-width characters are invisible on both sides; the loaders drop them from articles.
        claim = " ".join(_INVISIBLE.sub("", MARKER.sub(" ", chunk)).split())
        # "moons [1]." reads "moons." once its marker is gone.
        claim = _SPACE_BEFORE_STOP.sub(r"\1", claim)
        out.append(_Sentence(a, b, claim, sources, markers, dangling))
    # "A. B [1]." cites [1] for both: an uncited sentence takes the sources of the next cited
    # sentence of its paragraph (to be checked against them, not to show a marker).
    for i in range(len(out) - 2, -1, -1):
        s, nxt = out[i], out[i + 1]
        if not s.markers and nxt.sources and "\n\n" not in text[s.end : nxt.start] and not _needs_no_source(s.claim):
            s.sources, s.inherited = list(nxt.sources), True
    return out


def _best_spans(
    sentences: list[_Sentence], pairs: list[tuple[int, int]], hits: Sequence[Hit], embedder: TextEmbedder
) -> dict[tuple[int, int], tuple[Span, float, str | None]]:
    """For each (sentence, hit) pair, the hit's span that best supports the sentence."""
    if not pairs:
        return {}
    cited = sorted({h for _, h in pairs})
    spans = {h: hit_sentences(hits, h, window=2) for h in cited}
    flat = [sp for h in cited for sp in spans[h]]
    texts = [sp.text(hits) for sp in flat]
    span_stems = [stems(t) for t in texts]
    offset, first = 0, {}
    for h in cited:
        first[h] = offset
        offset += len(spans[h])
    # Word recall is cheap, embeddings are not: a span's score is at most its recall part plus the
    # whole cosine part, so spans are embedded best-recall first and the rest only while their
    # bound can still reach the best score found (less RIVAL_MARGIN). Exact, and most answers
    # embed a fraction of their spans.
    recall: dict[tuple[int, int], float] = {}
    for si, h in pairs:
        claim_words = content_words(sentences[si].claim)
        for j in range(first[h], first[h] + len(spans[h])):
            recall[(si, j)] = word_recall(claim_words, span_stems[j])

    def bound(si: int, j: int) -> float:
        return support_score(1.0, recall[(si, j)]) - (0.02 if flat[j].sentences > 1 else 0.0)

    def score_of(si: int, j: int) -> float:
        score = support_score(float(np.dot(claim_vec[si], vec[j])), recall[(si, j)])
        # A two-sentence window must earn its length: prefer the single sentence on ties.
        return score - 0.02 if flat[j].sentences > 1 else score

    def best_of(si: int, rows: list[int]) -> float:
        return max((score_of(si, j) for j in rows if j in vec), default=-1.0)

    rows_of = {
        (si, h): sorted(range(first[h], first[h] + len(spans[h])), key=lambda j: -bound(si, j)) for si, h in pairs
    }
    claim_ids = sorted({si for si, _ in pairs})
    todo = sorted({j for rows in rows_of.values() for j in rows[:_FIRST_EMBEDDED]})
    vectors = embedder.embed([sentences[si].claim for si in claim_ids] + [texts[j] for j in todo])
    claim_vec = dict(zip(claim_ids, vectors[: len(claim_ids)], strict=True))
    vec: dict[int, np.ndarray] = dict(zip(todo, vectors[len(claim_ids) :], strict=True))
    more = sorted(
        {
            j
            for (si, _h), rows in rows_of.items()
            for j in rows
            if j not in vec and bound(si, j) >= best_of(si, rows) - RIVAL_MARGIN
        }
    )
    if more:
        vec.update(zip(more, embedder.embed([texts[j] for j in more]), strict=True))
    best: dict[tuple[int, int], tuple[Span, float, str | None]] = {}
    for si, h in pairs:
        scored = [(score_of(si, j), j) for j in rows_of[(si, h)] if j in vec]
        scored.sort(key=lambda sj: (-sj[0], sj[1]))
        reason: str | None = None
        if not scored:  # an empty chunk: cite it whole, unsupported
            chunk = hits[h].chunk
            top = (Span(h, 0, len(chunk.text)), 0.0)
        elif missing := missing_specifics(sentences[si].claim, hits[h].chunk.text):
            # A figure or name the source never states: the claim is not supported by it.
            top = (flat[scored[0][1]], scored[0][0])
            reason = f"never mentions {', '.join(dict.fromkeys(missing))}"
        else:
            top = (flat[scored[0][1]], scored[0][0])
            # Close in words and meaning: does it say the same thing, or the opposite? A span about
            # as close as the best that agrees supports it (a live blog repeats a line with other
            # figures); a weaker one does not outvote the best (it aligns with less of the claim).
            for score, j in scored:
                if score < max(SUPPORT_THRESHOLD, scored[0][0] - RIVAL_MARGIN):
                    break
                found = contradiction(sentences[si].claim, flat[j].text(hits))
                if found is None:
                    top, reason = (flat[j], score), None
                    break
                if reason is None:
                    reason = found
        best[(si, h)] = (top[0], top[1], reason)
    return best


def _citation(n: int, hit: Hit, span: Span, hits: Sequence[Hit], supported: bool) -> Citation:
    return Citation.of(n, hit, span.start, span.end, supported=supported)


def _renumber(text: str, sentences: list[_Sentence], pair_number: dict[tuple[int, int], int]) -> str:
    """Rewrite every marker with the new numbers; markers of no source vanish with their space."""
    pieces: list[str] = []
    cursor = 0
    for si, s in enumerate(sentences):
        for m in s.markers:
            numbers: list[int] = []
            for part in m.group(1).split(","):
                h = int(part) - 1
                n = pair_number.get((si, h))
                if n is not None and n not in numbers:
                    numbers.append(n)
            start = m.start()
            if not numbers:
                while start > cursor and text[start - 1] == " ":
                    start -= 1
            pieces.append(text[cursor:start])
            if numbers:
                pieces.append("[" + ", ".join(str(n) for n in numbers) + "]")
            cursor = m.end()
    pieces.append(text[cursor:])
    return "".join(pieces)
