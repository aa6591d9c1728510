#!/usr/bin/env python
"""The refusal trade-off of the extractive engine: threshold vs the share refused of each set.

    python scripts/measure_refusal.py --corpus DIR --set offtopic=FILE --set dev=FILE [--limit N]
        [--hits-cache FILE] [--json] [--specific-words N] [--kind-penalty X]

Every question of every set goes through the real path (query analysis, hybrid retrieval, the
engine's sentence selection); the engine's evidence (``select``'s ``signals["evidence"]``, from
qa/engines/relevance.py) is kept per question. A set's questions are split by their
``answerable`` field, so a MultiHop-RAG style file gives two rows (``dev:answerable``,
``dev:null``). The table then shows, for each threshold, the share of each row whose evidence
falls below it (refused); the engine's own threshold is marked. ``--specific-words 0
--kind-penalty 0`` measures the method before the subject and asked-for corrections.
``--hits-cache`` keeps the retrieved hits in a pickle so that a change of the engine alone can be
measured again without retrieving (delete it after a retrieval change).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

THRESHOLDS = [round(0.30 + 0.02 * i, 2) for i in range(16)]


def load(path: Path, limit: int | None) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[:limit] if limit else rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--set", action="append", required=True, metavar="NAME=FILE")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--hits-cache", type=Path)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--specific-words", type=int, help="override relevance.SPECIFIC_WORDS (0: the old method)")
    ap.add_argument("--kind-penalty", type=float, help="override relevance.WRONG_KIND_PENALTY (0: the old method)")
    args = ap.parse_args()

    from evals.stores import STAMP, corpus_store
    from index.settings import Settings
    from qa.engines import relevance
    from qa.service import NewsQA

    if args.specific_words is not None:
        relevance.SPECIFIC_WORDS = args.specific_words
    if args.kind_penalty is not None:
        relevance.WRONG_KIND_PENALTY = args.kind_penalty
    settings = Settings()
    own, built = corpus_store(args.corpus, settings)
    if built:
        print(f"built the store at {own.store}", file=sys.stderr)
    assert (Path(own.store) / STAMP).is_file()
    cache = {}
    if args.hits_cache and args.hits_cache.is_file():
        cache = pickle.loads(args.hits_cache.read_bytes())
    qa = NewsQA(own)
    engine = qa.engine("extractive")
    scores: dict[str, list[float]] = {}
    try:
        for item in args.set:
            name, _, file = item.partition("=")
            recs = load(Path(file), args.limit)
            # a set with answerable and unanswerable questions both (MultiHop-RAG's dev) gives two rows
            mixed = len({r.get("answerable", True) for r in recs}) > 1
            for rec in recs:
                key = rec["question"]
                query = qa.make_query(key)
                if key not in cache:
                    cache[key] = qa.retrieve(query)
                _, signals = engine.select(query, cache[key])
                row = f"{name}:{'answerable' if rec.get('answerable', True) else 'null'}" if mixed else name
                scores.setdefault(row, []).append(signals.get("evidence", signals.get("best", 0.0)))
    finally:
        qa.close()
    if args.hits_cache:
        args.hits_cache.write_bytes(pickle.dumps(cache))
    table = {
        row: {f"{t:.2f}": round(sum(s < t for s in vals) / len(vals), 3) for t in THRESHOLDS}
        for row, vals in scores.items()
    }
    current = relevance.MIN_EVIDENCE_SCORE
    at_current = {row: round(sum(s < current for s in vals) / len(vals), 3) for row, vals in scores.items()}
    if args.json:
        print(
            json.dumps(
                {
                    "n": {r: len(v) for r, v in scores.items()},
                    "threshold": current,
                    "refused_at_threshold": at_current,
                    "curve": table,
                },
                indent=1,
            )
        )
        return 0
    rows = list(scores)
    print("threshold  " + "  ".join(f"{r}(n={len(scores[r])})" for r in rows))
    for t in THRESHOLDS:
        mark = " <-" if current is not None and abs(t - current) < 1e-9 else ""
        print(
            f"{t:9.2f}  "
            + "  ".join(f"{table[r][f'{t:.2f}']:>{len(r) + 2 + len(str(len(scores[r]))) + 3}.3f}" for r in rows)
            + mark
        )
    print(f"engine threshold {current}: " + ", ".join(f"{r} {v:.3f}" for r, v in at_current.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
