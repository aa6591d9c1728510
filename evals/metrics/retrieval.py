"""Retrieval against gold evidence: evidence recall@k, doc recall@k and MRR@k.

A gold fact is *found at k* when its span in the article body lies inside the union of the
top-k retrieved chunks of that article (chunks are sentence-aligned, so this almost always
means one chunk holds it; the union only matters for a fact the chunker split). A chunk is
*relevant* (for MRR) when it overlaps a gold fact's span.

The span is located in the stored body: at the gold offsets when the body there equals the
gold text, else by searching the body for the text (whitespace-insensitively), since a loader
may clean a body and shift offsets. When the body is unavailable, the gold text must appear
verbatim in one retrieved chunk.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from evals.datasets import Evidence
from qa.models import Hit

BodyLookup = Callable[[str], str | None]


def same_doc(evidence: Evidence, hit: Hit) -> bool:
    """By doc_id when both sides have it, else url, else title."""
    meta = hit.meta
    if evidence.doc_id and meta.doc_id:
        return evidence.doc_id == meta.doc_id
    if evidence.url and meta.url:
        return evidence.url.rstrip("/") == meta.url.rstrip("/")
    if evidence.title and meta.title:
        return _squash(evidence.title).casefold() == _squash(meta.title).casefold()
    return False


def doc_key(evidence: Evidence) -> str:
    return evidence.doc_id or evidence.url or _squash(evidence.title or "").casefold()


def locate(evidence: Evidence, body: str) -> tuple[int, int] | None:
    """The evidence's (start, end) in ``body``, or None when the text is not there."""
    s, e = evidence.char_start, evidence.char_end
    if s is not None and e is not None and body[s:e] == evidence.text:
        return s, e
    i = body.find(evidence.text)
    if i >= 0:
        return i, i + len(evidence.text)
    words = evidence.text.split()
    if not words:
        return None
    m = re.search(r"\s+".join(re.escape(w) for w in words), body)
    return (m.start(), m.end()) if m else None


def _squash(text: str) -> str:
    return " ".join(text.split())


class EvidenceSpans:
    """Each gold fact's span in its article, resolved once per question."""

    def __init__(self, evidence: Sequence[Evidence], hits: Sequence[Hit], body_of: BodyLookup):
        self.evidence = list(evidence)
        self.spans: list[tuple[str, int, int] | None] = []
        for ev in self.evidence:
            span = None
            hit = next((h for h in hits if same_doc(ev, h)), None)
            if hit is not None:
                body = body_of(hit.meta.doc_id)
                where = locate(ev, body) if body is not None else None
                if where is not None:
                    span = (hit.meta.doc_id, where[0], where[1])
            self.spans.append(span)

    def found(self, i: int, hits: Sequence[Hit]) -> bool:
        """Whether gold fact ``i`` lies in the union of ``hits`` of its article."""
        ev, span = self.evidence[i], self.spans[i]
        mine = [h for h in hits if same_doc(ev, h)]
        if not mine:
            return False
        if span is None:  # no body to locate it in: the text must be in one chunk as it is
            needle = _squash(ev.text)
            return any(needle in _squash(h.chunk.text) for h in mine)
        _, start, end = span
        ranges = sorted((h.chunk.char_start, h.chunk.char_end) for h in mine if h.meta.doc_id == span[0])
        reach = start
        for a, b in ranges:
            if a <= reach < b:
                reach = max(reach, b)
            if reach >= end:
                return True
        return reach >= end

    def relevant(self, hit: Hit) -> bool:
        """Whether ``hit`` overlaps any gold fact."""
        for ev, span in zip(self.evidence, self.spans, strict=True):
            if not same_doc(ev, hit):
                continue
            if span is None:
                if _squash(ev.text) in _squash(hit.chunk.text):
                    return True
            elif span[0] == hit.meta.doc_id and hit.chunk.char_start < span[2] and span[1] < hit.chunk.char_end:
                return True
        return False


def retrieval_metrics(evidence: Sequence[Evidence], ranked: Sequence[Hit], body_of: BodyLookup) -> dict:
    """evidence_recall@4/@10, doc_recall@10, mrr@10; all None when there is no gold evidence."""
    keys = ("evidence_recall@4", "evidence_recall@10", "doc_recall@10", "mrr@10")
    if not evidence:
        return dict.fromkeys(keys)
    top10 = list(ranked[:10])
    spans = EvidenceSpans(evidence, top10, body_of)
    out = {}
    for k in (4, 10):
        out[f"evidence_recall@{k}"] = sum(spans.found(i, top10[:k]) for i in range(len(evidence))) / len(evidence)
    gold_docs = {doc_key(ev): ev for ev in evidence}
    out["doc_recall@10"] = sum(any(same_doc(ev, h) for h in top10) for ev in gold_docs.values()) / len(gold_docs)
    out["mrr@10"] = next((1.0 / rank for rank, h in enumerate(top10, start=1) if spans.relevant(h)), 0.0)
    return out
