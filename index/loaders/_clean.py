"""Text hygiene applied at load time, so every stored body and metadata string is safe to print.

Article text may carry terminal escape sequences and control characters (pasted from a terminal,
scraped, or planted). They are removed here, once, so later verbatim quotes of a body cannot move
a cursor, retitle a window or hide text. The patterns have no nested quantifiers: each runs in
linear time on enormous lines.
"""

from __future__ import annotations

import re

# CSI: ESC [ (or the 8-bit \x9b) params, intermediates, final byte.
_CSI = re.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]")
# OSC / DCS / SOS / PM / APC strings, up to BEL or ST (ESC \ or \x9c); an unterminated one runs to
# the end of the line so its payload cannot leak into the text.
_STRING_SEQ = re.compile(r"(?:\x1b[\]P^_X]|[\x9d\x90\x9e\x9f\x98])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?")
# Any other two-byte escape (ESC 7, ESC c, ESC ( B's first part, ...).
_ESC_PAIR = re.compile(r"\x1b[ -~]?")

_KEEP = {"\n", "\t"}
# C0, DEL, C1, and the Unicode bidi overrides/isolates/marks that can reorder what a terminal shows.
_DROP: dict[int, str | None] = {
    cp: None
    for cp in [*range(0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
    if chr(cp) not in _KEEP
}
_DROP[0xFEFF] = None  # a stray BOM inside the text
for _mark in (0x200E, 0x200F, 0x061C):  # LRM, RLM, ALM: invisible marks that reorder what is shown
    _DROP[_mark] = None
_DROP[0x2028] = "\n"
_DROP[0x2029] = "\n"

META_MAX_CHARS = 500

# Invisible characters web pages put inside words: soft hyphens (U+00AD, the HTML &shy;), the
# zero-width space, word joiner, Mongolian vowel separator and a stray BOM. They would split a
# word for search and break verbatim quotes. ZWJ/ZWNJ are kept: they shape Indic, Persian and
# emoji text, where removing them changes the word.
_INVISIBLE = dict.fromkeys((0x00AD, 0x200B, 0x2060, 0x180E, 0xFEFF))


def strip_invisibles(text: str) -> str:
    """Text without soft hyphens and zero-width spaces (applied to web pages' text)."""
    return text.translate(_INVISIBLE)


def strip_controls(text: str) -> str:
    """Remove escape sequences and control characters; newlines become ``\\n``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in text or any(c in text for c in "\x9b\x9d\x90\x9e\x9f\x98"):
        text = _CSI.sub("", text)
        text = _STRING_SEQ.sub("", text)
        text = _ESC_PAIR.sub("", text)
    return text.translate(_DROP)


def clean_body(text: str) -> str:
    """A body fit to store: no controls, no trailing spaces on lines, no surrounding blank lines."""
    text = strip_controls(text)
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n ")


def clean_meta(value: object, limit: int = META_MAX_CHARS) -> str | None:
    """A metadata string: one line, whitespace collapsed, capped; empty becomes ``None``."""
    if value is None:
        return None
    text = " ".join(strip_controls(str(value)).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text or None
