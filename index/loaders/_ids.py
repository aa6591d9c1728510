"""Stable identities of articles: ``doc_id`` (which article) and ``content_hash`` (which version).

An explicit id in the data wins (the shared multihop corpus carries ``mhr-...`` ids evals rely
on); else the normalised URL names the article; else its normalised body does, so the same text
saved under two file names is recognised as one article.
"""

from __future__ import annotations

import hashlib
import json
import re
from urllib.parse import urlsplit, urlunsplit

_EXPLICIT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")


def valid_explicit_id(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value).strip()
    return text if _EXPLICIT_ID.fullmatch(text) else None


def normalise_url(url: str) -> str:
    """Scheme and host lower-cased, no fragment, no default port, no trailing slash."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, host, path, parts.query, ""))


def normalise_body(body: str) -> str:
    return " ".join(body.split())


def _sha1_16(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def make_doc_id(explicit: object, url: str | None, body: str) -> str:
    chosen = valid_explicit_id(explicit)
    if chosen is not None:
        return chosen
    if url:
        return "u-" + _sha1_16(normalise_url(url))
    return "h-" + _sha1_16(normalise_body(body))


def content_hash(title: str, body: str, **meta: object) -> str:
    """sha256 over the title, body and metadata, unambiguously framed (JSON), so any change shows."""
    payload = json.dumps([title, body, sorted(meta.items())], ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()
