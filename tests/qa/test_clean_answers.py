"""Extractive answers quote statements only, once each, one number per article, and an
article's own citation marks never become live markers. Real embedder, real sentence splitter."""

from __future__ import annotations

import re

import pytest

from index.models import ArticleMeta, Chunk
from qa.engines import quotable
from qa.engines.extractive import ExtractiveEngine
from qa.models import Hit
from qa.prompts import user_message
from qa.query_analysis import analyse

TITLE = "Sam Bankman-Fried Trial: What Comes Next"
BODY = (
    f"{TITLE}\n"
    "Image recovered from example.org\n"
    "Who is Sam Bankman-Fried, the former CEO of crypto exchange FTX?\n"
    "Sam Bankman-Fried: Crypto Founder, FTX Chief And Fraud Defendant.\n"
    "Sam Bankman-Fried founded the crypto exchange FTX in 2019 and ran it until its collapse [4]. "
    "Sources: [9] court filings.\n"
    "Bankman-Fried was convicted of fraud by a jury in New York in November 2023 [4][9]. "
    "He faces sentencing next year.\n"
    "Sources: [9] [12]\n"
)
# A syndicated copy: another outlet carries one sentence word for word.
COPY = (
    "Crypto founder convicted\n"
    "Bankman-Fried was convicted of fraud by a jury in New York in November 2023 [4][9]. "
    "Prosecutors said the former FTX chief stole billions from customers of the exchange.\n"
)


def hit(doc_id: str, body: str, source: str, title: str, rank: int) -> Hit:
    meta = ArticleMeta(doc_id=doc_id, title=title, source=source, published_at="2023-11-03")
    return Hit(Chunk(f"{doc_id}#0", doc_id, 0, body, 0, len(body)), meta, 1.0 / (rank + 1))


@pytest.fixture(scope="module")
def answer(embedder):
    hits = [hit("a", BODY, "Example News", TITLE, 0), hit("b", COPY, "Other Wire", "Crypto founder convicted", 1)]
    return ExtractiveEngine(embedder).answer(analyse("Who is Sam Bankman-Fried?"), hits)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=\])\s+", text) if s.strip()]


def test_questions_headings_and_source_lists_are_never_quoted(answer):
    assert answer.answered
    assert "?" not in answer.text
    assert "Image recovered" not in answer.text and TITLE not in answer.text
    assert "Fraud Defendant" not in answer.text  # a headline, though it ends with a full stop
    assert "Sources:" not in answer.text and "court filings" not in answer.text
    assert "founded the crypto exchange FTX in 2019" in answer.text


def test_no_sentence_is_repeated(answer):
    said = [re.sub(r"\s*\[\d+\]$", "", s) for s in sentences(answer.text)]
    assert len(said) == len({quotable.key(s) for s in said})
    assert answer.text.count("convicted of fraud") <= 1


def test_article_marks_are_inert_and_each_article_has_one_number(answer):
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", answer.text)]
    assert set(numbers) == {c.n for c in answer.citations}  # no [4], [9] or [12] from the bodies
    by_number = {}
    for c in answer.citations:
        assert by_number.setdefault(c.n, c.doc_id) == c.doc_id
    assert len(set(by_number.values())) == len(by_number)
    for c in answer.citations:  # the quote itself stays verbatim, marks and all
        body = BODY if c.doc_id == "a" else COPY
        assert body[c.char_start : c.char_end] == c.quote


@pytest.mark.parametrize(
    ("sentence", "ok"),
    [
        ("Who is Sam Bankman-Fried, the former CEO of crypto exchange FTX?", False),
        ("What Comes Next for FTX", False),
        ("Published March 19, 2025 - 00:03am", False),
        ("Sources: [9] court filings.", False),
        ("[4] [9] [12].", False),
        ("Confirm That Copying Music to Train AI Models is Not Fair Use.", False),
        ("RB Joe Mixon, Bengals vs. Colts ($7,200).", False),
        ("Taylor Swift and Brittany Mahomes are cheering on the Chiefs in Green Bay!", True),
        ("He said: \u201cWe will appeal the verdict.\u201d", True),
        ("The bank held its rates at five percent.", True),
        ("Shares rose 4% on Monday (the most since May).", True),
    ],
)
def test_what_counts_as_a_quotable_statement(sentence, ok):
    assert quotable.is_quotable(sentence) is ok


def test_marks_are_dropped_from_the_shown_sentence():
    assert quotable.inert("It collapsed in 2022 [4][9].") == "It collapsed in 2022."
    assert quotable.inert("Shares rose [4, 6] sharply.") == "Shares rose sharply."


def test_the_model_reads_no_citation_marks_of_the_articles():
    # The openai engine's prompt: an article's "[4]" or "Sources: [9]" would be copied as citations.
    hits = [hit("a", BODY, "Example News", TITLE, 0)]
    prompt = user_message("Who is Sam Bankman-Fried?", hits)
    assert re.findall(r"\[\d+\]", prompt) == ["[1]"]
    assert (
        "ran it until its collapse." in prompt
        and "convicted of fraud by a jury in New York in November 2023." in prompt
    )
