"""`newsqa eval` as a user and CI run it: a real process, its own store, the real model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib

import pytest

from tests.conftest import MULTIHOP, REPO, SEEDS, requires_shared

SEED_QUESTIONS = REPO / "evals" / "data" / "seed_questions.jsonl"
SEED_OFFTOPIC = REPO / "evals" / "data" / "seed_offtopic.jsonl"
GATE_CORPUS = REPO / "evals" / "data" / "gate_corpus"
ALL_FLOORS = tomllib.loads((REPO / "evals" / "floors.toml").read_text())
FLOORS = ALL_FLOORS["seed"]
GATE_DATASETS = {"seed": SEED_QUESTIONS, "seed_offtopic": SEED_OFFTOPIC}


def newsqa(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "qa.cli", *args], capture_output=True, text=True, env=dict(os.environ), timeout=900
    )


@pytest.mark.slow
def test_ci_gate_on_the_seed_questions(tmp_path, embed_cache_dir):
    gates = [a for name, floor in FLOORS.items() for a in ("--fail-under", f"{name}={floor}")]
    out = newsqa(
        "eval",
        "--dataset",
        str(SEED_QUESTIONS),
        "--corpus",
        str(GATE_CORPUS),
        "--out",
        str(tmp_path / "out"),
        "--json",
        *gates,
    )
    assert out.returncode == 0, out.stderr
    metrics = json.loads(out.stdout)
    assert metrics["n"] == 18 and metrics["engine"] == "extractive"
    assert set(metrics["retrieval"]) == {"evidence_recall@4", "evidence_recall@10", "doc_recall@10", "mrr@10"}
    assert set(metrics["citations"]) == {"recall", "precision", "verbatim"}
    assert set(metrics["refusal"]) == {"unanswerable_refused", "answerable_refused"}
    assert set(metrics["latency_ms"]) == {"p50", "p95"}
    assert set(metrics["by_type"]) == {"fact", "yes_no", "unanswerable"}
    # Retrieval does not apply to questions without gold evidence: null, not 0.
    assert metrics["by_type"]["unanswerable"]["retrieval"]["mrr@10"] is None
    assert metrics["by_type"]["fact"]["refusal"]["unanswerable_refused"] is None
    assert metrics["citations"]["verbatim"] == 1.0
    assert metrics["judge"]["n"] >= 50 and metrics["judge"]["agreement"] >= 0.8

    files = {p.name for p in (tmp_path / "out").iterdir()}
    assert {"metrics.json", "results.jsonl", "report.md", "recall_by_type.png", "refusal_tradeoff.png"} <= files
    rows = [json.loads(line) for line in (tmp_path / "out" / "results.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == [f"seed-{i:02d}" for i in range(1, 19)]
    assert {"question", "answer", "citations", "verdicts", "retrieved", "metrics"} <= set(rows[0])
    report = (tmp_path / "out" / "report.md").read_text()
    assert "| **all** | 18 |" in report and "Judge agreement" in report

    # The evaluation store is cached by the corpus's files and never the user's store.
    stores = list((embed_cache_dir / "eval-stores").iterdir())
    assert stores and not (tmp_path / "store").exists()
    again = newsqa("eval", "--dataset", str(SEED_QUESTIONS), "--corpus", str(GATE_CORPUS), "--limit", "2")
    assert again.returncode == 0, again.stderr
    assert "built the evaluation store" not in again.stderr
    assert list((embed_cache_dir / "eval-stores").iterdir()) == stores


@pytest.mark.slow
def test_ci_gate_on_the_seed_offtopic_questions(tmp_path):
    gates = [a for name, floor in ALL_FLOORS["seed_offtopic"].items() for a in ("--fail-under", f"{name}={floor}")]
    out = newsqa("eval", "--dataset", str(SEED_OFFTOPIC), "--corpus", str(GATE_CORPUS), "--json", *gates)
    assert out.returncode == 0, out.stderr
    metrics = json.loads(out.stdout)
    assert metrics["n"] == 20 and set(metrics["by_type"]) == {"off_topic"}


def test_every_floor_section_names_a_dataset():
    # [claims] gates the citation check on a claim set: tests/evals/test_claims.py.
    assert set(ALL_FLOORS) == set(GATE_DATASETS) | {"claims"}
    assert all(path.is_file() for path in GATE_DATASETS.values())


@pytest.mark.slow
def test_the_gate_fails_below_a_floor(tmp_path):
    out = newsqa(
        "eval",
        "--dataset",
        str(SEED_QUESTIONS),
        "--corpus",
        str(SEEDS),
        "--limit",
        "3",
        "--fail-under",
        "faithfulness=1.01",
        "--fail-under",
        "unanswerable_refused=0.5",
    )
    assert out.returncode == 3
    assert "faithfulness 1.0000 is below the floor 1.01" in out.stderr
    assert "unanswerable_refused is null" in out.stderr  # the first 3 questions are all answerable


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fail-under", "speed=1"], "--fail-under 'speed=1': expected METRIC=VALUE"),
        (["--fail-under", "faithfulness=high"], "'high' is not a number"),
        (["--limit", "0"], "--limit 0: must be at least 1"),
    ],
)
def test_bad_options_are_one_line_errors(args, message):
    out = newsqa("eval", "--dataset", str(SEED_QUESTIONS), *args)
    assert out.returncode == 1 and message in out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_a_bad_dataset_line_is_named(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "question": "Q?"}\n{"id": "b"}\n')
    out = newsqa("eval", "--dataset", str(bad), "--corpus", str(SEEDS))
    assert out.returncode == 1 and f"{bad}:2: 'question' must be a non-empty string" in out.stderr


def test_a_missing_corpus_is_named(tmp_path):
    out = newsqa("eval", "--dataset", str(SEED_QUESTIONS), "--corpus", str(tmp_path / "nope"))
    assert out.returncode == 1 and "corpus" in out.stderr and "does not exist" in out.stderr


@pytest.mark.slow
@requires_shared()
def test_a_slice_of_the_multihop_dev_set_runs_as_it_is(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    questions = [json.loads(line) for line in (MULTIHOP / "dev.jsonl").read_text().splitlines()[:3]]
    for q in questions:  # a small corpus: only the gold articles of three questions
        for ev in q["evidence"]:
            src = MULTIHOP / "corpus" / f"{ev['doc_id']}.json"
            (corpus / src.name).write_bytes(src.read_bytes())
    out = newsqa("eval", "--dataset", str(MULTIHOP / "dev.jsonl"), "--corpus", str(corpus), "--limit", "3", "--json")
    assert out.returncode == 0, out.stderr
    metrics = json.loads(out.stdout)
    assert metrics["n"] == 3 and metrics["retrieval"]["doc_recall@10"] is not None
