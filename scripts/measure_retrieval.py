#!/usr/bin/env python
"""Evidence recall of retrieval on a MultiHop-RAG style question file.

    python scripts/measure_retrieval.py --store DIR --dataset dev.jsonl [--limit N] [--half even|odd] [--json]

Each answerable question is retrieved with top-k 10 through the real path (query analysis, then
the hybrid retriever). A gold fact counts as found at k when its [char_start, char_end) lies inside
one of the first k chunks of the same article. Reported: mean evidence recall@4 and @10 (share of
a question's facts found), hits@4/@10 (all facts found), MRR@10 (rank of the first chunk holding
any fact), per question type and overall, and the warm latency of query analysis + retrieval.
Diagnostics: docs@10 (share of the gold articles among the top 10 at all) and chars@10 (characters
of context in the top 10).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

TOP = 10
CUTS = (4, 10)


def load_questions(path: Path, limit: int | None, half: str | None = None) -> list[dict]:
    """Answerable questions of the file; ``half`` "even"/"odd" keeps those on even/odd (1-based)
    line numbers, to tune on one half and confirm on the other."""
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip() or (half and (n % 2 == 0) != (half == "even")):
                continue
            try:
                rec = json.loads(line)
            except ValueError:
                raise SystemExit(f"error: {path}:{n}: not a JSON line") from None
            if rec.get("answerable", True) and rec.get("evidence"):
                rows.append(rec)
    return rows[:limit] if limit else rows


def score_question(rec: dict, spans: list[tuple[str, int, int]]) -> dict:
    """``spans``: the retrieved chunks as (doc_id, char_start, char_end), best first."""
    facts = rec["evidence"]

    def holds(span, fact) -> bool:
        doc, a, b = span
        return doc == fact["doc_id"] and a <= fact["char_start"] and fact["char_end"] <= b

    out = {}
    for k in CUTS:
        found = sum(any(holds(s, f) for s in spans[:k]) for f in facts)
        out[f"recall@{k}"] = found / len(facts)
        out[f"hits@{k}"] = float(found == len(facts))
    rr = 0.0
    for rank, s in enumerate(spans[:TOP], 1):
        if any(holds(s, f) for f in facts):
            rr = 1.0 / rank
            break
    out["mrr@10"] = rr
    # diagnostics: share of the gold articles among the top 10 at all, and context handed over
    gold = {f["doc_id"] for f in facts}
    out["docs@10"] = len(gold & {s[0] for s in spans[:TOP]}) / len(gold)
    out["chars@10"] = float(sum(b - a for _, a, b in spans[:TOP]))
    return out


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, required=True, help="the store directory to measure")
    ap.add_argument("--dataset", type=Path, required=True, help="question file (JSON lines with evidence)")
    ap.add_argument("--limit", type=int, help="only the first N answerable questions")
    ap.add_argument("--half", choices=("even", "odd"), help="only questions on even / odd line numbers")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = ap.parse_args(argv)
    if not args.dataset.is_file():
        print(f"error: no such dataset: {args.dataset}", file=sys.stderr)
        return 2
    if not args.store.is_dir():
        print(f"error: no such store: {args.store}", file=sys.stderr)
        return 2

    from index.settings import Settings
    from qa.models import Filters
    from qa.service import NewsQA

    settings = Settings().model_copy(update={"store": args.store})
    qa = NewsQA(settings)
    qa.warm_up()
    questions = load_questions(args.dataset, args.limit, args.half)
    per_type: dict[str, list[dict]] = defaultdict(list)
    latencies = []
    for rec in questions:
        t0 = time.perf_counter()
        hits = qa.retrieve(qa.make_query(rec["question"], Filters(), TOP))
        latencies.append((time.perf_counter() - t0) * 1000)
        spans = [(h.chunk.doc_id, h.chunk.char_start, h.chunk.char_end) for h in hits]
        scores = score_question(rec, spans)
        per_type[rec.get("type", "all")].append(scores)
        per_type["all"].append(scores)
    qa.close()

    table = {
        t: {"n": len(rows), **{m: sum(r[m] for r in rows) / len(rows) for m in rows[0]}}
        for t, rows in sorted(per_type.items(), key=lambda kv: (kv[0] == "all", kv[0]))
        if rows
    }
    latency = {"p50_ms": percentile(latencies, 0.5), "p95_ms": percentile(latencies, 0.95)}
    if args.json:
        print(json.dumps({"store": str(args.store), "metrics": table, "latency": latency}, indent=2))
        return 0
    metrics = ["recall@4", "recall@10", "hits@4", "hits@10", "mrr@10", "docs@10", "chars@10"]
    print(f"{'type':<18}{'n':>5}" + "".join(f"{m:>10}" for m in metrics))
    for t, row in table.items():
        print(
            f"{t:<18}{row['n']:>5}"
            + "".join(f"{row[m]:>10.3f}" if m != "chars@10" else f"{row[m]:>10.0f}" for m in metrics)
        )
    print(f"latency: p50 {latency['p50_ms']:.1f} ms, p95 {latency['p95_ms']:.1f} ms (query analysis + retrieval, warm)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
