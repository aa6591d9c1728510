"""An answer as statements: its sentences, each with the [n] markers it carries.

ALCE judges every sentence; we leave out sentences that state nothing checkable: a refusal
("The articles don't say."), a bare verdict ("Yes.") or text with no content word. They need no
citation and no support.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.sentences import split_sentences
from qa.citecheck import MARKER, is_refusal
from qa.support import content_words

_VERDICT = re.compile(r"^\W*(?:yes|no|true|false)\b\W*(?:\w+\W*){0,3}$", re.IGNORECASE)


@dataclass(frozen=True)
class Statement:
    text: str
    """The sentence without its markers."""
    cited: tuple[int, ...]
    """The citation numbers its markers carry, in order, no repeats."""


def statements(answer_text: str) -> list[Statement]:
    """The checkable sentences of ``answer_text``; a marker after a full stop belongs before it,
    and a marker inside a sentence ends a claim."""
    spans = [list(s) for s in split_sentences(answer_text)]
    for i in range(1, len(spans)):
        lead = re.match(r"(?:\s*" + MARKER.pattern + r")+", answer_text[spans[i][0] : spans[i][1]])
        if lead:
            spans[i - 1][1] = spans[i][0] + lead.end()
            spans[i][0] += lead.end()
    out = []
    for a, b in (part for span in spans for part in _split_after_markers(answer_text, *span)):
        piece = answer_text[a:b]
        cited: list[int] = []
        for m in MARKER.finditer(piece):
            for part in m.group(1).split(","):
                if int(part) not in cited:
                    cited.append(int(part))
        text = " ".join(MARKER.sub(" ", piece).split())
        text = re.sub(r"\s+([.,;:!?])", r"\1", text)
        if not text or _states_nothing(text):
            continue
        out.append(Statement(text, tuple(cited)))
    return out


_MARKER_RUN = re.compile(r"(?:\s*" + MARKER.pattern + r")+")


def _split_after_markers(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """A marker closes a claim even without a full stop: quotes that end in a heading, a date or
    a tweet ("... 2023 [2] In perhaps ...") are separate claims."""
    parts, start = [], a
    for m in _MARKER_RUN.finditer(text, a, b):
        if re.search(r"\w", text[m.end() : b]) and text[start : m.start()].strip():
            parts.append((start, m.end()))
            start = m.end()
    parts.append((start, b))
    return parts


def _states_nothing(text: str) -> bool:
    return is_refusal(text) or bool(_VERDICT.match(text)) or not content_words(text)
