"""BM25 over the store's chunks, persisted beside the store and rebuilt when the store changes.

The index remembers the fingerprint of the store state it was built from; a reader whose
fingerprint no longer matches rebuilds it (cheap: seconds for 100k chunks), so a BM25 index can
never silently disagree with Chroma.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_FORMAT = 3


def store_fingerprint(hashes: dict[str, str]) -> str:
    """A digest of (doc_id, content_hash) pairs: equal exactly when the stored articles are."""
    h = hashlib.sha256()
    for doc_id in sorted(hashes):
        h.update(f"{doc_id}\x00{hashes[doc_id]}\n".encode())
    return h.hexdigest()


@dataclass
class ChunkRow:
    chunk_id: str
    doc_id: str
    text: str
    published_ts: int | None
    source_key: str | None
    ordinal: int = 0
    char_start: int = 0
    char_end: int = 0


class LexicalIndex:
    def __init__(
        self,
        retriever,
        tokenizer,
        chunk_ids,
        doc_ids,
        published_ts,
        source_keys,
        fingerprint: str,
        ordinals=None,
        spans=None,
        articles=None,
    ):
        self._retriever = retriever
        self._articles = articles
        """BM25 over whole articles (their chunks joined): an article's evidence as a whole."""
        self._tokenizer = tokenizer
        self.chunk_ids: list[str] = chunk_ids
        self.doc_ids: np.ndarray = doc_ids
        self.published_ts: np.ndarray = published_ts  # float, NaN where unknown
        self.source_keys: np.ndarray = source_keys
        self.fingerprint = fingerprint
        n = len(chunk_ids)
        self.ordinals: np.ndarray = np.zeros(n, dtype=int) if ordinals is None else np.asarray(ordinals, dtype=int)
        """Each chunk's place in its article; with ``spans``, lets retrieval widen a hit to its neighbours."""
        self.spans: np.ndarray = (
            np.zeros((n, 2), dtype=int) if spans is None else np.asarray(spans, dtype=int).reshape(n, 2)
        )
        """Each chunk's [char_start, char_end) in its article body."""
        self.article_ids, self.article_of_row = _article_codes(self.doc_ids)

    def __len__(self) -> int:
        return len(self.chunk_ids)

    # -- building ------------------------------------------------------------------------------
    @classmethod
    def build(cls, rows: Iterable[ChunkRow], fingerprint: str) -> LexicalIndex:
        import bm25s

        rows = list(rows)
        tokenizer = _tokenizer()
        retriever = bm25s.BM25()
        articles = None
        if rows:
            tokens = tokenizer.tokenize([r.text for r in rows], return_as="tuple", show_progress=False)
            retriever.index(tokens, show_progress=False)
            articles = bm25s.BM25()
            texts = _article_texts(rows)
            articles.index(_tokenizer().tokenize(texts, return_as="tuple", show_progress=False), show_progress=False)
        return cls(
            retriever,
            _tokenizer(),  # the indexing tokenizer's vocabulary is the index's own: never extend it
            [r.chunk_id for r in rows],
            np.array([r.doc_id for r in rows], dtype=object),
            np.array([np.nan if r.published_ts is None else r.published_ts for r in rows], dtype=float),
            np.array([r.source_key or "" for r in rows], dtype=object),
            fingerprint,
            [r.ordinal for r in rows],
            [(r.char_start, r.char_end) for r in rows],
            articles,
        )

    def save(self, directory: Path) -> None:
        """Write to a temp dir then swap it in, so a crash never leaves a half-written index."""
        directory.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = Path(tempfile.mkdtemp(prefix=".lexical-", dir=directory.parent))
        if len(self):
            self._retriever.save(str(tmp / "bm25"), show_progress=False)
            self._articles.save(str(tmp / "bm25-articles"), show_progress=False)
        meta = {
            "format": _FORMAT,
            "fingerprint": self.fingerprint,
            "chunk_ids": self.chunk_ids,
            "doc_ids": list(self.doc_ids),
            "published_ts": [None if np.isnan(t) else int(t) for t in self.published_ts],
            "source_keys": list(self.source_keys),
            "ordinals": self.ordinals.tolist(),
            "spans": self.spans.tolist(),
        }
        (tmp / "meta.json").write_text(json.dumps(meta))
        old = None
        if directory.exists():
            old = directory.with_name(directory.name + ".old")
            if old.exists():
                _rmtree(old)
            os.replace(directory, old)
        os.replace(tmp, directory)
        if old is not None:
            _rmtree(old)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex | None:
        """The saved index, or None when there is none or it is unreadable (then rebuild)."""
        try:
            meta = json.loads((directory / "meta.json").read_text())
            if meta.get("format") != _FORMAT:
                return None
            import bm25s

            tokenizer = _tokenizer()
            articles = None
            if meta["chunk_ids"]:
                retriever = bm25s.BM25.load(str(directory / "bm25"), show_progress=False, verbosity=0)
                articles = bm25s.BM25.load(str(directory / "bm25-articles"), show_progress=False, verbosity=0)
            else:
                retriever = bm25s.BM25()
            return cls(
                retriever,
                tokenizer,
                meta["chunk_ids"],
                np.array(meta["doc_ids"], dtype=object),
                np.array([np.nan if t is None else t for t in meta["published_ts"]], dtype=float),
                np.array(meta["source_keys"], dtype=object),
                meta["fingerprint"],
                meta["ordinals"],
                meta["spans"],
                articles,
            )
        except Exception:
            return None

    # -- searching -----------------------------------------------------------------------------
    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk for ``query`` (zeros where no term matches)."""
        return self._scores(self._retriever, len(self), query)

    def article_scores(self, query: str) -> np.ndarray:
        """BM25 score of every article (in ``article_ids`` order) for ``query``."""
        return self._scores(self._articles, len(self.article_ids), query)

    def _scores(self, retriever, n: int, query: str) -> np.ndarray:
        if not n:
            return np.zeros(0)
        # A tokenizer of its own for queries, extended by each: by default a tokenizer freezes
        # its vocabulary at the first text it sees and would drop the new words of later queries.
        words = self._tokenizer.tokenize([query], update_vocab=True, return_as="string", show_progress=False)[0]
        known = [w for w in words if w in retriever.vocab_dict]
        if not known:
            return np.zeros(n)
        return np.asarray(retriever.get_scores(known), dtype=float)

    def search(self, query: str, k: int, mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        scores = self.scores(query)
        return [(self.chunk_ids[i], float(scores[i])) for i in top_rows(scores, k, mask)]


def top_rows(scores: np.ndarray, k: int, mask: np.ndarray | None = None) -> list[int]:
    """Rows of the ``k`` best positive scores, best first; rows outside ``mask`` never count."""
    if not len(scores):
        return []
    if mask is not None:
        scores = np.where(mask, scores, 0.0)
    k = min(k, int((scores > 0).sum()))
    if k <= 0:
        return []
    top = np.argpartition(-scores, k - 1)[:k]
    return top[np.argsort(-scores[top], kind="stable")].tolist()


def _article_codes(doc_ids: np.ndarray) -> tuple[list[str], np.ndarray]:
    """The articles in order of first appearance, and each row's index among them."""
    index: dict[str, int] = {}
    codes = np.array([index.setdefault(d, len(index)) for d in doc_ids], dtype=int)
    return list(index), codes


