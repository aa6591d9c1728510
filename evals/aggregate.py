"""Per-question results -> the metrics object `newsqa eval --json` prints.

Every figure is a mean over the questions it applies to; a figure that applies to none is
null, never 0. The same keys are given per question type under ``by_type``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

RETRIEVAL_KEYS = ("evidence_recall@4", "evidence_recall@10", "doc_recall@10", "mrr@10")


def _mean(values) -> float | None:
    vals = [float(v) for v in values if v is not None]
    return round(sum(vals) / len(vals), 4) if vals else None


def _block(results: Sequence[dict]) -> dict:
    m = [r["metrics"] for r in results]
    unanswerable = [x["refused"] for r, x in zip(results, m, strict=True) if not r["answerable"]]
    answerable = [x["refused"] for r, x in zip(results, m, strict=True) if r["answerable"]]
    latencies = [r["latency_ms"] for r in results]
    return {
        "n": len(results),
        "retrieval": {k: _mean(x[k] for x in m) for k in RETRIEVAL_KEYS},
        "citations": {
            "recall": _mean(x["citation_recall"] for x in m),
            "precision": _mean(x["citation_precision"] for x in m),
            "verbatim": _mean(x["citation_verbatim"] for x in m),
        },
        "faithfulness": _mean(x["faithfulness"] for x in m),
        "refusal": {"unanswerable_refused": _mean(unanswerable), "answerable_refused": _mean(answerable)},
        "answer_accuracy": _mean(x["correct"] for x in m),
        "latency_ms": {
            "p50": round(float(np.percentile(latencies, 50)), 1) if latencies else None,
            "p95": round(float(np.percentile(latencies, 95)), 1) if latencies else None,
        },
    }


def summarise(results: Sequence[dict], engine: str) -> dict:
    out = _block(results)
    out = {"n": out.pop("n"), "engine": engine, **out}
    types = sorted({r["type"] for r in results})
    out["by_type"] = {t: _block([r for r in results if r["type"] == t]) for t in types}
    return out


# `--fail-under` names: a flat alias for each figure, and the dotted path it reads.
GATE_METRICS = {
    "faithfulness": ("faithfulness",),
    "citation_recall": ("citations", "recall"),
    "citation_precision": ("citations", "precision"),
    "citation_verbatim": ("citations", "verbatim"),
    "answer_accuracy": ("answer_accuracy",),
    "unanswerable_refused": ("refusal", "unanswerable_refused"),
    "claims_balanced_accuracy": ("claims", "balanced_accuracy"),
    **{k: ("retrieval", k) for k in RETRIEVAL_KEYS},
}


def metric_value(metrics: dict, name: str) -> float | None:
    path = GATE_METRICS.get(name) or tuple(name.split("."))
    value = metrics
    for part in path:
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def gate_failures(metrics: dict, floors: dict[str, float]) -> list[str]:
    """One line per floor the metrics miss: a figure below its floor, or null (a gate on a
    figure that does not apply to the dataset is a mistake, not a pass)."""
    failed = []
    for name, floor in floors.items():
        value = metric_value(metrics, name)
        if value is None:
            failed.append(f"{name} is null (does not apply to this dataset), floor {floor}")
        elif value < floor:
            failed.append(f"{name} {value:.4f} is below the floor {floor}")
    return failed
