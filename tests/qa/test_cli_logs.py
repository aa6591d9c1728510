"""`ask` logs and continues conversations; `logs` lists, searches, renames and deletes them:
real `newsqa` processes on a real seed store, and the real conversation database between them."""

from __future__ import annotations

import json
import sqlite3

from tests.qa.test_cli import QUESTION, newsqa


def ask(*args: str, env: dict | None = None) -> dict:
    out = newsqa("ask", *args, "--json", env=env)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def logs(*args: str) -> list[dict]:
    out = newsqa("logs", *args, "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_ask_logs_each_question_and_continues_a_conversation(seed_settings):
    first = ask(QUESTION)
    assert first["conversation_id"] == 1 and first["citations"]
    follow_up = ask("-c", "and what about Kursk?")
    assert follow_up["conversation_id"] == 1
    # Condensed against the conversation's first question, as the chat does.
    assert follow_up["standalone_question"] and "Kursk" in follow_up["standalone_question"]
    assert any("Kursk" in c["quote"] for c in follow_up["citations"])
    other = ask("Who is Steve Witkoff?")
    assert other["conversation_id"] == 2
    chosen = ask("--cid", "1", "--no-log", "What did Trump vow?")
    assert chosen["conversation_id"] is None
    unlogged = ask("Who annexed Crimea?", env={"NEWSQA_LOG": "0"})
    assert unlogged["conversation_id"] is None

    logged = logs("-n", "0")
    assert [(x["conversation_id"], x["position"], x["question"]) for x in logged] == [
        (1, 0, QUESTION),
        (1, 1, "and what about Kursk?"),
        (2, 0, "Who is Steve Witkoff?"),
    ]
    assert logged[0]["answer"] == first["answer"] and logged[0]["citations"] == first["citations"]
    assert logged[1]["standalone_question"] == follow_up["standalone_question"]
    assert all(x["status"] == "complete" and x["engine"] == "extractive" for x in logged)
    assert [x["question"] for x in logs()] == [x["question"] for x in logged][-3:]  # llm's default: 3
    assert [x["question"] for x in logs("-n", "1")] == ["Who is Steve Witkoff?"]
    assert [x["question"] for x in logs("-q", "kursk")] == ["and what about Kursk?"]
    assert [x["question"] for x in logs("-q", "withdrawal foreign")] == [QUESTION, "and what about Kursk?"]
    assert logs("-q", "Federal Reserve") == []
    assert [x["question"] for x in logs("-c")] == ["Who is Steve Witkoff?"]
    assert len(logs("--cid", "1")) == 2

    # A continued conversation keeps the title its first question gave it; rename and delete.
    out = newsqa("logs", "rename", "1", "Putin's", "ceasefire", "terms")
    assert out.returncode == 0 and "\u201cPutin's ceasefire terms\u201d" in out.stdout, out.stderr
    assert {x["conversation_title"] for x in logs("--cid", "1")} == {"Putin's ceasefire terms"}
    out = newsqa("logs", "delete", "1", "7")
    assert out.returncode == 1
    assert out.stdout == "deleted conversation 1 \u201cPutin's ceasefire terms\u201d (2 questions)\n"
    assert out.stderr == "error: no saved conversation 7\n"
    assert [x["question"] for x in logs("-n", "0")] == ["Who is Steve Witkoff?"]
    with sqlite3.connect(seed_settings.conversations_db) as db:  # its citations went with it
        assert db.execute("SELECT COUNT(*) FROM citations c JOIN turns t ON t.id = c.turn_id").fetchone()[0] == len(
            other["citations"]
        )


def test_plain_logs_read_like_the_answer_did(seed_settings):
    ask(QUESTION)
    out = newsqa("logs", env={"COLUMNS": "64"})
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("\u2500\u2500 ") and "conversation 1:" in lines[0]
    assert lines[2].startswith("Q: What are Putin's conditions")
    assert any(line.startswith("A: ") for line in lines) and "Sources:" in lines
    assert "19 Mar 2025" in out.stdout and "2025-03-19" not in out.stdout
    assert all(len(line) <= 64 for line in lines), out.stdout


def test_continuing_what_does_not_exist_is_one_line(seed_settings):
    out = newsqa("ask", "-c", QUESTION)
    assert out.returncode == 1 and out.stderr == "error: no saved conversation to continue\n"
    out = newsqa("ask", "--cid", "99", QUESTION)
    assert out.returncode == 1 and out.stderr == "error: no saved conversation 99\n"
    for args in (["logs", "--cid", "99"], ["logs", "rename", "99", "x"], ["logs", "delete", "99"]):
        out = newsqa(*args)
        assert out.returncode == 1 and out.stderr == "error: no saved conversation 99\n", args
    out = newsqa("logs", "-n", "-2")
    assert out.returncode == 2 and "not a count: '-2'" in out.stderr and "Traceback" not in out.stderr
    out = newsqa("logs")
    assert out.returncode == 0 and out.stdout.startswith("nothing logged yet")


def test_a_failed_answer_is_logged_as_failed_with_what_had_come(seed_settings):
    from tests.qa.fault_server import FaultServer, stream

    with FaultServer([stream(["Putin demanded", " an end to"], cut=True)]) as server:
        out = newsqa("ask", QUESTION, env={"OPENAI_BASE_URL": server.base_url, "NEWSQA_ENGINE": "openai"})
    assert out.returncode == 1 and out.stderr.startswith("error: ") and "Traceback" not in out.stderr
    (logged,) = logs()
    assert logged["status"] == "failed" and logged["question"] == QUESTION
    assert logged["answer"] == "Putin demanded an end to" and logged["citations"] == []
    assert logged["error"] and logged["error"] in out.stderr
    plain = newsqa("logs").stdout
    assert "A: (failed: " in plain and "Putin demanded an end to" in plain


def test_ctrl_c_mid_answer_logs_it_as_cancelled(seed_settings):
    from tests.qa.chat_stub_server import ChatStubServer
    from tests.qa.pseudo_terminal import run_in_terminal

    typed = []

    def ctrl_c_after_some_words(screen: str) -> bytes | None:
        if not typed and len(screen.split()) >= 3:
            typed.append(screen)
            return b"\x03"
        return None

    with ChatStubServer(token_delay=0.3) as server:
        env = {"OPENAI_BASE_URL": server.base_url, "NEWSQA_ENGINE": "openai"}
        code, screen = run_in_terminal("ask", QUESTION, columns=80, env=env, watch=ctrl_c_after_some_words)
        assert server.streams_finished == 0
    assert code == 130 and screen.rstrip().endswith("interrupted"), screen
    (logged,) = logs()
    assert logged["status"] == "cancelled" and logged["citations"] == []
    # What had streamed is kept: at least the words on screen when Ctrl-C was typed.
    assert logged["answer"] and " ".join(typed[0].split()) in " ".join(logged["answer"].split())
