"""Make text safe for a terminal: article text must never reach it with escape sequences."""

from __future__ import annotations

import json
import re
import sys

# CSI / OSC / other ESC sequences, then any remaining C0/C1 control character but \n and \t.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
# Bidi overrides, isolates and marks too: text from a store another program wrote, or a file name,
# could otherwise reorder what the terminal shows (U+202E turns "exe.txt" into "txt.exe").
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


# What JSON may carry raw but a terminal must not see: DEL, C1, bidi controls, lone surrogates.
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def safe(text: str | None) -> str:
    if not text:
        return ""
    # A lone surrogate (a non-UTF-8 file name, a store written by another program) cannot be
    # printed at all: shown as its escape instead.
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def json_safe(dumped: str) -> str:
    """JSON text (``ensure_ascii=False``) with every character a terminal would act on written
    as its ``\\uXXXX`` escape: the same data to a JSON reader, inert on a screen."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


def one_line(text: str | None) -> str:
    return " ".join(safe(text).split())


def print_json(obj) -> None:
    """``obj`` as indented JSON on stdout, with nothing a terminal would act on (see json_safe)."""
    sys.stdout.write(json_safe(json.dumps(obj, ensure_ascii=False, indent=2)) + "\n")
