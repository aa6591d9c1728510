"""The heavy half of the chat, loaded in a worker thread after the first paint.

``qa.service`` pulls in Chroma, llama-index and the embedding model (seconds); nothing here
imports it at module level, so the UI paints first and loads this in the background.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from index.errors import NewsQAError

if TYPE_CHECKING:
    from qa.service import NewsQA


class Backend:
    def __init__(self, settings) -> None:
        self.settings = settings
        self._ready = threading.Event()
        self._qa: NewsQA | None = None
        self._error: Exception | None = None
        self.counts: tuple[int, int] | None = None

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def load(self) -> tuple[int, int]:
        """Open the store and warm the retriever and embedder (call from a worker thread)."""
        try:
            from qa.service import NewsQA

            self._qa = qa = NewsQA(self.settings)
            self.counts = qa.counts()
            if self.counts[1]:
                qa.warm_up()
            return self.counts
        except Exception as exc:
            self._error = exc
            raise
        finally:
            self._ready.set()

    def qa(self):
        """The loaded ``NewsQA``, waiting for the load if it is still running."""
        self._ready.wait()
        if self._qa is None:
            if isinstance(self._error, NewsQAError):
                raise self._error
            raise NewsQAError(f"the store could not be opened: {type(self._error).__name__}: {self._error}")
        return self._qa

    def ask(self, question: str, **kwargs):
        qa = self.qa()
        if not self.counts or not self.counts[1]:
            # Empty at start-up: another process may have ingested since; look again.
            qa.refresh()
            self.counts = qa.counts()
        return qa.ask(question, **kwargs)

    def get_article(self, doc_id: str):
        return self.qa().get_article(doc_id)

    def set_model(self, model: str) -> None:
        """Use ``model`` for the openai engine from the next question on."""
        self.settings = self.settings.model_copy(update={"model": model})
        if self._qa is not None:
            self._qa.set_model(model)

    def close(self) -> None:
        if self._qa is not None:
            self._qa.close()
