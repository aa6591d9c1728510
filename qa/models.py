"""The values that cross rooms on the answering side: queries, hits, citations, answers."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.models import ArticleMeta, Chunk


@dataclass(frozen=True)
class Filters:
    """Restrictions given by the user (CLI flags, TUI filters)."""

    since_ts: int | None = None
    until_ts: int | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Query:
    """A standalone question ready for retrieval, with the filters that apply to it."""

    text: str
    filters: Filters = Filters()
    top_k: int = 8
    boost_sources: tuple[str, ...] = ()
    """Outlets the question names: preferred, not required."""
    since_ts: int | None = None
    until_ts: int | None = None
    """Dates the question names (soft: preferred, not required)."""
    windows: tuple[tuple[int, int], ...] = ()
    """Each date window the question names, as (first, last) unix seconds (soft)."""
    parts: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """A question combining reports of several outlets, cut into (clause, outlets it names)."""


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
    def of(cls, n: int, hit: "Hit", start: int, end: int, *, supported: bool = True) -> "Citation":
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

    def as_dict(self) -> dict:
        return {
            "question": self.question,
            "answer": self.text,
            "answered": self.answered,
            "engine": self.engine,
            "model": self.model,
            "standalone_question": self.standalone_question,
            "citations": [c.as_dict() for c in self.citations],
            "retrieved": [
                {"doc_id": h.chunk.doc_id, "chunk_id": h.chunk.chunk_id, "score": round(h.score, 6)}
                for h in self.retrieved
            ],
            "sentences": [s.as_dict() for s in self.sentences],
            "warnings": list(self.warnings),
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
        }
