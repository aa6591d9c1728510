"""Web archives (``.warc``, ``.warc.gz``) by warcio: each HTML response (or resource) record is
one article, read by the page path with the record's URL; the capture date stands in for a
publication date the page does not state. Requests, metadata, revisits (no payload of their own)
and non-HTML captures are not articles and are passed over; an archive with no HTML is skipped."""

from __future__ import annotations

import io

from ._article import RawArticle
from ._decode import LoadProblem
from ._origin import Loaded, Origin, charset_of, records
from ._sniff import media_type

_HTML = ("text/html", "application/xhtml+xml")


def _captures(data: bytes, origin: Origin):
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    from ._html import html_article

    limit = origin.settings.max_file_bytes
    try:
        for number, record in enumerate(ArchiveIterator(io.BytesIO(data)), start=1):
            if record.rec_type not in ("response", "resource"):
                continue
            http = record.http_headers if record.rec_type == "response" else None
            if record.rec_type == "response" and http is None:
                continue  # a non-HTTP response (dns:, ftp:)
            content_type = (http or record.rec_headers).get_header("Content-Type")
            if media_type(content_type) not in _HTML:
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI") or None
            label = f"{origin.name} record {number} ({uri or 'no URL'})"
            status = http.get_statuscode() if http is not None else "200"
            if not str(status).startswith("2"):
                yield label, LoadProblem(f"HTTP status {status}, not a page")
                continue
            payload = record.content_stream().read(limit + 1)
            if len(payload) > limit:
                yield label, LoadProblem(f"capture over max_file_bytes {limit}")
                continue
            try:
                raw: RawArticle | LoadProblem = html_article(
                    payload, name=label, url=uri, charset=charset_of(content_type)
                )
            except LoadProblem as exc:
                raw = exc
            if isinstance(raw, RawArticle) and not raw.date:
                raw.date = record.rec_headers.get_header("WARC-Date")
            yield label, raw
    except ArchiveLoadFailed as exc:
        yield origin.name, LoadProblem(f"unreadable WARC: {' '.join(str(exc).split())[:160]}")
    except (EOFError, OSError, ValueError, AttributeError, TypeError, KeyError, IndexError) as exc:
        # warcio trips over malformed headers in many ways (a response without a URL: AttributeError)
        yield origin.name, LoadProblem(f"truncated or corrupt WARC: {' '.join(str(exc).split())[:160]}")


def load_warc(data: bytes, origin: Origin) -> list[Loaded]:
    found = records(origin.name, _captures(data, origin))
    if not found:
        raise LoadProblem("no HTML captures in the web archive")
    return found
