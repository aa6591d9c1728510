"""Turning the raw fields a format yields into a clean ``Article``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePath

from index.models import Article, ArticleMeta

from ._clean import clean_body, clean_meta
from ._dates import parse_date
from ._decode import LoadProblem
from ._ids import content_hash, make_doc_id

_TITLE_FROM_BODY_CHARS = 120


@dataclass
class RawArticle:
    """What a format found, before cleaning; any field may be missing or messy."""

    body: str
    title: str | None = None
    source: str | None = None
    date: object = None
    url: str | None = None
    author: str | None = None
    doc_id: object = None


def title_from_text(text: str) -> str:
    """A title for an article that has none: the start of its first line, cut at a word."""
    first = next((line.strip() for line in text.split("\n") if line.strip()), "")
    if len(first) <= _TITLE_FROM_BODY_CHARS:
        return first
    return first[:_TITLE_FROM_BODY_CHARS].rsplit(" ", 1)[0] + "…"


def _unicode_problem(raw: RawArticle) -> str | None:
    """JSON's ``\\ud800`` escapes decode to lone surrogates, which no store or terminal accepts."""
    for name in ("body", "title", "source", "url", "author", "date", "doc_id"):
        value = getattr(raw, name)
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                return f"{name} is not valid Unicode (a lone surrogate {value[exc.start]!r} at character {exc.start})"
    return None


def build_article(raw: RawArticle, path: Path | str) -> Article:
    """``path`` is the file (or URL) the article came from; its stem is the last-resort title."""
    problem = _unicode_problem(raw)
    if problem:
        raise LoadProblem(problem)
    body = clean_body(raw.body)
    if not body.strip():
        raise LoadProblem("no article text")
    title = clean_meta(raw.title) or clean_meta(title_from_text(body)) or PurePath(str(path)).stem
    url = clean_meta(raw.url, limit=2000)
    meta_fields = {
        "source": clean_meta(raw.source),
        "url": url,
        "author": clean_meta(raw.author),
    }
    date = clean_meta(raw.date) if isinstance(raw.date, str) else raw.date
    parsed = parse_date(date)
    published_at, published_ts = parsed if parsed else (None, None)
    meta = ArticleMeta(
        doc_id=make_doc_id(raw.doc_id, url, body),
        title=title,
        published_at=published_at,
        published_ts=published_ts,
        path=str(path),
        content_hash=content_hash(title, body, published_at=published_at, **meta_fields),
        source=meta_fields["source"],
        url=meta_fields["url"],
        author=meta_fields["author"],
    )
    return Article(meta=meta, body=body)
