"""Dates, read in one place: those a user types (--since, the chat's filters) and those a
question names ("in October 2023", "on 5 March", "last week"), as unix-second windows.

Hand-written for questions: dateparser/htmldate read one date string, not the several dates,
relative spans and bare months a sentence names, nor count "last week" back from the newest
article rather than from today.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime, time, timedelta

from index.errors import InputError

DAY = 86_400


def parse_user_date(value: str, what: str, *, end_of_day: bool = False) -> int:
    """``YYYY-MM-DD`` (or a full ISO datetime) as unix seconds, UTC."""
    try:
        dt = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{what}: not a date: {value!r} (use YYYY-MM-DD)") from None
    if len(value.strip()) <= 10 and end_of_day:
        dt = datetime.combine(dt.date(), time(23, 59, 59))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return int(dt.timestamp())


def iso_ts(value: str | None) -> int | None:
    """An article's ISO 8601 date as unix seconds (UTC when it names no zone); None if unreadable."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return int(dt.timestamp())


def in_windows(ts: int | None, windows, slack: float = 0.0) -> bool:
    """Whether ``ts`` falls in one of ``windows`` ((first, last) unix seconds), give or take ``slack``."""
    return ts is not None and any(a - slack <= ts <= b + slack for a, b in windows)


# -- dates a question names ------------------------------------------------------------------
_MONTHS = {m.casefold(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS |= {m.casefold(): i for i, m in enumerate(calendar.month_abbr) if m}
_MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ABSOLUTE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MONTH_RE})\.?(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<m2>{_MONTH_RE})\.?(?:\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b)?(?:,?\s+(?:of\s+)?(?P<y2>\d{{4}}))?"
    rf"|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}}))\b",
    re.I,
)
_RELATIVE = re.compile(
    r"\b(?P<what>today|yesterday|this week|last week|past week|this month|last month|past month|"
    r"this year|last year|recently|lately|(?:last|past) (?P<n>\d{1,3}) (?P<unit>days?|weeks?|months?))\b",
    re.I,
)


def _month_window(year: int, month: int) -> tuple[int, int]:
    start = datetime(year, month, 1, tzinfo=UTC)
    days = calendar.monthrange(year, month)[1]
    return int(start.timestamp()), int(start.timestamp()) + days * DAY - 1


def _day_window(year: int, month: int, day: int) -> tuple[int, int] | None:
    try:
        start = int(datetime(year, month, day, tzinfo=UTC).timestamp())
    except ValueError:
        return None
    return start, start + DAY - 1


def date_windows(text: str, newest_ts: int | None) -> list[tuple[int, int]]:
    """The time windows a question names, as (first, last) unix seconds, in order of mention.

    A date without a year takes the newest article's year (the year before when that would put
    it after the newest article); relative dates count back from the newest article. A date
    outside the calendar ("March 0000", "last year" of year 1) names no window.
    """
    try:
        ref = datetime.fromtimestamp(newest_ts, UTC) if newest_ts is not None else None
    except (OverflowError, OSError, ValueError):
        ref = None
    out: list[tuple[int, int]] = []
    for m in _ABSOLUTE.finditer(text):
        try:
            w = _absolute(m, ref)
        except (OverflowError, ValueError):
            continue
        if w:
            out.append(w)
    if ref is not None and newest_ts is not None:
        for m in _RELATIVE.finditer(text):
            try:
                out.append(_relative(m, ref, newest_ts))
            except (OverflowError, ValueError):
                continue
    return out


def _absolute(m: re.Match, ref: datetime | None) -> tuple[int, int] | None:
    """The window of one absolute date ("5 March 2024", "March", "2024-03-05"), if it names one."""
    if m["iso"]:
        y, mo, d = map(int, m["iso"].split("-"))
        return _day_window(y, mo, d)
    month = _MONTHS[(m["m1"] or m["m2"]).casefold()]
    day, year = m["d1"] or m["d2"], m["y1"] or m["y2"]
    # a bare month word ("may", "march") is too often not a date
    if m["m2"] and not (day or year) and (not m["m2"][0].isupper() or m["m2"].casefold() in {"may", "march"}):
        return None
    if year is None:
        if ref is None:
            return None
        year = ref.year - (1 if month > ref.month else 0)
    return _day_window(int(year), month, int(day)) if day else _month_window(int(year), month)


def _relative(m: re.Match, ref: datetime, newest: int) -> tuple[int, int]:
    what = m["what"].casefold()
    day0 = int(datetime(ref.year, ref.month, ref.day, tzinfo=UTC).timestamp())
    if what == "today":
        return day0, day0 + DAY - 1
    if what == "yesterday":
        return day0 - DAY, day0 - 1
    if what in ("this week", "last week", "past week"):
        return newest - 7 * DAY, newest
    if what == "this month":
        return _month_window(ref.year, ref.month)[0], newest
    if what == "last month":
        prev = ref.replace(day=1) - timedelta(days=1)
        return _month_window(prev.year, prev.month)
    if what == "past month":
        return newest - 31 * DAY, newest
    if what == "this year":
        return int(datetime(ref.year, 1, 1, tzinfo=UTC).timestamp()), newest
    if what == "last year":
        return (
            int(datetime(ref.year - 1, 1, 1, tzinfo=UTC).timestamp()),
            int(datetime(ref.year, 1, 1, tzinfo=UTC).timestamp()) - 1,
        )
    if m["n"]:
        unit = {"d": 1, "w": 7, "m": 31}[m["unit"][0].casefold()]
        return newest - int(m["n"]) * unit * DAY, newest
    return newest - 14 * DAY, newest  # recently, lately


def date_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` names a date (absolute or relative), as character spans."""
    return [m.span() for m in _ABSOLUTE.finditer(text)] + [m.span() for m in _RELATIVE.finditer(text)]
