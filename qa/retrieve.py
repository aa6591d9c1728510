"""Hybrid retrieval: dense search in Chroma fused with BM25, steered by what the question names.

Per question: the whole question, and each clause of a question that combines several outlets'
reports (``Query.parts``), is searched densely (Chroma) and lexically (BM25); each pair of
rankings is fused by weighted reciprocal rank, with the rank of the chunk's whole article. Outlets
and dates the question names raise their articles' chunks (soft); the user's filters are hard
limits on both searches. The final top-k takes turns between the rankings, so each clause
contributes evidence, and caps the windows of any one article so that comparisons see every side.
Chunks are ranked small and handed over widened
into windows of their article (qa/windows.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.lexical import LexicalIndex, top_rows
from index.models import Chunk
from index.store import Store
from qa.models import Filters, Hit, Query
from qa.query_analysis import StoreFacts, analyse
from qa.windows import Window, Windows

DAY = 86_400
ID_LIST_MAX = 20_000
"""Longest id list a filtered dense search sends (15k ids cost 5.5 ms in Chroma, a metadata filter 7-28 ms)."""


@dataclass(frozen=True)
class Tuning:
    """The knobs of retrieval (measured with scripts/measure_retrieval.py on MultiHop-RAG dev)."""

    candidates: int = 60
    """Depth of each dense and lexical ranking before fusion."""
    rrf_k: float = 30.0
    dense_weight: float = 0.4
    """BM25 carries more of the evidence than MiniLM on news; weights measured on MultiHop-RAG dev."""
    lexical_weight: float = 1.0
    outlet_boost: float = 0.5
    """Relative raise of a chunk from an outlet the question names."""
    date_boost: float = 0.3
    """Relative raise of a chunk published in a window the question names."""
    date_slack_days: float = 1.0
    clean_lexical: bool = True
    """Search BM25 without the outlets, dates and source-talk of the question."""
    clean_dense: bool = True
    per_doc: int = 3
    """At most this many windows of one article in the top-k (while others are left)."""
    article_weight: float = 1.0
    """Weight of the article's own BM25 rank in each of its chunks' fused score."""
    window_chars: int = 1800
    """Each chosen chunk is widened with its neighbours into a window of about this size."""


class Retriever:
    """Holds the store, its embedder and its BM25 index between questions: one snapshot of the
    store, with the facts (outlets, newest date) every question is read against."""

    def __init__(self, store: Store, lexical: LexicalIndex, tuning: Tuning = Tuning(), facts: StoreFacts | None = None):
        self.store = store
        self.lexical = lexical
        self.facts = facts if facts is not None else StoreFacts.of(store)
        """Taken with the snapshot (call under ``store.reading()``): a refresh builds a new Retriever."""
        self.tuning = tuning
        self._windows = Windows(lexical, tuning.window_chars, tuning.per_doc)

    # -- public --------------------------------------------------------------------------------
    def read(self, question: str, filters: Filters = Filters(), top_k: int = 8) -> Query:
        """The one reading of ``question`` against this snapshot's outlets and dates."""
        return analyse(question, self.facts, filters, top_k)

    def retrieve(self, query: Query) -> list[Hit]:
        if not len(self.lexical) or query.top_k <= 0:
            return []
        t = self.tuning
        hard = _mask(self.lexical, query.filters)
        where = _where(query.filters)
        variants = [(query.text, query.outlets, False, query.windows)]
        variants += [(p.text, p.outlets, True, p.windows) for p in query.parts]
        cleaned = [query.search or query.text, *(p.search or p.text for p in query.parts)]
        vectors = self.store.embedder.embed(
            [c if t.clean_dense else v[0] for c, v in zip(cleaned, variants, strict=True)]
        )
        rankings: list[list[int]] = []
        scores_of_full: dict[int, float] = {}
        for (text, outlets, restrict, windows), clean, vec in zip(variants, cleaned, vectors, strict=True):
            # with parts, each named outlet is already searched on its own by its part
            searched = outlets if restrict or not query.parts else ()
            fused = self._fused(clean if t.clean_lexical else text, vec, hard, where, searched, restrict)
            # the whole question is raised by all it names; a part (already kept to its outlets)
            # by the dates it names itself, which tell that outlet's articles apart
            boost = self._boosts(list(fused), () if restrict else outlets, windows)
            if boost is not None:
                for row, factor in zip(list(fused), boost.tolist(), strict=True):
                    fused[row] *= factor
            if not restrict:
                scores_of_full = fused
            rankings.append(sorted(fused, key=fused.__getitem__, reverse=True))
        # clauses take their turns first, then the whole question
        chosen = self._windows.choose(rankings[1:] + rankings[:1], query.top_k, scores_of_full)
        return self._hits(chosen, scores_of_full)

    def _hits(self, windows: list[Window], score: dict[int, float]) -> list[Hit]:
        articles = self.store.get_articles([w.doc for w in windows])
        hits = []
        for w in windows:
            article = articles.get(w.doc)
            if article is None:
                continue  # removed since the BM25 index was loaded
            chunk_id = f"{w.doc}#{w.lo}" if w.lo == w.hi else f"{w.doc}#{w.lo}-{w.hi}"
            chunk = Chunk(chunk_id, w.doc, w.lo, article.body[w.start : w.end], w.start, w.end)
            hits.append(Hit(chunk=chunk, meta=article.meta, score=max(score.get(r, 0.0) for r in w.rows)))
        return hits

    # -- one ranking ---------------------------------------------------------------------------
    def _fused(self, text, vector, hard, where, outlets, restrict) -> dict[int, float]:
        """Rows -> fused score of the dense and lexical rankings of ``text``.

        With ``outlets`` the named outlets' chunks are searched as well (so their best chunks are
        candidates even when others outrank them); ``restrict`` keeps only those."""
        t = self.tuning
        n = t.candidates
        outlet_mask = self._outlet_mask(outlets) if outlets else None
        searches = []  # (where, mask): one dense and one lexical search each
        if outlets:
            searches.append((_and(where, _source_where(outlets)), outlet_mask if hard is None else outlet_mask & hard))
        if not restrict or not outlets:
            searches.append((where, hard))
        dense_lists = [self._dense(vector, n, w, mask) for w, mask in searches]
        lex_masks = [mask for _, mask in searches]
        scores = self.lexical.scores(text)
        fused: dict[int, float] = {}
        for ranking in dense_lists:
            for rank, (cid, _) in enumerate(ranking):
                row = self.lexical.row_of(cid)
                if row is not None:
                    fused[row] = max(fused.get(row, 0.0), t.dense_weight / (t.rrf_k + rank + 1))
        dense_part = dict(fused)
        lexical_part: dict[int, float] = {}
        for mask in lex_masks:
            for rank, row in enumerate(top_rows(scores, n, mask)):
                lexical_part[row] = max(lexical_part.get(row, 0.0), t.lexical_weight / (t.rrf_k + rank + 1))
        for row, s in lexical_part.items():
            fused[row] = dense_part.get(row, 0.0) + s
        if t.article_weight:
            self._add_article_ranks(fused, text, lex_masks[0])
        return fused

    def _dense(self, vector, n: int, where: dict | None, mask: np.ndarray | None) -> list[tuple[str, float]]:
        """Dense search among the rows ``mask`` allows (which ``where`` says for Chroma): by id
        list while it is short, since Chroma searches ids several times faster than it filters
        metadata."""
        allowed = None if mask is None else np.flatnonzero(mask)
        if allowed is not None and len(allowed) <= ID_LIST_MAX:
            return self.store.dense_search(vector, n, where, ids=self.lexical.chunk_ids_of(allowed))
        return self.store.dense_search(vector, n, where)

    def _add_article_ranks(self, fused: dict[int, float], text: str, mask: np.ndarray | None) -> None:
        """Add to each candidate chunk the reciprocal rank of its whole article under BM25: the
        article that matches the question as a whole likelier holds the fact than a look-alike
        chunk of another (several outlets retell one story)."""
        t = self.tuning
        lex = self.lexical
        allowed = None
        if mask is not None:
            allowed = np.zeros(len(lex.article_ids), dtype=bool)
            allowed[lex.article_of_row[mask]] = True
        ranked = top_rows(lex.article_scores(text), t.candidates, allowed)
        rank_of = np.full(len(lex.article_ids), -1)
        rank_of[ranked] = np.arange(len(ranked))
        for row in fused:
            r = rank_of[lex.article_of_row[row]]
            if r >= 0:
                fused[row] += t.article_weight / (t.rrf_k + r + 1)

    def _boosts(
        self, rows: list[int], outlets: Sequence[str], windows: Sequence[tuple[int | None, int | None]]
    ) -> np.ndarray | None:
        """The multiplier of each of ``rows`` (the candidates only: a store may hold a million
        chunks) from the outlets and dates a question (or a part of it) names."""
        if not outlets and not windows:
            return None
        t = self.tuning
        picked = np.asarray(rows, dtype=np.int64)
        factor = np.ones(len(picked))
        if outlets:
            factor *= 1.0 + t.outlet_boost * self.lexical.source_mask(outlets, picked)
        if windows:
            ts = self.lexical.published_ts[picked]
            slack = t.date_slack_days * DAY
            inside = np.zeros(len(picked), dtype=bool)
            for a, b in windows:
                lo = -np.inf if a is None else a - slack
                hi = np.inf if b is None else b + slack
                inside |= ~np.isnan(ts) & (ts >= lo) & (ts <= hi)
            factor *= 1.0 + t.date_boost * inside
        return factor

    def _outlet_mask(self, outlets: Sequence[str]) -> np.ndarray:
        return self.lexical.source_mask(outlets)


def _source_where(outlets: Sequence[str]) -> dict:
    return {"source_key": {"$in": [o.casefold() for o in outlets]}}


def _and(a: dict | None, b: dict) -> dict:
    return b if a is None else {"$and": [a, b]}


def _where(filters: Filters) -> dict | None:
    clauses: list[dict] = []
    if filters.since_ts is not None:
        clauses.append({"published_ts": {"$gte": int(filters.since_ts)}})
    if filters.until_ts is not None:
        clauses.append({"published_ts": {"$lte": int(filters.until_ts)}})
    if filters.sources:
        clauses.append(_source_where(filters.sources))
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _mask(lexical: LexicalIndex, filters: Filters) -> np.ndarray | None:
    if filters == Filters():
        return None
    mask = np.ones(len(lexical), dtype=bool)
    ts = lexical.published_ts
    if filters.since_ts is not None:
        mask &= ~np.isnan(ts) & (ts >= filters.since_ts)
    if filters.until_ts is not None:
        mask &= ~np.isnan(ts) & (ts <= filters.until_ts)
    if filters.sources:
        mask &= lexical.source_mask(filters.sources)
    return mask
