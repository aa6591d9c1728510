"""HTML articles: the story's text by trafilatura, its metadata by a stated order of trust.

``html_article`` is the one way bytes of a web page become an article, whatever brought them
(a saved ``.html`` file, an MHTML part, a WARC response, a page fetched over HTTP).

- Text: trafilatura's main-content extraction, with readers' comments, navigation and
  boilerplate left out and tables kept (cells separated by ``|``). When it finds no text, the
  page's JSON-LD ``articleBody`` is used if there is one.
- Metadata: JSON-LD, then OpenGraph/``article:*``, then other meta tags (``_meta``), then
  trafilatura's guess; its guess of the date is htmldate's, which reads the page's visible dates
  when the markup states none. Titles lose a trailing " | Site name"; authors are names, never URLs.
- Encoding: ``_encoding`` (declared charset, else detection; a bad byte is one replacement char).

trafilatura and lxml are imported on first use: ``newsqa ask`` never loads them.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from ._article import RawArticle
from ._clean import strip_invisibles
from ._dates import parse_date
from ._decode import LoadProblem
from ._encoding import html_text
from ._meta import PageMeta, clean_author, page_meta

# Separators a site appends its name with: "Headline | Site", "Headline - Site", "Site: Headline".
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|«|»|/)\s+")
# A trailing segment this short (in words) after " | " is a site name even when the page never
# states its site name; after " - " it is too often a real headline's end to cut unasked.
_SUFFIX_MAX_WORDS = 4
_quiet = False
# Dates before this are a CMS's placeholder ("0001-01-01"), not a publication date.
_EARLIEST = dt.datetime(1800, 1, 1, tzinfo=dt.UTC).timestamp()
_FUTURE_SLACK_S = 2 * 86_400  # a page dated up to two days ahead: time zones and embargoes


def _comparable(text: str) -> str:
    return re.sub(r"[^\w]+", "", text.casefold().removeprefix("the "))


def strip_site_name(title: str | None, site: str | None) -> str | None:
    """The headline without the site's name appended (or prepended) to it."""
    if not title:
        return title
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    seps = _TITLE_SEPARATORS.findall(title)
    site_key = _comparable(site) if site else ""
    if site_key:
        if _comparable(parts[-1]) in (site_key, site_key.removesuffix("com")) or site_key.startswith(
            _comparable(parts[-1]) or "\0"
        ):
            return title[: title.rfind(seps[-1])].strip() or title
        if _comparable(parts[0]) == site_key:
            return title[title.find(seps[0]) + len(seps[0]) :].strip() or title
    if (
        seps[-1].strip() == "|"
        and len(parts[-1].split()) <= _SUFFIX_MAX_WORDS
        and len(title[: title.rfind(seps[-1])].split()) > len(parts[-1].split())
    ):
        return title[: title.rfind(seps[-1])].strip()
    return title


def _silence_libraries() -> None:
    # They log "empty HTML tree" and the like as errors; our reason is the one line a user sees.
    global _quiet
    if not _quiet:
        for name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
            logger = logging.getLogger(name)
            logger.addHandler(logging.NullHandler())
            logger.propagate = False
        _quiet = True


def _extract(text: str, url: str | None) -> tuple[PageMeta, object]:
    from trafilatura import bare_extraction
    from trafilatura.utils import load_html

    _silence_libraries()
    tree = load_html(text)
    if tree is None:
        raise LoadProblem("no article text (not an HTML page)")
    meta = page_meta(tree)
    document = bare_extraction(
        tree,
        url=url or meta.url,
        include_comments=False,
        include_tables=True,
        with_metadata=True,
        date_extraction_params={"original_date": True, "extensive_search": True, "url": url or meta.url},
    )
    return meta, document


def _published(candidates: list[str | None]) -> str | None:
    """The first candidate that reads as a plausible date (a later one stands in for a broken one)."""
    latest = dt.datetime.now(dt.UTC).timestamp() + _FUTURE_SLACK_S
    for candidate in candidates:
        parsed = parse_date(candidate) if candidate else None
        if parsed is not None and _EARLIEST <= parsed[1] <= latest:
            return candidate
    return None


def _field(document: object, name: str) -> str | None:
    value = getattr(document, name, None) if document is not None else None
    return value if isinstance(value, str) and value.strip() else None


def html_article(data: bytes, *, name: str, url: str | None = None, charset: str | None = None) -> RawArticle:
    """The article in a web page's bytes. ``url`` is where it came from (a canonical URL in the
    page wins); ``charset`` is the HTTP header's, if any. ``name`` names the page for the caller,
    which prefixes it to a ``LoadProblem``'s reason (so the reason itself does not repeat it).

    Raises ``LoadProblem`` (one-line reason) when the page holds no article text.
    """
    text = html_text(data, charset)
    if not text.strip():
        raise LoadProblem("empty file")
    try:
        meta, document = _extract(text, url)
    except RecursionError:
        raise LoadProblem("nested too deeply to read") from None
    body = strip_invisibles(_field(document, "text") or meta.body or "")
    if not body.strip():
        raise LoadProblem("no article text")
    source = meta.source or _field(document, "sitename")
    title = strip_invisibles(meta.title or _field(document, "title") or "") or None
    title = strip_site_name(title, source)
    first, _, rest = body.strip().partition("\n")
    if title and " ".join(first.split()) == " ".join(title.split()) and rest.strip():
        body = rest  # the headline repeated at the top of the text
    return RawArticle(
        body=body,
        title=title,
        source=source,
        date=_published([*meta.dates, _field(document, "date")]),
        url=meta.url or url or _field(document, "url"),
        author=meta.author or clean_author(_field(document, "author")),
    )


def raw_from_html_bytes(data: bytes, name: str) -> RawArticle:
    """A saved ``.html``/``.htm`` file: the page as it is, no HTTP header beside it."""
    return html_article(data, name=name)
