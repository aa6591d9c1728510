"""``ingest URL``: pages and feeds from a real server on 127.0.0.1 into a real store, with the
real loaders and embedding model. Re-runs, changes, failures and robots.txt included."""

from __future__ import annotations

import stat

import pytest

from index.store import Store
from index.web.run import ingest_sources
from tests.index.site_server import Page, Site
from tests.index.web_fixtures import page, rss, story

FEED = "application/rss+xml"


@pytest.fixture
def web(settings):
    return settings.model_copy(update={"fetch_timeout": 0.5, "fetch_host_delay": 0.0})


@pytest.fixture
def site():
    with Site() as s:
        yield s


def _feed_site(site: Site) -> None:
    """A feed of three entries: one with its full text, two with a summary linking to a page."""
    site.pages["/p1"] = Page(
        page("Harbour bridge approved", story("the harbour bridge"), date="2026-11-30"), etag='"p1"'
    )
    site.pages["/p2"] = Page(page("New ferry line", story("the ferry line")), etag='"p2"')
    full = "<p>" + " ".join(story("the fish market")) + "</p>"
    site.pages["/feed.xml"] = Page(
        rss(
            "Harbour Gazette",
            [
                {
                    "title": "Fish market reopens",
                    "link": site.url("/p0"),
                    "date": "Mon, 30 Nov 2026 08:00:00 GMT",
                    "summary": "The market is back.",
                    "content": full,
                },
                {
                    "title": "Harbour bridge approved",
                    "link": site.url("/p1"),
                    "date": "Mon, 30 Nov 2026 09:00:00 GMT",
                    "summary": "The council voted.",
                },
                {
                    "title": "New ferry line",
                    "link": site.url("/p2"),
                    "date": "Tue, 01 Dec 2026 10:00:00 GMT",
                    "summary": "A ferry is coming.",
                },
            ],
        ),
        content_type=FEED,
        etag='"f1"',
        gzip=True,
    )


def _stored(settings) -> dict[str, object]:
    with Store.open(settings) as store:
        metas = store.list_articles()
        return {m.url: store.get_article(m.doc_id) for m in metas}


def test_a_page_is_one_article_named_by_its_url(web, site):
    site.pages["/a"] = Page(page("Harbour bridge approved", story("the harbour bridge"), site="Harbour Gazette"))
    report = ingest_sources([site.url("/a")], web)
    assert (report.articles, report.added, report.skipped) == (1, 1, [])
    (article,) = _stored(web).values()
    assert article.meta.url == site.url("/a") and article.meta.path == site.url("/a")
    assert article.meta.title == "Harbour bridge approved" and article.meta.source == "Harbour Gazette"
    assert "Ines Okafor" in article.body and "Copyright" not in article.body


def test_summary_only_entries_get_their_pages(web, site):
    _feed_site(site)
    report = ingest_sources([site.url("/feed.xml")], web)
    assert (report.articles, report.added, report.skipped) == (3, 3, [])
    stored = _stored(web)
    assert set(stored) == {site.url(p) for p in ("/p0", "/p1", "/p2")}
    bridge = stored[site.url("/p1")]
    assert "The mayor, Ines Okafor" in bridge.body  # the page's text, not the feed's summary
    assert bridge.meta.source == "Harbour Gazette"  # the page names no outlet: the feed's title
    assert bridge.meta.published_at.startswith("2026-11-30")
    assert "fish market" in stored[site.url("/p0")].body  # full content in the feed: no fetch
    assert "/p0" not in site.paths()
    assert sorted(site.paths()) == ["/feed.xml", "/p1", "/p2", "/robots.txt"]


def test_a_second_run_revalidates_and_embeds_nothing(web, site):
    _feed_site(site)
    ingest_sources([site.url("/feed.xml")], web)
    with Store.open(web) as store:
        before = store.counts()
    del site.hits[:]
    report = ingest_sources([site.url("/feed.xml")], web)
    assert (report.articles, report.added, report.updated, report.unchanged) == (3, 0, 0, 3)
    assert site.paths() == ["/robots.txt", "/feed.xml"]
    assert site.hits[-1].headers["If-None-Match"] == '"f1"'
    with Store.open(web) as store:
        assert store.counts() == before


