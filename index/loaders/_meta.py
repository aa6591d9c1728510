"""An article page's metadata from its markup, in a stated order of trust.

1. JSON-LD: the page's ``Article`` node (``NewsArticle``, ``ReportageNewsArticle`` and the other
   schema.org kinds of article), found at the top level, in lists or inside ``@graph``; ``@id``
   references (a Yoast-style graph names its author and publisher by reference) are followed.
   A block that is not JSON (a JavaScript object literal: single quotes, tabs, a trailing comma)
   is read leniently, by YAML's flow style, rather than lost.
2. OpenGraph and ``article:*`` meta properties.
3. Other meta tags (``author``, ``dc.*``, ``parsely-*``, ``itemprop``, ``<time>``).
The caller falls back to the extractor's guess for what is still missing.

Hand-written rather than trafilatura's own metadata reader because that reader has no stated
order (it lets meta tags beat JSON-LD for some fields) and keeps profile URLs as authors.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any

_ARTICLE_TYPES = frozenset(
    t.lower()
    for t in (
        "NewsArticle",
        "Article",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "AskPublicQuestion",
        "BlogPosting",
        "LiveBlogPosting",
        "SocialMediaPosting",
        "Report",
        "ScholarlyArticle",
        "TechArticle",
    )
)
_MAX_NODES = 2000  # JSON-LD nodes walked per page: a bound on hostile or huge graphs
_MAX_NAMES = 10
_LENIENT_MAX_CHARS = 100_000  # a JSON-LD block beyond this that is not JSON is not guessed at
_URLISH = re.compile(r"^(?:https?:|ftp:|mailto:|www\.|/)|\.(?:com|org|net|html?)\b", re.IGNORECASE)
# What a CMS fills the author field with when nobody signed the piece: not a name.
_NO_NAMES = frozenset({"admin", "administrator", "webmaster", "root", "unknown", "anonymous", "null", "none", "n/a"})
_BY = re.compile(
    r"^\s*(?:(?:by|von|par|por|text|texto|texte|текст)(?:\s*:\s*|\s+)|(?:автор|autor|auteur|author|door)\s*:\s*)",
    re.IGNORECASE,
)
# A byline run into the date beside it ("JERUSALEM POST STAFF NOVEMBER 20, 2019"): a month with a
# day after it is never part of a name, nor is a trailing month name that is not also a name.
_DATE_TAIL = re.compile(
    r"(?:\s+(?:on|updated|published|posted)\b)?\s+(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b.*"
    r"|(?:january|february|september|october|november|december)\s*(?:\d.*)?)$",
    re.IGNORECASE,
)

_OG_TITLE = ("og:title", "twitter:title")
_OG_DATE = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
    "article.published",
)
_OG_AUTHOR = ("article:author", "og:article:author")
_OG_SITE = ("og:site_name",)
_OG_URL = ("og:url",)
_META_DATE = (
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "citation_publication_date",
)
_META_AUTHOR = (
    "author",
    "byl",
    "dc.creator",
    "dcterms.creator",
    "parsely-author",
    "sailthru.author",
    "citation_author",
)
_META_SITE = ("application-name", "publisher", "dc.publisher", "twitter:site", "cre")


@dataclass
class PageMeta:
    title: str | None = None
    dates: list[str] = field(default_factory=list)  # in order of trust; the caller takes the first valid one
    author: str | None = None
    source: str | None = None
    url: str | None = None
    body: str | None = None  # JSON-LD articleBody: used only when the extractor finds no text


def _text(value: object) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, str) and value.strip():
        # Entities arrive escaped twice ("&#8216;") when a CMS escapes text it puts into JSON or meta.
        return " ".join(html.unescape(value).split()) or None
    return None


def is_urlish(value: str) -> bool:
    return bool(_URLISH.search(value.strip())) or "@" in value


def clean_author(value: str | None) -> str | None:
    """A byline as names: no "By ", no URLs, no e-mail addresses, no handles."""
    if not value:
        return None
    names: list[str] = []
    value = _DATE_TAIL.sub("", " ".join(value.split()))
    for part in re.split(r"\s*(?:,|;|\||\band\b|&|\n)\s*", value):
        name = _DATE_TAIL.sub("", _BY.sub("", " ".join(part.split()))).strip(" .-–—")
        if (
            any(c.isalpha() for c in name)
            and name.casefold() not in _NO_NAMES
            and not is_urlish(name)
            and not name.startswith("#")
            and len(name) <= 80
            and name.lower() not in (n.lower() for n in names)
        ):
            names.append(name)
    return ", ".join(names[:_MAX_NAMES]) or None


# ---- JSON-LD ---------------------------------------------------------------------------------


def _loads(raw: str) -> Any:
    raw = raw.strip()
    if raw.startswith("<!--"):
        raw = raw.removeprefix("<!--").removesuffix("-->")
    if raw.startswith("//<![CDATA["):
        raw = raw.removeprefix("//<![CDATA[").removesuffix("//]]>")
    try:
        return json.loads(raw, strict=False)
    except (ValueError, RecursionError):
        pass
    # A trailing comma is the most common authoring slip.
    try:
        return json.loads(re.sub(r",\s*([\]}])", r"\1", raw), strict=False)
    except (ValueError, RecursionError):
        pass
    # Then a JavaScript object literal written as JSON-LD ('single-quoted' values, tabs): YAML's
    # flow style reads both, and stray quotes inside values often enough.
    return _lenient(raw) if len(raw) <= _LENIENT_MAX_CHARS else None


def _lenient(raw: str) -> Any:
    import yaml

    try:
        value = yaml.safe_load(raw.replace("\t", "  "))
    except (yaml.YAMLError, ValueError, RecursionError):
        return None
    return value if isinstance(value, (dict, list)) else None


def _nodes(blocks: list[Any]) -> list[dict]:
    out: list[dict] = []
    stack = list(reversed(blocks))
    while stack and len(out) < _MAX_NODES:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            out.append(item)
            graph = item.get("@graph")
            if isinstance(graph, (list, dict)):
                stack.append(graph)
            main = item.get("mainEntity") or item.get("mainEntityOfPage")
            if isinstance(main, dict) and "@type" in main:
                stack.append(main)
    return out


def _types(node: dict) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower().rsplit("/", 1)[-1] for k in kinds if isinstance(k, str)}


def _resolve(value: Any, by_id: dict[str, dict]) -> Any:
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in by_id:
        return by_id[value["@id"]]
    return value


def _names(value: Any, by_id: dict[str, dict]) -> str | None:
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items[:_MAX_NAMES]:
        item = _resolve(item, by_id)
        name = _text(item.get("name")) if isinstance(item, dict) else _text(item)
        if name:
            names.append(name)
    return clean_author(", ".join(names)) if names else None


def _article_node(nodes: list[dict]) -> dict | None:
    articles = [n for n in nodes if _types(n) & _ARTICLE_TYPES]
    # The story's node carries a headline or a body; a bare one (a breadcrumb's) is a last resort.
    full = [n for n in articles if n.get("headline") or n.get("articleBody")]
    found = full or articles
    return found[0] if found else None


def _json_ld(tree: Any, meta: PageMeta) -> None:
    blocks = [
        _loads(s.text_content() or "")
        for s in tree.xpath('//script[translate(@type, "LDJSON+", "ldjson+")="application/ld+json"]')
    ]
    nodes = _nodes([b for b in blocks if b is not None])
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    node = _article_node(nodes)
    if node is None:
        return
    meta.title = _text(node.get("headline")) or _text(node.get("name"))
    meta.dates = [d for d in (_text(node.get("datePublished")), _text(node.get("dateCreated"))) if d]
    meta.author = _names(node.get("author"), by_id) or _names(node.get("creator"), by_id)
    publisher = _resolve(node.get("publisher"), by_id)
    if isinstance(publisher, list) and publisher:
        publisher = _resolve(publisher[0], by_id)
    meta.source = _text(publisher.get("name")) if isinstance(publisher, dict) else _text(publisher)
    url = _text(node.get("url"))
    meta.url = url if url and url.startswith(("http://", "https://")) else None
    meta.body = node.get("articleBody") if isinstance(node.get("articleBody"), str) else None


# ---- meta tags ---------------------------------------------------------------------------------


def _meta_tags(tree: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in tree.iter("meta"):
        content = tag.get("content")
        if not content or not content.strip():
            continue
        for attr in ("property", "name", "itemprop"):
            key = tag.get(attr)
            if key:
                found.setdefault(key.strip().lower(), html.unescape(content).strip())
    return found


def _first(tags: dict[str, str], keys: tuple[str, ...], *, names: bool = False) -> str | None:
    for key in keys:
        value = tags.get(key)
        if value and names:
            value = clean_author(value)
        if value:
            return value
    return None


def _markup_date(tree: Any) -> str | None:
    for el in tree.xpath('//*[@itemprop="datePublished"]|//time[@datetime][1]'):
        value = el.get("datetime") or el.get("content")
        if value and value.strip():
            return value.strip()
    return None


def _canonical(tree: Any) -> str | None:
    for link in tree.xpath('//link[@href][translate(@rel, "CANONIL", "canonil")="canonical"]'):
        href = link.get("href", "").strip()
        if href.startswith(("http://", "https://")):
            return href
    return None


def page_meta(tree: Any) -> PageMeta:
    """What the markup states about the article in an lxml tree (which is not changed)."""
    meta = PageMeta()
    _json_ld(tree, meta)
    tags = _meta_tags(tree)
    meta.title = meta.title or _first(tags, _OG_TITLE)
    meta.dates += [d for d in (_first(tags, _OG_DATE), _first(tags, _META_DATE), _markup_date(tree)) if d]
    meta.author = meta.author or _first(tags, _OG_AUTHOR, names=True) or _first(tags, _META_AUTHOR, names=True)
    meta.source = meta.source or _first(tags, _OG_SITE) or _first(tags, _META_SITE)
    if meta.source and (is_urlish(meta.source) or meta.source.startswith("@")):
        meta.source = None  # a twitter handle or a publisher's profile URL is not an outlet's name
    meta.url = _canonical(tree) or meta.url or _first(tags, _OG_URL)
    return meta
