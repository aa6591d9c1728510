"""newsqa as llama-index components, for llama-index apps and agents.

- ``NewsRetriever``: newsqa's hybrid retrieval as a llama-index ``BaseRetriever``. Each
  ``NodeWithScore`` holds a ``TextNode`` with the window text, the article's metadata (doc_id,
  title, outlet, date, url) and the window's offsets in the article body.
- ``NewsQueryEngine``: a llama-index query engine over that retriever and any llama-index ``LLM``
  (or, without one, the engine the settings choose), with newsqa's prompt and citation check.
  ``query()`` returns a ``Response`` whose ``source_nodes`` are the cited windows and whose
  ``metadata`` carries the checked citations and per-sentence support; with ``streaming=True`` a
  ``StreamingResponse`` whose nodes and metadata are filled in once the stream is consumed.

Imports llama_index (about a second): nothing on the CLI's path imports this module.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Generator, Sequence
from typing import TYPE_CHECKING, Any

from llama_index.core.base.base_query_engine import BaseQueryEngine
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.response.schema import Response, StreamingResponse
from llama_index.core.schema import NodeRelationship, NodeWithScore, QueryBundle, RelatedNodeInfo, TextNode

from qa.models import Answer, Filters, Hit, Query
from qa.service import NewsQA

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

    from index.settings import Settings
    from qa.engines.base import Engine

__all__ = ["NewsQueryEngine", "NewsRetriever", "hit_node", "response_of"]

_HIDDEN_FROM_LLM = ["doc_id", "char_start", "char_end"]


def hit_node(hit: Hit) -> NodeWithScore:
    """One retrieved window as a llama-index node with its article's metadata and offsets."""
    meta, chunk = hit.meta, hit.chunk
    node = TextNode(
        id_=chunk.chunk_id,
        text=chunk.text,
        metadata={
            "doc_id": meta.doc_id,
            "title": meta.title,
            "outlet": meta.source,
            "date": meta.published_at,
            "url": meta.url,
            "char_start": chunk.char_start,
            "char_end": chunk.char_end,
        },
        start_char_idx=chunk.char_start,
        end_char_idx=chunk.char_end,
        excluded_llm_metadata_keys=list(_HIDDEN_FROM_LLM),
        excluded_embed_metadata_keys=list(_HIDDEN_FROM_LLM),
        relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=meta.doc_id)},
    )
    return NodeWithScore(node=node, score=hit.score)


class NewsRetriever(BaseRetriever):
    """newsqa's retrieval (dense + BM25, steered by the outlets and dates the question names)."""

    def __init__(self, app: NewsQA, *, filters: Filters = Filters(), top_k: int | None = None, **kwargs: Any) -> None:
        self.app = app
        self.filters = filters
        self.top_k = top_k
        super().__init__(**kwargs)

    @classmethod
    def from_settings(cls, settings: Settings | None = None, **kwargs: Any) -> NewsRetriever:
        """Over the store ``settings`` name (default: the environment's NEWSQA_* settings)."""
        from index.settings import Settings

        return cls(NewsQA(settings or Settings()), **kwargs)

    def read(self, question: str) -> Query:
        """The one reading of ``question`` (outlets, dates, names) that retrieval and the engine share."""
        return self.app.make_query(question, self.filters, self.top_k)

    def retrieve_hits(self, query: Query | str) -> list[Hit]:
        return self.app.retrieve(self.read(query) if isinstance(query, str) else query)

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return [hit_node(h) for h in self.retrieve_hits(query_bundle.query_str)]


