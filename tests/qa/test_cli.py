"""The `newsqa` command as a user runs it: a real process, real store, real model."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import SEEDS
from tests.qa.pseudo_terminal import run_in_terminal

QUESTION = "What are Putin's conditions for a ceasefire?"


def newsqa(*args: str, input: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "qa.cli", *args],
        input=input,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def test_ask_json_citations_resolve_to_verbatim_quotes(seed_settings):
    out = newsqa("ask", QUESTION, "--json")
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert answer["answered"] is True and answer["engine"] == "extractive"
    assert answer["citations"] and answer["retrieved"]
    assert set(answer["timings_ms"]) == {"retrieve", "answer", "total"}
    from index.store import Store

    with Store.open(seed_settings) as store:
        for c in answer["citations"]:
            body = store.get_article(c["doc_id"]).body
            assert body[c["char_start"] : c["char_end"]] == c["quote"]
            assert f"[{c['n']}]" in answer["answer"]


def test_ask_reads_the_question_from_stdin(seed_settings):
    out = newsqa("ask", input=QUESTION + "\n")
    assert out.returncode == 0, out.stderr
    assert "[1]" in out.stdout and "Sources:" in out.stdout and "19 Mar 2025" in out.stdout


def test_uncovered_question_is_not_answered(seed_settings):
    out = newsqa("ask", "What did the Federal Reserve decide about interest rates?", "--json")
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert answer["answered"] is False and answer["citations"] == []


def test_empty_index_says_to_ingest_first(tmp_path):
    out = newsqa("ask", QUESTION, "--store", str(tmp_path / "empty"))
    assert out.returncode == 1
    assert out.stderr.startswith("error: ") and "newsqa ingest" in out.stderr
    assert "Traceback" not in out.stderr and out.stderr.count("\n") == 1


def test_empty_question_is_a_clear_error(seed_settings):
    out = newsqa("ask", "   ")
    assert out.returncode == 1 and "question is empty" in out.stderr and "Traceback" not in out.stderr


def test_bad_date_names_the_value(seed_settings):
    out = newsqa("ask", QUESTION, "--since", "yesterday-ish")
    assert out.returncode == 1 and "'yesterday-ish'" in out.stderr and "Traceback" not in out.stderr


def test_ingest_json_report_and_sources_and_stats(tmp_path):
    store = str(tmp_path / "s")
    out = newsqa("ingest", str(SEEDS), "--json", "--store", store)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert (
        report
        == {
            "articles": 1,
            "added": 1,
            "updated": 0,
            "unchanged": 0,
            "pruned": 0,
            "chunks": report["chunks"],
            "skipped": [],
            "files": [
                {
                    "path": str(SEEDS / "000_fb8477c1ba6629bb.txt"),
                    "outcome": "ingested",
                    "articles": 1,
                    "added": 1,
                    "updated": 0,
                    "unchanged": 0,
                }
            ],
        }
        and report["chunks"] > 0
    )
    sources = json.loads(newsqa("sources", "--json", "--store", store).stdout)
    assert [s["published_at"][:10] for s in sources] == ["2025-03-19"]
    assert set(sources[0]) == {"doc_id", "title", "source", "published_at", "url", "author", "path", "chunks"}
    assert sources[0]["path"].startswith(str(SEEDS))
    stats = json.loads(newsqa("stats", "--json", "--store", store).stdout)
    assert stats["articles"] == 1 and stats["chunks"] == report["chunks"] and stats["store"] == store


def test_ingest_of_nothing_usable_exits_non_zero(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    out = newsqa("ingest", str(bad), "--store", str(tmp_path / "s"))
    assert out.returncode == 1 and "bad.json" in out.stderr and "Traceback" not in out.stderr


def test_missing_path_is_an_error(tmp_path):
    out = newsqa("ingest", str(tmp_path / "nope"), "--store", str(tmp_path / "s"))
    assert out.returncode == 1 and "no such file or directory" in out.stderr


def test_a_streamed_answer_is_printed_once_in_a_terminal(seed_settings):
    code, text = run_in_terminal("ask", QUESTION)
    assert code == 0, text
    assert "Sources:" in text
    assert text.count("Putin's conditions for a ceasefire encompass") == 2  # once answered, once quoted
