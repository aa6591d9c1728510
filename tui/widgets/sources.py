"""The sources panel: the cited articles (outlet, date, title) of the selected answer."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.text import date_of, line


def citation_label(c) -> Text:
    label = Text.assemble((f"[{c.n}] ", "bold"), line(c.source or "unknown outlet", "cyan"), (" · ", "dim"),
                          (date_of(c.published_at), "green"))  # fmt: skip
    if not c.supported:
        label.append(" ⚠ unsupported", style="bold yellow")
    label.append("\n")
    label.append_text(line(c.title))
    return label


class SourcesPanel(OptionList):
    class Open(Message):
        """Open this citation's article at its quote."""

        def __init__(self, citation) -> None:
            super().__init__()
            self.citation = citation

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.citations: list = []
        self.border_title = "Sources"

    def show(self, citations: list) -> None:
        self.citations = list(citations)
        self.clear_options()
        if not self.citations:
            self.add_option(Option(Text("no sources for this answer", style="dim italic"), disabled=True))
            return
        # one option per quote: an article quoted twice is listed twice under its one number
        self.add_options([Option(citation_label(c), id=f"cite-{i}") for i, c in enumerate(self.citations)])
        self.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self.citations):
            self.post_message(self.Open(self.citations[event.option_index]))
