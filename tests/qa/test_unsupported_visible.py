"""Unsupported sentences are visible in plain `newsqa ask` and in `--json`: a real `ask` process
against a real OpenAI-compatible server on 127.0.0.1 that answers with falsified sentences."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.qa.fault_server import FaultServer, stream

TRUE = "Steve Witkoff, Trump's special envoy, has been pivotal in advancing these peace negotiations [1]."
REVERSED = "Steve Witkoff, Trump's special envoy, has failed to conduct talks in Moscow [1]."
INVENTED = "He was born on Mars and owns three moons [1]."
REPLY = f"{TRUE} {REVERSED} {INVENTED}"


def ask(server: FaultServer, *args: str) -> subprocess.CompletedProcess:
    env = dict(
        os.environ,
        NEWSQA_ENGINE="openai",
        NEWSQA_OPENAI_BASE_URL=server.base_url,
        NEWSQA_OPENAI_API_KEY="sk-test",
        NEWSQA_MODEL="scripted",
        NEWSQA_MAX_RETRIES="0",
    )
    return subprocess.run(
        [sys.executable, "-m", "qa.cli", "ask", *args, "Who is Steve Witkoff?"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_plain_ask_marks_each_unsupported_sentence_and_says_why(seed_settings):
    with FaultServer([stream([REPLY])]) as srv:
        out = ask(srv)
    assert out.returncode == 0, out.stderr
    marks = [line for line in out.stdout.splitlines() if line.startswith("\u26a0 unsupported")]
    assert len(marks) == 2, out.stdout
    assert "failed to conduct talks" in marks[0] and "reverses the source" in marks[0] and "failed" in marks[0]
    assert "born on Mars" in marks[1] and "never mentions Mars" in marks[1]
    assert not any("pivotal" in m for m in marks)


def test_json_ask_lists_sentences_with_support_and_reasons(seed_settings):
    with FaultServer([stream([REPLY])]) as srv:
        out = ask(srv, "--json")
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    sentences = answer["sentences"]
    assert [s["supported"] for s in sentences] == [True, False, False]
    assert all(set(s) == {"text", "citations", "supported", "reason"} for s in sentences)
    assert sentences[0]["reason"] == "" and sentences[0]["citations"]
    assert "failed" in sentences[1]["reason"] and "Mars" in sentences[2]["reason"]
    assert "[" not in sentences[2]["text"]
    # A citation is supported only where it backs its sentence: the quote chosen for the invented
    # sentence is not marked supported.
    by_n = {c["n"]: c for c in answer["citations"]}
    for s in sentences:
        for n in s["citations"]:
            if s["supported"]:
                continue
            assert not by_n[n]["supported"] or any(n in t["citations"] and t["supported"] for t in sentences)


def test_a_sentence_citing_a_source_that_does_not_exist_says_so(seed_settings):
    reply = f"{TRUE} He also won the Nobel Prize [7]."
    with FaultServer([stream([reply])]) as srv:
        out = ask(srv, "--json")
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    nobel = answer["sentences"][1]
    assert nobel["supported"] is False and nobel["citations"] == []
    assert nobel["reason"] == "cites [7], which is no source"
    # The marker is gone from the sentence, and no space is left before its full stop.
    assert nobel["text"] == "He also won the Nobel Prize."
    assert "citation [7] refers to no source; dropped" in answer["warnings"]
