"""BM25 over the store's chunks, persisted beside the store and rebuilt when the store changes.

The index remembers the fingerprint of the store state it was built from; a reader whose
fingerprint no longer matches rebuilds it (cheap: seconds for 100k chunks), so a BM25 index can
never silently disagree with Chroma.

Compact and shared: a reader memory-maps the BM25 matrices (bm25s ``mmap=True``) and the
per-chunk arrays (``.npy``: article, ordinal, span, date, outlet code; 28 bytes a chunk), so
every reader of one store shares one copy in the page cache and a million chunks cost tens of
megabytes of private memory. Rows are kept grouped by article in chunk order, so a chunk id
(``doc_id#ordinal``) is found from its article's first row without a per-chunk dictionary; the
ids, doc ids and outlet keys are strings only for the rows asked about.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.errors import StoreDamaged

_FORMAT = 4
_ARRAYS = ("article_of_row", "ordinals", "spans", "published_ts", "source_codes")


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
        articles,
        fingerprint: str,
        article_ids: list[str],
        sources: list[str],
        arrays: dict[str, np.ndarray],
        explicit_ids: list[str] | None = None,
    ):
        self._retriever = retriever
        self._articles = articles
        """BM25 over whole articles (their chunks joined): an article's evidence as a whole."""
        self._tokenizer = _tokenizer()
        self.fingerprint = fingerprint
        self.article_ids: list[str] = article_ids
        """The articles, in row order (each article's rows are consecutive, in chunk order)."""
        self.sources: list[str] = sources
        """The distinct outlet keys (casefolded; "" for none); ``source_codes`` index into it."""
        self.article_of_row: np.ndarray = arrays["article_of_row"]
        self.ordinals: np.ndarray = arrays["ordinals"]
        """Each chunk's place in its article; with ``spans``, lets retrieval widen a hit to its neighbours."""
        self.spans: np.ndarray = arrays["spans"]
        """Each chunk's [char_start, char_end) in its article body."""
        self.published_ts: np.ndarray = arrays["published_ts"]  # float, NaN where unknown
        self.source_codes: np.ndarray = arrays["source_codes"]
        self._explicit_ids = explicit_ids
        """Chunk ids that are not ``doc_id#ordinal`` (never made by newsqa's chunker; kept for safety)."""
        self._first_row = np.searchsorted(self.article_of_row, np.arange(len(article_ids) + 1))
        self._article_index = {d: i for i, d in enumerate(article_ids)}
        self._row_of_explicit = None if explicit_ids is None else {c: i for i, c in enumerate(explicit_ids)}
        self._doc_ids: np.ndarray | None = None
        self._source_keys: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ordinals)

    # -- rows and ids --------------------------------------------------------------------------
    def doc_of(self, row: int) -> str:
        return self.article_ids[self.article_of_row[row]]

    def chunk_id(self, row: int) -> str:
        if self._explicit_ids is not None:
            return self._explicit_ids[row]
        return f"{self.doc_of(row)}#{int(self.ordinals[row])}"

    def chunk_ids_of(self, rows: Sequence[int] | np.ndarray) -> list[str]:
        rows = np.asarray(rows, dtype=np.int64)
        if self._explicit_ids is not None:
            return [self._explicit_ids[r] for r in rows.tolist()]
        ids = self.article_ids
        pairs = zip(self.article_of_row[rows].tolist(), self.ordinals[rows].tolist(), strict=True)
        return [f"{ids[a]}#{o}" for a, o in pairs]

    def row_at(self, doc_id: str, ordinal: int) -> int | None:
        """The row of chunk ``ordinal`` of ``doc_id``, or None."""
        a = self._article_index.get(doc_id)
        if a is None:
            return None
        lo, hi = int(self._first_row[a]), int(self._first_row[a + 1])
        guess = lo + ordinal
        if lo <= guess < hi and self.ordinals[guess] == ordinal:
            return guess
        found = lo + int(np.searchsorted(self.ordinals[lo:hi], ordinal))
        return found if found < hi and self.ordinals[found] == ordinal else None

    def row_of(self, chunk_id: str) -> int | None:
        """The row of ``chunk_id``, or None when the index does not hold it."""
        if self._row_of_explicit is not None:
            return self._row_of_explicit.get(chunk_id)
        doc, _, ordinal = chunk_id.rpartition("#")
        return self.row_at(doc, int(ordinal)) if ordinal.isdigit() else None

    def source_mask(self, keys: Sequence[str], rows: np.ndarray | None = None) -> np.ndarray:
        """Whether each row (of all, or of ``rows``) has one of the outlet ``keys`` (casefolded here)."""
        wanted = {k.casefold() for k in keys}
        codes = [i for i, s in enumerate(self.sources) if s in wanted]
        return np.isin(self.source_codes if rows is None else self.source_codes[rows], codes)

    @property
    def chunk_ids(self) -> list[str]:
        """Every chunk id in row order (built on each call: for tests and tools, not per question)."""
        return self.chunk_ids_of(np.arange(len(self)))

    @property
    def doc_ids(self) -> np.ndarray:
        """Each row's doc_id (an array of references to ``article_ids``, made once)."""
        if self._doc_ids is None:
            self._doc_ids = np.array(self.article_ids, dtype=object)[self.article_of_row]
        return self._doc_ids

    @property
    def source_keys(self) -> np.ndarray:
        """Each row's outlet key (an array of references to ``sources``, made once)."""
        if self._source_keys is None:
            self._source_keys = np.array(self.sources, dtype=object)[self.source_codes]
        return self._source_keys

    # -- building ------------------------------------------------------------------------------
    @classmethod
    def build(cls, rows: Iterable[ChunkRow], fingerprint: str) -> LexicalIndex:
        import bm25s

        by_doc: dict[str, list[ChunkRow]] = {}
        for r in rows:
            by_doc.setdefault(r.doc_id, []).append(r)
        ordered: list[ChunkRow] = []
        for chunks in by_doc.values():
            chunks.sort(key=lambda r: r.ordinal)
            ordered.extend(chunks)
        retriever, articles = bm25s.BM25(), None
        if ordered:
            tokens = _tokenizer().tokenize([r.text for r in ordered], return_as="tuple", show_progress=False)
            retriever.index(tokens, show_progress=False)
            del tokens
            articles = bm25s.BM25()
            texts = _article_texts(by_doc)
            articles.index(_tokenizer().tokenize(texts, return_as="tuple", show_progress=False), show_progress=False)
            del texts
        article_index = {d: i for i, d in enumerate(by_doc)}
        source_index: dict[str, int] = {}
        n = len(ordered)
        arrays = {
            "article_of_row": np.fromiter((article_index[r.doc_id] for r in ordered), dtype=np.int32, count=n),
            "ordinals": np.fromiter((r.ordinal for r in ordered), dtype=np.int32, count=n),
            "spans": np.array([(r.char_start, r.char_end) for r in ordered], dtype=np.int32).reshape(n, 2),
            "published_ts": np.fromiter(
                (np.nan if r.published_ts is None else r.published_ts for r in ordered), dtype=float, count=n
            ),
            "source_codes": np.fromiter(
                (source_index.setdefault(r.source_key or "", len(source_index)) for r in ordered),
                dtype=np.int32,
                count=n,
            ),
        }
        explicit = None
        if any(r.chunk_id != f"{r.doc_id}#{r.ordinal}" for r in ordered):
            explicit = [r.chunk_id for r in ordered]
        return cls(retriever, articles, fingerprint, list(by_doc), list(source_index), arrays, explicit)

    def save(self, directory: Path) -> None:
        """Write to a temp dir then swap it in, so a crash never leaves a half-written index
        (a reader that mapped the old files keeps reading them until it reloads)."""
        directory.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = Path(tempfile.mkdtemp(prefix=".lexical-", dir=directory.parent))
        if len(self):
            self._retriever.save(str(tmp / "bm25"), show_progress=False)
            self._articles.save(str(tmp / "bm25-articles"), show_progress=False)
        for name in _ARRAYS:
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(getattr(self, name)))
        meta = {
            "format": _FORMAT,
            "fingerprint": self.fingerprint,
            "rows": len(self),
            "article_ids": self.article_ids,
            "sources": self.sources,
            "chunk_ids": self._explicit_ids,
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
        """The saved index, memory-mapped, or None when there is none or it is unreadable (then rebuild)."""
        try:
            meta = json.loads((directory / "meta.json").read_text())
            if meta.get("format") != _FORMAT:
                return None
            import bm25s

            n = int(meta["rows"])
            # plain ndarray views of the maps: a memmap's own indexing is ~20x slower per element
            arrays = {name: np.asarray(np.load(directory / f"{name}.npy", mmap_mode="r")) for name in _ARRAYS}
            if any(len(a) != n for a in arrays.values()) or arrays["spans"].shape != (n, 2):
                return None
            if n and not _plausible(arrays, len(meta["article_ids"])):
                return None  # bytes changed in place: the sizes hold, the values index nothing real
            articles = None
            if n:
                retriever = _load_bm25(directory / "bm25", n)
                articles = _load_bm25(directory / "bm25-articles", len(meta["article_ids"]))
                if retriever is None or articles is None:
                    return None
            else:
                retriever = bm25s.BM25()
            explicit = meta.get("chunk_ids")
            if explicit is not None and len(explicit) != n:
                return None
            return cls(retriever, articles, meta["fingerprint"], meta["article_ids"], meta["sources"], arrays, explicit)
        except Exception:  # any damage (a truncated array is EOFError/ValueError): rebuild
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
        try:
            with np.errstate(all="ignore"):  # damaged values are judged below, not warned about
                scores = np.asarray(retriever.get_scores(known), dtype=float)
        except (IndexError, ValueError):
            # Saved arrays whose bytes were changed in place (the fingerprint covers the records,
            # not these files): what they would rank cannot be trusted.
            raise StoreDamaged("the keyword (BM25) index is damaged: `newsqa repair` rebuilds it") from None
        if scores.shape != (n,) or not np.isfinite(scores).all():
            raise StoreDamaged("the keyword (BM25) index is damaged: `newsqa repair` rebuilds it")
        return scores

    def search(self, query: str, k: int, mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        scores = self.scores(query)
        return [(self.chunk_id(i), float(scores[i])) for i in top_rows(scores, k, mask)]


def top_rows(scores: np.ndarray, k: int, mask: np.ndarray | None = None) -> list[int]:
    """Rows of the ``k`` best positive scores, best first (ties by row); rows outside ``mask``
    never count. Works on the matching rows only: a query matches few of a million chunks."""
    if not len(scores) or k <= 0:
        return []
    rows = np.flatnonzero(scores > 0)
    if mask is not None:
        rows = rows[mask[rows]]
    if not len(rows):
        return []
    picked = scores[rows]
    if len(rows) > k:
        keep = np.sort(np.argpartition(-picked, k - 1)[:k])  # row order, so ties stay by row
        rows, picked = rows[keep], picked[keep]
    return rows[np.argsort(-picked, kind="stable")].tolist()


def _article_texts(by_doc: dict[str, list[ChunkRow]]) -> list[str]:
    """Each article's text from its chunks (sorted by ordinal), in ``by_doc`` order, the
    sentences neighbouring chunks share counted once."""
    texts = []
    for chunks in by_doc.values():
        parts, end = [], None
        for r in chunks:
            skip = 0 if end is None else max(0, min(len(r.text), end - r.char_start))
            parts.append(r.text[skip:])
            end = r.char_end if end is None else max(end, r.char_end)
        texts.append(" ".join(parts))
    return texts


def _load_bm25(directory: Path, n_docs: int):
    """A saved bm25s index, its matrices memory-mapped; None when they do not fit together."""
    import bm25s

    bm = bm25s.BM25.load(str(directory), mmap=True, show_progress=False, verbosity=0)
    data, indices, indptr = (bm.scores[k] for k in ("data", "indices", "indptr"))
    if len(data) != len(indices) or int(indptr[-1]) != len(data):
        return None
    if int(bm.scores.get("num_docs", n_docs)) != n_docs:
        return None
    return bm


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
    try:
        index.save(directory)
    except OSError:
        return index  # a read-only location still answers from memory
    # the saved files, mapped, rather than the built arrays: shared with every other reader
    return LexicalIndex.load(directory) or index


def _plausible(arrays: dict[str, np.ndarray], n_articles: int) -> bool:
    """Whether the per-chunk columns can index what they claim to (one vectorised pass each: a few
    milliseconds at a million chunks, once per process)."""
    rows, spans, ordinals = arrays["article_of_row"], arrays["spans"], arrays["ordinals"]
    return bool(
        rows.min() >= 0
        and rows.max() < n_articles
        and ordinals.min() >= 0
        and spans.min() >= 0
        and (spans[:, 0] <= spans[:, 1]).all()
    )
