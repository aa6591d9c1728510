"""Round two of hostile input to the loaders (issue #14): dates at the edges of the calendar,
text Python refuses, names that are not UTF-8, links into /proc. Each bad file or record is
skipped with a reason naming it (or loaded without its impossible date); its neighbours load."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from index.loaders import iter_articles
from index.loaders._clean import clean_meta
from index.loaders._dates import parse_date
from index.models import Article, Skipped
from index.settings import Settings

EDGES = ["0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00", "Fri, 31 Dec 9999 23:00:00 -0500"]


def load(paths, tmp_path) -> tuple[list[Article], list[Skipped]]:
    cfg = Settings(data_dir=tmp_path / "d", cache_dir=tmp_path / "c")
    items = list(iter_articles([Path(p) for p in paths], cfg))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Skipped)]


def good(folder: Path) -> Path:
    path = folder / "good.json"
    path.write_text(
        json.dumps({"title": "Good", "body": "A perfectly good article about bridges.", "date": "2024-03-05"})
    )
    return path


@pytest.mark.parametrize("date", EDGES)
def test_a_date_a_zone_moves_out_of_the_calendar_leaves_the_article_undated(tmp_path, date):
    (tmp_path / "a.json").write_text(json.dumps({"title": "J", "body": "Body of the JSON one.", "date": date}))
    (tmp_path / "b.md").write_text(f"---\ntitle: M\ndate: {date}\n---\nBody of the Markdown one.\n")
    (tmp_path / "c.html").write_text(
        f'<html><head><title>H</title><meta property="article:published_time" '
        f'content="{date}"></head><body><article><p>Body of the HTML one, long '
        f"enough to be the article.</p></article></body></html>"
    )
    good(tmp_path)
    articles, skipped = load([tmp_path], tmp_path)
    assert not skipped
    assert sorted(a.meta.title for a in articles) == ["Good", "H", "J", "M"]
    assert all(a.meta.published_ts is None for a in articles if a.meta.title != "Good")


def test_a_four_digit_year_is_read_as_written():
    assert parse_date("Mon, 01 Jan 0001 00:00:00 +0000") == ("0001-01-01T00:00:00Z", -62135596800)
    assert parse_date("Tue, 19 Mar 2025 10:00:00 GMT")[0] == "2025-03-19T10:00:00Z"
    assert parse_date("Thu, 05 Mar 0099 10:00:00 GMT")[0].startswith("0099-")


def test_lone_surrogates_skip_their_record_and_huge_numbers_load(tmp_path):
    (tmp_path / "list.json").write_text(
        '[{"title": "bad \\ud800", "body": "text"}, {"title": "Fine", "body": "A fine record."},'
        ' {"title": "N", "body": "x", "views": ' + "9" * 5000 + "}]"
    )
    (tmp_path / "lines.jsonl").write_text(
        '{"title": "L1", "body": "first line \\udfff"}\n{"title": "L2", "body": "second line"}\n'
        '{"title": "L3", "body": "third", "n": ' + "1" * 5000 + "}\n"
    )
    good(tmp_path)
    articles, skipped = load([tmp_path], tmp_path)
    assert sorted(a.meta.title for a in articles) == ["Fine", "Good", "L2", "L3", "N"]  # the number stays text
    reasons = {Path(s.path).name: s.reason for s in skipped}
    assert "lone surrogate" in reasons["list.json[0]"] and "title" in reasons["list.json[0]"]
    assert "lone surrogate" in reasons["lines.jsonl:1"]
    assert len(skipped) == 2


def test_a_file_name_that_is_not_utf8_is_skipped_and_printable(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    bad = os.fsdecode(bytes(folder) + b"/caf\xe9.json")
    Path(bad).write_text(json.dumps({"title": "Latin-1 name", "body": "Some text here."}))
    good(folder)
    articles, skipped = load([folder], tmp_path)
    assert [a.meta.title for a in articles] == ["Good"]
    assert len(skipped) == 1 and skipped[0].path.endswith("caf\\xe9.json")
    assert "not valid UTF-8" in skipped[0].reason
    skipped[0].path.encode("utf-8")  # printable


@pytest.mark.parametrize("target", ["/proc/self/environ", "/proc/self", "/dev/zero", "/sys/kernel"])
def test_links_into_system_trees_are_never_read(tmp_path, target, monkeypatch):
    if not os.path.exists(target):
        pytest.skip(f"{target} absent here")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-must-never-be-stored-1234")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "environ.txt").symlink_to(target)
    (folder / "linked").symlink_to(target)
    good(folder)
    articles, skipped = load([folder], tmp_path)
    assert [a.meta.title for a in articles] == ["Good"]
    assert skipped and all("system" in s.reason for s in skipped)
    assert not any("sk-must-never" in a.body for a in articles)


def test_bidi_marks_are_stripped_from_what_is_stored():
    assert clean_meta("a\u200eb\u200fc\u061cd\u202ee\u2066f\u2069g") == "abcdefg"
