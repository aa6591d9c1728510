"""The follow-up evaluation: its file format, the MultiHop-RAG conversation set (checked against the
shared gold evidence when it is there), and its gate failing when the rewrite is switched off,
over a real store built by the real ingest from small articles written here."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from evals.followups import evaluate_followups, load_followups, summarise_followups
from index.errors import InputError
from index.ingest import ingest
from index.settings import Settings
from qa.service import NewsQA

ROOT = Path(__file__).resolve().parents[2]
SET = ROOT / "evals" / "data" / "followups_multihop.jsonl"
DEV = ROOT.parent / "shared" / "evals" / "multihop-rag" / "dev.jsonl"

# Two stories per kind of event, told in the same words, so a follow-up's own words cannot tell
# them apart: only the conversation says which one it means.
FILLER = "Officials said more details would follow. Residents were invited to a public meeting next month. "
ARTICLES = {
    "ferry": ("Harbour Post", "Riverton ferry strike ends", "The Riverton ferry strike ended after the union "
              "accepted a pay offer of six percent. The deal was signed at the town hall on Thursday. " + FILLER),
    "bus": ("City Times", "Portside bus strike ends", "The Portside bus strike ended when drivers accepted a pay "
            "offer. The deal was signed on Monday, and the deal was signed by every depot. " + FILLER),
    "bridge": ("Harbour Post", "Kingsford bridge reopens", "The Kingsford bridge reopened after repairs costing "
               "four million pounds. The repairs took eleven weeks to finish. " + FILLER),
    "tunnel": ("City Times", "Eastgate tunnel reopens", "The Eastgate tunnel reopened after repairs. The repairs "
               "took three weeks, and the repairs took longer than planned. " + FILLER),
    "mayor": ("Harbour Post", "Mayor Alma Reyes resigns", "Riverton mayor Alma Reyes resigned on Friday after "
              "eight years in office. She was born in Lisbon and moved to Riverton as a child. " + FILLER),
    "coach": ("City Times", "Coach Tom Hale retires", "Portside coach Tom Hale retired after winning the league. "
              "He was born in Leeds, and he was born into a family of coaches. " + FILLER),
}  # fmt: skip


def conversation(cid: str, first: str, follow: str, standalone: str, doc: str, phrase: str, body: str) -> dict:
    start = body.index(phrase)
    span = {"doc_id": doc, "char_start": start, "char_end": start + len(phrase)}
    return {
        "id": cid,
        "turns": [
            {"question": first, "standalone": first, "evidence": []},
            {"question": follow, "standalone": standalone, "evidence": [span]},
        ],
    }


CONVERSATIONS = [
    ("c1", "How did the Riverton ferry strike end?", "When was the deal signed?",
     "When was the Riverton ferry strike deal signed?", "ferry", "The deal was signed at the town hall on Thursday."),
    ("c2", "Why was the Kingsford bridge closed?", "How long did the repairs take?",
     "How long did the Kingsford bridge repairs take?", "bridge", "The repairs took eleven weeks to finish."),
    ("c3", "Why did Alma Reyes resign?", "Where was she born?", "Where was Alma Reyes born?", "mayor",
     "She was born in Lisbon and moved to Riverton as a child."),
]  # fmt: skip


@pytest.fixture(scope="module")
def small_set(tmp_path_factory):
    root = tmp_path_factory.mktemp("followups")
    (root / "corpus").mkdir()
    for doc_id, (source, title, body) in ARTICLES.items():
        record = {"doc_id": doc_id, "title": title, "source": source, "published_at": "2023-11-02", "body": body}
        (root / "corpus" / f"{doc_id}.json").write_text(json.dumps(record), encoding="utf-8")
    settings = Settings(store=root / "store", data_dir=root / "data", cache_dir=root / "cache", chunk_chars=300)
    ingest([root / "corpus"], settings)
    lines = [json.dumps(conversation(*c, ARTICLES[c[4]][2])) for c in CONVERSATIONS]
    (root / "set.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return settings, load_followups(root / "set.jsonl")


def run(settings, conversations) -> dict:
    qa = NewsQA(settings)
    try:
        return summarise_followups(evaluate_followups(conversations, qa, engine="extractive", depth=1))
    finally:
        qa.close()


def test_the_rewrite_finds_what_the_standalone_question_finds(small_set):
    metrics = run(*small_set)
    assert metrics["standalone_recall"] == 1.0
    assert metrics["followup_recall_ratio"] >= 0.9


def test_the_gate_fails_when_follow_ups_are_not_rewritten(small_set, monkeypatch):
    import qa.condense

    monkeypatch.setattr(qa.condense, "leans_on_history", lambda question, facts=None: False)
    metrics = run(*small_set)
    assert metrics["as_asked_recall"] == metrics["rewritten_recall"]
    assert metrics["followup_recall_ratio"] < 0.9


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", r"set\.jsonl:1: not valid JSON"),
        ('{"id": "x", "turns": [{"question": "q"}]}', r"set\.jsonl:1: 'turns' must list at least two turns"),
        (
            '{"id": "x", "turns": [{"question": "q"}, {"question": "r", "evidence": [{"doc_id": "d"}]}]}',
            r"set\.jsonl:1: turns\[1\]: evidence\[0\] needs doc_id and char_start < char_end",
        ),
    ],
)
def test_a_bad_line_is_one_error_naming_file_and_line(tmp_path, line, message):
    (tmp_path / "set.jsonl").write_text(line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_followups(tmp_path / "set.jsonl")


def test_the_multihop_set_is_tied_to_the_gold_evidence_and_never_copies_it():
    conversations = [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines()]
    assert len(conversations) >= 40
    assert all(2 <= len(c["turns"]) <= 3 for c in conversations)
    assert any(len(c["turns"]) == 3 for c in conversations)
    assert all(t["standalone"] is not None for c in conversations for t in c["turns"][:1])
    if not DEV.is_file():
        pytest.skip("the MultiHop-RAG dev set is not beside the project")
    dev = {r["id"]: r for r in map(json.loads, DEV.read_text(encoding="utf-8").splitlines())}
    for c in conversations:
        gold = dev[c["from"]]["evidence"]
        spans = {(e["doc_id"], e["char_start"], e["char_end"]): e["text"] for e in gold}
        for turn in c["turns"]:
            assert turn["evidence"] or turn is c["turns"][0]
            for e in turn["evidence"]:
                text = spans[(e["doc_id"], e["char_start"], e["char_end"])]
                words = re.findall(r"\w+", text.lower())
                asked = " ".join(re.findall(r"\w+", f"{turn['question']} {turn['standalone'] or ''}".lower()))
                # written, not copied: no run of eight of the evidence's words
                assert not any(" ".join(words[i : i + 8]) in asked for i in range(len(words) - 7)), c["id"]
