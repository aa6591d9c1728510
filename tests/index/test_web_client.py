"""The HTTP client of ``ingest URL`` against a real server on 127.0.0.1: limits, robots.txt,
redirects, gzip, conditional GETs, the per-host delay."""

from __future__ import annotations

import gzip
import itertools
import socket

import pytest

from index.web.client import USER_AGENT, Fetcher, FetchFailed, Validators
from tests.index.site_server import Page, Site

HTML = b"<html><head><title>T</title></head><body><p>Hello.</p></body></html>"


@pytest.fixture
def web_settings(settings):
    return settings.model_copy(update={"fetch_timeout": 0.5, "fetch_host_delay": 0.0, "fetch_max_bytes": 100_000})


@pytest.fixture
def site():
    with Site() as s:
        yield s


def _get(settings, url, validators=None):
    with Fetcher(settings) as f:
        return f.get(url, validators)


def test_a_page_comes_with_its_type_validators_and_our_user_agent(web_settings, site):
    site.pages["/a"] = Page(HTML, etag='"v1"', last_modified="Tue, 01 Dec 2026 10:00:00 GMT")
    got = _get(web_settings, site.url("/a"))
    assert got.body == HTML and not got.not_modified
    assert got.content_type.startswith("text/html")
    assert got.validators == Validators('"v1"', "Tue, 01 Dec 2026 10:00:00 GMT")
    page_hit = next(h for h in site.hits if h.path == "/a")
    assert page_hit.headers["User-Agent"] == USER_AGENT and USER_AGENT.startswith("newsqa/0.")
    assert site.paths() == ["/robots.txt", "/a"]  # robots.txt asked first (404 here: no rules)


def test_gzip_is_asked_for_and_undone(web_settings, site):
    site.pages["/z"] = Page(HTML * 50, gzip=True)
    got = _get(web_settings, site.url("/z"))
    assert got.body == HTML * 50
    assert "gzip" in site.hits[-1].headers["Accept-Encoding"]


def test_the_cap_applies_after_gzip_is_undone(web_settings, site):
    site.pages["/bomb"] = Page(b"\0" * 5_000_000, gzip=True)  # about 5 KB on the wire
    assert len(gzip.compress(b"\0" * 5_000_000)) < web_settings.fetch_max_bytes
    with pytest.raises(FetchFailed, match="too large"):
        _get(web_settings, site.url("/bomb"))


def test_a_declared_length_over_the_cap_is_refused_unread(web_settings, site):
    site.pages["/big"] = Page(b"x" * 200_000)
    with pytest.raises(FetchFailed, match=r"too large: 200,000 bytes"):
        _get(web_settings, site.url("/big"))


def test_an_endless_body_is_cut_at_the_cap(web_settings, site):
    site.pages["/endless"] = Page(endless=True)
    with pytest.raises(FetchFailed, match="too large: over 100,000 bytes"):
        _get(web_settings, site.url("/endless"))


def test_redirects_are_followed_and_a_loop_is_named(web_settings, site):
    site.pages["/new"] = Page(HTML)
    site.redirect("/old", "/new")
    got = _get(web_settings, site.url("/old"))
    assert got.final_url == site.url("/new") and got.body == HTML
    site.redirect("/loop-a", "/loop-b", 302)
    site.redirect("/loop-b", "/loop-a", 307)
    with pytest.raises(FetchFailed, match="more than 5 redirects"):
        _get(web_settings, site.url("/loop-a"))
    assert site.paths().count("/loop-a") + site.paths().count("/loop-b") == 6


def test_a_chain_at_the_bound_is_followed(web_settings, site):
    for i in range(5):
        site.redirect(f"/r{i}", f"/r{i + 1}")
    site.pages["/r5"] = Page(HTML)
    assert _get(web_settings, site.url("/r0")).final_url == site.url("/r5")
    with pytest.raises(FetchFailed, match="redirects"):
        _get(web_settings.model_copy(update={"fetch_max_redirects": 4}), site.url("/r0"))


@pytest.mark.parametrize(
    ("status", "words"),
    [(404, "HTTP 404 Not Found"), (500, "HTTP 500 Internal Server Error"), (403, "HTTP 403 Forbidden")],
)
def test_error_statuses_fail_with_the_status(web_settings, site, status, words):
    site.pages["/x"] = Page(b"oops", status=status)
    with pytest.raises(FetchFailed) as err:
        _get(web_settings, site.url("/x"))
    assert str(err.value) == words


