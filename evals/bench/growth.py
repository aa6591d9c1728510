"""Growth benchmark: retrieval latency, disk and memory at 10k, 100k, 300k chunks.

Synthetic articles (10 short chunks each, random 384-d unit vectors) go into a temporary local
store through the real ``Store.put_articles``; at each scale point the real hybrid retriever is
opened (BM25 rebuilt), warmed and timed on fresh questions. Runs in its own process so its
memory figures are its own: ``python -m evals.bench.growth WORKDIR 10000,100000 QUERIES``.
"""

from __future__ import annotations

import json
import math
import random
import sys
import time
from pathlib import Path

from evals.bench.corpus import pseudo_words
from evals.bench.measure import Timer, current_rss_mb, du_mb, emit, latency_summary, peak_rss_mb, run_worker

CHUNKS_PER_ARTICLE = 10
ARTICLES_PER_WRITE = 500
DIM = 384


def bench_growth(workdir: Path, scales: list[int], queries: int, lexical_chunks: int | None = None) -> dict:
    points = run_worker(__name__, [str(workdir), ",".join(map(str, scales)), str(queries)])
    lexical = None
    if lexical_chunks:
        from evals.bench.lexical_growth import bench_lexical

        (workdir / "lexical-growth").mkdir(parents=True, exist_ok=True)
        lexical = bench_lexical(workdir / "lexical-growth", lexical_chunks, queries)
    first, last = points[0], points[-1]
    size_x = last["chunks"] / first["chunks"]
    latency_x = last["retrieval"]["p50_ms"] / max(first["retrieval"]["p50_ms"], 1e-9)
    return {
        "points": points,
        "size_growth": round(size_x, 2),
        "latency_growth": round(latency_x, 3),
        "p95_growth": round(last["retrieval"]["p95_ms"] / max(first["retrieval"]["p95_ms"], 1e-9), 3),
        "peak_rss_mb": max(p["peak_rss_mb"] for p in points),
        "lexical_alone": lexical,
        "sublinear": bool(len(points) < 2 or latency_x < size_x),
        "memory_note": (
            "RSS = baseline (interpreter, onnxruntime + MiniLM, chromadb) + Chroma's HNSW index held in memory "
            "(~vectors_mb plus graph links, see hnsw_mb on disk) + the BM25 sparse matrix (lexical_mb) + "
            "per-chunk Python arrays of the lexical index (ids, doc ids, dates, outlets)"
        ),
    }


def _synthetic_batch(first_doc: int, n_articles: int, chunks_last: int, vocab, prng, rng):
    import numpy as np

    from index.models import Article, ArticleMeta, Chunk

    items = []
    for a in range(n_articles):
        doc_id = f"syn-{first_doc + a:07d}"
        k = chunks_last if a == n_articles - 1 else CHUNKS_PER_ARTICLE
        texts = [" ".join(prng.sample(vocab, 24)) + "." for _ in range(k)]
        body = " ".join(texts)
        chunks, pos = [], 0
        for i, t in enumerate(texts):
            chunks.append(Chunk(f"{doc_id}#{i}", doc_id, i, t, pos, pos + len(t)))
            pos += len(t) + 1
        ts = 1_696_118_400 + (first_doc + a) * 600
        meta = ArticleMeta(
            doc_id=doc_id,
            title=f"synthetic {first_doc + a}",
            source=f"outlet {a % 40}",
            published_at=time.strftime("%Y-%m-%d", time.gmtime(ts)),
            published_ts=ts,
            content_hash=doc_id,
            n_chunks=k,
        )
        vectors = rng.standard_normal((k, DIM)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        items.append((Article(meta, body), chunks, vectors))
    return items


def _disk(store_dir: Path) -> dict:
    hnsw = sum(du_mb(p) for p in store_dir.iterdir() if p.is_dir() and p.name != "lexical")
    sqlite = sum(du_mb(p) for p in store_dir.glob("chroma.sqlite3*"))
    lexical = du_mb(store_dir / "lexical")
    return {
        "disk_mb": round(du_mb(store_dir), 1),
        "sqlite_mb": round(sqlite, 1),
        "hnsw_mb": round(hnsw, 1),
        "lexical_mb": round(lexical, 1),
    }


def _worker(workdir: Path, scales: list[int], n_queries: int) -> list[dict]:
    import numpy as np

    from evals.bench.queries import open_app, time_retrieval
    from index.settings import Settings
    from index.store import Store

    store_dir = workdir / "growth-store"
    settings = Settings(store=store_dir, data_dir=workdir / "growth-data", cache_dir=workdir / "growth-cache")
    prng, rng = random.Random(11), np.random.default_rng(11)
    vocab = pseudo_words(5000, prng)
    from index.embedder import make_embedder

    make_embedder(settings, cache=False).embed(["baseline: the model loaded"])
    baseline = current_rss_mb()
    points, inserted, docs = [], 0, 0
    for target in sorted(scales):
        with Timer() as insert, Store.open(settings, write=True) as store:
            while inserted < target:
                need = target - inserted
                n_art = min(ARTICLES_PER_WRITE, math.ceil(need / CHUNKS_PER_ARTICLE))
                last = (
                    need - (n_art - 1) * CHUNKS_PER_ARTICLE if need < n_art * CHUNKS_PER_ARTICLE else CHUNKS_PER_ARTICLE
                )
                store.put_articles(_synthetic_batch(docs, n_art, last, vocab, prng, rng))
                docs += n_art
                inserted += (n_art - 1) * CHUNKS_PER_ARTICLE + last
        with Timer() as opening:
            app = open_app(settings)  # rebuilds the BM25 index for the new chunks
        try:
            questions = [" ".join(prng.sample(vocab, 8)) for _ in range(n_queries + 2)]
            time_retrieval(app, questions[:2])
            retrieval = latency_summary(time_retrieval(app, questions[2:]))
            vecs = rng.standard_normal((n_queries, DIM)).astype(np.float32)
            dense = []
            for v in vecs / np.linalg.norm(vecs, axis=1, keepdims=True):
                t0 = time.perf_counter()
                app.store.dense_search(v, 60)
                dense.append(time.perf_counter() - t0)
            rss = current_rss_mb()
        finally:
            app.close()
        points.append(
            {
                "chunks": inserted,
                "articles": docs,
                "insert_s": round(insert.seconds, 2),
                "open_and_index_s": round(opening.seconds, 2),
                "retrieval": retrieval,
                "dense": latency_summary(dense),
                **_disk(store_dir),
                "rss_mb": round(rss, 1),
                "baseline_rss_mb": round(baseline, 1),
                "vectors_mb": round(inserted * DIM * 4 / 2**20, 1),
                "peak_rss_mb": round(peak_rss_mb(), 1),
            }
        )
        print(json.dumps(points[-1]), file=sys.stderr, flush=True)  # a long run's progress, point by point
    return points


if __name__ == "__main__":
    emit(_worker(Path(sys.argv[1]), [int(x) for x in sys.argv[2].split(",")], int(sys.argv[3])))
