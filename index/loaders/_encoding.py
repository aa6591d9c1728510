"""Text from a web page's bytes, in the encoding the page (or its server) declares.

Order: a byte-order mark; the charset the HTTP response gave; the page's own ``<meta charset>`` or
``http-equiv`` declaration; bytes that are (almost all) valid UTF-8; else charset-normalizer's
detection. The chosen encoding decodes with a replacement character per bad byte, so one stray
byte never throws the whole page into another encoding (the mojibake of a cp1252 fallback).

Labels follow the WHATWG encoding standard where Python's names differ: browsers read
``iso-8859-1``/``ascii`` as windows-1252, so we do too.
"""

from __future__ import annotations

import codecs
import re

from ._decode import LoadProblem, decode, looks_binary

# A declaration is honoured only near the top, as browsers do (they pre-scan 1024 bytes; saved
# pages often carry a long comment or script first, so a little more room).
_PRESCAN_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]{0,400}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:\-]{1,40})""", re.IGNORECASE)
_WHATWG = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "iso-8859-9": "cp1254",
    "tis-620": "cp874",
    "x-sjis": "shift_jis",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-user-defined": "cp1252",
    "unicode": "utf-8",
    "utf-16": "utf-8",
    "utf-16le": "utf-8",
    "utf-16be": "utf-8",  # a meta tag that says UTF-16 was read as ASCII, so it is not
}
# Valid multi-byte characters per bad sequence above which bytes are UTF-8 with a few damaged
# characters: text in a single-byte encoding forms valid UTF-8 sequences only by rare accident.
_UTF8_VALID_PER_ERROR = 4
_DETECT_SAMPLE = 262_144
# Share of replacement characters above which the bytes are not text in any encoding.
_MAX_REPLACED_SHARE = 0.2


def _codec(label: str | None) -> str | None:
    """Python's codec name for an encoding label, or ``None`` if it names no known text codec."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = _WHATWG.get(name, name)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    # Binary-to-binary codecs (base64, zlib) are not text encodings.
    return info.name if getattr(info, "_is_text_encoding", True) else None


def declared_charset(data: bytes) -> str | None:
    """The codec a page's markup declares in its first bytes, if it names a known one."""
    match = _META_CHARSET.search(data[:_PRESCAN_BYTES])
    return _codec(match.group(1).decode("ascii", "replace")) if match else None


def _mostly_utf8(data: bytes) -> bool:
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    valid = len(text) - len(text.encode("ascii", "ignore")) - bad
    return valid > 0 and bad * _UTF8_VALID_PER_ERROR <= valid


def _detected(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:_DETECT_SAMPLE]).best()
    return _codec(best.encoding) if best is not None else None


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def html_text(data: bytes, charset: str | None = None) -> str:
    """A page's text. ``charset`` is the HTTP header's, which outranks the markup's declaration.

    Raises ``LoadProblem`` for empty or binary data.
    """
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data)  # a BOM outranks every declaration
    if not data.strip():
        raise LoadProblem("empty file")
    if b"\x00" in data[:_PRESCAN_BYTES]:
        raise LoadProblem("binary file (contains NUL bytes)")
    encoding = _codec(charset) or declared_charset(data)
    if encoding is not None and encoding != "utf-8" and _valid_utf8(data) and not data.isascii():
        # A legacy label on bytes that are valid UTF-8 throughout: the page was re-saved as UTF-8
        # and kept its old declaration (valid UTF-8 by chance in a legacy encoding is vanishingly rare).
        encoding = "utf-8"
    if encoding is None:
        encoding = "utf-8" if data.isascii() or _mostly_utf8(data) else (_detected(data) or "cp1252")
    text = data.decode(encoding, errors="replace")
    if looks_binary(text[:_DETECT_SAMPLE]) or text.count("\ufffd", 0, _DETECT_SAMPLE) > _MAX_REPLACED_SHARE * min(
        len(text), _DETECT_SAMPLE
    ):
        raise LoadProblem("binary file (not text in any supported encoding)")
    return text
