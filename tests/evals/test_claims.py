"""`newsqa eval --claims`: the citation check measured on claims, and the CI gate on the seed and\nprobe sets."""

from __future__ import annotations

import json
import tomllib

import pytest

import qa.citecheck
import qa.lexicon
import qa.meaning
from qa.cli import main
from tests.conftest import REPO, SEEDS

SEED_CLAIMS = REPO / "evals" / "data" / "seed_claims.jsonl"
FLOOR = tomllib.loads((REPO / "evals" / "floors.toml").read_text())["claims"]["claims_balanced_accuracy"]
GATE = [
    "eval",
    "--claims",
    str(SEED_CLAIMS),
    "--corpus",
    str(SEEDS),
    "--json",
    "--fail-under",
    f"claims_balanced_accuracy={FLOOR}",
]
# Hand-written claims over the gate corpus (evals/data/gate_corpus), in other forms of reversal:
# not/never/no longer/failed to/denied/refused, opposites (rose/fell, won/lost, approved/rejected,
# before/after, more/less, opened/closed, strong/weak, ...), phrasal ones ("voted down", "laid
# off", "has yet to"), a negation dropped, and paraphrased negation; supported paraphrases too.
PROBE_CLAIMS = REPO / "evals" / "data" / "probe_claims.jsonl"
PROBE_GATE = [
    "eval",
    "--claims",
    str(PROBE_CLAIMS),
    "--corpus",
    str(REPO / "evals" / "data" / "gate_corpus"),
    "--json",
    "--fail-under",
    f"claims_balanced_accuracy={FLOOR}",
]


def test_the_seed_claims_pass_the_gate(capsys):
    assert main(GATE) == 0
    metrics = json.loads(capsys.readouterr().out)["claims"]
    assert metrics["n"] == 36 and metrics["balanced_accuracy"] >= FLOOR
    kinds = metrics["by_kind"]
    assert set(kinds) == {"verbatim", "trimmed", "negated", "number_swap", "entity_swap", "wrong_article"}
    assert kinds["verbatim"]["accepted"] == 1.0 and kinds["trimmed"]["accepted"] == 1.0
    for kind in ("negated", "number_swap", "entity_swap", "wrong_article"):
        assert kinds[kind]["accepted"] == 0.0, kind


def test_the_gate_fails_when_the_meaning_check_is_off(capsys, monkeypatch):
    # The check as it was before it read meaning: shared words and MiniLM alone.
    monkeypatch.setattr(qa.citecheck, "contradiction", lambda claim, evidence: None)
    assert main(GATE) == 3
    captured = capsys.readouterr()
    assert json.loads(captured.out)["claims"]["by_kind"]["negated"]["accepted"] > 0.5
    assert "claims_balanced_accuracy" in captured.err and "below the floor" in captured.err


def test_the_gate_fails_when_the_check_accepts_everything(capsys, monkeypatch):
    monkeypatch.setattr(qa.citecheck, "SUPPORT_THRESHOLD", -1.0)
    monkeypatch.setattr(qa.citecheck, "missing_specifics", lambda claim, evidence: [])
    monkeypatch.setattr(qa.citecheck, "contradiction", lambda claim, evidence: None)
    assert main(GATE) == 3
    assert json.loads(capsys.readouterr().out)["claims"]["balanced_accuracy"] == 0.5


def test_the_probe_claims_pass_the_gate(capsys):
    assert main(PROBE_GATE) == 0
    metrics = json.loads(capsys.readouterr().out)["claims"]
    assert metrics["n"] == 85 and metrics["balanced_accuracy"] >= FLOOR
    for kind in ("verbatim", "trimmed", "paraphrase"):
        assert metrics["by_kind"][kind]["accepted"] == 1.0, kind


def test_the_probe_gate_fails_when_the_meaning_check_is_off(capsys, monkeypatch):
    monkeypatch.setattr(qa.citecheck, "contradiction", lambda claim, evidence: None)
    assert main(PROBE_GATE) == 3
    assert json.loads(capsys.readouterr().out)["claims"]["balanced_accuracy"] < FLOOR


def test_the_probe_gate_fails_when_words_are_not_read_by_lemma(capsys, monkeypatch):
    # "raises"/"cuts", "increased"/"fell": without lemmas the opposite scales see other words.
    def exact(word: str) -> frozenset[str]:
        return frozenset({word})

    monkeypatch.setattr(qa.lexicon, "lemmas", exact)
    monkeypatch.setattr(qa.meaning, "lemmas", exact)
    assert main(PROBE_GATE) == 3
    assert json.loads(capsys.readouterr().out)["claims"]["balanced_accuracy"] < FLOOR


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"claim": "x", "doc_id": "d"}', "line 1: expected"),
        ("not json", "line 1: expected"),
    ],
)
def test_a_bad_claim_line_is_named_and_skipped(tmp_path, capsys, line, message):
    claims = tmp_path / "claims.jsonl"
    good = SEED_CLAIMS.read_text().splitlines()[0]
    claims.write_text(f"{line}\n{good}\n")
    assert main(["eval", "--claims", str(claims), "--corpus", str(SEEDS), "--json"]) == 0
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err
    assert json.loads(captured.out)["claims"]["n"] == 1


def test_a_claim_of_an_unknown_article_is_skipped_with_one_line(tmp_path, capsys):
    claims = tmp_path / "claims.jsonl"
    claims.write_text(
        json.dumps({"id": "x", "kind": "verbatim", "label": "supported", "claim": "Peace.", "doc_id": "nope", "at": 0})
        + "\n"
        + SEED_CLAIMS.read_text().splitlines()[0]
        + "\n"
    )
    assert main(["eval", "--claims", str(claims), "--corpus", str(SEEDS)]) == 0
    err = capsys.readouterr().err
    assert "claim x: article nope is not in the corpus; skipped" in err


def test_claims_and_dataset_are_exclusive(capsys):
    assert main(["eval", "--claims", str(SEED_CLAIMS), "--dataset", str(SEED_CLAIMS)]) == 1
    assert "give either --dataset QUESTIONS or --claims CLAIMS, not both" in capsys.readouterr().err
