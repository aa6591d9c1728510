"""An article opened from a citation: the quoted passage highlighted and scrolled into view."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from qa.terminal import safe
from tui.text import date_of, line

QUOTE_STYLE = "bold black on yellow"


def paragraphs(body: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the body's non-blank lines."""
    out, pos = [], 0
    for raw in body.split("\n"):
        if raw.strip():
            out.append((pos, pos + len(raw)))
        pos += len(raw) + 1
    return out


def highlighted(body: str, start: int, end: int, q_start: int, q_end: int) -> Text:
    """body[start:end] with the part inside [q_start, q_end) highlighted; offsets are into the
    raw body, so escapes are stripped piece by piece, after slicing."""
    a, b = max(start, q_start), min(end, q_end)
    if a >= b:
        return Text(safe(body[start:end]))
    return Text.assemble(safe(body[start:a]), (safe(body[a:b]), QUOTE_STYLE), safe(body[b:end]))


class ArticleScreen(Screen):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "app.pop_screen", "Back to chat")]

    def __init__(self, citation, backend) -> None:
        super().__init__()
        self.citation = citation
        self.backend = backend
        self.quote_widget: Static | None = None

    def compose(self) -> ComposeResult:
        c = self.citation
        head = Text.assemble(line(c.title, "bold"), "\n", line(c.source or "unknown outlet", "cyan"), (" · ", "dim"),
                             (date_of(c.published_at), "green"))  # fmt: skip
        if c.url:
            head.append("\n")
            head.append_text(line(c.url, "dim underline"))
        yield Static(head, id="article-head")
        yield VerticalScroll(Static(Text("loading the article…", style="italic")), id="article-body")
        yield Footer()

    def on_mount(self) -> None:
        self.load_article()

    @work(thread=True, exit_on_error=False)
    def load_article(self) -> None:
        try:
            article = self.backend.get_article(self.citation.doc_id)
        except Exception as exc:
            self.app.call_from_thread(
                self.app.notify, f"cannot open the article: {exc}", severity="error", markup=False
            )
            return
        # mypy cannot pick textual's return type out of `T | Awaitable[T]` for a coroutine function
        self.app.call_from_thread(self.show_article, article)  # type: ignore[arg-type]

    async def show_article(self, article) -> None:
        scroll = self.query_one("#article-body", VerticalScroll)
        await scroll.remove_children()
        if article is None:
            await scroll.mount(Static(Text("This article is no longer in the store.", style="red")))
            return
        c = self.citation
        widgets, first = [], None
        for start, end in paragraphs(article.body):
            w = Static(highlighted(article.body, start, end, c.char_start, c.char_end), classes="paragraph")
            if start < c.char_end and c.char_start < end:
                w.add_class("quoted")
                first = first or w
            widgets.append(w)
        await scroll.mount_all(widgets)
        self.quote_widget = first
        if first is not None:
            self.call_after_refresh(self._centre_quote, 20)

    def _centre_quote(self, tries: int) -> None:
        # Freshly mounted paragraphs may take more than one refresh to be laid out; until they
        # are, centring scrolls to a stale place. Retry briefly until the quote is in view.
        scroll = self.query_one("#article-body", VerticalScroll)
        quote = self.quote_widget
        if quote is None:
            return
        scroll.scroll_to_center(quote, animate=False, immediate=True)
        if tries > 0 and not scroll.content_region.contains_region(quote.region):
            self.set_timer(0.05, lambda: self._centre_quote(tries - 1))
