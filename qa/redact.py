"""Keeping the configured API key out of everything newsqa prints or stores.

A server may echo the key back inside an answer (a misconfigured proxy, a prompt-injected model
repeating its headers). Answers are redacted as they stream: the last ``len(key) - 1``
characters are held back until the next piece shows whether they begin the key, so a key split
across pieces never reaches the screen either.
"""

from __future__ import annotations

from collections.abc import Callable

MASK = "[redacted]"
_MIN_SECRET = 8  # shorter "keys" (placeholders for local servers) are not secrets


def redact(text: str, secret: str | None) -> str:
    if not secret or len(secret) < _MIN_SECRET or not text:
        return text
    return text.replace(secret, MASK)


class StreamRedactor:
    """Wraps a token callback: pieces in, redacted pieces out, in order."""

    def __init__(self, secret: str | None, sink: Callable[[str], None] | None):
        self._secret = secret if secret and len(secret) >= _MIN_SECRET else None
        self._sink = sink
        self._held = ""

    def feed(self, piece: str) -> None:
        if self._sink is None:
            return
        if self._secret is None:
            self._sink(piece)
            return
        held = redact(self._held + piece, self._secret)
        keep = len(self._secret) - 1
        cut = len(held) - keep
        # Hold back only a tail that could still begin the key.
        while cut < len(held) and not self._secret.startswith(held[cut:]):
            cut += 1
        if cut > 0:
            self._sink(held[:cut])
            self._held = held[cut:]
        else:
            self._held = held

    def flush(self) -> None:
        if self._sink is not None and self._held:
            self._sink(self._held)
        self._held = ""
