"""The user's filters checked against the store before any search: a filter that can match
nothing is the user's mistake, not a question the articles fail to answer, so it is a one-line
error that says why (and, for an outlet, which stored outlets come closest).

Outlet names are resolved to the stored ones the way the question's outlets are
(``OutletMatcher``): case, punctuation, a leading "The", a domain suffix and a section suffix
do not matter.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from index.errors import InputError
from qa.models import Filters
from qa.outlets import OutletMatcher


def day(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d")


def check_dates(since_ts: int | None, until_ts: int | None) -> None:
    if since_ts is not None and until_ts is not None and since_ts > until_ts:
        raise InputError(f"--since {day(since_ts)} is after --until {day(until_ts)}: no date can be in between")


def resolve(filters: Filters, matcher: OutletMatcher, source_keys: np.ndarray, published_ts: np.ndarray) -> Filters:
    """``filters`` with its outlets as stored; InputError when an outlet or the date range (or
    both together) match no article. ``source_keys``/``published_ts``: one entry per chunk."""
    check_dates(filters.since_ts, filters.until_ts)
    if filters == Filters():
        return filters
    sources: list[str] = []
    for name in filters.sources:
        found = matcher.resolve(name)
        if not found:
            near = matcher.closest(name)
            hint = (
                f"; did you mean {' or '.join(repr(n) for n in near)}?"
                if near
                else "; `newsqa sources --outlets` lists them"
            )
            raise InputError(f"no articles from {name!r}{hint}")
        sources.extend(found)
    resolved = Filters(filters.since_ts, filters.until_ts, tuple(dict.fromkeys(sources)))
    if filters.since_ts is None and filters.until_ts is None:
        return resolved
    rows = np.ones(len(source_keys), dtype=bool)
    if sources:
        rows &= np.isin(source_keys, [s.casefold() for s in sources])
    dated = published_ts[rows & ~np.isnan(published_ts)]
    in_range = np.ones(len(dated), dtype=bool)
    if filters.since_ts is not None:
        in_range &= dated >= filters.since_ts
    if filters.until_ts is not None:
        in_range &= dated <= filters.until_ts
    if not in_range.any():
        since = day(filters.since_ts) if filters.since_ts is not None else "the start"
        until = day(filters.until_ts) if filters.until_ts is not None else "now"
        whose = f" from {', '.join(repr(n) for n in filters.sources)}" if sources else ""
        span = f"; they run from {day(dated.min())} to {day(dated.max())}" if len(dated) else "; none is dated"
        raise InputError(f"no articles{whose} published between {since} and {until}{span}")
    return resolved
