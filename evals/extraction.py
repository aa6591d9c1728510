"""How well web pages become articles: `newsqa eval --pages DIR`.

DIR holds ``html/<id>.html`` (saved pages) and ``ground-truth.json`` (``{id: {"articleBody": ...}}``,
the scrapinghub article-extraction-benchmark layout). Every figure is read from what the real
loader stores (``load_file``: decoding, extraction, hygiene), beside trafilatura's own result on
the same bytes (its defaults, comments off) for reference.

- Text: lowercase ``\\w+`` tokens, sets of 4-word shingles per page; true/false positives and
  false negatives summed over pages; precision, recall, F1 (the benchmark's method).
- Comments: a page has readers' comments when its markup has elements named for them
  (``id``/``class`` containing "comment", "disqus", "respond") holding text the true body lacks;
  they leaked when a tenth of those shingles (at least ``_LEAK_MIN``) are in the stored body.
- Mojibake: a stored body with more signs of mis-decoding than its true body (UTF-8 read as a
  single-byte code page, a Cyrillic page read as Latin, more than a few U+FFFD).
- Dates: among pages whose markup states a publication date (JSON-LD ``datePublished``,
  ``article:published_time`` and the like, read here by the evaluation's own patterns), the share
  whose stored date falls on that day (in the stated zone or in UTC).
- URL dates, a check independent of the markup: among pages whose URL states the day or month
  (``/2019/11/18/``, ``2019-11-19``, ``-20191115/``, ``/2019/11/``), the share whose stored date
  agrees (the same month; the same day, give or take one for time zones, when the URL has one).
- Authors: the share of pages with a stored author that is a name, not a URL.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from index.errors import InputError

GOALS = {"f1": 0.95, "date_right": 0.85, "author_rate": 0.55}
# Counts that must be zero.
ZERO_GOALS = ("mojibake_pages", "comment_leaks")

_SHINGLE = 4
_LEAK_MIN = 5
_COMMENTS_MIN = 15  # comment-only shingles for a page to count as having comments
_TOKEN = re.compile(r"\w+")
_CONT = "".join(bytes([b]).decode("cp1252", "ignore") or chr(b) for b in range(0x80, 0xC0))
_MOJIBAKE = re.compile("[ÂÃÄÅÐÑØÙ][" + re.escape(_CONT) + "]|â€|[À-ÿ]{5,}")
# A replacement character stands for one bad byte, decoded in the right encoding otherwise; many
# of them mean the whole page was read in the wrong one.
_REPLACEMENTS_OK = 3
_DATE_KEYS = {
    "article:published_time",
    "date",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc.date.issued",
    "parsely-pub-date",
    "sailthru.date",
}
_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"')
_TAG = re.compile(r"<(?:meta|time|span|div|abbr)\b[^>]{0,600}>", re.IGNORECASE)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_COMMENT_NAMES = re.compile(r"comment|disqus|respond", re.IGNORECASE)
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)
_URL_DAY = re.compile(r"(?<!\d)((?:19|20)\d\d)([/_-]?)(0[1-9]|1[0-2])\2([0-2]\d|3[01])(?!\d)")
_URL_MONTH = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])/")


def shingles(text: str) -> set[tuple[str, ...]]:
    tokens = _TOKEN.findall(text.lower())
    if len(tokens) < _SHINGLE:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + _SHINGLE]) for i in range(len(tokens) - _SHINGLE + 1)}


def mojibake_signs(text: str) -> int:
    replaced = text.count("\ufffd")
    return len(_MOJIBAKE.findall(text)) + (replaced if replaced > _REPLACEMENTS_OK else 0)


def _days(value: str) -> set[str]:
    """The day a stated date falls on, in its own zone and in UTC."""
    value = value.strip()
    if not re.match(r"\d{4}-\d\d-\d\d", value):
        return set()
    days = {value[:10]}
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return days
    if parsed.tzinfo is not None:
        days.add(parsed.astimezone(dt.UTC).date().isoformat())
    return days


def stated_days(page: str) -> set[str]:
    """Every day the markup states as the publication date (plausible years only)."""
    found = set(_JSONLD_DATE.findall(page))
    for tag in _TAG.findall(page):
        attrs = {k.lower(): (a if a else b) for k, a, b in _ATTR.findall(tag)}
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key in _DATE_KEYS:
            found.add(attrs.get("content") or attrs.get("datetime") or "")
    days = set().union(*(_days(v) for v in found)) if found else set()
    return {d for d in days if "1990" <= d[:4] <= "2030"}


def url_date(url: str) -> tuple[str, str, str | None] | None:
    """The (year, month, day or None) a page's URL states, if it states one."""
    day = _URL_DAY.search(url)
    if day:
        return day.group(1), day.group(3), day.group(4)
    month = _URL_MONTH.search(url)
    return (month.group(1), month.group(2), None) if month else None