def test_a_changed_feed_refetches_only_the_changed_entry(web, site):
    _feed_site(site)
    ingest_sources([site.url("/feed.xml")], web)
    feed = site.pages["/feed.xml"]
    site.pages["/feed.xml"] = Page(
        feed.body.replace(b"The council voted.", b"The council voted again."), content_type=FEED, etag='"f2"'
    )
    site.pages["/p1"] = Page(
        page("Harbour bridge approved", [*story("the harbour bridge"), "Work starts in May."]), etag='"p1b"'
    )
    del site.hits[:]
    report = ingest_sources([site.url("/feed.xml")], web)
    assert (report.articles, report.added, report.updated, report.unchanged) == (3, 0, 1, 2)
    assert sorted(site.paths()) == ["/feed.xml", "/p1", "/robots.txt"]  # p2's entry did not change
    assert site.hits[-1].headers.get("If-None-Match") == '"p1"'
    assert "Work starts in May." in _stored(web)[site.url("/p1")].body


def test_an_unchanged_page_answers_304_and_keeps_its_article(web, site):
    site.pages["/a"] = Page(
        page("Harbour bridge approved", story("the harbour bridge")), last_modified="Mon, 30 Nov 2026 09:00:00 GMT"
    )
    ingest_sources([site.url("/a")], web)
    report = ingest_sources([site.url("/a")], web)
    assert (report.articles, report.unchanged) == (1, 1)
    assert site.hits[-1].headers["If-Modified-Since"] == "Mon, 30 Nov 2026 09:00:00 GMT"


def test_a_new_store_is_not_fooled_by_old_validators(web, site, tmp_path):
    site.pages["/a"] = Page(page("Harbour bridge approved", story("the harbour bridge")), etag='"v1"')
    ingest_sources([site.url("/a")], web)
    other = web.model_copy(update={"store": tmp_path / "other-store"})
    report = ingest_sources([site.url("/a")], other)  # same state file, empty store
    assert (report.added, report.unchanged) == (1, 0)
    assert "If-None-Match" not in site.hits[-1].headers


def test_failures_are_one_line_each_and_the_rest_is_stored(web, site):
    site.pages["/ok"] = Page(page("Harbour bridge approved", story("the harbour bridge")))
    site.pages["/gone"] = Page(b"", status=404)
    site.pages["/broken"] = Page(b"", status=500)
    site.pages["/slow"] = Page(page("Slow", story("slowness")), delay=2.0)
    site.pages["/pic"] = Page(b"\x89PNG", content_type="image/png")
    site.pages["/big"] = Page(b"<p>" + b"x" * 200_000 + b"</p>")
    site.redirect("/loop", "/loop")
    urls = [site.url(p) for p in ("/gone", "/broken", "/slow", "/pic", "/big", "/loop", "/ok")]
    report = ingest_sources(urls, web.model_copy(update={"fetch_max_bytes": 100_000}))
    assert report.added == 1
    reasons = {s.path: s.reason for s in report.skipped}
    assert reasons == {
        site.url("/gone"): "HTTP 404 Not Found",
        site.url("/broken"): "HTTP 500 Internal Server Error",
        site.url("/slow"): "timed out after 0.5 s",
        site.url("/pic"): "not a page or feed (content type image/png)",
        site.url("/big"): "too large: 200,007 bytes (limit 100,000, NEWSQA_FETCH_MAX_BYTES)",
        site.url("/loop"): "more than 5 redirects (a redirect loop?)",
    }
    # The report names every URL asked for once, with what became of it.
    assert [(f.path, f.outcome, f.reason or f.added) for f in report.files] == [
        (url, "skipped", reasons[url]) if url in reasons else (url, "ingested", 1) for url in urls
    ]


