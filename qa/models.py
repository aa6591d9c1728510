"""The values that cross rooms on the answering side: queries, hits, citations, answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC

from index.models import ArticleMeta, Chunk


@dataclass(frozen=True)
class Filters:
    """Restrictions given by the user (CLI flags, TUI filters)."""

    since_ts: int | None = None
    until_ts: int | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Part:
    """One clause of a question that combines several outlets' reports."""

    text: str
    outlets: tuple[str, ...]
    """The stored outlets this clause names."""
    windows: tuple[tuple[int, int], ...] = ()
    """The date windows this clause names (they tell that outlet's articles apart)."""
    search: str = ""
    """The clause's words to search with (without outlets, dates and source-talk); "" = ``text``."""


@dataclass(frozen=True)
class Query:
    """A standalone question as read once (qa/query_analysis.py), with the filters that apply to
    it. Retrieval, the engines, condense and the UI read this; none parses the text again."""

    text: str
    filters: Filters = Filters()
    top_k: int = 8
    outlets: tuple[str, ...] = ()
    """The stored outlets the question names ("CBS Sports" -> "CBSSports.com"): preferred, not required."""
    windows: tuple[tuple[int, int], ...] = ()
    """Each date window the question names, as (first, last) unix seconds (soft)."""
    names: tuple[str, ...] = ()
    """Names the question is about (people, organisations, places), case kept, outlets left out."""
    parts: tuple[Part, ...] = ()
    """A question combining reports of several outlets, cut into clauses (each with its outlets)."""
    search: str = ""
    """The words to search with: the text without the outlets, dates and source-talk it wraps its
    subject in; "" = ``text``."""

    def as_dict(self) -> dict:
        """How the question was read, for --json and the UI: its outlets, date windows (days) and names."""
        from datetime import datetime

        def day(ts: int) -> str:
            return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d")

        return {
            "text": self.text,
            "outlets": list(self.outlets),
            "dates": [[day(a), day(b)] for a, b in self.windows],
            "names": list(self.names),
        }


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its article's metadata and its fused score (higher is better)."""

    chunk: Chunk
    meta: ArticleMeta
    score: float


@dataclass(frozen=True)
class Citation:
    n: int
    doc_id: str
    title: str
    source: str | None
    published_at: str | None
    url: str | None
    quote: str
    """Verbatim: the article body sliced at [char_start, char_end)."""
    char_start: int
    char_end: int
    supported: bool = True

    @classmethod
    def of(cls, n: int, hit: Hit, start: int, end: int, *, supported: bool = True) -> Citation:
        """The citation of ``hit.chunk.text[start:end]``, with offsets into the article body."""
        meta, base = hit.meta, hit.chunk.char_start
        return cls(
            n=n,
            doc_id=meta.doc_id,
            title=meta.title,
            source=meta.source,
            published_at=meta.published_at,
            url=meta.url,
            quote=hit.chunk.text[start:end],
            char_start=base + start,
            char_end=base + end,
            supported=supported,
        )

    def as_dict(self) -> dict:
        return {
            "n": self.n,
            "doc_id": self.doc_id,
            "title": self.title,
            "source": self.source,
            "published_at": self.published_at,
            "url": self.url,
            "quote": self.quote,
            "char_start": self.char_start,
            "char_end": self.char_end,
            "supported": self.supported,
        }


@dataclass(frozen=True)
class SentenceCheck:
    """One sentence of an answer as the citation check saw it."""

    text: str
    """The sentence without its markers."""
    citations: list[int]
    """The citation numbers it carries."""
    supported: bool
    """A cited source says this (or it needs no source: a refusal, a bare "Yes.")."""
    reason: str = ""
    """Why it is not supported, in one line ("[1] never mentions Mars"); empty when it is."""

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "citations": list(self.citations),
            "supported": self.supported,
            "reason": self.reason,
        }


@dataclass
class Answer:
    question: str
    text: str
    """The answer with [n] markers."""
    answered: bool
    engine: str
    citations: list[Citation] = field(default_factory=list)
    retrieved: list[Hit] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    model: str | None = None
    standalone_question: str | None = None
    """The question as rewritten for retrieval, when it leaned on the conversation."""
    warnings: list[str] = field(default_factory=list)
    """E.g. a citation of a source that does not exist, dropped."""
    unsupported_sentences: list[int] = field(default_factory=list)
    """Indexes (into ``sentences``) of answer sentences the citation check found no support for."""
    sentences: list[SentenceCheck] = field(default_factory=list)
    """Each answer sentence with its citations and support (empty for an engine that quotes)."""
    query: Query | None = None
    """The question as read for retrieval and answering (outlets, dates, names it names)."""

    def as_dict(self) -> dict:
        return {
            "question": self.question,
            "answer": self.text,
            "answered": self.answered,
            "engine": self.engine,
            "model": self.model,
            "standalone_question": self.standalone_question,
            "query": self.query.as_dict() if self.query is not None else None,
            "citations": [c.as_dict() for c in self.citations],
            "retrieved": [
                {"doc_id": h.chunk.doc_id, "chunk_id": h.chunk.chunk_id, "score": round(h.score, 6)}
                for h in self.retrieved
            ],
            "sentences": [s.as_dict() for s in self.sentences],
            "warnings": list(self.warnings),
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
        }
