"""Plain-text articles: the first non-empty line is the title, a dateline near the top the date.

Trump and Putin's Negotiations: A Path to Peace?       <- title
In an unexpected political development, ...           <- body (a standfirst)
Published March 19, 2025 - 00:03am                    <- date, kept out of the body
"""

from __future__ import annotations

from ._article import RawArticle, title_from_text
from ._dates import parse_date

# How far below the title a dateline is looked for, in lines.
_DATELINE_WINDOW = 8
_DATELINE_MAX_CHARS = 100
_PUBLISHED = ("published on", "published:", "published", "posted on", "posted:", "posted", "date:", "dated")
_UPDATED = ("updated on", "updated:", "updated", "last updated", "modified")
_TITLE_MAX_CHARS = 300


def _dateline(line: str) -> tuple[bool, str] | None:
    """``(is_published, date_text)`` if the line is a dateline, else ``None``."""
    text = line.strip()
    if not text or len(text) > _DATELINE_MAX_CHARS:
        return None
    lowered = text.lower()
    for prefixes, published in ((_UPDATED, False), (_PUBLISHED, True)):
        for prefix in prefixes:
            if lowered.startswith(prefix):
                rest = text[len(prefix) :].strip(" :-|")
                return (published, rest) if parse_date(rest) else None
    return (True, text) if parse_date(text) else None


def split_datelines(lines: list[str]) -> tuple[object, list[str]]:
    """The date of the first dateline near the top (a published one beats an updated one) and
    the lines with every dateline found there removed."""
    published = updated = None
    kept: list[str] = []
    for index, line in enumerate(lines):
        found = _dateline(line) if index < _DATELINE_WINDOW else None
        if found is None:
            kept.append(line)
            continue
        is_published, date_text = found
        if is_published and published is None:
            published = date_text
        elif not is_published and updated is None:
            updated = date_text
    return (published if published is not None else updated), kept


def raw_from_text(text: str) -> RawArticle:
    """Title, date and body of a plain-text article."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    if start == len(lines):
        return RawArticle(body="")
    first = lines[start].strip()
    if len(first) > _TITLE_MAX_CHARS:  # a paragraph, not a title: keep it in the body
        date, rest = split_datelines(lines[start:])
        return RawArticle(body="\n".join(rest), title=title_from_text(first), date=date)
    date, rest = split_datelines(lines[start + 1 :])
    return RawArticle(body="\n".join(rest), title=first, date=date)
