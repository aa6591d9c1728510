"""Feeds: RSS 0.9x/1.0/2.0 and Atom by feedparser, JSON Feed (1.0/1.1) by its fields.

Each entry is one article: its title, its link as the URL, its published (else updated) date, its
author, the feed's title as the outlet, and its content (else its summary) as the body, HTML read
as text. ``read_feed`` also says which entries carried only a summary, so a fetcher can fetch the
linked page for those.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeGuard

from ._article import RawArticle
from ._decode import LoadProblem, decode
from ._fragment import html_to_text, text_of
from ._origin import Loaded, Origin, records

# RSS dates written in another language ("Seg, 24 Set 2018 19:42:40 -0300"), which feedparser
# leaves unparsed: month names by their first letters in Portuguese, Spanish, French, German,
# Italian and Dutch (English ones the date parser reads already).
_MONTH_PREFIXES = {
    "jan": 1,
    "ene": 1,
    "gen": 1,
    "fev": 2,
    "fév": 2,
    "feb": 2,
    "mar": 3,
    "mär": 3,
    "maa": 3,
    "mrt": 3,
    "abr": 4,
    "avr": 4,
    "apr": 4,
    "mai": 5,
    "may": 5,
    "mag": 5,
    "mei": 5,
    "juin": 6,
    "jun": 6,
    "giu": 6,
    "juil": 7,
    "jul": 7,
    "lug": 7,
    "ago": 8,
    "aoû": 8,
    "aou": 8,
    "aug": 8,
    "set": 9,
    "sep": 9,
    "out": 10,
    "oct": 10,
    "okt": 10,
    "ott": 10,
    "nov": 11,
    "dez": 12,
    "dic": 12,
    "déc": 12,
    "dec": 12,
}
_RFC822_LIKE = re.compile(
    r"^\s*(?:[^\W\d]+\.?,?\s+)?(\d{1,2})\s+([^\W\d]+)\.?\s+(\d{4})(?:\s+(\d{1,2}:\d{2}(?::\d{2})?))?\s*([+-]\d{4}|[A-Za-z]{1,5})?\s*$"
)
_ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")
_MAX_AUTHORS = 20


@dataclass
class FeedEntry:
    raw: RawArticle
    summary_only: bool
    """True when the entry carried no content, only a summary (or nothing): its page holds more."""


def _when(parsed: object) -> str | None:
    # feedparser gives every date as a UTC struct_time, whatever zone the feed wrote.
    if parsed is None:
        return None
    try:
        stamp = calendar.timegm(parsed)  # type: ignore[arg-type]
        return dt.datetime.fromtimestamp(stamp, dt.UTC).isoformat().replace("+00:00", "Z")
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _localised_date(text: object) -> str | None:
    """An RSS date with a non-English day and month name, rewritten in English for the date parser."""
    match = _RFC822_LIKE.match(text) if isinstance(text, str) else None
    if not match:
        return None
    day, month_name, year, clock, zone = match.groups()
    name = month_name.lower()
    month = _MONTH_PREFIXES.get(name[:4]) or _MONTH_PREFIXES.get(name[:3])
    if month is None:
        return None
    return " ".join(part for part in (day, _ENGLISH_MONTHS[month - 1], year, clock, zone) if part)


def _detail_text(detail: Mapping | None, value: str | None) -> str:
    if not value:
        return ""
    kind = str((detail or {}).get("type") or "").lower()
    if not kind:
        return text_of(value)
    return html_to_text(value) if kind in _HTML_TYPES else value


def _names(entry: Mapping) -> str | None:
    people = entry.get("authors") or []
    raw = [p.get("name") for p in people[:_MAX_AUTHORS] if isinstance(p, Mapping)]
    names = [n.strip() for n in raw if isinstance(n, str) and n.strip()]
    if names:
        return ", ".join(dict.fromkeys(names))
    author = entry.get("author")
    return author if isinstance(author, str) and author.strip() else None


def _rss_entry(entry: Mapping, outlet: str | None) -> FeedEntry:
    contents = [c for c in entry.get("content") or [] if isinstance(c, Mapping) and c.get("value")]
    # Several content elements: the HTML one if any, else the longest.
    contents.sort(key=lambda c: (str(c.get("type", "")).lower() in _HTML_TYPES, len(c["value"])), reverse=True)
    body = _detail_text(contents[0], contents[0]["value"]) if contents else ""
    summary_only = not body.strip()
    if summary_only:
        body = _detail_text(entry.get("summary_detail"), entry.get("summary"))
    title = _detail_text(entry.get("title_detail"), entry.get("title")) or None
    raw = RawArticle(
        body=body,
        title=" ".join(title.split()) if title else None,
        source=outlet,
        date=_when(entry.get("published_parsed"))
        or _when(entry.get("updated_parsed"))
        or _localised_date(entry.get("published"))
        or _localised_date(entry.get("updated"))
        or entry.get("published")
        or entry.get("updated"),
        url=entry.get("link") or None,
        author=_names(entry),
    )
    return FeedEntry(raw, summary_only)


def _parse_xml(data: bytes, url: str | None) -> list[FeedEntry]:
    import feedparser

    headers = {"content-location": url} if url else {}
    # A stream, never bytes or str: given those, feedparser opens them as a file name or a URL.
    try:
        parsed = feedparser.parse(
            io.BytesIO(data), response_headers=headers, sanitize_html=True, resolve_relative_uris=True
        )
    except (UnicodeError, LookupError) as exc:
        # feedparser decodes the XML declaration itself: a mangled one ("utf-\xc7") escapes it.
        raise LoadProblem(f"unreadable feed: {type(exc).__name__}") from None
    entries = parsed.get("entries") or []
    if not parsed.get("version") and not entries:
        problem = parsed.get("bozo_exception")
        detail = f": {' '.join(str(problem).split())[:200]}" if problem else ""
        raise LoadProblem(f"not a readable RSS or Atom feed{detail}")
    feed = parsed.get("feed") or {}
    outlet = _detail_text(feed.get("title_detail"), feed.get("title")) or None
    return [_rss_entry(entry, outlet) for entry in entries]


def is_json_feed(value: object) -> TypeGuard[Mapping]:
    return (
        isinstance(value, Mapping)
        and isinstance(value.get("version"), str)
        and "jsonfeed.org/version/" in value["version"]
        and isinstance(value.get("items", []), list)
    )


def _json_names(item: Mapping, feed: Mapping) -> str | None:
    # 1.1 has "authors" (a list); 1.0 had "author" (one object); an item inherits the feed's.
    for holder in (item, feed):
        people = holder.get("authors")
        if not isinstance(people, list):
            people = [holder.get("author")]
        raw = [p.get("name") for p in people[:_MAX_AUTHORS] if isinstance(p, Mapping)]
        names = [n.strip() for n in raw if isinstance(n, str) and n.strip()]
        if names:
            return ", ".join(dict.fromkeys(names))
    return None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _json_item(item: object, feed: Mapping, outlet: str | None) -> FeedEntry | LoadProblem:
    if not isinstance(item, Mapping):
        return LoadProblem("JSON Feed item is not an object")
    text, html = _str(item.get("content_text")), _str(item.get("content_html"))
    body = text or (html_to_text(html) if html else "")
    summary_only = not body.strip()
    if summary_only:
        body = text_of(_str(item.get("summary")) or "")
    raw = RawArticle(
        body=body,
        title=_str(item.get("title")),
        source=outlet,
        date=_str(item.get("date_published")) or _str(item.get("date_modified")),
        url=_str(item.get("url")) or _str(item.get("external_url")),
        author=_json_names(item, feed),
    )
    return FeedEntry(raw, summary_only)


def json_feed_entries(value: Mapping) -> list[FeedEntry | LoadProblem]:
    outlet = _str(value.get("title"))
    return [_json_item(item, value, outlet) for item in value.get("items") or []]


def read_feed(data: bytes, *, url: str | None = None) -> list[FeedEntry | LoadProblem]:
    """The entries of an RSS, Atom or JSON Feed document. Raises ``LoadProblem`` if it is none."""
    if data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        try:
            value = json.loads(decode(data))
        except (ValueError, RecursionError):
            value = None
        if is_json_feed(value):
            return json_feed_entries(value)
    return list(_parse_xml(data, url))


def _entry_or_problem(entry: FeedEntry | LoadProblem) -> RawArticle | LoadProblem:
    if isinstance(entry, FeedEntry) and not entry.raw.body.strip():
        return LoadProblem("feed entry has only a title and a link (no content or summary)")
    return entry.raw if isinstance(entry, FeedEntry) else entry


def _articles(entries: list[FeedEntry | LoadProblem], name: str) -> list[Loaded]:
    if not entries:
        raise LoadProblem("feed has no entries")
    return records(name, ((f"{name}[{i}]", _entry_or_problem(e)) for i, e in enumerate(entries)))


def load_feed(data: bytes, origin: Origin) -> list[Loaded]:
    return _articles(read_feed(data, url=origin.url), origin.name)


def load_json_feed(value: Mapping, name: str) -> list[Loaded]:
    """A JSON document already parsed and found to be a JSON Feed."""
    return _articles(json_feed_entries(value), name)
