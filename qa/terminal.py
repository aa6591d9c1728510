"""Make text safe for a terminal: article text must never reach it with escape sequences."""

from __future__ import annotations

import re

# CSI / OSC / other ESC sequences, then any remaining C0/C1 control character but \n and \t.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: str | None) -> str:
    if not text:
        return ""
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def one_line(text: str | None) -> str:
    return " ".join(safe(text).split())
