"""Web pages through the real HTML loader: text, metadata precedence, encodings.

The pages in tests/fixtures/pages/html were written for these tests (made-up stories) to carry
what real news pages do: JSON-LD graphs and lists, OpenGraph, two <main>s, teaser <article>s,
a comments section, soft hyphens, a windows-1251 page with one invalid byte.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from index.loaders import LoadProblem, html_article, load_file
from index.models import Article
from tests.conftest import REPO

PAGES = REPO / "tests" / "fixtures" / "pages" / "html"


def stored(name: str, settings) -> Article:
    loaded = load_file(PAGES / name, settings)
    assert len(loaded) == 1 and isinstance(loaded[0], Article), loaded
    return loaded[0]


def test_json_ld_graph_outranks_opengraph_and_comments_stay_out(settings):
    article = stored("ledger-rates.html", settings)
    meta = article.meta
    # JSON-LD headline, date, author (by @id reference) and publisher beat og:* and <title>.
    assert meta.title == "Central bank holds rates for a fourth time"
    assert meta.published_at == "2025-03-19T02:30:00Z"
    assert meta.author == "Maria Okafor"
    assert meta.source == "The Daily Ledger"
    assert meta.url == "https://ledger.example/rates"
    body = article.body
    assert "4.25 percent" in body and "service sector remained" in body  # soft hyphen, ZWSP gone
    assert "\u00ad" not in body and "\u200b" not in body
    assert "| January | 4.25% |" in body  # the table is kept
    for junk in ("expensive mortgages", "3 comments", "Reader 1", "Housing market cools", "Copyright", "Sport"):
        assert junk not in body


def test_two_mains_opengraph_only(settings):
    article = stored("two-mains.html", settings)
    assert article.body.startswith("Heavy rain flooded")
    assert "Traffic" not in article.body and "newsletter" not in article.body
    assert article.meta.title == "Storm floods coastal towns"  # " - Coast Herald" removed
    assert (article.meta.author, article.meta.source) == ("Jonas Berg", "Coast Herald")
    assert article.meta.published_at == "2025-02-04T10:15:00Z"


def test_the_story_wins_over_teaser_articles(settings):
    article = stored("teasers.html", settings)
    assert article.body.startswith("The Riverside public library reopened")
    assert article.body.endswith("on weekdays.")
    for teaser in ("Council approves", "Bakery", "Read more"):
        assert teaser not in article.body
    assert article.meta.title == "Library reopens after fire"  # short " | Riverside Post" removed
    assert (article.meta.author, article.meta.published_at) == ("Nadia Kowalski", "2025-01-10")


def test_windows_1251_with_one_bad_byte_decodes_as_declared(settings):
    article = stored("cp1251.html", settings)
    assert "Городской совет утвердил план ремонта" in article.body
    assert article.body.count("\ufffd") == 1  # the bad byte, and nothing else, is lost
    assert article.meta.author == "Анна Петрова"
    assert article.meta.published_at == "2025-03-05"


def test_article_of_meta_tags_and_json_ld_in_a_list(settings):
    article = stored("jsonld-list.html", settings)
    assert article.body.startswith("Port workers in Haifa")
    meta = article.meta
    assert (meta.title, meta.source) == ("Port strike ends with pay deal", "Harbor Times")
    assert meta.author == "Lea Haddad, Omar Said"
    assert meta.published_at == "2025-04-01T05:00:00Z"


RUSSIAN = (
    "Городской совет утвердил план ремонта центрального моста, который был закрыт для "
    "грузовиков с прошлой осени. Работы начнутся в апреле и продлятся около шести месяцев."  # noqa: RUF001 - Russian
)


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body><article><p>{body}</p><p>{body}</p></article></body></html>"


def test_undeclared_legacy_encoding_is_detected():
    raw = html_article(page(RUSSIAN).encode("cp1251"), name="ru.html")
    assert "утвердил план ремонта" in raw.body


def test_http_charset_outranks_the_meta_declaration():
    data = page("Café au lait, crème brûlée and a naïve façade.", '<meta charset="utf-8">').encode("cp1252")
    assert "crème brûlée" in html_article(data, name="x", charset="windows-1252").body
    # Without the header, the (wrong) declaration is followed, byte by byte: no page-wide fallback.
    assert "cr\ufffdme" in html_article(data, name="x").body


def test_utf8_with_a_stray_byte_stays_utf8():
    data = page("Zürich’s “new” café opened on Tuesday morning to long queues.").encode() + b"\xff"
    body = html_article(data, name="x").body
    assert "Zürich’s “new” café" in body and "Ã" not in body


def test_legacy_label_on_utf8_bytes_reads_utf8():
    data = page("Bücher über Köln und Düsseldorf, gelesen im Café.", '<meta charset="iso-8859-1">').encode()
    assert "Bücher über Köln" in html_article(data, name="x").body


def test_author_urls_and_handles_are_dropped():
    head = (
        '<meta property="article:author" content="https://www.facebook.com/someone">'
        '<meta name="author" content="@newsdesk">'
    )
    raw = html_article(
        page("A story long enough to be extracted as the page's main text. " * 3, head).encode(), name="x"
    )
    assert raw.author is None


def test_json_ld_written_as_a_javascript_literal_is_still_read():
    head = (
        '<meta property="og:site_name" content="U.S."><meta property="og:title" content="Oil slips">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Oil slips as supply grows",\n'
        '\t"publisher": {"@type": "Organization", "name": "Wire Service"},\n'
        "\t\"description\": 'Oil prices fell on Tuesday',\n"
        '\t"datePublished": "2019-11-19T21:57:01+0000",}</script>'
    )
    body = "Oil prices fell on Tuesday as supply grew faster than demand. " * 4
    raw = html_article(page(body, head).encode(), name="x")
    assert (raw.source, raw.title, raw.date) == (
        "Wire Service",
        "Oil slips as supply grows",
        "2019-11-19T21:57:01+0000",
    )


@given(st.text(max_size=300))
@hsettings(max_examples=300, deadline=None)
def test_reading_json_ld_never_raises(text):
    from index.loaders._meta import _loads

    value = _loads(text)
    assert value is None or isinstance(value, (dict, list, str, int, float, bool))


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("JERUSALEM POST STAFF NOVEMBER", "JERUSALEM POST STAFF"),  # a byline run into its date
        ("Carrie Arnold November, Bob Lee", "Carrie Arnold, Bob Lee"),
        ("By Ann Smith on May 3, 2019", "Ann Smith"),
        ("Ann Smith December 3, 2019 at 10:43", "Ann Smith"),
        ("Текст: Венера Ерофеева", "Венера Ерофеева"),  # "Text:" bylines
        ("Текст Венера Ерофеева", "Венера Ерофеева"),
        ("Author: Ann Smith", "Ann Smith"),
        ("Theresa May", "Theresa May"),  # months that are names stay
        ("Brian May, June Carter, Fredric March", "Brian May, June Carter, Fredric March"),
        ("Marcus De Guzman", "Marcus De Guzman"),
        ("admin", None),  # a CMS's placeholder, not a name
    ],
)
def test_bylines_become_names(byline, names):
    from index.loaders._meta import clean_author

    assert clean_author(byline) == names


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            b"<html><head><title>Gallery</title></head><body><img src='a.jpg'><script>x()</script></body></html>",
            "no article text",
        ),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(1, 32)) * 20, "binary"),
        (b"   \n", "empty file"),
    ],
)
def test_pages_without_an_article_are_one_line_problems(data, reason):
    with pytest.raises(LoadProblem, match=reason):
        html_article(data, name="x.html")


def test_ask_path_does_not_import_the_extractor():
    code = (
        "import sys, qa.cli, qa.service, index.ingest, index.loaders; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('trafilatura', 'htmldate', 'lxml')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
