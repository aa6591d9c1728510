"""Articles from the web for ``newsqa ingest URL...``: fetching (``client``), robots.txt
(``robots``), conditional-GET state (``state``), pages and feeds (``crawl``), one run or a polling
loop (``run``). Parsing is the loaders' job: this package only turns URLs into bytes.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def is_url(text: object) -> bool:
    """True for an ``http://`` or ``https://`` address (anything else on the command line is a path)."""
    value = str(text)
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and "://" in value
