"""Feeds (RSS 0.91/1.0/2.0, Atom, JSON Feed) and the content-sniffing entry ``load_bytes``,
on small feeds written here."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from index.loaders import iter_articles, load_bytes, load_file
from index.models import Article, Skipped
from index.settings import Settings

RSS2 = b"""<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment before the root -->
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>The Daily Example</title><link>https://news.example/</link>
<item><title>Harbour bridge reopens</title><link>https://news.example/bridge</link>
<pubDate>Tue, 04 Mar 2025 09:30:00 +0100</pubDate><dc:creator>Ana Lima</dc:creator>
<description>&lt;p&gt;The bridge reopened on &lt;b&gt;Tuesday&lt;/b&gt; after repairs.&lt;/p&gt;&lt;p&gt;Traffic resumed.&lt;/p&gt;</description></item>
<item><title>Title only</title><link>https://news.example/empty</link></item>
<item><title>Council votes budget</title><link>/council</link>
<pubDate>Wed, 05 Mar 2025 12:00:00 GMT</pubDate>
<description>The council voted the budget 7 to 2.</description></item>
</channel></rss>"""  # noqa: E501 - escaped HTML as real feeds carry it, on one line

RSS1 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://old.example/"><title>Old Wire</title><link>https://old.example/</link>
<description>x</description></channel>
<item rdf:about="https://old.example/1"><title>Mill closes</title><link>https://old.example/1</link>
<dc:date>2003-06-10T04:00:00Z</dc:date><description>The mill closed after ninety years.</description></item>
</rdf:RDF>"""

RSS091 = b"""<rss version="0.91"><channel><title>Wire 91</title><link>https://w.example/</link>
<description>d</description><language>en</language>
<item><title>Ferry delayed</title><link>https://w.example/ferry</link>
<description>The morning ferry was delayed by fog.</description></item></channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Times</title><id>urn:x</id>
<updated>2025-03-06T10:00:00Z</updated>
<entry><title type="html">Rail strike &amp;amp; talks</title><link href="https://atom.example/rail"/>
<id>urn:1</id><published>2025-03-06T08:00:00+02:00</published><updated>2025-03-06T10:00:00Z</updated>
<author><name>Bo Chen</name></author><author><name>Di Park</name></author>
<summary>Short summary.</summary>
<content type="html">&lt;p&gt;Unions and the operator met for talks.&lt;/p&gt;&lt;ul&gt;&lt;li&gt;No deal yet.&lt;/li&gt;&lt;/ul&gt;</content>
</entry>
<entry><title>Updated only</title><link href="https://atom.example/upd"/><id>urn:2</id>
<updated>2025-03-07T00:00:00Z</updated><summary>Only a summary here.</summary></entry>
</feed>"""  # noqa: E501 - escaped HTML as real feeds carry it, on one line

JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "JSON Gazette",
    "authors": [{"name": "Desk"}],
    "items": [
        {
            "id": "1",
            "url": "https://j.example/one",
            "title": "Port expands",
            "content_html": "<p>The port adds <a href='x'>two berths</a>.</p><p>Work starts soon.</p>",
            "summary": "Short.",
            "date_published": "2025-03-01T10:00:00-05:00",
            "authors": [{"name": "Eve Ray"}],
        },
        {
            "id": "2",
            "url": "https://j.example/two",
            "title": "Text item",
            "content_text": "Plain <not a tag> text.",
            "date_modified": "2025-03-02",
        },
        {"id": "3", "title": "Summary item", "summary": "Only the summary.", "external_url": "https://j.example/3"},
        "not an object",
    ],
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", cache_dir=tmp_path / "cache")


def articles(items) -> list[Article]:
    return [x for x in items if isinstance(x, Article)]


def skips(items) -> list[Skipped]:
    return [x for x in items if isinstance(x, Skipped)]


