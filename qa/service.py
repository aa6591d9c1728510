"""newsqa as one object: the store, the retriever and the engines, kept warm between questions.

The CLI, the chat and the evaluations all go through ``NewsQA``; it is the public surface of
``qa`` for the rooms above it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from index.errors import EmptyIndex, InputError
from index.models import Article
from index.settings import Settings
from qa.engines.base import Engine, TokenCallback
from qa.models import Answer, Filters, Hit, Query

if TYPE_CHECKING:
    from index.embedding.protocol import TextEmbedder
    from index.store import Store
    from qa.retrieve import Retriever


class NewsQA:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._store: Store | None = None
        self._retriever: Retriever | None = None
        self._engines: dict[tuple[str, str], Engine] = {}
        """Engines by (name, model): a model chosen mid-conversation gets its own engine."""
        self._lock = threading.Lock()
        self._embedder: TextEmbedder | None = None  # kept across refreshes: loading the model again costs seconds
        self._generation: tuple | None = None

    # -- lazily opened parts -------------------------------------------------------------------
    @property
    def store(self):
        if self._store is None:
            from index.store import Store

            self._store = Store.open(self.settings, embedder=self._embedder)
        return self._store

    @property
    def retriever(self):
        with self._lock:
            if self._retriever is None:
                from index.lexical import sync_lexical
                from qa.retrieve import Retriever

                with self.store.reading():
                    lexical = sync_lexical(self.store)
                    self._generation = self._store_generation()
                    self._retriever = Retriever(self.store, lexical)
            return self._retriever

    def refresh(self) -> None:
        """Pick up what another process ingested since the index was loaded. The store is
        reopened too: Chroma reads a local vector index from disk only when it is opened."""
        with self._lock:
            self._retriever = None
            self._generation = None
            if self._store is not None:
                self._embedder = self._store.loaded_embedder or self._embedder
                self._store.close()
                self._store = None

    def _store_generation(self) -> tuple:
        """What changes whenever an ingest changed the store: the counts, and the BM25 index
        file every ingest that changed anything saves anew (call under ``store.reading()``)."""
        try:
            st = (self.store.lexical_dir / "meta.json").stat()
            saved = (st.st_ino, st.st_mtime_ns)
        except OSError:
            saved = None
        return self.store.counts(), saved

    def _refresh_if_changed(self) -> tuple[int, int]:
        """Counts of the store, after a refresh if another process changed it since the index
        was loaded (a long-lived reader, such as the chat, notices new articles)."""
        with self.store.reading():
            generation = self._store_generation()
        if self._generation is not None and generation != self._generation:
            self.refresh()
        return generation[0]

    def engine(self, name: str | None = None) -> Engine:
        name = name or self.settings.resolved_engine
        key = (name, self.settings.model)
        if key not in self._engines:
            from qa.engines import make_engine

            self._engines[key] = make_engine(name, self.settings, self.store.embedder)
        return self._engines[key]

    def set_model(self, model: str) -> None:
        """Answer with ``model`` from the next question on (the chat's model picker)."""
        self.settings = self.settings.model_copy(update={"model": model})

    def warm_up(self) -> None:
        """Load the store, BM25 index and embedder now (the chat calls this after first paint)."""
        _ = self.retriever  # the property loads the store and BM25 index
        self.store.embedder.embed(["warm up"])

    # -- questions -----------------------------------------------------------------------------
    def make_query(self, question: str, filters: Filters = Filters(), top_k: int | None = None) -> Query:
        """The query for ``question``; InputError when ``top_k`` < 1 or a filter matches no article."""
        from qa.filters import resolve

        if top_k is not None and top_k < 1:
            raise InputError(f"--top-k {top_k}: must be at least 1")
        retriever = self.retriever
        lexical = retriever.lexical
        filters = resolve(filters, retriever.facts.matcher, lexical.source_keys, lexical.published_ts)
        return retriever.read(question, filters, top_k or self.settings.top_k)

    def retrieve(self, query: Query) -> list[Hit]:
        with self.store.reading():
            return self.retriever.retrieve(query)

    def ask(
        self,
        question: str,
        *,
        filters: Filters = Filters(),
        engine: str | None = None,
        top_k: int | None = None,
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
        history: Sequence = (),
    ) -> Answer:
        question = (question or "").strip()
        if not question:
            raise InputError("the question is empty")
        t0 = time.perf_counter()
        if self._refresh_if_changed()[1] == 0:
            raise EmptyIndex(f"the index at {self.store.location} is empty: run `newsqa ingest PATH` first")
        standalone = question
        if history:
            from qa.condense import condense

            standalone = condense(question, history, self.retriever.facts, self.settings, engine=engine)
        query = self.make_query(standalone, filters, top_k)
        hits = self.retrieve(query)
        t1 = time.perf_counter()
        answer = self.engine(engine).answer(query, hits, on_token=on_token, cancel=cancel)
        t2 = time.perf_counter()
        answer.question = question
        answer.retrieved = hits
        if standalone != question:
            answer.standalone_question = standalone
        answer.timings_ms = {"retrieve": (t1 - t0) * 1000, "answer": (t2 - t1) * 1000, "total": (t2 - t0) * 1000}
        return answer

    # -- the store, for display ----------------------------------------------------------------
    def counts(self) -> tuple[int, int]:
        with self.store.reading():
            return self.store.counts()

    def get_article(self, doc_id: str) -> Article | None:
        with self.store.reading():
            return self.store.get_article(doc_id)

    def stats(self) -> dict:
        articles, chunks = self.counts()
        return {
            "store": self.store.location,
            "articles": articles,
            "chunks": chunks,
            "embedder": self.store.embedder.name,
            "engine": self.settings.resolved_engine,
            "model": self.settings.model if self.settings.resolved_engine == "openai" else None,
        }

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        self._retriever = None
