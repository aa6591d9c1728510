"""PDF documents by pypdf: the text layer of every page, and the document's title, author and
creation date from its metadata (a title that is only a file name is not kept). A PDF without a
text layer (a scan) or one that needs a password is skipped with that reason."""

from __future__ import annotations

import io
import logging
import re

from ._article import RawArticle
from ._decode import LoadProblem
from ._origin import Loaded, Origin, records

# Titles tools write in place of one: "Microsoft Word - report.docx", "untitled", "paper.pdf".
_FILE_TITLE = re.compile(r"(?i)^(?:microsoft \w+ - .*|untitled.*|.*\.(?:pdf|docx?|odt|rtf|tex|dvi|pptx?|indd))$")


def _meta_text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _metadata(reader) -> tuple[str | None, str | None, object]:
    try:
        info = reader.metadata
    except Exception:  # noqa: BLE001 - pypdf raises many kinds on a damaged info dictionary
        return None, None, None
    if info is None:
        return None, None, None
    title = _meta_text(info.get("/Title"))
    if title and _FILE_TITLE.match(title):
        title = None
    try:
        created = info.creation_date
    except (ValueError, TypeError):  # a date pypdf cannot read
        created = None
    return title, _meta_text(info.get("/Author")), created


def pdf_article(data: bytes) -> RawArticle:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # it warns per damaged object; the skip line says enough
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadProblem("encrypted PDF (needs a password)")
        pages = [page.extract_text() or "" for page in reader.pages]
    except LoadProblem:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, IndexError) as exc:
        raise LoadProblem(f"unreadable PDF: {' '.join(str(exc).split())[:160] or type(exc).__name__}") from None
    body = "\n\n".join(page.strip() for page in pages if page.strip())
    if not body:
        raise LoadProblem("no text layer in the PDF (a scan?)")
    title, author, created = _metadata(reader)
    return RawArticle(body=body, title=title, author=author, date=created)


def load_pdf(data: bytes, origin: Origin) -> list[Loaded]:
    return records(origin.name, [(origin.name, pdf_article(data))])
