"""Hybrid retrieval: dense search in Chroma fused with BM25 by reciprocal rank fusion."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from index.lexical import LexicalIndex
from index.store import Store
from qa.models import Filters, Hit, Query

RRF_K = 60
CANDIDATES = 50


class Retriever:
    """Holds the store, its embedder and its BM25 index between questions."""

    def __init__(self, store: Store, lexical: LexicalIndex):
        self.store = store
        self.lexical = lexical

    def retrieve(self, query: Query) -> list[Hit]:
        where = _where(query.filters)
        n = max(CANDIDATES, query.top_k * 4)
        vector = self.store.embedder.embed([query.text])[0]
        dense = self.store.dense_search(vector, n, where)
        lexical = self.lexical.search(query.text, n, mask=_mask(self.lexical, query.filters))
        fused: dict[str, float] = {}
        for ranking in (dense, lexical):
            for rank, (chunk_id, _) in enumerate(ranking):
                fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        ranked = sorted(fused, key=fused.__getitem__, reverse=True)
        chosen = _diverse(ranked, self.lexical, query.top_k)
        return [Hit(chunk=c, meta=m, score=fused[c.chunk_id]) for c, m in self.store.get_chunks(chosen)]


def _diverse(ranked: Sequence[str], lexical: LexicalIndex, k: int, per_doc: int = 2) -> list[str]:
    """Top-k with at most ``per_doc`` chunks of one article, so multi-article questions see each."""
    doc_of = dict(zip(lexical.chunk_ids, lexical.doc_ids))
    counts: dict[str, int] = {}
    chosen, spare = [], []
    for cid in ranked:
        doc = doc_of.get(cid, cid)
        if counts.get(doc, 0) < per_doc:
            counts[doc] = counts.get(doc, 0) + 1
            chosen.append(cid)
        else:
            spare.append(cid)
        if len(chosen) == k:
            break
    return (chosen + spare)[:k]


def _where(filters: Filters) -> dict | None:
    clauses: list[dict] = []
    if filters.since_ts is not None:
        clauses.append({"published_ts": {"$gte": int(filters.since_ts)}})
    if filters.until_ts is not None:
        clauses.append({"published_ts": {"$lte": int(filters.until_ts)}})
    if filters.sources:
        clauses.append({"source_key": {"$in": [s.casefold() for s in filters.sources]}})
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
        wanted = {s.casefold() for s in filters.sources}
        mask &= np.array([k in wanted for k in lexical.source_keys], dtype=bool)
    return mask
