"""HTML articles: the readable text of the page's article, and metadata from its head.

The text comes from ``<article>`` (else ``<main>``, else ``<body>``) with scripts, styles and
page furniture (nav, header, footer, aside, forms) removed. Block elements end lines; inline
elements (links, emphasis) stay inside their sentence.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag

from ._article import RawArticle

_DROP_TAGS = ("head", "title", "script", "style", "noscript", "template", "iframe", "svg", "canvas", "nav",
              "header", "footer", "aside", "form", "button", "select", "object", "embed")
_BLOCK_TAGS = ("p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6",
               "li", "ul", "ol", "blockquote", "pre", "figure", "figcaption", "table", "tr",
               "td", "th", "dd", "dt", "dl", "hr", "address", "details", "summary")

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


def _meta(soup: BeautifulSoup, keys: tuple[tuple[str, str], ...]) -> str | None:
    for attr, name in keys:
        for tag in soup.find_all("meta", attrs={attr: True}):
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


def _published(soup: BeautifulSoup) -> str | None:
    found = _meta(soup, _DATE_META)
    if found:
        return found
    for tag in soup.find_all(attrs={"itemprop": "datePublished"}):
        value = tag.get("datetime") or tag.get("content")
        if isinstance(value, str) and value.strip():
            return value
    tag = soup.find("time", attrs={"datetime": True})
    value = tag.get("datetime") if isinstance(tag, Tag) else None
    return value if isinstance(value, str) else None


def _canonical(soup: BeautifulSoup) -> str | None:
    for tag in soup.find_all("link", attrs={"href": True}):
        rel = tag.get("rel") or []
        if "canonical" in [r.lower() for r in rel if isinstance(r, str)]:
            href = tag.get("href")
            if isinstance(href, str) and href.strip():
                return href
    return _meta(soup, _URL_META)


def _readable_text(root: Tag) -> str:
    for tag in root.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in root.find_all("br"):
        tag.replace_with("\n")
    for tag in root.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    lines = (" ".join(line.split()) for line in root.get_text().split("\n"))
    return "\n".join(line for line in lines if line)


def _content_root(soup: BeautifulSoup) -> Tag:
    # A page may hold teaser <article>s beside the real one: the longest is the story.
    articles = soup.find_all("article")
    if articles:
        return max(articles, key=lambda tag: len(tag.get_text()))
    main = soup.find("main")
    if isinstance(main, Tag):
        return main
    return soup.body if isinstance(soup.body, Tag) else soup


def raw_from_html(text: str) -> RawArticle:
    soup = BeautifulSoup(text, "html.parser")
    # Metadata first: reading the text removes the page furniture (and a header's <h1>).
    title = _meta(soup, _TITLE_META) or _tag_text(soup, "title") or _tag_text(soup, "h1")
    raw = RawArticle(
        body="",
        title=title,
        source=_meta(soup, _SOURCE_META),
        date=_published(soup),
        url=_canonical(soup),
        author=_meta(soup, _AUTHOR_META),
    )
    body = _readable_text(_content_root(soup))
    first, _, rest = body.partition("\n")
    if title and first.strip() == " ".join(title.split()):
        body = rest  # the headline repeated at the top of the article
    raw.body = body
    return raw