class NewsQueryEngine(BaseQueryEngine):
    """Retrieve with ``retriever``, answer with ``llm`` (any llama-index LLM), check the citations."""

    def __init__(
        self, retriever: NewsRetriever, llm: LLM | None = None, *, streaming: bool = False, callback_manager: Any = None
    ) -> None:
        self.retriever = retriever
        self.streaming = streaming
        self._engine = _engine_for(retriever.app, llm)
        super().__init__(callback_manager)

    @classmethod
    def from_settings(cls, settings: Settings | None = None, llm: LLM | None = None, **kwargs: Any) -> NewsQueryEngine:
        filters, top_k = kwargs.pop("filters", Filters()), kwargs.pop("top_k", None)
        return cls(NewsRetriever.from_settings(settings, filters=filters, top_k=top_k), llm, **kwargs)

    def _get_prompt_modules(self) -> dict[str, Any]:
        return {}

    def _query(self, query_bundle: QueryBundle) -> Response | StreamingResponse:
        query = self.retriever.read(query_bundle.query_str)
        hits = self.retriever.retrieve_hits(query)
        if self.streaming:
            return self._stream(query, hits)
        return response_of(self._engine.answer(query, hits))

    async def _aquery(self, query_bundle: QueryBundle) -> Response | StreamingResponse:
        return await asyncio.to_thread(self._query, query_bundle)

    def _stream(self, query: Query, hits: list[Hit]) -> StreamingResponse:
        streamed = StreamingResponse(response_gen=_no_tokens(), source_nodes=[], metadata={})
        streamed.response_gen = self._tokens(query, hits, streamed)
        return streamed

    def _tokens(self, query: Query, hits: list[Hit], into: StreamingResponse) -> Generator[str, None, None]:
        """The engine's tokens as they come; when it is done, ``into`` gets the cited windows and
        the checked citations. Closing the generator early cancels the answer."""
        pieces: queue.Queue = queue.Queue()
        cancel = threading.Event()
        done = object()

        def run() -> None:
            try:
                pieces.put((done, self._engine.answer(query, hits, on_token=pieces.put, cancel=cancel)))
            except BaseException as exc:
                pieces.put((done, exc))

        worker = threading.Thread(target=run, name="newsqa-answer", daemon=True)
        worker.start()
        try:
            while True:
                item = pieces.get()
                if isinstance(item, tuple) and item and item[0] is done:
                    result = item[1]
                    if isinstance(result, BaseException):
                        raise result
                    final = response_of(result)
                    into.source_nodes[:] = final.source_nodes
                    into.metadata = final.metadata
                    return
                yield item
        finally:
            cancel.set()
            worker.join()


def _engine_for(app: NewsQA, llm: LLM | None) -> Engine:
    if llm is None:
        return app.engine()
    from qa.engines.openai_engine import LLMEngine

    return LLMEngine(llm, app.store.embedder)


def response_of(answer: Answer) -> Response:
    """A newsqa Answer as a llama-index Response: the cited windows as source nodes, the checked
    citations, per-sentence support and warnings in the metadata."""
    cited = _cited_hits(answer.citations, answer.retrieved)
    metadata = {
        "answered": answer.answered,
        "citations": [c.as_dict() for c in answer.citations],
        "sentences": [s.as_dict() for s in answer.sentences],
        "unsupported_sentences": list(answer.unsupported_sentences),
        "warnings": list(answer.warnings),
        "engine": answer.engine,
        "model": answer.model,
        "query": answer.query.as_dict() if answer.query is not None else None,
    }
    return Response(response=answer.text, source_nodes=[hit_node(h) for h in cited], metadata=metadata)


def _cited_hits(citations: Sequence, hits: Sequence[Hit]) -> list[Hit]:
    """The retrieved windows the citations quote, in citation order, each once."""
    out: list[Hit] = []
    for c in citations:
        for h in hits:
            inside = (
                h.chunk.doc_id == c.doc_id and h.chunk.char_start <= c.char_start and c.char_end <= h.chunk.char_end
            )
            if inside:
                if h not in out:
                    out.append(h)
                break
    return out


def _no_tokens() -> Generator[str, None, None]:
    """A placeholder stream, replaced once the response object exists to be filled in."""
    yield from ()
