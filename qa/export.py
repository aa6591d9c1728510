"""A saved conversation as Markdown: each question, its answer with [n] markers, its sources."""

from __future__ import annotations

from datetime import UTC, datetime

from qa.conversations import Conversation
from qa.readable import human_date, plural
from qa.terminal import one_line, safe


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")


def export_markdown(conv: Conversation, *, with_dates: bool = True) -> str:
    """The conversation as Markdown: each question, its answer with [n] markers, and its sources
    (outlet, date, title, URL, the quoted passage)."""
    lines = [f"# {_md_line(conv.title)}", ""]
    if with_dates:
        lines += [f"_Started {_when(conv.created_at)}; {plural(len(conv.turns), 'question')}._", ""]
    for i, turn in enumerate(conv.turns, start=1):
        a = turn.answer
        lines += [f"## {i}. {_md_line(turn.question)}", ""]
        if a.standalone_question:
            lines += [f"_Asked as: {_md_line(a.standalone_question)}_", ""]
        if turn.status != "complete":
            note = f"_Answer {turn.status}"
            note += f": {_md_line(turn.error)}_" if turn.error else "._"
            lines += [note, ""]
        if a.text:
            lines += [a.text.strip(), ""]
        for j in a.unsupported_sentences:
            if j < len(a.sentences):
                u = a.sentences[j]
                lines += [f"> \u26a0 **Unsupported:** \u201c{_md_line(u.text)}\u201d \u2014 {_md_line(u.reason)}", ""]
        engine = a.engine + (f" · {a.model}" if a.model else "") if a.engine else ""
        if engine:
            lines += [f"<sub>{engine}</sub>", ""]
        if a.citations:
            lines += ["Sources:", ""]
            shown: set[int] = set()
            for c in a.citations:  # one heading per source number, each of its quotes under it
                if c.n not in shown:
                    shown.add(c.n)
                    head = (
                        f"{c.n}. **{_md_line(c.title)}** — {_md_line(c.source) or 'unknown outlet'}, "
                        f"{human_date(c.published_at) or 'undated'}"
                    )
                    if c.url:
                        head += f" <{_md_line(c.url)}>"
                    lines.append(head)
                lines.append(f"   > {_md_line(c.quote)}" + ("" if c.supported else " _(unsupported)_"))
            lines.append("")
    # A saved answer came from a model: it may carry escapes the export must not pass on.
    return safe("\n".join(lines)).rstrip() + "\n"


def _md_line(text: str | None) -> str:
    return one_line(text)
