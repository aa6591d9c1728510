"""The extraction evaluation (`newsqa eval --pages`): its figures, and its gate catching a bad loader."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from evals.extraction import (
    GOALS,
    agrees_with_url,
    evaluate_pages,
    gate_failures,
    mojibake_signs,
    shingles,
    stated_days,
    url_date,
)
from index.loaders import RawArticle, build_article
from tests.conftest import REPO, SHARED, requires_shared

FIXTURE_PAGES = REPO / "tests" / "fixtures" / "pages"
SHARED_PAGES = SHARED / "evals" / "webpages"


def whole_page_loader(path, settings):
    """A broken extractor: every bit of text on the page, read as windows-1252 (the old fallback)."""
    import lxml.html

    tree = lxml.html.fromstring(path.read_bytes().decode("cp1252", "replace"))
    for junk in tree.xpath("//script|//style"):
        junk.drop_tree()
    return [build_article(RawArticle(body=tree.text_content()), path)]


def test_shingles_and_signals():
    assert shingles("One two, three FOUR five") == {("one", "two", "three", "four"), ("two", "three", "four", "five")}
    assert shingles("too short") == {("too", "short")}
    assert mojibake_signs("ZÃ¼rich â€œnewâ€") >= 2 and mojibake_signs("Zürich “new” café, Ærø") == 0
    assert mojibake_signs("Ãîðîäñêîé ñîâåò") == 2  # Cyrillic read as Latin
    page = (
        '<script type="application/ld+json">{"datePublished": "2025-03-18T21:30:00-05:00"}</script>'
        '<meta property="article:published_time" content="0001-01-01T00:00:00Z">'
    )
    assert stated_days(page) == {"2025-03-18", "2025-03-19"}  # its own zone and UTC; placeholder ignored


def test_dates_in_urls_check_stored_dates_independently_of_the_markup():
    assert url_date("https://x.com/2019/11/18/story/") == ("2019", "11", "18")
    assert url_date("https://x.com/story/2019-11-19/slug") == ("2019", "11", "19")
    assert url_date("https://x.org/cells-taste-danger-20191115/") == ("2019", "11", "15")
    assert url_date("https://x.com/culture/2019/11/slug.html") == ("2019", "11", None)
    assert url_date("https://x.com/news/20191399/id-12345678") is None  # not a calendar date
    assert agrees_with_url("2019-11-19T02:00:00Z", ("2019", "11", "18"))  # a day apart: time zones
    assert not agrees_with_url("2019-11-21", ("2019", "11", "18"))
    assert agrees_with_url("2019-11-30", ("2019", "11", None)) and not agrees_with_url(None, ("2019", "11", None))


def test_the_loader_meets_the_goals_on_the_fixture_pages(settings):
    metrics = evaluate_pages(FIXTURE_PAGES, settings, reference=False)
    assert metrics["pages"] == metrics["stored"] == 5
    assert metrics["f1"] >= 0.95 and metrics["precision"] >= 0.95
    assert (metrics["with_comments"], metrics["comment_leaks"], metrics["mojibake_pages"]) == (1, 0, 0)
    assert metrics["dated_pages"] == 4 and metrics["date_right"] == 1.0
    assert metrics["author_rate"] == 1.0 and metrics["author_urls"] == 0
    assert gate_failures(metrics) == []


def test_the_gate_fails_a_broken_extractor(settings):
    metrics = evaluate_pages(FIXTURE_PAGES, settings, loader=whole_page_loader, reference=False)
    failed = " | ".join(gate_failures(metrics))
    assert metrics["f1"] < GOALS["f1"] and "f1" in failed
    assert metrics["comment_leaks"] == 1 and "comment_leaks" in failed
    assert metrics["mojibake_pages"] >= 1 and "mojibake_pages" in failed
    assert "date_right" in failed and "author_rate" in failed


def newsqa(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "qa.cli", *args],
        check=False,
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=300,
    )


def test_cli_reports_and_gates(tmp_path):
    run = newsqa("eval", "--pages", str(FIXTURE_PAGES), "--out", str(tmp_path), "--json")
    assert run.returncode == 0, run.stderr
    metrics = json.loads(run.stdout)
    assert metrics["trafilatura"]["f1"] > 0.5  # trafilatura's own figure beside ours
    assert json.loads((tmp_path / "extraction.json").read_text()) == metrics
    strict = newsqa("eval", "--pages", str(FIXTURE_PAGES), "--fail-under", "f1=1.01")
    assert strict.returncode == 3 and "eval gate failed: f1" in strict.stderr
    missing = newsqa("eval", "--pages", str(tmp_path / "nope"))
    assert missing.returncode != 0 and "Traceback" not in missing.stderr and "ground-truth.json" in missing.stderr


@pytest.mark.slow
@requires_shared(SHARED_PAGES)
def test_goals_hold_on_the_shared_pages(settings):
    metrics = evaluate_pages(SHARED_PAGES, settings, reference=False)
    assert metrics["stored"] == metrics["pages"]
    assert gate_failures(metrics) == [], metrics
