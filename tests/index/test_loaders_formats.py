"""Each format through ``load_file``: text, metadata, dates and ids, from real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.loaders import SUPPORTED_SUFFIXES, load_file
from index.models import Article, Skipped
from index.settings import Settings

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "seeds" / "000_fb8477c1ba6629bb.txt"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", cache_dir=tmp_path / "cache")


def one_article(path: Path, settings: Settings) -> Article:
    loaded = load_file(path, settings)
    assert len(loaded) == 1 and isinstance(loaded[0], Article), loaded
    return loaded[0]


def test_supported_suffixes():
    assert {".txt", ".md", ".html", ".htm", ".json", ".jsonl"} <= SUPPORTED_SUFFIXES


def test_seed_text_article(settings):
    if not SEED.exists():
        pytest.skip("seed article absent")
    article = one_article(SEED, settings)
    assert article.meta.title == "Trump and Putin's Negotiations: A Path to Peace?"
    assert article.meta.published_at.startswith("2025-03-19")
    assert article.meta.published_ts is not None
    assert "Published March 19" not in article.body
    assert not article.body.startswith("Trump and Putin's Negotiations")
    assert article.body.startswith("In an unexpected political development")
    assert article.meta.path == str(SEED)
    assert article.meta.doc_id.startswith("h-") and article.meta.n_chunks == 0


@pytest.mark.parametrize(
    ("dateline", "iso"),
    [
        ("Published on 19 March 2025", "2025-03-19"),
        ("Updated March 20, 2025", "2025-03-20"),
        ("2025-03-19", "2025-03-19"),
        ("Posted: 2025-03-19 10:00", "2025-03-19T10:00:00"),
        ("Published March 19, 2025 - 3:15 PM GMT", "2025-03-19T15:15:00Z"),
    ],
)
def test_text_datelines(tmp_path, settings, dateline, iso):
    path = tmp_path / "a.txt"
    path.write_text(f"\n\nA headline\n{dateline}\n\nFirst paragraph.\nSecond paragraph.\n")
    article = one_article(path, settings)
    assert article.meta.title == "A headline"
    assert article.meta.published_at == iso
    assert article.body == "First paragraph.\nSecond paragraph."


def test_text_published_beats_updated(tmp_path, settings):
    path = tmp_path / "a.txt"
    path.write_text("Title\nUpdated March 21, 2025\nPublished March 19, 2025\nBody text.\n")
    article = one_article(path, settings)
    assert article.meta.published_at == "2025-03-19"
    assert article.body == "Body text."


def test_text_prose_line_is_not_a_date(tmp_path, settings):
    path = tmp_path / "a.txt"
    path.write_text("Title\nPublished in March 2025 the report said many things.\n")
    article = one_article(path, settings)
    assert article.meta.published_at is None
    assert "Published in March 2025" in article.body


def test_markdown_front_matter(tmp_path, settings):
    path = tmp_path / "a.md"
    path.write_text(
        "---\ntitle: Rates rise again\noutlet: The Daily\ndate: 2025-03-19\n"
        "url: https://example.com/rates/\nauthor: [Ann Lee, Bo Chen]\ntags: [x]\n---\n"
        "# Rates rise again\n\nThe central bank raised rates.\n"
    )
    article = one_article(path, settings)
    meta = article.meta
    assert (meta.title, meta.source, meta.published_at, meta.author) == (
        "Rates rise again",
        "The Daily",
        "2025-03-19",
        "Ann Lee, Bo Chen",
    )
    assert meta.url == "https://example.com/rates/"
    assert meta.doc_id.startswith("u-")
    assert article.body == "The central bank raised rates."


def test_markdown_without_front_matter(tmp_path, settings):
    path = tmp_path / "a.md"
    path.write_text("# A heading title #\nPublished 19 March 2025\n\nSome *markdown* body.\n")
    article = one_article(path, settings)
    assert article.meta.title == "A heading title"
    assert article.meta.published_at == "2025-03-19"
    assert article.body == "Some *markdown* body."


def test_markdown_bad_front_matter_is_skipped(tmp_path, settings):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: [unclosed\n---\nBody\n")
    [skipped] = load_file(path, settings)
    assert isinstance(skipped, Skipped) and "malformed YAML front matter" in skipped.reason


HTML = """<!doctype html><html><head>
<title>Rates rise | The Daily</title>
<meta property="og:title" content="Rates rise again">
<meta property="og:site_name" content="The Daily">
<meta property="article:published_time" content="2025-03-19T10:00:00+02:00">
<meta name="author" content="Ann Lee">
<link rel="canonical" href="https://example.com/rates">
<style>p { color: red }</style><script>var secret = "do not index";</script>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<header><h1>Site banner</h1></header>
<article><h1>Rates rise again</h1>
<p>The central bank raised rates by <b>half a point</b> on Tuesday.</p>
<p>Markets fell.<br>Bonds rallied.</p>
<aside>Related: other stories</aside>
<script>track()</script>
</article>
<article class="teaser"><h2><a href="/other">Teaser story</a></h2></article>
<footer>Copyright</footer>
</body></html>"""


def test_html_article_text_and_metadata(tmp_path, settings):
    path = tmp_path / "a.html"
    path.write_text(HTML)
    article = one_article(path, settings)
    meta = article.meta
    assert meta.title == "Rates rise again"
    assert meta.source == "The Daily"
    assert meta.published_at == "2025-03-19T08:00:00Z"
    assert meta.published_ts == 1742371200
    assert meta.author == "Ann Lee"
    assert meta.url == "https://example.com/rates"
    assert article.body == ("The central bank raised rates by half a point on Tuesday.\nMarkets fell.\nBonds rallied.")
    for junk in ("secret", "track", "Home", "Related", "Copyright", "color", "Teaser", "Site banner"):
        assert junk not in article.body


def test_html_fallbacks(tmp_path, settings):
    path = tmp_path / "b.htm"
    path.write_text(
        "<html><body><main><h1>Only heading</h1><time datetime='2025-03-19'>Mar 19</time>"
        "<p>Body here.</p></main></body></html>"
    )
    article = one_article(path, settings)
    assert article.meta.title == "Only heading"
    assert article.meta.published_at == "2025-03-19"
    assert "Body here." in article.body


def test_json_object_field_aliases(tmp_path, settings):
    path = tmp_path / "a.json"
    record = {
        "headline": "Rates rise",
        "content": "The bank raised rates.",
        "pubDate": "Tue, 19 Mar 2025 10:00:00 +0000",
        "publisher": {"name": "The Daily", "id": 7},
        "link": "https://example.com/r",
        "authors": [{"name": "Ann Lee"}, "Bo Chen"],
        "secret_field": "kept out",
        "path": "/etc/passwd",
    }
    path.write_text(json.dumps(record))
    meta = one_article(path, settings).meta
    assert (meta.title, meta.source, meta.url, meta.author) == (
        "Rates rise",
        "The Daily",
        "https://example.com/r",
        "Ann Lee, Bo Chen",
    )
    assert meta.published_at == "2025-03-19T10:00:00Z"
    assert meta.path == str(path)  # a "path" field in the data is never used
    assert "kept out" not in repr(meta)


def test_json_list_with_bad_records(tmp_path, settings):
    path = tmp_path / "many.json"
    path.write_text(
        json.dumps(
            [
                {"title": "One", "body": "First body."},
                "not an object",
                {"title": "No text"},
                {"title": "Two", "text": "Second body.", "doc_id": "mhr-abc123"},
            ]
        )
    )
    loaded = load_file(path, settings)
    assert [type(x).__name__ for x in loaded] == ["Article", "Skipped", "Skipped", "Article"]
    assert loaded[1] == Skipped(f"{path}[1]", "record is a JSON string, not an object")
    assert loaded[2] == Skipped(f"{path}[2]", "no article text")
    assert loaded[3].doc_id == "mhr-abc123"


def test_json_wrapped_list(tmp_path, settings):
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"articles": [{"title": "A", "body": "x"}, {"title": "B", "body": "y"}]}))
    assert [a.meta.title for a in load_file(path, settings)] == ["A", "B"]


def test_jsonl_bad_line_names_file_and_line(tmp_path, settings):
    path = tmp_path / "a.jsonl"
    path.write_text(
        '{"title": "One", "body": "First."}\n'
        "\n"
        '{"title": "Two", "body": \n'
        "[1, 2]\n"
        '{"title": "Three", "article": "Third."}\n'
    )
    loaded = load_file(path, settings)
    assert [getattr(x, "meta", None) and x.meta.title for x in loaded] == ["One", None, None, "Three"]
    assert loaded[1].path == f"{path}:3" and loaded[1].reason.startswith("malformed JSON")
    assert loaded[2] == Skipped(f"{path}:4", "record is a JSON array, not an object")
    assert all(a.meta.path == str(path) for a in (loaded[0], loaded[3]))


def test_explicit_doc_id_must_be_well_formed(tmp_path, settings):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"doc_id": "../../etc/passwd", "title": "T", "body": "B"}))
    assert one_article(path, settings).doc_id.startswith("h-")


def test_same_body_under_two_names_has_one_id(tmp_path, settings):
    text = "Headline\nSame body  text.\n"
    (tmp_path / "a.txt").write_text(text)
    (tmp_path / "b.txt").write_text(text.replace("  ", " "))
    a = one_article(tmp_path / "a.txt", settings)
    b = one_article(tmp_path / "b.txt", settings)
    assert a.doc_id == b.doc_id
    (tmp_path / "c.txt").write_text("Headline\nOther body.\n")
    assert one_article(tmp_path / "c.txt", settings).doc_id != a.doc_id


def test_url_id_ignores_case_of_host_and_fragment(tmp_path, settings):
    for name, url in (("a", "https://Example.com/x/#top"), ("b", "https://example.com/x")):
        (tmp_path / f"{name}.json").write_text(json.dumps({"url": url, "title": name, "body": name}))
    assert one_article(tmp_path / "a.json", settings).doc_id == one_article(tmp_path / "b.json", settings).doc_id


def test_content_hash_changes_with_any_field(tmp_path, settings):
    base = {"title": "T", "body": "B", "source": "S", "date": "2025-03-19", "url": "https://e.com/a", "author": "A"}
    path = tmp_path / "a.json"
    hashes = set()
    for key in [None, *base]:
        record = dict(base)
        if key is not None:
            record[key] = record[key] + "1" if key != "date" else "2025-03-20"
        path.write_text(json.dumps(record))
        hashes.add(one_article(path, settings).meta.content_hash)
    assert len(hashes) == 1 + len(base)


def test_title_falls_back_to_body(tmp_path, settings):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"body": "A first sentence here.\nMore."}))
    assert one_article(path, settings).meta.title == "A first sentence here."
