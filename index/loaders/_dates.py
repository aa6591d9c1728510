"""Publication dates from the many ways articles write them.

``parse_date`` returns ``(iso, unix_seconds)`` or ``None``; it never raises. ISO text keeps the
precision it was given (a date stays a date); a datetime with a zone is normalised to UTC and
written with ``Z``; a naive one is kept naive and read as UTC for the timestamp.

Textual dates ("March 19, 2025 - 00:03am", "19 March 2025 10:00 GMT", "Tue, 19 Mar 2025 ...")
are read by a small tokenizer rather than one large regex, so any input runs in linear time.
"""

from __future__ import annotations

import datetime as dt
import email.utils

_MAX_CHARS = 120  # a date is short; longer text is not a date

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_WEEKDAYS = {
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
}
_ZONES = {
    "utc": 0,
    "gmt": 0,
    "z": 0,
    "est": -5,
    "edt": -4,
    "cst": -6,
    "cdt": -5,
    "mst": -7,
    "mdt": -6,
    "pst": -8,
    "pdt": -7,
    "bst": 1,
    "cet": 1,
    "cest": 2,
}
_FILLER = {"on", "at", "the", "of", "-", "|", "@", "et"}

Parsed = tuple[str, int]


def _result(value: dt.datetime | dt.date) -> Parsed | None:
    try:
        return _normalised(value)
    except (OverflowError, ValueError):
        return None  # a zone that moves year 1 or 9999 out of the calendar: no such date


def _normalised(value: dt.datetime | dt.date) -> Parsed:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
            iso = value.replace(microsecond=0).isoformat() + "Z"
        else:
            iso = value.replace(microsecond=0).isoformat()
        ts = int(value.replace(tzinfo=dt.UTC).timestamp())
        return iso, ts
    midnight = dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    return value.isoformat(), int(midnight.timestamp())


def _from_number(value: float) -> Parsed | None:
    if value > 1e11:  # milliseconds
        value /= 1000
    try:
        return _result(dt.datetime.fromtimestamp(value, dt.UTC))
    except (OverflowError, OSError, ValueError):
        return None


def _from_iso(text: str) -> Parsed | None:
    candidate = text.replace("/", "-") if text[:4].isdecimal() else text
    if len(candidate) == 10:
        try:
            return _result(dt.date.fromisoformat(candidate))
        except ValueError:
            return None
    try:
        return _result(dt.datetime.fromisoformat(candidate))
    except ValueError:
        return None


def _from_rfc2822(text: str) -> Parsed | None:
    if "," not in text[:12] and not text[:3].isalpha():
        return None
    try:
        value = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if value is None or not _year_as_written(text, value.year):
        return None  # the parser reads "0001" as 2001 and "0099" as 1999: words read it as written
    return _result(value)


def _year_as_written(text: str, year: int) -> bool:
    written = [t for t in text.replace(",", " ").split() if t.isdecimal() and len(t) == 4]
    return not written or int(written[0]) == year


def _tokens(text: str) -> list[str]:
    for sep in ",;()":
        text = text.replace(sep, " ")
    out: list[str] = []
    for token in text.lower().split():
        token = token.rstrip(".")
        if token.endswith(("am", "pm")) and token[:-2] and token[0].isdecimal():
            out += [token[:-2], token[-2:]]
        elif token:
            out.append(token)
    return out


def _day(token: str) -> int | None:
    for suffix in ("st", "nd", "rd", "th"):
        if token.endswith(suffix):
            token = token[: -len(suffix)]
            break
    return int(token) if token.isdecimal() and 1 <= len(token) <= 2 else None


def _clock(token: str) -> tuple[int, int, int] | None:
    parts = token.split(":")
    if not 2 <= len(parts) <= 3 or not all(p.isdecimal() and 1 <= len(p) <= 2 for p in parts):
        return None
    hour, minute, second = (int(p) for p in [*parts, "0"][:3])
    return hour, minute, second


def _offset(token: str) -> dt.timezone | None:
    if token in _ZONES:
        return dt.timezone(dt.timedelta(hours=_ZONES[token]))
    if token[:1] in "+-" and token[1:].replace(":", "").isdecimal():
        digits = token[1:].replace(":", "")
        if len(digits) in (2, 4):
            minutes = int(digits[:2]) * 60 + int(digits[2:] or 0)
            if minutes < 24 * 60:
                sign = -1 if token[0] == "-" else 1
                return dt.timezone(dt.timedelta(minutes=sign * minutes))
    return None


def _from_words(text: str) -> Parsed | None:
    """Month-name dates, day before or after the month, with an optional clock and zone."""
    year = month = day = None
    clock: tuple[int, int, int] | None = None
    zone: dt.timezone | None = None
    for token in _tokens(text):
        if token in _MONTHS and month is None:
            month = _MONTHS[token]
        elif token in _WEEKDAYS or token in _FILLER:
            continue
        elif token.isdecimal() and len(token) == 4 and year is None:
            year = int(token)
        elif day is None and _day(token) is not None:
            day = _day(token)
        elif clock is None and _clock(token) is not None:
            clock = _clock(token)
        elif token in ("am", "pm") and clock is not None:
            hour = clock[0] % 12 + (12 if token == "pm" else 0)
            clock = (hour, clock[1], clock[2])
        elif zone is None and _offset(token) is not None:
            zone = _offset(token)
        else:
            return None  # an unknown word: this is prose, not a date
    if year is None or month is None or day is None:
        return None
    try:
        if clock is None:
            return _result(dt.date(year, month, day))
        return _result(dt.datetime(year, month, day, *clock, tzinfo=zone))
    except ValueError:
        return None


def parse_date(value: object) -> Parsed | None:
    """``(iso, unix_seconds)`` of a date given as text, number, or date object; ``None`` if unreadable."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (dt.datetime, dt.date)):
        return _result(value)
    if isinstance(value, (int, float)):
        return _from_number(float(value)) if value == value else None
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if not text or len(text) > _MAX_CHARS:
        return None
    if text[0].isdecimal():
        parsed = _from_iso(text)
        if parsed is not None:
            return parsed
    return _from_rfc2822(text) or _from_words(text)
