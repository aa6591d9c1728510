"""PDF documents by pypdf: the text layer of every page, and the document's title, author and
creation date from its metadata (a title that is only a file name is not kept). A PDF without a
text layer (a scan) or one that needs a password is skipped with that reason.

Two repairs pypdf leaves to its callers, hand-written because no library does them:
- A document whose metadata names no title (most TeX output) gets the first page's largest
  type as its title, read from pypdf's own text runs, instead of the body's first line.
- TeX fonts draw an accent as a spacing character before its letter, which pypdf passes on
  ("Fran¸cois", "Sup´erieure", "Bela¨ıd"); such pairs are joined into the accented letter when
  Unicode has one ("François", "Supérieure", "Belaïd"), and left as they are otherwise.
"""

from __future__ import annotations

import io
import logging
import math
import re
import unicodedata

from ._article import RawArticle
from ._decode import LoadProblem
from ._origin import Loaded, Origin, records

# Titles tools write in place of one: "Microsoft Word - report.docx", "untitled", "paper.pdf".
_FILE_TITLE = re.compile(r"(?i)^(?:microsoft \w+ - .*|untitled.*|.*\.(?:pdf|docx?|odt|rtf|tex|dvi|pptx?|indd))$")


# Spacing accents (as TeX fonts draw them), the combining marks they stand for, and the letters
# they sit on in the languages written with them: "it´s" (an acute for an apostrophe) stays.
_ACCENTS = {
    "\u00a8": ("\u0308", "aeiouyAEIOUY\u0131"),  # diaeresis
    "\u00b4": ("\u0301", "aeiouyAEIOUY"),  # acute
    "\u02c6": ("\u0302", "aeiouAEIOU\u0131"),  # circumflex
    "\u02dc": ("\u0303", "anoANO"),  # tilde
    "\u00b8": ("\u0327", "cCsStT"),  # cedilla
    "\u02c7": ("\u030c", "cdenrstzCDENRSTZ"),  # caron
    "\u02d8": ("\u0306", "agAGu"),  # breve
    "\u02da": ("\u030a", "auAU"),  # ring
    "\u02d9": ("\u0307", "ezEZgGI"),  # dot above
    "\u02dd": ("\u030b", "ouOU"),  # double acute
    "\u02db": ("\u0328", "aeAEiu"),  # ogonek
}
_ACCENTED = re.compile("([" + "".join(_ACCENTS) + "])([A-Za-z\u0131])")
_DOTLESS = {"\u0131": "i"}


def _join_accent(match: re.Match) -> str:
    mark, letters = _ACCENTS[match.group(1)]
    if match.group(2) not in letters:
        return match.group(0)
    joined = unicodedata.normalize("NFC", _DOTLESS.get(match.group(2), match.group(2)) + mark)
    return joined if len(joined) == 1 else match.group(0)


def join_accents(text: str) -> str:
    return _ACCENTED.sub(_join_accent, text)


_TITLE_CHARS = (3, 300)


class _Runs:
    """pypdf's text runs of one page with the size they are drawn at, for the title."""

    def __init__(self) -> None:
        self.runs: list[tuple[float, str]] = []

    def __call__(self, text: str, cm, tm, font, size) -> None:
        if text.strip() and size:
            scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
            self.runs.append((round(float(size) * (scale or 1.0), 1), text))

    def title(self) -> str | None:
        """The first run of the page's largest type, when it stands out from the text."""
        if not self.runs:
            return None
        sizes: dict[float, int] = {}
        for size, text in self.runs:
            sizes[size] = sizes.get(size, 0) + len(text)
        body = max(sizes, key=sizes.__getitem__)
        top = max(sizes)
        if top <= body:
            return None
        start = next(i for i, (size, _) in enumerate(self.runs) if size == top)
        parts = []
        for size, text in self.runs[start:]:
            if size != top:
                break
            parts.append(text)
        title = " ".join(" ".join(parts).split())
        return title if _TITLE_CHARS[0] <= len(title) <= _TITLE_CHARS[1] else None


def _meta_text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _metadata(reader) -> tuple[str | None, str | None, object]:
    try:
        info = reader.metadata
    except Exception:
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
        runs = _Runs()
        pages = [
            (page.extract_text(visitor_text=runs) if i == 0 else page.extract_text()) or ""
            for i, page in enumerate(reader.pages)
        ]
    except LoadProblem:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, IndexError) as exc:
        raise LoadProblem(f"unreadable PDF: {' '.join(str(exc).split())[:160] or type(exc).__name__}") from None
    body = join_accents("\n\n".join(page.strip() for page in pages if page.strip()))
    if not body:
        raise LoadProblem("no text layer in the PDF (a scan?)")
    title, author, created = _metadata(reader)
    if title is None:
        title = runs.title()
        title = join_accents(title) if title else None
    return RawArticle(body=body, title=title, author=author, date=created)


def load_pdf(data: bytes, origin: Origin) -> list[Loaded]:
    return records(origin.name, [(origin.name, pdf_article(data))])