def test_a_slow_server_times_out(web_settings, site):
    site.pages["/slow"] = Page(HTML, delay=2.0)
    with pytest.raises(FetchFailed, match=r"timed out after 0.5 s"):
        _get(web_settings, site.url("/slow"))


def test_a_closed_port_is_connection_refused(web_settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchFailed, match="cannot connect: connection refused"):
        _get(web_settings, f"http://127.0.0.1:{port}/a")


def test_an_image_is_not_a_page(web_settings, site):
    site.pages["/pic"] = Page(b"\x89PNG....", content_type="image/png")
    with pytest.raises(FetchFailed, match=r"not a page or feed \(content type image/png\)"):
        _get(web_settings, site.url("/pic"))


def test_robots_txt_is_honoured_also_across_a_redirect(web_settings, site):
    site.pages["/robots.txt"] = Page(b"User-agent: *\nDisallow: /private\n", content_type="text/plain")
    site.pages["/open"] = Page(HTML)
    site.pages["/private/a"] = Page(HTML)
    site.redirect("/sneaky", "/private/a")
    with Fetcher(web_settings) as f:
        assert f.get(site.url("/open")).body == HTML
        for path in ("/private/a", "/sneaky"):
            with pytest.raises(FetchFailed, match=r"disallowed by the site's robots\.txt"):
                f.get(site.url(path))
    assert "/private/a" not in site.paths()
    assert site.paths().count("/robots.txt") == 1  # read once per site and run


def test_robots_txt_naming_newsqa_applies_to_us(web_settings, site):
    site.pages["/robots.txt"] = Page(
        b"User-agent: newsqa\nDisallow: /\n\nUser-agent: *\nAllow: /\n", content_type="text/plain"
    )
    site.pages["/a"] = Page(HTML)
    with pytest.raises(FetchFailed, match=r"robots\.txt"):
        _get(web_settings, site.url("/a"))


def test_a_failing_robots_txt_means_keep_out(web_settings, site):
    site.pages["/robots.txt"] = Page(b"down", status=503)
    site.pages["/a"] = Page(HTML)
    with pytest.raises(FetchFailed, match=r"robots\.txt answered HTTP 503"):
        _get(web_settings, site.url("/a"))
    assert "/a" not in site.paths()


def test_a_conditional_get_gets_not_modified(web_settings, site):
    site.pages["/a"] = Page(HTML, etag='"v1"')
    first = _get(web_settings, site.url("/a"))
    again = _get(web_settings, site.url("/a"), first.validators)
    assert again.not_modified and again.body == b""
    assert site.hits[-1].headers["If-None-Match"] == '"v1"'
    site.pages["/a"] = Page(HTML + b"<p>more</p>", etag='"v2"')
    changed = _get(web_settings, site.url("/a"), first.validators)
    assert not changed.not_modified and changed.validators.etag == '"v2"'


def test_last_modified_alone_revalidates(web_settings, site):
    site.pages["/a"] = Page(HTML, last_modified="Tue, 01 Dec 2026 10:00:00 GMT")
    first = _get(web_settings, site.url("/a"))
    assert _get(web_settings, site.url("/a"), first.validators).not_modified
    assert site.hits[-1].headers["If-Modified-Since"] == "Tue, 01 Dec 2026 10:00:00 GMT"


def test_requests_to_one_host_are_spaced(web_settings, site):
    site.pages["/a"] = Page(HTML)
    with Fetcher(web_settings.model_copy(update={"fetch_host_delay": 0.25})) as f:
        for _ in range(3):
            f.get(site.url("/a"))
    times = [h.at for h in site.hits]  # robots.txt, then three pages
    assert len(times) == 4
    assert all(b - a >= 0.2 for a, b in itertools.pairwise(times))  # less a little for transit jitter


def test_a_robots_crawl_delay_is_honoured(web_settings, site):
    site.pages["/robots.txt"] = Page(b"User-agent: *\nCrawl-delay: 1\n", content_type="text/plain")
    site.pages["/a"] = Page(HTML)
    with Fetcher(web_settings) as f:
        f.get(site.url("/a"))
        f.get(site.url("/a"))
    pages = [h.at for h in site.hits if h.path == "/a"]
    assert pages[1] - pages[0] >= 0.9  # robotparser reads whole seconds only
