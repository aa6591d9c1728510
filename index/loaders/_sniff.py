"""Which format a file or a fetched body is in: by its content first, then its type, then its name.

Content wins because names lie: a feed saved as ``.html`` must be read as a feed, not stored as one
junk article. Only signatures that cannot be mistaken are read from the content (gzip, PDF and
WARC magic, an XML root named ``rss``/``feed``/``RDF``, a JSON Feed ``version``); HTML, JSON and
e-mail are recognised by their opening only when neither the content type nor the name says.
The checks look at the first few kilobytes, so an unsupported file is named without reading it all.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

HEAD_BYTES = 8192

# Every kind a loader exists for.
KINDS = frozenset(("gzip", "pdf", "warc", "feed", "html", "json", "jsonl", "text", "markdown", "email", "csv"))

SUFFIX_KINDS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".rss": "feed",
    ".atom": "feed",
    ".rdf": "feed",
    ".xml": "feed",
    ".pdf": "pdf",
    ".eml": "email",
    ".mht": "email",
    ".mhtml": "email",
    ".warc": "warc",
    ".csv": "csv",
    ".gz": "gzip",
}

_TYPE_KINDS: dict[str, str] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/rdf+xml": "feed",
    "application/xml": "feed",
    "text/xml": "feed",
    "application/feed+json": "json",
    "application/json": "json",
    "text/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "text/plain": "text",
    "text/markdown": "markdown",
    "application/pdf": "pdf",
    "message/rfc822": "email",
    "multipart/related": "email",
    "application/x-mimearchive": "email",
    "application/warc": "warc",
    "text/csv": "csv",
    "application/gzip": "gzip",
    "application/x-gzip": "gzip",
}

_BOM = re.compile(rb"^(?:\xef\xbb\xbf)?\s*")
# Before an XML root: the declaration, comments, processing instructions, a doctype.
_XML_PROLOGUE = re.compile(
    rb"\s*(?:<\?[^>]{0,2000}\?>|<!--.{0,4000}?-->|<!DOCTYPE[^>\[]{0,2000}(?:\[.{0,4000}?\])?\s*>)",
    re.DOTALL | re.IGNORECASE,
)
_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_FEED_ROOTS = (b"rss", b"feed", b"rdf")
_JSON_FEED = re.compile(rb'"version"\s*:\s*"https?://jsonfeed\.org/version/', re.IGNORECASE)
_HTML_START = re.compile(rb"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|meta[\s>]|title[\s>])", re.IGNORECASE)
_HEADER_LINE = re.compile(rb"[A-Za-z][A-Za-z0-9-]{0,60}:[ \t]")
_MIME_HEADERS = re.compile(
    rb"^(?:mime-version|content-type|from|subject|received|return-path|message-id|date):", re.IGNORECASE | re.MULTILINE
)


def suffix_of(name: str) -> str:
    """The lower-cased suffix of a file name or a URL's path (query and fragment ignored)."""
    path = name.split("?", 1)[0].split("#", 1)[0]
    return PurePosixPath(path.replace("\\", "/")).suffix.lower()


def _strip_bom(head: bytes) -> bytes:
    match = _BOM.match(head)
    return head[match.end() :] if match else head


def xml_root(head: bytes) -> bytes | None:
    """The lower-cased local name of an XML document's root element, if the head shows one."""
    body = _strip_bom(head)
    position = 0
    while True:
        match = _XML_PROLOGUE.match(body, position)
        if not match or match.end() == position:
            break
        position = match.end()
    root = _ROOT.match(body[position:].lstrip())
    return root.group(2).lower() if root else None


def is_json_feed_head(head: bytes) -> bool:
    return _strip_bom(head)[:1] == b"{" and bool(_JSON_FEED.search(head))


def _by_magic(head: bytes) -> str | None:
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"WARC/"):
        return "warc"
    if xml_root(head) in _FEED_ROOTS:
        return "feed"
    if is_json_feed_head(head):
        return "json"
    return None


def _looks_like_email(head: bytes) -> bool:
    lines = _strip_bom(head).split(b"\n", 20)
    return bool(lines) and bool(_HEADER_LINE.match(lines[0])) and len(_MIME_HEADERS.findall(head[:4096])) >= 2


def _by_opening(head: bytes) -> str | None:
    body = _strip_bom(head)
    if _HTML_START.match(body) or _HTML_START.search(body[:1024]):
        return "html"
    if body[:1] in (b"{", b"["):
        return "json"
    if _looks_like_email(head):
        return "email"
    return None


def media_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def sniff(head: bytes, name: str, content_type: str | None = None) -> str | None:
    """The kind of data ``head`` opens, or ``None`` when no loader reads it."""
    found = _by_magic(head)
    if found:
        return found
    declared = _TYPE_KINDS.get(media_type(content_type) or "")
    by_name = SUFFIX_KINDS.get(suffix_of(name))
    if declared == "feed" and xml_root(head) in (b"html", None) and by_name != "feed":
        declared = None  # XML that is not a feed (XHTML, say): let the name or the opening say
    if declared == "text" and by_name and by_name != "text":
        declared = None  # servers call many things text/plain; a known name is the better guide
    return declared or by_name or _by_opening(head)
