"""The dataset schema: what loads, and the one-line errors for what does not."""

from __future__ import annotations

import json

import pytest

from evals.datasets import UNTYPED, load_dataset
from index.errors import InputError
from tests.conftest import MULTIHOP, REPO, requires_shared


def write(tmp_path, *records) -> object:
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n")
    return path


def test_minimal_record_gets_the_defaults(tmp_path):
    (q,) = load_dataset(write(tmp_path, {"id": "a", "question": " Who? "}))
    assert (q.id, q.question, q.answer, q.type, q.answerable, q.evidence) == ("a", "Who?", None, UNTYPED, True, ())


def test_full_record_with_extra_fields(tmp_path):
    record = {
        "id": "b",
        "question": "Q?",
        "answer": "Yes",
        "type": "comparison_query",
        "answerable": True,
        "gold_doc_ids": ["d1"],
        "dataset": "x",
        "evidence": [
            {"doc_id": "d1", "text": "A fact.", "char_start": 3, "char_end": 10, "source": "Outlet"},
            {"title": "T", "text": "Another."},
        ],
    }
    (q,) = load_dataset(write(tmp_path, record))
    assert q.evidence[0].doc_id == "d1" and q.evidence[0].char_start == 3 and q.evidence[1].title == "T"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not valid JSON"),
        (json.dumps([1, 2]), "expected a JSON object"),
        (json.dumps({"question": "Q?"}), "'id'"),
        (json.dumps({"id": "x", "question": "  "}), "'question'"),
        (json.dumps({"id": "x", "question": "Q", "answerable": "yes"}), "'answerable'"),
        (
            json.dumps({"id": "x", "question": "Q", "evidence": [{"text": "t"}]}),
            "evidence[0]: needs a 'doc_id', 'url' or 'title'",
        ),
        (json.dumps({"id": "x", "question": "Q", "evidence": [{"doc_id": "d", "text": ""}]}), "'text'"),
        (
            json.dumps({"id": "x", "question": "Q", "evidence": [{"doc_id": "d", "text": "t", "char_start": 5}]}),
            "go together",
        ),
        (
            json.dumps(
                {"id": "x", "question": "Q", "evidence": [{"doc_id": "d", "text": "t", "char_start": 5, "char_end": 2}]}
            ),
            "go together",
        ),
    ],
)
def test_bad_lines_name_file_and_line(tmp_path, line, message):
    path = write(tmp_path, {"id": "ok", "question": "Fine?"}, line)
    with pytest.raises(InputError) as err:
        load_dataset(path)
    assert f"{path}:2" in str(err.value) and message in str(err.value) and "\n" not in str(err.value)


def test_duplicate_ids_empty_and_missing_files(tmp_path):
    with pytest.raises(InputError, match="duplicate id 'a'"):
        load_dataset(write(tmp_path, {"id": "a", "question": "Q"}, {"id": "a", "question": "R"}))
    (tmp_path / "empty.jsonl").write_text("\n")
    with pytest.raises(InputError, match="holds no questions"):
        load_dataset(tmp_path / "empty.jsonl")
    with pytest.raises(InputError, match="does not exist"):
        load_dataset(tmp_path / "nope.jsonl")


def test_limit_stops_early(tmp_path):
    path = write(tmp_path, *({"id": str(i), "question": "Q"} for i in range(5)), "{broken")
    assert [q.id for q in load_dataset(path, limit=2)] == ["0", "1"]


def test_seed_questions_load_with_gold_evidence_and_unanswerables():
    questions = load_dataset(REPO / "evals" / "data" / "seed_questions.jsonl")
    seed_body = next((REPO / "seeds").glob("*.txt")).read_text(encoding="utf-8")
    assert any(not q.answerable for q in questions)
    for q in questions:
        assert bool(q.evidence) == q.answerable
        assert all(e.text in seed_body for e in q.evidence)


@requires_shared()
def test_the_multihop_dev_set_loads_as_it_is():
    questions = load_dataset(MULTIHOP / "dev.jsonl")
    assert len(questions) == 767
    assert {q.type for q in questions} == {"comparison_query", "inference_query", "temporal_query", "null_query"}
    assert all(q.answerable == (q.type != "null_query") for q in questions)