def agrees_with_url(published: str | None, stated: tuple[str, str, str | None]) -> bool:
    if not published or not re.match(r"\d{4}-\d\d", published):
        return False
    year, month, day = stated
    if day is None:
        return published[:7] == f"{year}-{month}"
    try:
        gap = dt.date.fromisoformat(published[:10]) - dt.date(int(year), int(month), int(day))
    except ValueError:
        return False
    return abs(gap.days) <= 1


def comment_shingles(data: bytes, truth: set) -> set:
    """Shingles of the page's comment sections that the true body does not have."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(data)
    except (ValueError, lxml.etree.ParserError):
        return set()
    texts = []
    for el in tree.iter():
        names = f"{el.get('id') or ''} {el.get('class') or ''}" if isinstance(el.tag, str) else ""
        if _COMMENT_NAMES.search(names) and el.tag not in ("body", "html", "script", "style"):
            texts.append(el.text_content())
    return set().union(*(shingles(t) for t in texts)) - truth if texts else set()


def _reference(data: bytes) -> tuple[str, str | None, str | None]:
    """trafilatura's own text, date (by htmldate) and author for the page."""
    from trafilatura import bare_extraction

    doc = bare_extraction(data, include_comments=False, with_metadata=True)
    if doc is None:
        return "", None, None
    fields = doc if isinstance(doc, dict) else doc.as_dict()
    return fields.get("text") or "", fields.get("date"), fields.get("author")


def _load_truth(pages: Path) -> dict[str, dict]:
    truth_file = pages / "ground-truth.json"
    if not truth_file.is_file() or not (pages / "html").is_dir():
        raise InputError(f"--pages {pages}: expected html/ and ground-truth.json in it")
    try:
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{truth_file}: not readable JSON ({exc})") from None
    return {
        k: {"body": v.get("articleBody") or "", "url": v.get("url") or ""}
        for k, v in truth.items()
        if isinstance(v, dict)
    }


def _counts(pred: set, true: set) -> list[int]:
    return [len(pred & true), len(pred - true), len(true - pred)]


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def _rate(hits: int, n: int) -> float | None:
    return round(hits / n, 4) if n else None


