#!/usr/bin/env python
"""What the citation check costs an answer, against retrieval in the same run.

    python scripts/measure_citecheck.py --store DIR --dataset dev.jsonl [--limit N] [--sentences K] [--json]

For each question (warm ``NewsQA``, as the chat keeps it): retrieval is timed (query analysis +
hybrid retrieval), then an answer of K sentences is written from the hits as an LLM would cite
them (one sentence of each of the first K hits, marked [n]) and ``check_citations`` is timed on
it, with a fresh embedding cache for the run, so each check pays for its own embeddings. The
meaning check (qa.meaning.contradiction) is timed inside it too. Printed: medians and p95 per
answer and per sentence, and the check's cost as a ratio of retrieval's.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def answer_from(hits, k: int) -> str | None:
    """One whole sentence from the middle of each of the first k hits, cited to that hit."""
    from index.sentences import split_sentences

    parts = []
    for n, hit in enumerate(hits[:k], 1):
        text = hit.chunk.text
        spans = [(a, b) for a, b in split_sentences(text) if 40 <= b - a <= 300]
        if not spans:
            continue
        a, b = spans[len(spans) // 2]
        parts.append(" ".join(text[a:b].split()).rstrip(".") + f" [{n}].")
    return " ".join(parts) or None


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--store", type=Path, required=True)
    p.add_argument("--dataset", type=Path, required=True)
    p.add_argument("--limit", type=int, default=60)
    p.add_argument("--sentences", type=int, default=4)
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)

    import qa.citecheck
    from index.settings import Settings
    from qa.service import NewsQA

    questions = [json.loads(line)["question"] for line in args.dataset.read_text().splitlines() if line.strip()]
    questions = questions[: args.limit + 3]
    meaning_time = [0.0]
    real = qa.citecheck.contradiction

    def timed(claim: str, evidence: str):
        t0 = time.perf_counter()
        try:
            return real(claim, evidence)
        finally:
            meaning_time[0] += time.perf_counter() - t0

    qa.citecheck.contradiction = timed
    import tempfile

    # A fresh embedding cache: every question's check pays for its own embeddings.
    scratch = tempfile.TemporaryDirectory(prefix="measure-citecheck-")
    settings = Settings(store=args.store, cache_dir=Path(scratch.name))
    app = NewsQA(settings)
    app.warm_up()
    embedder = app.store.embedder
    retrieval, check, meaning, per_sentence = [], [], [], []
    try:
        for i, q in enumerate(questions):
            t0 = time.perf_counter()
            hits = app.retrieve(app.make_query(q))
            t1 = time.perf_counter()
            text = answer_from(hits, args.sentences)
            if text is None:
                continue
            meaning_time[0] = 0.0
            t2 = time.perf_counter()
            checked = qa.citecheck.check_citations(text, hits, embedder)
            t3 = time.perf_counter()
            if i < 3:  # warm-up questions
                continue
            retrieval.append(t1 - t0)
            check.append(t3 - t2)
            meaning.append(meaning_time[0])
            per_sentence.append((t3 - t2) / max(1, len(checked.sentences)))
    finally:
        app.close()
        scratch.cleanup()
    ms = 1000.0
    result = {
        "answers": len(check),
        "sentences_per_answer": args.sentences,
        "retrieval_ms": {"p50": statistics.median(retrieval) * ms, "p95": p95(retrieval) * ms},
        "check_ms_per_answer": {"p50": statistics.median(check) * ms, "p95": p95(check) * ms},
        "check_ms_per_sentence": {"p50": statistics.median(per_sentence) * ms, "p95": p95(per_sentence) * ms},
        "meaning_ms_per_answer": {"p50": statistics.median(meaning) * ms, "p95": p95(meaning) * ms},
        "check_over_retrieval_p50": statistics.median(check) / statistics.median(retrieval),
    }
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"{result['answers']} answers of {args.sentences} cited sentences (warm, fresh embedding cache)")
    for key in ("retrieval_ms", "check_ms_per_answer", "check_ms_per_sentence", "meaning_ms_per_answer"):
        row = result[key]
        print(f"{key:<24} p50 {row['p50']:8.1f}   p95 {row['p95']:8.1f}")
    print(f"check / retrieval (p50) {result['check_over_retrieval_p50']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
