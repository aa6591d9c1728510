"""The report's plots, as PNG files beside report.md (matplotlib, Agg: no display needed)."""

from __future__ import annotations

from pathlib import Path


def draw_plots(out: Path, metrics: dict, results: list[dict]) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    types = list(metrics["by_type"])

    # Evidence recall at 4 and 10, and doc recall at 10, per question type.
    with_gold = [t for t in types if metrics["by_type"][t]["retrieval"]["evidence_recall@10"] is not None]
    if with_gold:
        fig, ax = plt.subplots(figsize=(7, 3.6))
        keys = ("evidence_recall@4", "evidence_recall@10", "doc_recall@10")
        width = 0.8 / len(keys)
        for i, k in enumerate(keys):
            values = [metrics["by_type"][t]["retrieval"][k] for t in with_gold]
            ax.bar([x + i * width for x in range(len(with_gold))], values, width, label=k)
        ax.set_xticks([x + width for x in range(len(with_gold))], with_gold, fontsize=8)
        ax.set_ylim(0, 1)
        ax.set_ylabel("share of gold facts / articles")
        ax.set_title("Retrieval recall per question type")
        ax.legend(fontsize=8)
        written.append(_save(fig, out / "recall_by_type.png"))

    # Refusal trade-off: how both refusal rates would move if answers whose best retrieved hit
    # scored below a cut were refused too (the top fused retrieval score as a crude confidence).
    answerable = [r for r in results if r["answerable"]]
    unanswerable = [r for r in results if not r["answerable"]]
    if answerable and unanswerable:
        fig, ax = plt.subplots(figsize=(5, 4))
        xs, ys = [], []
        scores = sorted({_confidence(r) for r in results})
        for t in [float("-inf"), *scores]:
            xs.append(sum(1 for r in answerable if not r["answered"] or _confidence(r) < t) / len(answerable))
            ys.append(sum(1 for r in unanswerable if not r["answered"] or _confidence(r) < t) / len(unanswerable))
        ax.plot(xs, ys, marker=".", linewidth=1)
        ref = metrics["refusal"]
        ax.scatter([ref["answerable_refused"]], [ref["unanswerable_refused"]], color="red", zorder=3, label="as run")
        ax.set_xlabel("answerable questions refused")
        ax.set_ylabel("unanswerable questions refused")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_title("Refusal trade-off (extra cut on top retrieval score)")
        ax.legend(fontsize=8)
        written.append(_save(fig, out / "refusal_tradeoff.png"))

    # Latency distribution.
    latencies = [r["latency_ms"] for r in results]
    if latencies:
        fig, ax = plt.subplots(figsize=(5, 3))
        ax.hist(latencies, bins=min(30, max(5, len(latencies) // 5)))
        ax.axvline(metrics["latency_ms"]["p50"], color="black", linestyle="--", label="p50")
        ax.axvline(metrics["latency_ms"]["p95"], color="red", linestyle="--", label="p95")
        ax.set_xlabel("ms per question")
        ax.set_title("Latency")
        ax.legend(fontsize=8)
        written.append(_save(fig, out / "latency.png"))
    return written


def _confidence(result: dict) -> float:
    """The fused score of the best retrieved chunk."""
    return max((h.get("score", 0.0) for h in result["retrieved"]), default=0.0)


def _save(fig, path: Path) -> str:
    import matplotlib.pyplot as plt

    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return str(path)