@pytest.mark.parametrize("name", ["feed.rss", "feed.xml", "feed.html", "feed.txt", "feed"])
def test_rss2_is_read_as_a_feed_whatever_its_name(tmp_path, settings, name):
    path = tmp_path / name
    path.write_bytes(RSS2)
    loaded = load_file(path, settings)
    first, second = articles(loaded)
    assert first.meta.title == "Harbour bridge reopens"
    assert first.meta.url == "https://news.example/bridge"
    assert first.meta.published_at == "2025-03-04T08:30:00Z"
    assert first.meta.author == "Ana Lima"
    assert first.meta.source == "The Daily Example"
    assert first.meta.path == str(path)
    assert first.body == "The bridge reopened on Tuesday after repairs.\nTraffic resumed."
    assert second.meta.title == "Council votes budget"
    assert second.meta.published_at == "2025-03-05T12:00:00Z"
    [empty] = skips(loaded)
    assert (
        empty.path == f"{path}[1]" and empty.reason == "feed entry has only a title and a link (no content or summary)"
    )


def test_relative_links_resolve_against_the_fetched_url(settings):
    loaded = load_bytes(
        RSS2,
        name="https://news.example/rss",
        settings=settings,
        url="https://news.example/rss",
        content_type="application/rss+xml",
    )
    assert articles(loaded)[1].meta.url == "https://news.example/council"


def test_rss1_and_rss091(settings):
    [mill] = articles(load_bytes(RSS1, name="old.rdf", settings=settings))
    assert (mill.meta.title, mill.meta.source, mill.meta.published_at) == (
        "Mill closes",
        "Old Wire",
        "2003-06-10T04:00:00Z",
    )
    [ferry] = articles(load_bytes(RSS091, name="wire", settings=settings))
    assert ferry.meta.title == "Ferry delayed" and ferry.body == "The morning ferry was delayed by fog."


def test_atom_content_beats_summary_and_dates_fall_back_to_updated(settings):
    rail, upd = articles(load_bytes(ATOM, name="a.atom", settings=settings))
    assert rail.meta.title == "Rail strike & talks"
    assert rail.body == "Unions and the operator met for talks.\nNo deal yet."
    assert rail.meta.author == "Bo Chen, Di Park"
    assert rail.meta.published_at == "2025-03-06T06:00:00Z"
    assert rail.meta.source == "Atom Times"
    assert upd.body == "Only a summary here." and upd.meta.published_at == "2025-03-07T00:00:00Z"


def test_json_feed_items(tmp_path, settings):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(JSON_FEED))
    loaded = load_file(path, settings)
    one, two, three = articles(loaded)
    assert one.body == "The port adds two berths.\nWork starts soon."
    assert (one.meta.author, one.meta.source) == ("Eve Ray", "JSON Gazette")
    assert one.meta.published_at == "2025-03-01T15:00:00Z"
    assert two.body == "Plain <not a tag> text." and two.meta.author == "Desk"
    assert two.meta.published_at == "2025-03-02"
    assert three.body == "Only the summary." and three.meta.url == "https://j.example/3"
    [bad] = skips(loaded)
    assert bad.path == f"{path}[3]" and "not an object" in bad.reason


def test_json_feed_recognised_under_any_name_and_gzipped(settings):
    data = gzip.compress(json.dumps(JSON_FEED).encode())
    assert len(articles(load_bytes(data, name="download.bin", settings=settings))) == 3


def test_gzipped_feed_and_page(tmp_path, settings):
    (tmp_path / "feed.xml.gz").write_bytes(gzip.compress(ATOM))
    page = b"<html><head><title>Gz page</title></head><body><article><p>Zipped words here.</p></article></body></html>"
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(page))
    loaded = list(iter_articles([tmp_path], settings))
    assert [a.meta.title for a in articles(loaded)] == ["Rail strike & talks", "Updated only", "Gz page"]
    assert articles(loaded)[2].meta.path == str(tmp_path / "page.html.gz")


