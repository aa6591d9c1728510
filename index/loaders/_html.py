"""HTML articles: the readable text of the page's article, and metadata from its head.

The text comes from ``<article>`` (else ``<main>``, else ``<body>``) with scripts, styles and
page furniture (nav, header, footer, aside, forms) removed. Block elements end lines; inline
elements (links, emphasis) stay inside their sentence.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from ._article import RawArticle

_END_BLOCK = object()
_DROP_TAGS = frozenset((
    "head", "title", "script", "style", "noscript", "template", "iframe", "svg", "canvas", "nav",
    "header", "footer", "aside", "form", "button", "select", "object", "embed",
))
_BLOCK_TAGS = frozenset((
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
    "ol", "blockquote", "pre", "figure", "figcaption", "table", "tr", "td", "th", "dd", "dt",
    "dl", "hr", "address", "details", "summary",
))

_TITLE_META = (("property", "og:title"), ("name", "og:title"), ("name", "twitter:title"))
_SOURCE_META = (("property", "og:site_name"), ("name", "og:site_name"), ("name", "publisher"),
                ("property", "article:publisher"), ("name", "application-name"),
                ("name", "source"))
_DATE_META = (("property", "article:published_time"), ("name", "article:published_time"),
              ("name", "date"), ("name", "pubdate"), ("name", "publishdate"),
              ("name", "publish-date"), ("name", "dc.date"), ("name", "dcterms.date"),
              ("name", "dc.date.issued"), ("itemprop", "datePublished"),
              ("property", "og:published_time"))
_AUTHOR_META = (("name", "author"), ("name", "byl"), ("name", "dc.creator"),
                ("property", "article:author"))
_URL_META = (("property", "og:url"), ("name", "og:url"))


def _meta(metas: list[Tag], keys: tuple[tuple[str, str], ...]) -> str | None:
    for attr, name in keys:
        for tag in metas:
            value = tag.get(attr)
            if isinstance(value, str) and value.strip().lower() == name.lower():
                content = tag.get("content")
                if isinstance(content, str) and content.strip():
                    return content
    return None


def _tag_text(soup: BeautifulSoup, name: str) -> str | None:
    tag = soup.find(name)
    if isinstance(tag, Tag):
        text = " ".join(tag.get_text(" ").split())
        return text or None
    return None


def _published(soup: BeautifulSoup, metas: list[Tag]) -> str | None:
    found = _meta(metas, _DATE_META)
    if found:
        return found
    for tag in soup.find_all(attrs={"itemprop": "datePublished"}):
        value = tag.get("datetime") or tag.get("content")
        if isinstance(value, str) and value.strip():
            return value
    tag = soup.find("time", attrs={"datetime": True})
    value = tag.get("datetime") if isinstance(tag, Tag) else None
    return value if isinstance(value, str) else None


def _canonical(soup: BeautifulSoup, metas: list[Tag]) -> str | None:
    for tag in soup.find_all("link", attrs={"href": True}):
        rel = tag.get("rel") or []
        if "canonical" in [r.lower() for r in rel if isinstance(r, str)]:
            href = tag.get("href")
            if isinstance(href, str) and href.strip():
                return href
    return _meta(metas, _URL_META)


def _readable_text(root: Tag) -> str:
    # One iterative pass (no tree edits: inserting into long sibling lists is quadratic, and
    # recursion would fail on deeply nested pages). Blocks open and close lines.
    parts: list[str] = []
    stack: list[object] = [root]
    while stack:
        node = stack.pop()
        if node is _END_BLOCK:
            parts.append("\n")
        elif isinstance(node, NavigableString):
            if not isinstance(node, PreformattedString):  # comments, doctypes, CDATA
                parts.append(str(node))
        elif isinstance(node, Tag) and node.name not in _DROP_TAGS:
            if node.name == "br":
                parts.append("\n")
            elif node.name in _BLOCK_TAGS:
                parts.append("\n")
                stack.append(_END_BLOCK)
            stack.extend(reversed(node.contents))
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _content_root(soup: BeautifulSoup) -> Tag:
    # A page may hold teaser <article>s beside the real one: the longest is the story.
    articles = soup.find_all("article", limit=20)
    if articles:
        return max(articles, key=lambda tag: len(tag.get_text()))
    main = soup.find("main")
    if isinstance(main, Tag):
        return main
    return soup.body if isinstance(soup.body, Tag) else soup


def raw_from_html(text: str) -> RawArticle:
    soup = BeautifulSoup(text, "html.parser")
    # Metadata first: reading the text removes the page furniture (and a header's <h1>).
    metas = soup.find_all("meta")
    title = _meta(metas, _TITLE_META) or _tag_text(soup, "title") or _tag_text(soup, "h1")
    raw = RawArticle(
        body="",
        title=title,
        source=_meta(metas, _SOURCE_META),
        date=_published(soup, metas),
        url=_canonical(soup, metas),
        author=_meta(metas, _AUTHOR_META),
    )
    body = _readable_text(_content_root(soup))
    first, _, rest = body.partition("\n")
    if title and first.strip() == " ".join(title.split()):
        body = rest  # the headline repeated at the top of the article
    raw.body = body
    return raw
