"""Article-derived text on its way to the screen: escapes stripped, never read as markup.

Every string that came from an article, a model or a server goes through here. ``safe`` removes
control characters and terminal escape sequences; building ``rich.text.Text`` (not markup
strings) means "[bold]" in an article stays literal text.
"""

from __future__ import annotations

import re

from rich.markup import escape
from rich.text import Text

from qa.terminal import one_line, safe


def plain(text: str | None, style: str = "") -> Text:
    """Untrusted text as a renderable: no escapes, no markup."""
    return Text(safe(text), style=style)


def line(text: str | None, style: str = "") -> Text:
    """Untrusted text squeezed to one line."""
    return Text(one_line(text), style=style)


def markup_safe(text: str | None) -> str:
    """Untrusted text for an API that only takes a markup string (notifications, titles)."""
    return escape(one_line(text))


def date_of(published_at: str | None) -> str:
    return one_line(published_at)[:10] or "undated"


_KEY_NAMES = {"escape": "Esc", "pageup": "PgUp", "pagedown": "PgDn", "delete": "Del"}


def key_label(keys: str) -> str:
    """A binding's keys as people write them: ``"shift+enter,ctrl+j"`` -> ``"Shift+Enter, Ctrl+J"``."""

    def one(key: str) -> str:
        *modifiers, base = key.strip().split("+")
        if base in _KEY_NAMES:
            base = _KEY_NAMES[base]
        elif len(base) == 1 or re.fullmatch(r"f\d+", base):
            base = base.upper()
        else:
            base = base.capitalize()
        return "+".join([*(m.capitalize() for m in modifiers), base])

    return ", ".join(one(k) for k in keys.split(",") if k.strip())
