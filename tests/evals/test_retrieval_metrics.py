"""Retrieval metrics on the seed article's real chunks, ranked by hand."""

from __future__ import annotations

from dataclasses import replace

import pytest

from evals.datasets import Evidence
from evals.metrics.retrieval import locate, retrieval_metrics
from qa.models import Hit


def fact(article, prefix: str, **ref) -> Evidence:
    start = article.body.index(prefix)
    end = article.body.index(".", start) + 1
    ref = ref or {"doc_id": article.doc_id}
    return Evidence(text=article.body[start:end], char_start=start, char_end=end, **ref)


def chunk_holding(hits, ev: Evidence) -> int:
    return next(
        i for i, h in enumerate(hits) if h.chunk.char_start <= ev.char_start and ev.char_end <= h.chunk.char_end
    )


def other_doc(hit: Hit, n: int) -> Hit:
    meta = replace(hit.meta, doc_id=f"other-{n}", title=f"Other {n}", url=f"https://example.org/{n}")
    return Hit(chunk=replace(hit.chunk, doc_id=f"other-{n}", chunk_id=f"other-{n}:0"), meta=meta, score=0.1)


def test_facts_found_at_4_and_10_with_mrr(article, hits):
    first = fact(article, "Since 2014")
    last = fact(article, "Global observers")
    i, j = chunk_holding(hits, first), chunk_holding(hits, last)
    assert i != j
    fillers = [other_doc(hits[0], n) for n in range(8)]
    # rank 2: the chunk with the first fact; rank 6: the chunk with the second one.
    ranked = [fillers[0], hits[i], *fillers[1:4], hits[j], *fillers[4:8]]
    m = retrieval_metrics([first, last], ranked, lambda d: article.body if d == article.doc_id else None)
    assert m == {"evidence_recall@4": 0.5, "evidence_recall@10": 1.0, "doc_recall@10": 1.0, "mrr@10": 0.5}


def test_gold_article_missing_from_the_ranking(article, hits):
    ranked = [other_doc(hits[0], n) for n in range(10)]
    m = retrieval_metrics([fact(article, "Since 2014")], ranked, lambda d: None)
    assert m == {"evidence_recall@4": 0.0, "evidence_recall@10": 0.0, "doc_recall@10": 0.0, "mrr@10": 0.0}


def test_right_article_wrong_chunk_counts_for_doc_recall_only(article, hits):
    ev = fact(article, "Global observers")
    wrong = [h for h in hits if not (h.chunk.char_start <= ev.char_start < h.chunk.char_end)]
    m = retrieval_metrics([ev], wrong[:1], lambda d: article.body)
    assert m["doc_recall@10"] == 1.0 and m["evidence_recall@10"] == 0.0 and m["mrr@10"] == 0.0


def test_no_gold_evidence_gives_nulls(hits):
    assert set(retrieval_metrics([], hits, lambda d: None).values()) == {None}


@pytest.mark.parametrize(
    "ref", [{"url": "https://example.org/seed-000"}, {"title": "  trump and PUTIN's Negotiations: A Path to Peace? "}]
)
def test_evidence_matched_by_url_or_title(article, hits, ref):
    ev = fact(article, "Since 2014", **ref)
    ev = replace(ev, char_start=None, char_end=None)
    m = retrieval_metrics([ev], [hits[chunk_holding(hits, fact(article, "Since 2014"))]], lambda d: article.body)
    assert m["evidence_recall@4"] == 1.0 and m["mrr@10"] == 1.0


def test_stale_offsets_fall_back_to_the_text(article, hits):
    ev = fact(article, "Since 2014")
    stale = replace(ev, char_start=ev.char_start + 40, char_end=ev.char_end + 40)
    assert locate(stale, article.body) == (ev.char_start, ev.char_end)
    squeezed = replace(ev, text=ev.text.replace(" ", "  "), char_start=None, char_end=None)
    assert locate(squeezed, article.body) == (ev.char_start, ev.char_end)
    assert locate(replace(ev, text="Not in the article at all."), article.body) is None


def test_without_a_body_the_text_must_be_in_one_chunk(article, hits):
    ev = replace(fact(article, "Since 2014"), char_start=None, char_end=None)
    holder = hits[chunk_holding(hits, fact(article, "Since 2014"))]
    assert retrieval_metrics([ev], [holder], lambda d: None)["evidence_recall@4"] == 1.0
    others = [h for h in hits if h is not holder and ev.text not in h.chunk.text]
    assert retrieval_metrics([ev], others, lambda d: None)["evidence_recall@4"] == 0.0
