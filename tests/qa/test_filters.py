"""Filters that can match nothing are clear errors; outlet names match as a user types them.

A real store built by the real ingest from small articles (those of test_retrieve plus an outlet
stored under a long "Name | tagline" form), used through NewsQA and through the CLI.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from index.errors import InputError
from index.ingest import ingest
from qa.dates import parse_user_date
from qa.models import Filters
from qa.service import NewsQA
from tests.qa.test_retrieve import ARTICLES, FILLER, make_settings, write_corpus

CNBC = "Cnbc | World Business News Leader"
CORPUS = {
    **ARTICLES,
    "cnbc-rates": (
        CNBC,
        "2023-11-02",
        "Harbour bank holds rates",
        "The harbour savings bank held its rates at five percent on Thursday. " + FILLER,
    ),
}


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    root = tmp_path_factory.mktemp("filters")
    write_corpus(root / "corpus", CORPUS)
    ingest([root / "corpus"], make_settings(root, root / "cache"))
    return root


@pytest.fixture(scope="module")
def qa(root):
    service = NewsQA(make_settings(root, root / "cache"))
    yield service
    service.close()


def day(text: str, end: bool = False) -> int:
    return parse_user_date(text, "--since", end_of_day=end)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("CNBC", CNBC),
        ("cnbc.com", CNBC),
        ("cnbc - world business news leader", CNBC),
        ("the verge", "The Verge"),
        ("Verge.com", "The Verge"),
        ("cbssports", "CBSSports.com"),
        ("CBS Sports", "CBSSports.com"),
        ("fox news", "FOX News - Health"),
        ("Guardian", "The Guardian"),
    ],
)
def test_an_outlet_filter_matches_whatever_its_case_punctuation_or_suffix(qa, typed, stored):
    hits = qa.retrieve(qa.make_query("harbour", Filters(sources=(typed,)), 4))
    assert hits and {h.meta.source for h in hits} == {stored}


def test_an_outlet_the_question_names_is_matched_the_same_way(qa):
    query = qa.make_query("What did CNBC report about the harbour bank?")
    assert query.outlets == (CNBC,)
    assert qa.retrieve(query)[0].meta.source == CNBC


@pytest.mark.parametrize(
    ("question", "stored"),
    [
        ("What did CNBC.COM report about the harbour?", CNBC),
        ("According to the verge, what opened near the harbour?", "The Verge"),
        ("What did CBS Sports say about the harbour?", "CBSSports.com"),
        ("what did techcrunch report about the harbour", "TechCrunch"),
    ],
)
def test_outlets_named_in_questions_match_whatever_their_case_punctuation_or_suffix(qa, question, stored):
    assert qa.retrieve(qa.make_query(question))[0].meta.source == stored


def test_an_unknown_outlet_is_named_with_the_closest_stored_ones(qa):
    with pytest.raises(
        InputError, match=r"^no articles from 'CNBX'; did you mean 'Cnbc \| World Business News Leader'\?$"
    ):
        qa.make_query("harbour", Filters(sources=("CNBX",)))
    with pytest.raises(InputError, match=r"no articles from 'Reuters'; `newsqa sources --outlets` lists them"):
        qa.make_query("harbour", Filters(sources=("Reuters",)))


def test_dates_that_match_no_article_are_errors(qa):
    with pytest.raises(InputError, match=r"--since 2023-12-01 is after --until 2023-11-01"):
        qa.make_query("harbour", Filters(since_ts=day("2023-12-01"), until_ts=day("2023-11-01", True)))
    with pytest.raises(
        InputError, match=r"no articles published between 2030-01-01 and now; they run from 2023-10-02 to 2023-12-15"
    ):
        qa.make_query("harbour", Filters(since_ts=day("2030-01-01")))
    # each filter alone matches, together nothing: both are named
    with pytest.raises(
        InputError, match=r"no articles from 'CNBC' published between 2023-12-01 and .*2023-11-02 to 2023-11-02"
    ):
        qa.make_query("harbour", Filters(since_ts=day("2023-12-01"), sources=("CNBC",)))
    assert qa.make_query("harbour", Filters(since_ts=day("2023-11-01"), until_ts=day("2023-11-30", True)))


def test_top_k_below_one_is_an_error(qa):
    with pytest.raises(InputError, match=r"--top-k 0: must be at least 1"):
        qa.make_query("harbour", top_k=0)


def newsqa(root, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "NEWSQA_STORE": str(root / "store"),
        "NEWSQA_CACHE_DIR": str(root / "cache"),
        "NEWSQA_CHUNK_CHARS": "300",
    }
    return subprocess.run([sys.executable, "-m", "qa.cli", *args], capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--source", "CNBX"], "error: no articles from 'CNBX'; did you mean 'Cnbc | World Business News Leader'?"),
        (["--since", "2023-12-01", "--until", "2023-11-01"], "error: --since 2023-12-01 is after --until 2023-11-01"),
        (["--since", "2030-01-01"], "error: no articles published between 2030-01-01 and now"),
        (["--top-k", "0"], "error: --top-k 0: must be at least 1"),
    ],
)
def test_the_cli_says_why_in_one_line_and_exits_non_zero(root, args, message):
    out = newsqa(root, "ask", "What happened at the harbour?", *args)
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr.startswith(message) and len(out.stderr.strip().splitlines()) == 1


def test_sources_outlets_lists_article_counts(root):
    out = newsqa(root, "sources", "--outlets", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert rows[0] == {"outlet": "The Guardian", "articles": 3}
    assert {r["outlet"]: r["articles"] for r in rows[1:]} == {
        CNBC: 1,
        "The Verge": 1,
        "TechCrunch": 1,
        "CBSSports.com": 1,
        "FOX News - Health": 1,
    }
    plain = newsqa(root, "sources", "--outlets")
    assert plain.returncode == 0 and plain.stdout.splitlines()[0] == "3  The Guardian"
    assert f"1  {CNBC}" in plain.stdout.splitlines()
