"""URLs to articles: a page gives one article, a feed one per entry, and an entry that carries
only a summary has its linked page fetched (several at once, each host paced by the client) and
stored in the summary's place, under the entry's identity.

What can be skipped is skipped: a URL that answers 304 Not Modified, or a feed entry unchanged
since its page was stored, costs no download and no embedding. What fails is one ``Skipped``
naming the URL; an entry whose page fails keeps the stored copy, or else stores the feed's summary.
Nothing here writes to the store: the caller stores ``items`` and then saves ``records``.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from index.loaders import (
    LoadProblem,
    RawArticle,
    build_article,
    feed_summary_links,
    load_bytes,
)
from index.models import Article, Skipped, Unchanged
from index.settings import Settings

from .client import Fetched, Fetcher, FetchFailed, Validators
from .state import FetchState, UrlRecord

Item = Article | Skipped | Unchanged


@dataclass
class Crawl:
    items: list[Item] = field(default_factory=list)
    records: list[UrlRecord] = field(default_factory=list)
    """What to remember about each URL, to be saved once ``items`` are stored."""
    by_url: list[tuple[str, list[Item]]] = field(default_factory=list)
    """``items`` grouped by the URL asked for that gave them (for the report)."""


class _Crawler:
    def __init__(self, settings: Settings, known: dict[str, str], state: FetchState, fetcher: Fetcher):
        self.settings = settings
        self.known = known
        self.state = state
        self.fetcher = fetcher

    def trusted(self, url: str) -> UrlRecord | None:
        """The record of ``url`` if what it gave is still stored as it was (else it is no advice)."""
        record = self.state.get(url)
        return record if record is not None and record.still_stored(self.known) else None

    def url(self, url: str, pages: ThreadPoolExecutor) -> Crawl:
        out = Crawl()
        record = self.trusted(url)
        try:
            got = self.fetcher.get(url, record.validators if record else None)
        except FetchFailed as exc:
            out.items.append(Skipped(url, str(exc)))
            return out
        if got.not_modified and record is not None:
            out.items.extend(Unchanged(d, url) for d in record.articles)
            out.records.append(record)
            return out
        loaded = load_bytes(
            got.body, name=url, settings=self.settings, url=got.final_url, content_type=got.content_type
        )
        summaries = feed_summary_links(got.body, url=got.final_url, content_type=got.content_type)
        entries: dict[str, Article] = {}
        for item in loaded:
            if isinstance(item, Article) and item.meta.url in summaries:
                entries.setdefault(item.meta.url, item)
            else:
                out.items.append(item)
        complete = True
        for _link, (items, entry_record) in zip(entries, pages.map(self.entry_page, entries.values()), strict=True):
            out.items.extend(items)
            if entry_record is None:
                complete = False
            else:
                out.records.append(entry_record)
        gave = {
            i.doc_id: self.known.get(i.doc_id, "") if isinstance(i, Unchanged) else i.meta.content_hash
            for i in out.items
            if isinstance(i, (Article, Unchanged))
        }
        # A URL that gave nothing, or an entry whose page failed, must be read again next time
        # (to retry, or to report it again): no validators, so no 304.
        out.records.append(UrlRecord(url, got.validators if complete and gave else Validators(), gave))
        return out

    def entry_page(self, entry: Article) -> tuple[list[Item], UrlRecord | None]:
        """The page a summary-only entry links to, stored as that entry's article."""
        link = entry.meta.url or ""
        record = self.trusted(link)
        if record is not None and record.articles and record.entry == entry.meta.content_hash:
            return [Unchanged(d, link) for d in record.articles], record  # no request at all
        try:
            got = self.fetcher.get(link, record.validators if record and record.articles else None)
        except FetchFailed as exc:
            return self.fallback(entry, record, str(exc)), None
        if got.not_modified and record is not None:
            return [Unchanged(d, link) for d in record.articles], _entry_record(record, got, entry)
        page = self.page_article(got, entry)
        if isinstance(page, Skipped):
            return self.fallback(entry, record, page.reason), None
        return [page], UrlRecord(link, got.validators, {page.doc_id: page.meta.content_hash}, entry.meta.content_hash)

    def page_article(self, got: Fetched, entry: Article) -> Article | Skipped:
        link = got.url
        loaded = load_bytes(
            got.body, name=link, settings=self.settings, url=got.final_url, content_type=got.content_type
        )
        found = [a for a in loaded if isinstance(a, Article)]
        if not found:
            reasons = "; ".join(s.reason for s in loaded if isinstance(s, Skipped)) or "no article in the page"
            return Skipped(link, reasons)
        page, meta = found[0], entry.meta
        # The page knows its own title, outlet, date and author best; the feed fills what it lacks.
        raw = RawArticle(
            body=page.body,
            title=page.meta.title or meta.title,
            source=meta.source if _named_by_host(page.meta.source, link) else page.meta.source,
            date=page.meta.published_at or meta.published_at,
            url=page.meta.url or link,
            author=page.meta.author or meta.author,
            doc_id=entry.doc_id,  # one article per entry, whether its page or its summary is stored
        )
        try:
            return build_article(raw, link)
        except LoadProblem as exc:
            return Skipped(link, str(exc))

    def fallback(self, entry: Article, record: UrlRecord | None, reason: str) -> list[Item]:
        link = entry.meta.url or ""
        if record is not None and record.articles:
            return [Skipped(link, f"{reason}; the stored copy is kept"), *(Unchanged(d, link) for d in record.articles)]
        if entry.doc_id in self.known:
            return [Skipped(link, f"{reason}; the stored copy is kept"), Unchanged(entry.doc_id, link)]
        return [Skipped(link, f"{reason}; the feed's summary is stored instead"), entry]


def _named_by_host(source: str | None, url: str) -> bool:
    """True if the outlet is missing or only the site's host name (the extractor's last guess):
    the feed's own title names it better."""
    if not source:
        return True
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return source.strip().lower() in {parts.netloc.lower(), host, host.removeprefix("www.")}


def _entry_record(record: UrlRecord, got: Fetched, entry: Article) -> UrlRecord:
    validators = got.validators if (got.validators.etag or got.validators.last_modified) else record.validators
    return UrlRecord(record.url, validators, record.articles, entry.meta.content_hash)


def crawl(
    urls: Sequence[str], settings: Settings, *, known: dict[str, str], state: FetchState, fetcher: Fetcher
) -> Crawl:
    """Fetch ``urls`` (in turn; a feed's linked pages ``fetch_concurrency`` at a time).
    ``known`` is the store's doc_id -> content hash."""
    crawler = _Crawler(settings, known, state, fetcher)
    out = Crawl()
    with ThreadPoolExecutor(max(1, settings.fetch_concurrency), thread_name_prefix="fetch") as pages:
        for url in dict.fromkeys(urls):
            got = crawler.url(url, pages)
            out.items.extend(got.items)
            out.by_url.append((url, got.items))
            out.records.extend(got.records)
    return out
