"""What `newsqa eval --out DIR` writes: metrics.json, results.jsonl, report.md and PNG plots."""

from __future__ import annotations

import json
from pathlib import Path

from evals.aggregate import RETRIEVAL_KEYS

WORST_CASES = 5


def _fmt(value) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def summary_lines(metrics: dict) -> list[str]:
    """The headline figures, one per line, for the terminal."""
    r, c, ref = metrics["retrieval"], metrics["citations"], metrics["refusal"]
    judge = metrics.get("judge") or {}
    return [
        (
            f"{metrics['n']} questions, engine {metrics['engine']}, judge {judge.get('judge', '?')}"
            f" (agrees with hand labels on {_fmt(judge.get('agreement'))} of {judge.get('n', 0)})"
        ),
        "retrieval: " + ", ".join(f"{k} {_fmt(r[k])}" for k in RETRIEVAL_KEYS),
        f"citations: recall {_fmt(c['recall'])}, precision {_fmt(c['precision'])}, verbatim {_fmt(c['verbatim'])}",
        f"faithfulness {_fmt(metrics['faithfulness'])}, answer accuracy {_fmt(metrics['answer_accuracy'])}",
        (
            f"refusal: unanswerable refused {_fmt(ref['unanswerable_refused'])}, "
            f"answerable refused {_fmt(ref['answerable_refused'])}"
        ),
        f"latency p50 {metrics['latency_ms']['p50']} ms, p95 {metrics['latency_ms']['p95']} ms"
        + (f"; took {metrics['elapsed_s']} s" if "elapsed_s" in metrics else ""),
    ]


def write_outputs(out: Path, metrics: dict, results: list[dict]) -> None:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    with open(out / "results.jsonl", "w", encoding="utf-8") as f:
        for r in results:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    from evals.plots import draw_plots

    plots = draw_plots(out, metrics, results)
    (out / "report.md").write_text(render_markdown(metrics, results, plots), encoding="utf-8")


def _row(name: str, block: dict) -> str:
    r, c, ref = block["retrieval"], block["citations"], block["refusal"]
    cells = [
        name,
        str(block["n"]),
        *(_fmt(r[k]) for k in RETRIEVAL_KEYS),
        _fmt(c["recall"]),
        _fmt(c["precision"]),
        _fmt(c["verbatim"]),
        _fmt(block["faithfulness"]),
        _fmt(ref["unanswerable_refused"]),
        _fmt(ref["answerable_refused"]),
        _fmt(block["answer_accuracy"]),
        f"{block['latency_ms']['p50']:.0f}",
        f"{block['latency_ms']['p95']:.0f}",
    ]
    return "| " + " | ".join(cells) + " |"


HEADER = (
    "| | n | ev. recall@4 | ev. recall@10 | doc recall@10 | MRR@10 | cit. recall | cit. precision | verbatim "
    "| faithfulness | unanswerable refused | answerable refused | answer acc. | p50 ms | p95 ms |\n"
    "|---|" + "---|" * 14
)


def render_markdown(metrics: dict, results: list[dict], plots: list[str]) -> str:
    judge = metrics.get("judge") or {}
    lines = [
        "# newsqa evaluation",
        "",
        (
            f"Dataset `{metrics.get('dataset', '?')}`, {metrics['n']} questions, engine **{metrics['engine']}**, "
            f"judge **{judge.get('judge', '?')}**; run took {metrics.get('elapsed_s', '?')} s. "
            "Definitions: docs/evals.md. n/a: the metric applies to no question here."
        ),
        "",
        HEADER,
        _row("**all**", metrics),
        *(_row(t, b) for t, b in metrics["by_type"].items()),
        "",
        (
            f"Judge agreement with {judge.get('n', 0)} hand-labelled claim/source pairs: "
            f"**{_fmt(judge.get('agreement'))}** (supported agreed {judge.get('true_pos', 0)}, unsupported agreed "
            f"{judge.get('true_neg', 0)}, judged supported against the label {judge.get('false_pos', 0)}, "
            f"judged unsupported against the label {judge.get('false_neg', 0)})."
        ),
        "",
    ]
    lines += [f"![{Path(p).stem}]({Path(p).name})" for p in plots]
    lines += ["", *_worst_cases(results)]
    return "\n".join(lines) + "\n"


def _worst_cases(results: list[dict]) -> list[str]:
    out: list[str] = []

    def section(title: str, picked: list[dict], show) -> None:
        out.extend([f"## {title} ({len(picked)})", ""])
        if not picked:
            out.extend(["None.", ""])
        for r in picked[:WORST_CASES]:
            out.append(f"### {r['id']} ({r['type']}): {_inline(r['question'])}")
            out.append("")
            out.append(f"- answer: {_inline(r['answer'])}")
            if r.get("gold_answer"):
                out.append(f"- gold answer: {_inline(r['gold_answer'])}")
            out.extend(show(r))
            out.append("")

    def unsupported(r):
        rows = [
            f"- unsupported claim: {_inline(v['claim'])} ({v.get('reason') or v['method']})"
            for v in r["verdicts"]["faithfulness"]
            if v["supported"] is False
        ]
        rows += [f'- cited [{c["n"]}] {_inline(c["title"])}: "{_inline(c["quote"])}"' for c in r["citations"]]
        return rows

    def evidence(r):
        rows = [
            f'- gold evidence ({_inline(e.get("title") or e.get("doc_id") or "")}): "{_inline(e["text"])}"'
            for e in r["gold_evidence"]
        ]
        rows += [f"- retrieved #{h['rank']}: {_inline(h['title'])}" for h in r["retrieved"][:4]]
        return rows

    m = lambda r, k: r["metrics"].get(k)  # noqa: E731
    unfaithful = sorted((r for r in results if (m(r, "faithfulness") or 1.0) < 1.0), key=lambda r: m(r, "faithfulness"))
    section("Least faithful answers", unfaithful, unsupported)
    imprecise = sorted(
        (r for r in results if m(r, "citation_precision") is not None and m(r, "citation_precision") < 1.0),
        key=lambda r: m(r, "citation_precision"),
    )
    section("Least precise citations", imprecise, unsupported)
    section(
        "Unanswerable questions answered", [r for r in results if not r["answerable"] and r["answered"]], unsupported
    )
    section("Answerable questions refused", [r for r in results if r["answerable"] and not r["answered"]], evidence)
    missed = sorted(
        (r for r in results if m(r, "evidence_recall@10") is not None and m(r, "evidence_recall@10") < 1.0),
        key=lambda r: m(r, "evidence_recall@10"),
    )
    section("Gold evidence missed by retrieval (top 10)", missed, evidence)
    return out


def _inline(text: str | None, limit: int = 400) -> str:
    text = " ".join((text or "").split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"
