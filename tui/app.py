"""The chat application: one session, a backend loaded after the first paint, answers in workers.

Nothing here imports ``qa.service`` (Chroma, llama-index, the embedder): ``Backend.load`` does,
in a worker thread started after the first refresh. Retrieval and answering run in thread
workers too; tokens come back as messages, so the UI never waits on the model.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand

from index.errors import InputError, NewsQAError
from qa.chat_session import ChatSession
from qa.conversations import ConversationStore
from qa.models import Filters
from tui.backend import Backend
from tui.screens.chat import ChatScreen
from tui.text import markup_safe
from tui.widgets.messages import AnswerView
from tui.widgets.prompt import PromptInput
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from tui.screens.conversations import ConversationsScreen

ENGINES = ("extractive", "openai")


class NewsQAChat(App):
    CSS_PATH = "styles.tcss"
    TITLE = "newsqa"
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        settings,
        *,
        resume: int | str | None = None,
        filters: Filters | None = None,
        engine: str | None = None,
        show_dates: bool = True,
        first_paint_file: Path | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.backend = Backend(settings)
        self.conversations: ConversationStore | None = None
        self.session = ChatSession()
        self._resume = resume
        self._initial_filters = filters
        self._initial_engine = engine
        self.show_dates = show_dates
        self._first_paint_file = first_paint_file
        self._views: dict[int, AnswerView] = {}

    # -- start-up ------------------------------------------------------------------------------
    def on_mount(self) -> None:
        history: list[str] = []
        try:
            self.conversations = ConversationStore(self.settings.conversations_db)
            history = self.conversations.recent_questions()
        except NewsQAError as exc:
            self.notify(f"{exc}; this chat will not be saved", severity="warning", markup=False)
        self.session = self._first_session()
        self.push_screen(ChatScreen(history))
        self.call_after_refresh(self._after_first_paint)

    def _first_session(self) -> ChatSession:
        session = ChatSession(self.conversations)
        if self._resume is not None and self.conversations is not None:
            try:
                session = ChatSession.resume(self.conversations, None if self._resume == "last" else int(self._resume))
            except InputError as exc:
                self.notify(f"{exc}: starting a new one", severity="warning", markup=False)
        if self._initial_filters is not None and self._initial_filters != Filters():
            session.filters = self._initial_filters
        session.engine = self._initial_engine
        return session

    async def _after_first_paint(self) -> None:
        if self._first_paint_file is not None:  # scripts/measure_first_paint.py
            self._first_paint_file.write_text(f"{time.time():.6f}\n")
            self.exit()
            return
        self.load_backend()
        self.refresh_status()
        if self.session.turns:
            await self.show_session()

    @work(thread=True, exit_on_error=False, group="backend")
    def load_backend(self) -> None:
        try:
            counts = self.backend.load()
        except Exception as exc:
            self._from_thread(self.notify, _message(exc), severity="error", markup=False, timeout=10)
        else:
            if not counts[1]:
                empty = f"the store at {self.settings.store_dir} is empty: run `newsqa ingest PATH`"
                self._from_thread(self.notify, empty, severity="warning", markup=False, timeout=10)
        self._from_thread(self.refresh_status)

    def _from_thread(self, fn, *args, **kwargs):
        try:
            return self.call_from_thread(fn, *args, **kwargs)
        except RuntimeError:  # the app is shutting down
            return None

    # -- the status line -----------------------------------------------------------------------
    @property
    def engine_name(self) -> str:
        return self.session.engine or self.settings.resolved_engine

    def refresh_status(self) -> None:
        try:
            status = self.screen.query_one("#status", StatusLine)
        except Exception:
            return
        status.render_status(
            counts=self.backend.counts, loading=not self.backend.ready, engine=self.engine_name,
            model=self.backend.settings.model, filters=self.session.filters,
            conversation_id=self.session.conversation_id,
        )  # fmt: skip

    @property
    def chat(self) -> ChatScreen:
        return next(s for s in self.screen_stack if isinstance(s, ChatScreen))

    # -- asking --------------------------------------------------------------------------------
    def ask(self, text: str) -> None:
        try:
            turn = self.session.start(text)
        except InputError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        prompt = self.chat.query_one(PromptInput)
        prompt.remember(turn.question)
        prompt.text = ""
        self.run_worker(self._start_turn(turn), group="ui")

    async def _start_turn(self, turn) -> None:
        view = await self.chat.add_turn(turn)
        self._views[id(turn)] = view
        self.refresh_bindings()  # Esc now cancels: the footer says so
        self.answer_turn(turn, view)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_answer":
            return self.session.pending is not None
        return True

    @work(thread=True, exit_on_error=False, group="answer")
    def answer_turn(self, turn, view: AnswerView) -> None:
        from qa.engines.base import Cancelled

        history = self.session.history(before=turn)
        try:
            answer = self.backend.ask(
                turn.question, filters=self.session.filters, engine=self.session.engine,
                on_token=lambda piece: view.post_message(AnswerView.Token(piece)),
                cancel=turn.cancel, history=history,
            )  # fmt: skip
        except Cancelled:
            self._from_thread(self._stopped, turn, "cancelled")
        except Exception as exc:
            self._from_thread(self._stopped, turn, "failed", _message(exc))
        else:
            if turn.cancel.is_set():
                self._from_thread(self._stopped, turn, "cancelled")
            else:
                self._from_thread(self._finished, turn, answer)

    async def _finished(self, turn, answer) -> None:
        if turn.done:
            return
        self._save(self.session.complete, turn, answer)
        view = self._views.get(id(turn))
        if view is not None:
            view.post_message(AnswerView.Finished(answer))
        self.refresh_status()
        self.refresh_bindings()

    async def _stopped(self, turn, status: str, error: str | None = None) -> None:
        if turn.done:
            return
        view = self._views.get(id(turn))
        partial = view.streamed if view is not None else ""
        if status == "cancelled":
            self._save(self.session.cancel, turn, partial)
            self.notify("answer cancelled", timeout=3)
        else:
            self._save(self.session.fail, turn, error or "unknown error", partial)
            self.notify(error or "the answer failed", severity="error", markup=False, timeout=10)
        if view is not None:
            view.post_message(AnswerView.Finished(None))
        self.refresh_status()
        self.refresh_bindings()

    def _save(self, fn, *args) -> None:
        try:
            fn(*args)
        except Exception as exc:
            self.notify(f"could not save the conversation: {exc}", severity="error", markup=False)

    async def action_cancel_answer(self) -> None:
        turn = self.session.pending
        if turn is None:
            return
        turn.cancel.set()
        await self._stopped(turn, "cancelled")

    # -- conversations -------------------------------------------------------------------------
    async def show_session(self) -> None:
        await self.chat.clear_log()
        self._views.clear()
        last = None
        for turn in self.session.turns:
            last = await self.chat.add_turn(turn)
            self._views[id(turn)] = last
        self.refresh_status()

    def _cancel_pending(self) -> None:
        turn = self.session.pending
        if turn is not None:
            turn.cancel.set()
            self._save(self.session.cancel, turn, getattr(self._views.get(id(turn)), "streamed", ""))

    async def action_new_chat(self) -> None:
        self._cancel_pending()
        filters, engine = self.session.filters, self.session.engine
        self.session = ChatSession(self.conversations)
        self.session.filters, self.session.engine = filters, engine
        await self.show_session()
        self.notify("new chat", timeout=2)

    def action_conversations(self) -> None:
        from tui.screens.conversations import ConversationsScreen

        found = self.conversations.list_conversations() if self.conversations is not None else []
        self.push_screen(ConversationsScreen(found, self.show_dates, self.conversations), self._open_conversation)

    async def on_conversations_screen_deleted(self, message: ConversationsScreen.Deleted) -> None:
        if message.conversation_id == self.session.conversation_id:  # the one on screen is gone
            await self.action_new_chat()

    async def _open_conversation(self, conversation_id: int | None) -> None:
        if conversation_id is None or self.conversations is None:
            return
        self._cancel_pending()
        try:
            self.session = ChatSession.resume(self.conversations, conversation_id)
        except NewsQAError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        await self.show_session()

    def action_export(self) -> None:
        try:
            markdown = self.session.export_markdown()
        except NewsQAError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        folder = self.settings.data_dir / "exports"
        path = folder / f"conversation-{self.session.conversation_id}.md"
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            path.write_text(markdown, encoding="utf-8")
            os.chmod(path, 0o600)
        except OSError as exc:
            self.notify(f"cannot write {path}: {exc.strerror}", severity="error", markup=False)
            return
        self.notify(f"exported to {markup_safe(_home_relative(path))}", timeout=8)

    # -- articles, filters, engine, model, help -------------------------------------------------
    def open_citation(self, citation) -> None:
        from tui.screens.article import ArticleScreen

        self.push_screen(ArticleScreen(citation, self.backend))

    def action_filters(self) -> None:
        from tui.screens.forms import FiltersScreen

        self.push_screen(FiltersScreen(self.session.filters), self.set_filters)

    def set_filters(self, filters: Filters | None) -> None:
        if filters is not None:
            self.session.filters = filters
            self.refresh_status()

    def set_engine(self, name: str) -> None:
        self.session.engine = name
        self.refresh_status()
        if name == "openai" and not self.settings.llm_configured:
            self.notify("the openai engine needs OPENAI_API_KEY or OPENAI_BASE_URL", severity="warning", markup=False)

    def action_model(self) -> None:
        from tui.screens.forms import ModelScreen

        self.push_screen(ModelScreen(self.backend.settings.model, self.backend.settings), self.set_model)

    def set_model(self, model: str | None) -> None:
        if model:
            self.backend.set_model(model)
            self.refresh_status()

    def action_help(self) -> None:
        from textual.binding import Binding
        from textual.screen import Screen

        from tui.screens.article import ArticleScreen
        from tui.screens.conversations import ConversationsScreen
        from tui.screens.help import HelpScreen

        palette = Binding(self.COMMAND_PALETTE_BINDING, "command_palette",
                          tooltip="command palette: engine, model, filters, export…")  # fmt: skip
        chat = [*ChatScreen.BINDINGS, *Screen.BINDINGS[:2], palette, *App.BINDINGS]
        self.push_screen(HelpScreen([
            ("Asking", PromptInput.BINDINGS), ("The chat", chat),
            ("Saved conversations (Ctrl+O)", ConversationsScreen.BINDINGS), ("An article", ArticleScreen.BINDINGS),
        ]))  # fmt: skip

    def get_system_commands(self, screen):
        yield from super().get_system_commands(screen)
        yield SystemCommand("New chat", "Start a new conversation (Ctrl+N)", self.action_new_chat)
        yield SystemCommand(
            "Conversations", "Reopen, rename or delete a saved conversation (Ctrl+O)", self.action_conversations
        )
        yield SystemCommand("Filters", "Only articles since / until a date, or from some outlets (Ctrl+T)",
                            self.action_filters)  # fmt: skip
        yield SystemCommand("Clear filters", "Search all articles again", lambda: self.set_filters(Filters()))
        for name in ENGINES:
            yield SystemCommand(f"Engine: {name}", _ENGINE_HELP[name], lambda name=name: self.set_engine(name))
        yield SystemCommand("Model", "Chat model of the openai engine, from those the server lists", self.action_model)
        yield SystemCommand(
            "Export", "Save this conversation as Markdown with its sources (Ctrl+S)", self.action_export
        )
        yield SystemCommand("Help", "Keys and what the chat shows (F1)", self.action_help)

    def on_unmount(self) -> None:
        self._cancel_pending()
        self.backend.close()
        if self.conversations is not None:
            self.conversations.close()


_ENGINE_HELP = {
    "extractive": "Answer offline with verbatim, cited sentences of the articles",
    "openai": "Answer with a chat model (OpenAI or a compatible server), citations checked",
}


def _home_relative(path: Path) -> str:
    """``~/...`` for a path under the home directory: shorter, so a notification shows it whole."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def _message(exc: BaseException) -> str:
    if isinstance(exc, NewsQAError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"
