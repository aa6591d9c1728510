"""robots.txt, read once per site and run, with the answers RFC 9309 gives for a missing or
failing file: 4xx means no rules, 5xx means keep out (the site may be down or overloaded).

``urllib.robotparser`` parses; it is fed through newsqa's own client so the same timeouts, size
cap, redirect bound and user agent apply to robots.txt as to pages.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB of it
_MAX_CRAWL_DELAY = 30.0  # a Crawl-delay beyond this is not honoured in full: a run would stall


class RobotsUnavailable(Exception):
    """robots.txt could not be read in a way that means "keep out"; the message says why."""


Download = Callable[[str], tuple[int, bytes]]
"""Fetches a robots.txt URL: (status, body). Raises for transport failures."""


def origin(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "", "", ""))


class Robots:
    """The robots.txt rules of each site met in a run, fetched at first need."""

    def __init__(self, agent: str, download: Download):
        self._agent = agent
        self._download = download
        self._rules: dict[str, RobotFileParser | RobotsUnavailable] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def check(self, url: str) -> float:
        """Raises ``RobotsUnavailable`` if ``url`` may not be fetched; else the site's asked delay."""
        rules = self._rules_for(origin(url))
        if not rules.can_fetch(self._agent, url):
            raise RobotsUnavailable("disallowed by the site's robots.txt")
        delay = rules.crawl_delay(self._agent)
        return min(float(delay), _MAX_CRAWL_DELAY) if delay else 0.0

    def _rules_for(self, site: str) -> RobotFileParser:
        with self._guard:
            lock = self._locks.setdefault(site, threading.Lock())
        with lock:  # one download per site, even when several threads ask at once
            if site not in self._rules:
                try:
                    self._rules[site] = self._load(site)
                except RobotsUnavailable as exc:
                    self._rules[site] = exc
            found = self._rules[site]
        if isinstance(found, RobotsUnavailable):
            raise found
        return found

    def _load(self, site: str) -> RobotFileParser:
        rules = RobotFileParser(site + "/robots.txt")
        status, body = self._download(site + "/robots.txt")
        if status >= 500:
            raise RobotsUnavailable(f"robots.txt answered HTTP {status}, which means keep out for now")
        # 4xx: no robots.txt, so no rules (an empty file says the same)
        rules.parse([] if status >= 400 else body.decode("utf-8", "replace").splitlines())
        return rules