def evaluate_pages(
    pages: Path, settings, *, loader: Callable | None = None, reference: bool = True, limit: int | None = None
) -> dict:
    """The extraction figures for the pages in ``pages``. ``loader`` is ``load_file`` unless a
    test hands in another (to show a gate catches a broken one)."""
    if loader is None:
        from index.loaders import load_file

        loader = load_file
    from index.models import Article

    truth = _load_truth(Path(pages))
    ids = sorted(i for i in truth if (Path(pages) / "html" / f"{i}.html").is_file())[:limit]
    ours, theirs = [0, 0, 0], [0, 0, 0]
    n = dict.fromkeys(
        (
            "stored",
            "with_comments",
            "comment_leaks",
            "mojibake_pages",
            "dated",
            "date_right",
            "author",
            "author_url",
            "ref_date_right",
            "ref_author",
            "url_dated",
            "url_date_right",
            "ref_url_date_right",
        ),
        0,
    )
    seconds = 0.0
    for page_id in ids:
        path = Path(pages) / "html" / f"{page_id}.html"
        data = path.read_bytes()
        started = time.perf_counter()
        loaded = [x for x in loader(path, settings) if isinstance(x, Article)]
        seconds += time.perf_counter() - started
        article = loaded[0] if loaded else None
        body = article.body if article else ""
        true = shingles(truth[page_id]["body"])
        pred = shingles(body)
        ours = [a + b for a, b in zip(ours, _counts(pred, true), strict=True)]
        n["stored"] += article is not None
        n["mojibake_pages"] += mojibake_signs(body) > mojibake_signs(truth[page_id]["body"])
        comments = comment_shingles(data, true)
        if len(comments) >= _COMMENTS_MIN:
            n["with_comments"] += 1
            n["comment_leaks"] += len(comments & pred) >= max(_LEAK_MIN, len(comments) // 10)
        days = stated_days(data.decode("utf-8", "replace"))
        published = article.meta.published_at if article else None
        author = article.meta.author if article else None
        n["dated"] += bool(days)
        n["date_right"] += bool(days) and published is not None and published[:10] in days
        stated = url_date(truth[page_id]["url"])
        n["url_dated"] += stated is not None
        n["url_date_right"] += stated is not None and agrees_with_url(published, stated)
        n["author"] += bool(author) and not _URL.search(author or "")
        n["author_url"] += bool(author) and bool(_URL.search(author or ""))
        if reference:
            text, date, ref_author = _reference(data)
            theirs = [a + b for a, b in zip(theirs, _counts(shingles(text), true), strict=True)]
            n["ref_date_right"] += bool(days) and date is not None and date[:10] in days
            n["ref_url_date_right"] += stated is not None and agrees_with_url(date, stated)
            n["ref_author"] += bool(ref_author) and not _URL.search(ref_author or "")
    pages_n = len(ids)
    metrics: dict[str, Any] = {
        "pages": pages_n,
        "stored": n["stored"],
        **_prf(*ours),
        "with_comments": n["with_comments"],
        "comment_leaks": n["comment_leaks"],
        "mojibake_pages": n["mojibake_pages"],
        "dated_pages": n["dated"],
        "date_right": _rate(n["date_right"], n["dated"]),
        "url_dated_pages": n["url_dated"],
        "url_date_right": _rate(n["url_date_right"], n["url_dated"]),
        "author_rate": _rate(n["author"], pages_n),
        "author_urls": n["author_url"],
        "pages_per_s": round(pages_n / seconds, 1) if seconds else None,
    }
    if reference:
        metrics["trafilatura"] = {
            **_prf(*theirs),
            "date_right": _rate(n["ref_date_right"], n["dated"]),
            "url_date_right": _rate(n["ref_url_date_right"], n["url_dated"]),
            "author_rate": _rate(n["ref_author"], pages_n),
        }
    return metrics


def gate_failures(metrics: dict, goals: dict[str, float] | None = None) -> list[str]:
    """What falls short of the goals (``GOALS`` unless given), one line each."""
    failed = []
    for name, floor in (GOALS if goals is None else goals).items():
        value = metrics.get(name)
        if value is None or value < floor:
            failed.append(f"{name} {value} is below the goal {floor}")
    for name in ZERO_GOALS:
        if metrics.get(name):
            failed.append(f"{name} is {metrics[name]}, the goal is 0")
    return failed


def summary_lines(metrics: dict) -> list[str]:
    ref = metrics.get("trafilatura")
    lines = [
        f"{metrics['pages']} pages, {metrics['stored']} stored; {metrics['pages_per_s']} pages/s through the loader",
        f"text: F1 {metrics['f1']:.3f} (precision {metrics['precision']:.3f}, recall {metrics['recall']:.3f})"
        + (f"; trafilatura alone F1 {ref['f1']:.3f}" if ref else ""),
        (
            f"comments leaked on {metrics['comment_leaks']} of {metrics['with_comments']} pages with comments;"
            f" mojibake on {metrics['mojibake_pages']} pages"
        ),
        f"dates right {metrics['date_right']} of {metrics['dated_pages']} dated pages"
        + (f" (trafilatura/htmldate {ref['date_right']})" if ref else "")
        + f"; agreeing with the URL's date {metrics['url_date_right']} of {metrics['url_dated_pages']}"
        + (f" (trafilatura/htmldate {ref['url_date_right']})" if ref else ""),
        f"authors {metrics['author_rate']} ({metrics['author_urls']} are URLs)"
        + (f" (trafilatura {ref['author_rate']})" if ref else ""),
    ]
    return lines