def test_bad_gzip_and_gzip_bomb(tmp_path, settings):
    [bad] = load_bytes(b"\x1f\x8b\x08\x00garbage", name="x.html.gz", settings=settings)
    assert isinstance(bad, Skipped) and "gzip" in bad.reason
    small = Settings(data_dir=tmp_path / "d", cache_dir=tmp_path / "c", max_file_bytes=10_000)
    [bomb] = load_bytes(gzip.compress(b"<p>" + b"a" * 100_000), name="x.html.gz", settings=small)
    assert isinstance(bomb, Skipped) and "max_file_bytes" in bomb.reason
    [nested] = load_bytes(gzip.compress(gzip.compress(ATOM)), name="x.gz.gz", settings=settings)
    assert isinstance(nested, Skipped) and "gzip inside gzip" in nested.reason


def test_broken_feeds_are_one_line_each(settings):
    [broken] = load_bytes(b"<rss><channel><title>T</title>", name="cut.rss", settings=settings)
    assert isinstance(broken, Skipped)
    [nothing] = load_bytes(
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title></channel></rss>",
        name="empty.xml",
        settings=settings,
    )
    assert isinstance(nothing, Skipped) and nothing.reason == "feed has no entries"
    [not_feed] = load_bytes(b"<?xml version='1.0'?><catalog><book/></catalog>", name="books.xml", settings=settings)
    assert isinstance(not_feed, Skipped) and "feed" in not_feed.reason


def test_load_bytes_uses_content_type_then_name(settings):
    page = b"<p>Just a paragraph of a page, no html tag at all, served as HTML.</p>"
    [by_type] = load_bytes(
        page,
        name="https://x.example/story",
        settings=settings,
        content_type="text/html; charset=utf-8",
        url="https://x.example/story",
    )
    assert isinstance(by_type, Article) and by_type.meta.url == "https://x.example/story"
    [by_name] = load_bytes(b"Headline\n\nBody text.", name="note.txt", settings=settings)
    assert isinstance(by_name, Article) and by_name.meta.title == "Headline"
    [unknown] = load_bytes(b"\x00\x01\x02binary", name="blob", settings=settings)
    assert isinstance(unknown, Skipped) and unknown.reason.startswith("unsupported file type '(no suffix)'")


def test_load_bytes_charset_from_content_type(settings):
    page = "<html><body><article><p>Привет, мир: новости дня.</p></article></body></html>".encode("cp1251")
    [article] = load_bytes(page, name="p", settings=settings, content_type="text/html; charset=windows-1251")
    assert "Привет" in article.body


def test_load_bytes_over_the_size_cap(tmp_path, settings):
    small = Settings(data_dir=tmp_path / "d", cache_dir=tmp_path / "c", max_file_bytes=100)
    [big] = load_bytes(b"x" * 200, name="big.txt", settings=small)
    assert isinstance(big, Skipped) and "max_file_bytes" in big.reason


def test_rss_dates_in_other_languages(settings):
    feed = b"""<rss version="2.0"><channel><title>UOL</title>
<item><title>A</title><link>https://u.example/a</link><pubDate>Seg, 24 Set 2018 19:42:40 -0300</pubDate>
<description>Texto da not\xc3\xadcia A.</description></item>
<item><title>B</title><link>https://u.example/b</link><pubDate>mer., 5 f\xc3\xa9vr. 2020 10:00:00 +0100</pubDate>
<description>Texte B.</description></item>
<item><title>C</title><link>https://u.example/c</link><pubDate>Seg, 24 Xyz 2018 19:42:40 -0300</pubDate>
<description>No date here.</description></item></channel></rss>"""
    a, b, c = articles(load_bytes(feed, name="uol.rss", settings=settings))
    assert a.meta.published_at == "2018-09-24T22:42:40Z"
    assert b.meta.published_at == "2020-02-05T09:00:00Z"
    assert c.meta.published_at is None


def test_a_feed_loaded_twice_is_one_duplicate_line(tmp_path, settings):
    (tmp_path / "a.xml").write_bytes(ATOM)
    (tmp_path / "b.html").write_bytes(ATOM)
    items = list(iter_articles([tmp_path], settings))
    assert [a.meta.path for a in articles(items)] == [str(tmp_path / "a.xml")] * 2
    [dup] = skips(items)
    assert dup.path == str(tmp_path / "b.html")
    assert dup.reason == f"duplicate of {tmp_path / 'a.xml'} (all 2 of its articles)"
