"""Peers: what a user would pick instead of newsqa, measured in the same run on the same data.

- ``llama_index``: the vanilla llama-index pipeline (``VectorStoreIndex`` over ``ChromaVectorStore``,
  the default node parser, ``as_retriever(similarity_top_k=10)``, no LLM), embedding with the
  bundled MiniLM through a ``BaseEmbedding`` adapter (what a user would write to use it).
- ``chroma``: bare Chroma: newsqa's chunks added with their embeddings, a question embedded and
  ``collection.query(n_results=10)``.
- ``bm25s``: bm25s alone over the same chunks (stopwords and English stemmer, as its README).

Each peer's index is built in a fresh process (ingest time and peak RSS are its own, imports
included, like newsqa's whole ingest). The questions then run in one fresh process holding all
four, interleaved per question in a rotating order so that drifts in load fall on all alike;
newsqa retrieves its top 10 as ``newsqa eval`` does. Evidence recall@10 uses the evaluation's own
metric (``evals.metrics.retrieval``) with the bodies newsqa's loader reads from the corpus.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

from evals.bench.measure import emit, latency_summary, peak_rss_mb, run_worker

PEERS = ("llama_index", "chroma", "bm25s")
SYSTEMS = ("newsqa", *PEERS)
TOP_K = 10
_T0 = time.perf_counter()  # a worker's clock starts before its heavy imports


def bench_peers(corpus: Path, dataset: Path | None, store: Path, workdir: Path, limit: int | None) -> dict:
    """Build each peer's index (fresh processes), then time and score all four on the questions."""
    root = workdir / "peers"
    root.mkdir(parents=True, exist_ok=True)
    ingest = {name: run_worker(__name__, ["ingest", name, str(corpus), str(root)]) for name in PEERS}
    args = ["query", str(corpus), str(root), str(store), str(dataset or ""), str(limit or 0)]
    queries = run_worker(__name__, args)
    section: dict = {"questions": queries.pop("questions"), "with_evidence": queries.pop("with_evidence")}
    for name in SYSTEMS:
        section[name] = {**queries[name], **({"ingest": ingest[name]} if name in ingest else {})}
    own = section["newsqa"]["retrieval"]["p50_ms"]
    section["ratios"] = {
        name: {
            "retrieval_p50": round(own / max(section[name]["retrieval"]["p50_ms"], 1e-9), 3),
            "retrieval_p95": round(
                section["newsqa"]["retrieval"]["p95_ms"] / max(section[name]["retrieval"]["p95_ms"], 1e-9), 3
            ),
        }
        for name in PEERS
    }
    return section


def add_newsqa_ingest(section: dict, ingest: dict) -> None:
    """newsqa's ingest figures (from the ingest section) beside the peers', and their ratios."""
    section["newsqa"]["ingest"] = {"seconds": ingest["whole_s"], "peak_rss_mb": ingest["peak_rss_mb"]}
    for name in PEERS:
        peer = section[name]["ingest"]
        section["ratios"][name]["ingest_s"] = round(ingest["whole_s"] / max(peer["seconds"], 1e-9), 3)
        section["ratios"][name]["ingest_peak_rss"] = round(ingest["peak_rss_mb"] / max(peer["peak_rss_mb"], 1e-9), 3)


# -- shared by the workers ---------------------------------------------------------------------
def _settings(root: Path):
    from index.settings import Settings

    return Settings(store=root / "unused-store", data_dir=root / "data", cache_dir=root / "cache", chroma_url=None)


def _articles(corpus: Path, settings) -> list:
    from index.loaders import iter_articles
    from index.models import Article

    seen: dict = {}
    for item in iter_articles([corpus], settings):
        if isinstance(item, Article):
            seen.setdefault(item.doc_id, item)
    return list(seen.values())


def _chunks(articles, settings) -> list:
    from index.chunking import chunk_article

    return [c for a in articles for c in chunk_article(a, settings.chunk_chars)]


