"""How often a judge agrees with hand labels (evals/data/judge_labels.jsonl).

Each label is a (claim, source) pair marked supported or unsupported by a person. The figure
says how far the judge's verdicts behind every other metric can be trusted.
"""

from __future__ import annotations

import json
from pathlib import Path

from evals.judges import Judge
from index.errors import InputError

LABELS = Path(__file__).resolve().parent.parent / "data" / "judge_labels.jsonl"


def load_labels(path: Path = LABELS) -> list[dict]:
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
        if row.get("label") not in ("supported", "unsupported") or not row.get("claim") or not row.get("source"):
            raise InputError(f"{path}:{number}: needs claim, source and label supported|unsupported")
        rows.append(row)
    return rows


def agreement(judge: Judge, labels: list[dict] | None = None) -> dict:
    """{n, agreement, true_pos, false_pos, true_neg, false_neg, undecided, disagreements: [ids]}."""
    labels = load_labels() if labels is None else labels
    counts = {"true_pos": 0, "false_pos": 0, "true_neg": 0, "false_neg": 0, "undecided": 0}
    wrong = []
    for row in labels:
        (verdict,) = judge.judge([row["claim"]], row["source"])
        gold = row["label"] == "supported"
        if verdict.supported is None:
            counts["undecided"] += 1
            wrong.append(row["id"])
            continue
        key = ("true_" if verdict.supported == gold else "false_") + ("pos" if verdict.supported else "neg")
        counts[key] += 1
        if verdict.supported != gold:
            wrong.append(row["id"])
    n = len(labels)
    agreed = counts["true_pos"] + counts["true_neg"]
    return {"judge": judge.name, "n": n, "agreement": agreed / n if n else None, **counts, "disagreements": wrong}
