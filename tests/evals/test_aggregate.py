"""Aggregation: means over the questions a metric applies to, nulls where none, by type, latency."""

from __future__ import annotations

from evals.aggregate import metric_value, summarise


def result(qtype, answerable, answered, latency, **metrics):
    base = dict.fromkeys(
        [
            "evidence_recall@4",
            "evidence_recall@10",
            "doc_recall@10",
            "mrr@10",
            "citation_recall",
            "citation_precision",
            "citation_verbatim",
            "faithfulness",
            "correct",
        ]
    )
    base.update(metrics, refused=not answered)
    return {"type": qtype, "answerable": answerable, "answered": answered, "latency_ms": latency, "metrics": base}


RESULTS = [
    result("a", True, True, 100, faithfulness=1.0, citation_precision=1.0, correct=True, **{"mrr@10": 1.0}),
    result("a", True, False, 300, correct=False, **{"mrr@10": 0.5}),
    result("b", False, False, 200),
    result("b", False, True, 400, faithfulness=0.0, citation_precision=0.0),  # an unanswerable question answered
]


def test_summary_means_nulls_and_types():
    m = summarise(RESULTS, "extractive")
    assert (m["n"], m["engine"]) == (4, "extractive")
    assert m["faithfulness"] == 0.5 and m["citations"]["precision"] == 0.5
    assert m["citations"]["recall"] is None  # applies to no question: null, not 0
    assert m["answer_accuracy"] == 0.5
    assert m["refusal"] == {"unanswerable_refused": 0.5, "answerable_refused": 0.5}
    assert m["retrieval"]["mrr@10"] == 0.75 and m["retrieval"]["doc_recall@10"] is None
    assert m["by_type"]["a"]["refusal"]["unanswerable_refused"] is None
    assert m["by_type"]["b"]["refusal"]["unanswerable_refused"] == 0.5
    assert m["by_type"]["b"]["answer_accuracy"] is None
    assert m["latency_ms"] == {"p50": 250.0, "p95": 385.0}


def test_gate_names_read_the_summary():
    m = summarise(RESULTS, "extractive")
    assert metric_value(m, "citation_precision") == 0.5
    assert metric_value(m, "mrr@10") == 0.75
    assert metric_value(m, "citation_recall") is None
