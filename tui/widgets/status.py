"""The status line: store size, engine, model, filters, conversation."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.text import Text
from textual.widgets import Static

from tui.text import line


def day(ts: int | None) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%d") if ts is not None else ""


def filters_label(filters) -> str:
    parts = []
    if filters.since_ts is not None:
        parts.append(f"since {day(filters.since_ts)}")
    if filters.until_ts is not None:
        parts.append(f"until {day(filters.until_ts)}")
    if filters.sources:
        parts.append("source " + ", ".join(filters.sources))
    return "; ".join(parts)


class StatusLine(Static):
    def render_status(self, *, counts: tuple[int, int] | None, loading: bool, engine: str, model: str | None,
                      filters, conversation_id: int | None) -> None:  # fmt: skip
        text = Text()
        if loading:
            text.append("store loading…", style="italic")
        elif counts is None:
            text.append("store unavailable", style="red")
        else:
            text.append(f"store {counts[0]} articles · {counts[1]} chunks")
        text.append("  │  engine ", style="dim")
        text.append(engine, style="bold")
        text.append("  │  model ", style="dim")
        text.append_text(line(model) if model and engine == "openai" else Text("—"))
        label = filters_label(filters)
        if label:
            text.append("  │  filters ", style="dim")
            text.append_text(line(label, "yellow"))
        if conversation_id is not None:
            text.append(f"  │  chat #{conversation_id}", style="dim")
        self.update(text)
