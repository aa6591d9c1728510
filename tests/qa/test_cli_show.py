"""`newsqa show` and the path/author fields of `sources --json`, on a feed ingested by the CLI."""

from __future__ import annotations

import json

from tests.qa.test_cli import newsqa

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Valley News</title>
<item><title>Dam opens</title><link>https://valley.example/dam</link><author>ann@valley.example (Ann Bo)</author>
<pubDate>Fri, 07 Mar 2025 09:00:00 GMT</pubDate>
<description>&lt;p&gt;The new dam opened on Monday.&lt;/p&gt;&lt;p&gt;It supplies thirty thousand homes.&lt;/p&gt;</description></item>
<item><title>Bridge shuts</title><link>https://valley.example/bridge</link>
<pubDate>Sat, 08 Mar 2025 09:00:00 GMT</pubDate><description>The old bridge shut for repairs.</description></item>
</channel></rss>"""  # noqa: E501 - escaped HTML as real feeds carry it, on one line


def test_feed_ingest_sources_and_show(tmp_path):
    news = tmp_path / "news"
    news.mkdir()
    (news / "valley.html").write_text(FEED)  # a feed under a page's name
    (news / "sheet.xlsx").write_bytes(b"PK\x03\x04")
    store = str(tmp_path / "s")
    out = newsqa("ingest", str(news), "--json", "--store", store)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["articles"] == 2
    [skipped] = report["skipped"]
    assert skipped["path"].endswith("sheet.xlsx") and skipped["reason"].startswith("unsupported file type '.xlsx'")

    sources = {s["title"]: s for s in json.loads(newsqa("sources", "--json", "--store", store).stdout)}
    dam = sources["Dam opens"]
    assert dam["path"] == str(news / "valley.html") and dam["source"] == "Valley News"
    assert "Ann Bo" in dam["author"]

    shown = newsqa("show", dam["doc_id"][:6], "--store", store)
    assert shown.returncode == 0, shown.stderr
    assert "title: Dam opens" in shown.stdout and "outlet: Valley News" in shown.stdout
    assert "published: 7 Mar 2025 (2025-03-07T09:00:00Z)" in shown.stdout
    assert shown.stdout.rstrip().endswith("The new dam opened on Monday.\nIt supplies thirty thousand homes.")

    as_json = json.loads(newsqa("show", dam["doc_id"], "--json", "--store", store).stdout)
    assert as_json["body"] == "The new dam opened on Monday.\nIt supplies thirty thousand homes."
    assert as_json["url"] == "https://valley.example/dam" and as_json["path"] == dam["path"]


def test_show_unknown_and_ambiguous_ids(tmp_path):
    news = tmp_path / "feed.rss"
    news.write_text(FEED)
    store = str(tmp_path / "s")
    assert newsqa("ingest", str(news), "--store", store).returncode == 0
    missing = newsqa("show", "u-nothing", "--store", store)
    assert missing.returncode == 1 and missing.stderr.startswith("error: no stored article with doc_id 'u-nothing'")
    assert "Traceback" not in missing.stderr
    ambiguous = newsqa("show", "u-", "--store", store)
    assert ambiguous.returncode == 1 and "2 articles start with 'u-'" in ambiguous.stderr
