"""E-mail (``.eml``, a newsletter say) and MHTML (a browser's "Save as web archive"), both MIME
messages read by the standard ``email`` package.

The message's HTML part goes through the page path (``html_article``, with the part's charset and,
for MHTML, the saved page's address); a message without HTML, or whose HTML holds no text, gives
its plain-text part. The headers fill what the page does not state: an e-mail's Subject is its
title, its sender the outlet, its Date the date; an MHTML's Subject is the page title and its
Date the time it was saved, used only when the page states no date.
"""

from __future__ import annotations

import email
import email.policy
import email.utils

from ._article import RawArticle
from ._decode import LoadProblem, decode
from ._origin import Loaded, Origin, records

_MAX_PARTS = 500


def _header(message, name: str) -> str | None:
    try:
        value = message.get(name)
    except (ValueError, TypeError, IndexError, LookupError, AttributeError):
        # a header the policy cannot parse (the standard library's address parser can even trip
        # over its own objects on a damaged one: AttributeError 'Group' ... 'local_part')
        return None
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def _sender(message) -> str | None:
    sender = _header(message, "From")
    if not sender:
        return None
    display, address = email.utils.parseaddr(sender)
    if display:
        return display
    return address.rpartition("@")[2] or None if address else None


def _payload(part) -> tuple[bytes, str | None] | None:
    try:
        data = part.get_payload(decode=True)
    except (ValueError, TypeError, LookupError, AssertionError):
        return None
    if not isinstance(data, bytes) or not data.strip():
        return None
    return data, part.get_content_charset()


def _parts(message) -> tuple[list, list]:
    html, plain = [], []
    for count, part in enumerate(message.walk()):
        if count > _MAX_PARTS:
            break
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        kind = part.get_content_type()
        if kind in ("text/html", "application/xhtml+xml"):
            html.append(part)
        elif kind == "text/plain":
            plain.append(part)
    return html, plain


def _from_html(parts: list, name: str, url: str | None) -> RawArticle | None:
    from ._html import html_article

    for part in parts:
        found = _payload(part)
        if found is None:
            continue
        try:
            return html_article(found[0], name=name, url=url or _header(part, "Content-Location"), charset=found[1])
        except LoadProblem:
            continue
    return None


def _from_plain(parts: list) -> RawArticle | None:
    for part in parts:
        found = _payload(part)
        if found is None:
            continue
        data, charset = found
        try:
            text = data.decode(charset) if charset else decode(data)
        except (LookupError, UnicodeDecodeError):
            text = decode(data)
        if text.strip():
            return RawArticle(body=text)
    return None


def email_article(data: bytes, name: str) -> RawArticle:
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
    except (ValueError, TypeError, IndexError, LookupError) as exc:
        raise LoadProblem(f"malformed MIME message: {' '.join(str(exc).split())[:160]}") from None
    is_page = message.get_content_type() == "multipart/related" or _header(message, "Snapshot-Content-Location")
    url = _header(message, "Snapshot-Content-Location")
    html, plain = _parts(message)
    raw = _from_html(html, name, url) or _from_plain(plain)
    if raw is None:
        raise LoadProblem("no HTML or text part with article text in the message")
    subject = _header(message, "Subject")
    if is_page:
        raw.title = raw.title or subject
        raw.url = raw.url or url
    else:
        raw.title = subject or raw.title
        raw.source = _sender(message) or raw.source
        raw.author = raw.author if raw.author and raw.author != raw.source else None
    sent = _header(message, "Date")
    raw.date = (raw.date or sent) if is_page else (sent or raw.date)
    return raw


def load_email(data: bytes, origin: Origin) -> list[Loaded]:
    return records(origin.name, [(origin.name, email_article(data, origin.name))])