def _embedder(settings):
    from index.embedder import make_embedder

    return make_embedder(settings, cache=False)


def _llama_embedding(embedder):
    """The bundled MiniLM as a llama-index embedding model: the adapter a user would write."""
    from llama_index.core.embeddings import BaseEmbedding

    class MiniLM(BaseEmbedding):
        def _get_query_embedding(self, query: str) -> list[float]:
            return embedder.embed([query])[0].tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            return embedder.embed([text])[0].tolist()

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed(texts).tolist()

    return MiniLM(model_name="minilm-l6-v2-int8", embed_batch_size=16)


def _client(root: Path, name: str):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.PersistentClient(path=str(root / name), settings=ChromaSettings(anonymized_telemetry=False))


# -- ingest workers ----------------------------------------------------------------------------
def _ingest(name: str, corpus: Path, root: Path) -> dict:
    settings = _settings(root)
    articles = _articles(corpus, settings)
    embedder = _embedder(settings)
    if name == "llama_index":
        from llama_index.core import Document, StorageContext, VectorStoreIndex
        from llama_index.vector_stores.chroma import ChromaVectorStore

        docs = [
            Document(
                text=a.body,
                id_=a.doc_id,
                metadata={
                    "title": a.meta.title,
                    "source": a.meta.source or "",
                    "published_at": a.meta.published_at or "",
                },
            )
            for a in articles
        ]
        collection = _client(root, name).get_or_create_collection("peer")
        store = ChromaVectorStore(chroma_collection=collection)
        context = StorageContext.from_defaults(vector_store=store)
        VectorStoreIndex.from_documents(docs, storage_context=context, embed_model=_llama_embedding(embedder))
        units = collection.count()
    else:
        chunks = _chunks(articles, settings)
        units = len(chunks)
        if name == "chroma":
            collection = _client(root, name).get_or_create_collection("peer", metadata={"hnsw:space": "cosine"})
            step = 1000
            for i in range(0, len(chunks), step):
                part = chunks[i : i + step]
                collection.add(
                    ids=[c.chunk_id for c in part],
                    documents=[c.text for c in part],
                    embeddings=embedder.embed([c.text for c in part]),
                    metadatas=[{"doc_id": c.doc_id, "start": c.char_start, "end": c.char_end} for c in part],
                )
        else:
            import bm25s

            retriever = bm25s.BM25()
            retriever.index(
                bm25s.tokenize([c.text for c in chunks], stopwords="en", stemmer=_stemmer(), show_progress=False),
                show_progress=False,
            )
            retriever.save(str(root / name), show_progress=False)
            rows = [[c.doc_id, c.char_start, c.char_end] for c in chunks]
            (root / name / "rows.json").write_text(json.dumps(rows))
    return {"seconds": round(time.perf_counter() - _T0, 3), "peak_rss_mb": round(peak_rss_mb(), 1), "units": units}


def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


