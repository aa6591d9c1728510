"""An answer as plain terminal text: the answer wrapped, its unsupported sentences, then each
cited article (outlet, date as people read it, title, URL) with its verbatim quotes.

Shared by ``newsqa ask`` and ``newsqa logs``, so a logged answer reads as it did when asked.
"""

from __future__ import annotations

from qa.models import Answer
from qa.readable import human_date, wrap
from qa.terminal import one_line


def answer_lines(answer: Answer, width: int | None, *, with_text: bool = True, indent: str = "") -> list[str]:
    lines = wrap(answer.text, width, indent) if with_text else []
    for i in answer.unsupported_sentences:
        if i < len(answer.sentences):
            s = answer.sentences[i]
            lines += wrap(
                f"\u26a0 unsupported: \u201c{one_line(s.text)}\u201d \u2014 {one_line(s.reason)}",
                width,
                indent,
                indent + "  ",
            )
    return lines + source_lines(answer, width, indent)


def source_lines(answer: Answer, width: int | None, indent: str = "") -> list[str]:
    if not answer.citations:
        return []
    lines = ["", f"{indent}Sources:"]
    shown: set[int] = set()
    for c in answer.citations:  # an article quoted in several places: one heading, its quotes under it
        if c.n not in shown:
            shown.add(c.n)
            head = " \u00b7 ".join(
                (one_line(c.source) or "unknown outlet", human_date(c.published_at) or "undated", one_line(c.title))
            )
            lines += wrap(f"[{c.n}] {head}", width, indent, indent + "    ")
            if c.url:
                lines.append(f"{indent}    {one_line(c.url)}")  # never wrapped: it must stay clickable
        mark = "" if c.supported else "  (unsupported)"
        lines += wrap(f"\u201c{one_line(c.quote)}\u201d{mark}", width, indent + "    ", indent + "     ")
    return lines
