"""The values that cross rooms on the ingest side: articles, their chunks, skipped files."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ArticleMeta:
    """What is known about an article besides its text."""

    doc_id: str
    title: str
    source: str | None = None
    """The outlet (publisher)."""
    published_at: str | None = None
    """ISO 8601 date or datetime, as precise as the input gave it."""
    published_ts: int | None = None
    """Unix seconds of ``published_at`` (UTC), for range filters."""
    url: str | None = None
    author: str | None = None
    path: str | None = None
    """The file the article was loaded from."""
    content_hash: str = ""
    """sha256 of title + body + metadata: changes when the article changes."""
    n_chunks: int = 0


@dataclass(frozen=True)
class Article:
    meta: ArticleMeta
    body: str

    @property
    def doc_id(self) -> str:
        return self.meta.doc_id


@dataclass(frozen=True)
class Chunk:
    """A run of whole sentences of one article; ``text == body[char_start:char_end]``."""

    chunk_id: str
    doc_id: str
    ordinal: int
    text: str
    char_start: int
    char_end: int


@dataclass(frozen=True)
class Skipped:
    """A file (or record in a file) that was not ingested, and why, in one line."""

    path: str
    reason: str


@dataclass(frozen=True)
class Unchanged:
    """An article known to be stored as it is without loading it again (its URL answered
    304 Not Modified, or the feed entry that links it has not changed)."""

    doc_id: str
    path: str


@dataclass
class FileOutcome:
    """What became of one file (or URL, or folder) an ingest read; each appears once in the report.

    ``outcome`` is ``ingested`` (it gave articles: new, changed or already stored as they are),
    ``duplicate`` (every article in it was read before under another name; ``reason`` names
    where) or ``skipped`` (``reason`` says why). ``skipped`` lists its records that did not load
    (a feed's bad entries), ``duplicates`` counts its articles read before under another name.
    """

    path: str
    outcome: str = "skipped"
    articles: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    reason: str | None = None
    skipped: list[Skipped] = field(default_factory=list)

    def settle(self, first_duplicate: str | None) -> None:
        """Decide the outcome once all of the file's items are counted."""
        if self.articles:
            self.outcome = "ingested"
        elif first_duplicate is not None:
            self.outcome, self.reason = "duplicate", first_duplicate
        elif len(self.skipped) == 1:
            self.reason = self.skipped[0].reason
        elif self.skipped:
            self.reason = f"all {len(self.skipped)} of its records skipped (the first: {self.skipped[0].reason})"
        else:
            self.reason = "no articles in it"

    def as_dict(self) -> dict:
        out: dict = {"path": self.path, "outcome": self.outcome}
        if self.outcome == "ingested":
            out.update(articles=self.articles, added=self.added, updated=self.updated, unchanged=self.unchanged)
        else:
            out["reason"] = self.reason
        if self.duplicates and self.outcome == "ingested":
            out["duplicates"] = self.duplicates
        if self.skipped and not (self.outcome == "skipped" and len(self.skipped) == 1):
            out["skipped"] = [{"path": s.path, "reason": s.reason} for s in self.skipped]
        return out


@dataclass
class IngestReport:
    articles: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    pruned: int = 0
    chunks: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    files: list[FileOutcome] = field(default_factory=list)
    """Every file, folder and URL the run read, with what became of it."""

    def as_dict(self) -> dict:
        return {
            "articles": self.articles,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "pruned": self.pruned,
            "chunks": self.chunks,
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.skipped],
            "files": [f.as_dict() for f in self.files],
        }