def test_a_failing_url_loses_nothing_stored(web, site):
    site.pages["/a"] = Page(page("Harbour bridge approved", story("the harbour bridge")), etag='"v1"')
    ingest_sources([site.url("/a")], web)
    site.pages["/a"] = Page(b"", status=503)
    report = ingest_sources([site.url("/a")], web)
    assert [s.reason for s in report.skipped] == ["HTTP 503 Service Unavailable"]
    assert "Ines Okafor" in _stored(web)[site.url("/a")].body


def test_an_entry_whose_page_fails_stores_the_summary_and_is_tried_again(web, site):
    _feed_site(site)
    site.pages["/robots.txt"] = Page(b"User-agent: *\nDisallow: /p2\n", content_type="text/plain")
    report = ingest_sources([site.url("/feed.xml")], web)
    assert report.added == 3
    assert [(s.path, s.reason) for s in report.skipped] == [
        (site.url("/p2"), "disallowed by the site's robots.txt; the feed's summary is stored instead")
    ]
    assert _stored(web)[site.url("/p2")].body == "A ferry is coming."
    assert "/p2" not in site.paths()
    site.pages["/robots.txt"] = Page(b"", status=404)
    del site.hits[:]
    report = ingest_sources([site.url("/feed.xml")], web)
    assert (report.updated, report.unchanged, report.skipped) == (1, 2, [])
    assert "If-None-Match" not in site.hits[1].headers  # the feed is read again in full
    assert "The mayor, Ines Okafor" in _stored(web)[site.url("/p2")].body  # the same article, now whole
    assert len(_stored(web)) == 3


def test_paths_and_urls_mix_and_prune_keeps_fetched_articles(web, site, tmp_path):
    site.pages["/a"] = Page(page("Harbour bridge approved", story("the harbour bridge")))
    local = tmp_path / "local.txt"
    local.write_text("Ferry news\n\n" + " ".join(story("the ferry line")))
    report = ingest_sources([local, site.url("/a")], web)
    assert (report.articles, report.added) == (2, 2)
    local.unlink()
    report = ingest_sources([site.url("/a")], web, prune=True)
    assert report.pruned == 1  # the deleted file's article, never the fetched one
    assert list(_stored(web)) == [site.url("/a")]


def test_the_state_file_is_private(web, site):
    site.pages["/a"] = Page(page("Harbour bridge approved", story("the harbour bridge")), etag='"v1"')
    ingest_sources([site.url("/a")], web)
    assert stat.S_IMODE(web.fetch_state_db.stat().st_mode) == 0o600


def test_the_cli_takes_paths_and_urls_and_names_each_failure(web, site, tmp_path, capsys, monkeypatch):
    from qa.cli import main

    monkeypatch.setenv("NEWSQA_FETCH_HOST_DELAY", "0")
    site.pages["/a"] = Page(page("Harbour bridge approved", story("the harbour bridge")))
    local = tmp_path / "local.txt"
    local.write_text("Ferry news\n\n" + " ".join(story("the ferry line")))
    code = main(["ingest", str(local), site.url("/a"), site.url("/missing")])
    out, err = capsys.readouterr()
    assert code == 0
    assert err.splitlines() == [f"skipped {site.url('/missing')}: HTTP 404 Not Found"]
    assert out.startswith("2 articles: 2 added, 0 updated, 0 unchanged, 0 pruned, 1 skipped")


def test_a_json_feed_with_summaries_gets_its_pages_too(web, site):
    import json

    site.pages["/p1"] = Page(page("Harbour bridge approved", story("the harbour bridge")))
    site.pages["/feed.json"] = Page(
        json.dumps(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "title": "Harbour Gazette",
                "items": [
                    {
                        "id": "1",
                        "url": site.url("/p1"),
                        "title": "Harbour bridge approved",
                        "summary": "The council voted.",
                        "date_published": "2026-11-30T09:00:00Z",
                    }
                ],
            }
        ).encode(),
        content_type="application/feed+json",
    )
    report = ingest_sources([site.url("/feed.json")], web)
    assert (report.added, report.skipped) == (1, [])
    bridge = _stored(web)[site.url("/p1")]
    assert "The mayor, Ines Okafor" in bridge.body and bridge.meta.source == "Harbour Gazette"
