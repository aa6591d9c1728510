"""Every file in the shared formats folder (real feeds, MHTML, e-mail, PDF, WARC, CSV, gzip) loads
into sensible articles: a feed one article per entry, dated, titled, linked. Skips cleanly when
the shared data is absent. Counts are those feedparser and the README of that folder state."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from index.loaders import iter_articles, load_file
from index.models import Article, Skipped
from index.settings import Settings
from tests.conftest import SHARED

FORMATS = SHARED / "evals" / "formats"
pytestmark = pytest.mark.skipif(not FORMATS.is_dir(), reason="shared formats folder absent")

# file -> (articles, entries that may be skipped, share of articles that must be dated)
EXPECTED = {
    "rss-parser__guardian.rss": (55, 0, 1.0),
    "guardian-feed_as.xml": (55, 0, 1.0),
    "guardian-feed_renamed.html": (55, 0, 1.0),
    "rss-parser__heise.atom": (15, 0, 1.0),
    "rss-parser__feedburner.atom": (25, 0, 1.0),
    "rss-parser__uolNoticias.rss": (11, 4, 1.0),  # 4 entries hold a title and a link only
    "trafilatura__npr-feed.json": (25, 0, 1.0),
    "npr-feed-export.csv": (25, 0, 1.0),
    "dedoc__interfax-802181.mhtml": (1, 0, 1.0),
    "interfax-802181_html-only-cp1251.html": (1, 0, 1.0),
    "newsletters__the_batch_2025-12-26.eml": (1, 0, 1.0),
    "dedoc__article.pdf": (1, 0, 1.0),
    "warcio__example.warc": (1, 0, 1.0),
    "warcio__example.warc.gz": (1, 0, 1.0),
    "aeb__jpost-e372e42c.html.gz": (1, 0, 0.0),
}
_MARKUP = re.compile(r"<(?:p|div|br|span|img|a\s+href|li|ul|table)\b[^>]*>", re.IGNORECASE)
_EARLIEST = dt.datetime(1995, 1, 1, tzinfo=dt.UTC).timestamp()


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> Settings:
    tmp = tmp_path_factory.mktemp("formats")
    return Settings(data_dir=tmp / "data", cache_dir=tmp / "cache")


def test_every_file_is_known_here():
    names = {p.name for p in FORMATS.iterdir() if p.is_file() and p.suffix != ".md"}
    assert names <= set(EXPECTED), f"new files to state expectations for: {names - set(EXPECTED)}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_file_loads_into_sensible_articles(settings, name):
    path = FORMATS / name
    if not path.exists():
        pytest.skip(f"{name} absent")
    want, may_skip, dated_share = EXPECTED[name]
    loaded = load_file(path, settings)
    articles = [x for x in loaded if isinstance(x, Article)]
    skipped = [x for x in loaded if isinstance(x, Skipped)]
    assert len(articles) == want, skipped
    assert len(skipped) <= may_skip, skipped
    now = dt.datetime.now(dt.UTC).timestamp()
    for article in articles:
        m = article.meta
        assert m.title and len(m.title) <= 300 and m.title != path.stem, m.title
        assert len(article.body) >= 20, (m.title, article.body)  # a feed summary may be a byline
        assert not _MARKUP.search(article.body), m.title  # HTML read as text
        assert "\ufffd" not in m.title and "Ð" not in m.title, m.title  # no mojibake
        if m.published_ts is not None:
            assert _EARLIEST <= m.published_ts <= now, (m.title, m.published_at)
    dated = sum(a.meta.published_ts is not None for a in articles)
    assert dated >= dated_share * len(articles), [a.meta.title for a in articles if a.meta.published_ts is None]
    if want > 1:  # a feed or an export: one article per entry, each with its own link
        assert len({a.meta.url for a in articles}) == want
        assert len({a.meta.title for a in articles}) >= want - 1


def test_the_folder_ingests_with_every_file_accounted_for(settings):
    items = list(iter_articles([FORMATS], settings))
    seen = {
        Path((x.meta.path if isinstance(x, Article) else x.path).split("[")[0].split(": row")[0]).name for x in items
    }
    assert {p.name for p in FORMATS.iterdir() if p.is_file()} <= seen
    # Stored once: the same feed under three names, the CSV export of the JSON Feed, the .warc.gz
    # of the .warc, and the MHTML of the saved page (the same canonical URL).
    # A file whose every article was loaded before is one line, not one per entry.
    duplicates = {
        Path(x.path).name: x.reason for x in items if isinstance(x, Skipped) and x.reason.startswith("duplicate of")
    }
    assert set(duplicates) == {
        "guardian-feed_renamed.html",
        "rss-parser__guardian.rss",
        "trafilatura__npr-feed.json",
        "warcio__example.warc.gz",
        "interfax-802181_html-only-cp1251.html",
    }
    assert duplicates["rss-parser__guardian.rss"].endswith("(all 55 of its articles)")
