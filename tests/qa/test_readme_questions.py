"""The README's first questions, asked as a newcomer would after `make run`: `newsqa ingest` of
the bundled seeds into a fresh store, then `newsqa ask` for each, in real processes. Each must
be answered with citations whose quotes are the seed article's own sentences."""

from __future__ import annotations

import json
import re

from tests.conftest import REPO, SEEDS
from tests.qa.test_cli import newsqa

# What each answer must say: the fact the question asks for, as the article puts it.
EXPECTED = {
    "What are Putin's conditions for a ceasefire?": "withdrawal of foreign military assistance",
    "Who is Steve Witkoff?": "special envoy",
    "When did Russia annex Crimea?": "2014",
}


def readme_questions() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("### First questions", 1)[1].split("\n#", 1)[0]
    return re.findall(r"^- (.+\?)$", section, flags=re.MULTILINE)


def test_the_readme_shows_three_questions_on_its_first_screen():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme_questions() == list(EXPECTED)
    # Near the top, before the reference: what a newcomer reads first.
    assert text.index("### First questions") < text.index("## Commands")
    assert text.index("### Your own news") < text.index("## Commands")


def test_each_readme_question_gets_a_cited_answer_from_the_seed(tmp_path):
    store = str(tmp_path / "newcomer-store")
    out = newsqa("ingest", "--store", store)  # no path: the bundled seeds, as `make run` does
    assert out.returncode == 0 and out.stdout.startswith("1 article: 1 added"), out.stdout + out.stderr
    seed_text = " ".join("".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")).split())
    for question, fact in EXPECTED.items():
        out = newsqa("ask", question, "--json", "--store", store)
        assert out.returncode == 0, out.stderr
        answer = json.loads(out.stdout)
        assert answer["answered"], question
        assert fact in answer["answer"], (question, answer["answer"])
        assert answer["citations"] and "[1]" in answer["answer"], question
        for c in answer["citations"]:
            assert c["supported"] and " ".join(c["quote"].split()) in seed_text, (question, c["quote"])
        assert all(s["supported"] for s in answer["sentences"]), (question, answer["sentences"])
