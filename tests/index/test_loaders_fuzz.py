"""Fuzzing the loaders with generated files: any input gives Articles or Skipped, never an error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from index.loaders import load_file
from index.loaders._dates import parse_date
from index.models import Article, Skipped
from index.settings import Settings

SUFFIXES = [".txt", ".md", ".html", ".json", ".jsonl"]
FUZZ = hsettings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ESCAPES = [
    "\x1b[31m",
    "\x1b]0;t\x07",
    "\x1b]8;;x\x1b\\",
    "\x9b2J",
    "\x00",
    "\r\n",
    "\r",
    "\x07",
    "\u202e",
    "\ufeff",
    "\x1b",
    "---\n",
    "# ",
    "Published March 19, 2025\n",
    "<p>",
    "</article>",
]
texty = st.lists(st.one_of(st.text(max_size=40), st.sampled_from(ESCAPES)), max_size=30).map("".join)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | texty,
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.sampled_from(
                [
                    "title",
                    "body",
                    "text",
                    "date",
                    "pubDate",
                    "source",
                    "author",
                    "authors",
                    "url",
                    "doc_id",
                    "name",
                    "articles",
                    "x",
                ]
            )
            | st.text(max_size=8),
            children,
            max_size=6,
        )
    ),
    max_leaves=30,
)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def cfg(workdir) -> Settings:
    return Settings(data_dir=workdir / "d", cache_dir=workdir / "c", max_file_bytes=200_000)


def check(path: Path, cfg: Settings) -> None:
    check_items(load_file(path, cfg))


def check_items(items: list) -> None:
    """Articles or one-line skips only, and every article clean and titled."""
    for item in items:
        assert isinstance(item, (Article, Skipped))
        if isinstance(item, Skipped):
            assert item.reason and "\n" not in item.reason
            continue
        assert item.body.strip()
        for text in (item.body, item.meta.title, item.meta.source or "", item.meta.author or ""):
            assert not [c for c in text if (c < " " and c not in "\n\t") or "\x7f" <= c < "\xa0"]
        assert "\n" not in item.meta.title and item.meta.title == item.meta.title.strip()


@FUZZ
@given(data=st.binary(max_size=2_000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes(workdir, cfg, data, suffix):
    path = workdir / f"bytes{suffix}"
    path.write_bytes(data)
    check(path, cfg)


@FUZZ
@given(text=texty, suffix=st.sampled_from(SUFFIXES), encoding=st.sampled_from(["utf-8", "utf-16", "utf-8-sig"]))
def test_random_text_with_escapes(workdir, cfg, text, suffix, encoding):
    path = workdir / f"text{suffix}"
    path.write_bytes(text.encode(encoding, "surrogatepass"))
    check(path, cfg)


@FUZZ
@given(value=json_values, lines=st.lists(json_values, max_size=4))
def test_random_json(workdir, cfg, value, lines):
    single = workdir / "one.json"
    single.write_text(json.dumps(value), encoding="utf-8")
    check(single, cfg)
    many = workdir / "many.jsonl"
    many.write_text("\n".join(json.dumps(v) for v in lines), encoding="utf-8")
    check(many, cfg)


@FUZZ
@given(value=st.one_of(texty, st.integers(), st.floats()))
def test_parse_date_never_raises(value):
    parsed = parse_date(value)
    assert parsed is None or (isinstance(parsed[0], str) and isinstance(parsed[1], int))
