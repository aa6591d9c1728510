"""Dates given by the user on the command line or in the chat's filters."""

from __future__ import annotations

from datetime import datetime, time, timezone

from index.errors import InputError


def parse_user_date(value: str, what: str, *, end_of_day: bool = False) -> int:
    """``YYYY-MM-DD`` (or a full ISO datetime) as unix seconds, UTC."""
    try:
        dt = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{what}: not a date: {value!r} (use YYYY-MM-DD)") from None
    if len(value.strip()) <= 10 and end_of_day:
        dt = datetime.combine(dt.date(), time(23, 59, 59))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return int(dt.timestamp())