def _article_texts(rows: list[ChunkRow]) -> list[str]:
    """Each article's text from its chunks, in ``_article_codes`` order, the sentences
    neighbouring chunks share counted once."""
    by_doc: dict[str, list[ChunkRow]] = {}
    for r in rows:
        by_doc.setdefault(r.doc_id, []).append(r)
    texts = []
    for chunks in by_doc.values():
        chunks.sort(key=lambda r: r.ordinal)
        parts, end = [], None
        for r in chunks:
            skip = 0 if end is None else max(0, min(len(r.text), end - r.char_start))
            parts.append(r.text[skip:])
            end = r.char_end if end is None else max(end, r.char_end)
        texts.append(" ".join(parts))
    return texts


def _tokenizer():
    import Stemmer
    from bm25s.tokenization import Tokenizer

    return Tokenizer(stopwords="en", stemmer=Stemmer.Stemmer("english").stemWord)


def _rmtree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def sync_lexical(store) -> LexicalIndex:
    """The store's BM25 index, loaded if current, else rebuilt from the store and saved."""
    fingerprint = store_fingerprint(store.article_hashes())
    directory = store.lexical_dir
    current = LexicalIndex.load(directory)
    if current is not None and current.fingerprint == fingerprint:
        return current
    rows = (
        ChunkRow(
            c.chunk_id,
            c.doc_id,
            c.text,
            md.get("published_ts"),
            md.get("source_key"),
            c.ordinal,
            c.char_start,
            c.char_end,
        )
        for c, md in store.iter_chunks()
    )
    index = LexicalIndex.build(rows, fingerprint)
    with contextlib.suppress(OSError):  # a read-only location still answers from memory
        index.save(directory)
    return index