# -- the query worker --------------------------------------------------------------------------
class _Peer:
    """One peer's retriever: ``retrieve(question)`` gives its top 10 as newsqa ``Hit``s."""

    def __init__(self, name: str, root: Path, settings, articles: dict):
        self.name, self.articles = name, articles
        self.embedder = _embedder(settings)
        self.embedder.embed(["warm up"])
        if name == "llama_index":
            from llama_index.core import VectorStoreIndex
            from llama_index.vector_stores.chroma import ChromaVectorStore

            store = ChromaVectorStore(chroma_collection=_client(root, name).get_collection("peer"))
            index = VectorStoreIndex.from_vector_store(store, embed_model=_llama_embedding(self.embedder))
            self._retriever = index.as_retriever(similarity_top_k=TOP_K)
        elif name == "chroma":
            self._collection = _client(root, name).get_collection("peer")
        else:
            import bm25s

            self._bm25 = bm25s.BM25.load(str(root / name))
            self._rows = json.loads((root / name / "rows.json").read_text())
            self._tokenize, self._stem = bm25s.tokenize, _stemmer()

    def retrieve(self, question: str) -> list:
        found: list[tuple[str, int, int]]
        if self.name == "llama_index":
            from llama_index.core.schema import TextNode

            nodes = [n.node for n in self._retriever.retrieve(question)]
            found = [
                (n.ref_doc_id, n.start_char_idx or 0, n.end_char_idx or 0)
                for n in nodes
                if isinstance(n, TextNode) and n.ref_doc_id is not None
            ]
        elif self.name == "chroma":
            res = self._collection.query(query_embeddings=self.embedder.embed([question]), n_results=TOP_K)
            found = [(m["doc_id"], m["start"], m["end"]) for m in res["metadatas"][0]]
        else:
            tokens = self._tokenize([question], stopwords="en", stemmer=self._stem, show_progress=False)
            if not tokens.vocab:
                return []
            k = min(TOP_K, len(self._rows))
            rows, scores = self._bm25.retrieve(tokens, k=k, show_progress=False)
            found = [tuple(self._rows[int(r)]) for r, s in zip(rows[0], scores[0], strict=True) if s > 0]
        return [self._hit(*f) for f in found]

    def _hit(self, doc_id: str, start: int, end: int):
        from index.models import Chunk
        from qa.models import Hit

        article = self.articles[doc_id]
        chunk = Chunk(f"{doc_id}@{start}", doc_id, 0, article.body[start:end], start, end)
        return Hit(chunk=chunk, meta=article.meta, score=0.0)


def _questions(dataset: str, corpus: Path, limit: int) -> list:
    from evals.bench.corpus import _questions_from_titles
    from evals.datasets import EvalQuestion, load_dataset

    if dataset:
        return load_dataset(Path(dataset), limit=limit or None)
    texts = _questions_from_titles(corpus, limit or 50)
    return [EvalQuestion(id=str(i), question=q) for i, q in enumerate(texts)]


def _query(corpus: Path, root: Path, store: Path, dataset: str, limit: int) -> dict:
    from evals.bench.queries import open_app
    from evals.metrics.retrieval import retrieval_metrics

    settings = _settings(root)
    articles = {a.doc_id: a for a in _articles(corpus, settings)}
    questions = _questions(dataset, corpus, limit)
    cache = root / "newsqa-query-cache"
    shutil.rmtree(cache, ignore_errors=True)  # newsqa embeds every question anew, as the peers do
    app = open_app(settings.model_copy(update={"store": store, "cache_dir": cache}))
    systems = {"newsqa": lambda q: app.retrieve(app.make_query(q, top_k=TOP_K))}
    for name in PEERS:
        systems[name] = _Peer(name, root, settings, articles).retrieve
    for retrieve in systems.values():  # warm-up, not counted
        retrieve(questions[0].question)

    def body_of(doc_id: str) -> str | None:
        return articles[doc_id].body if doc_id in articles else None

    times: dict[str, list[float]] = {name: [] for name in systems}
    recall: dict[str, list[float]] = {name: [] for name in systems}
    names = list(systems)
    for i, q in enumerate(questions):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            t0 = time.perf_counter()
            hits = systems[name](q.question)
            times[name].append(time.perf_counter() - t0)
            if q.evidence:
                recall[name].append(retrieval_metrics(q.evidence, hits, body_of)["evidence_recall@10"])
    app.close()
    out: dict = {"questions": len(questions), "with_evidence": sum(1 for q in questions if q.evidence)}
    for name in names:
        r = recall[name]
        out[name] = {
            "retrieval": latency_summary(times[name]),
            "evidence_recall@10": round(sum(r) / len(r), 4) if r else None,
        }
    return out


if __name__ == "__main__":
    mode, rest = sys.argv[1], sys.argv[2:]
    if mode == "ingest":
        emit(_ingest(rest[0], Path(rest[1]), Path(rest[2])))
    else:
        emit(_query(Path(rest[0]), Path(rest[1]), Path(rest[2]), rest[3], int(rest[4])))
