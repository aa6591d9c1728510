"""The lexical index alone at a million chunks: build, then a reader's memory and query time.

Chroma's side of growth (HNSW inserts) takes hours at a million chunks on two busy cores; the
lexical side is what newsqa holds in each reader, so it is measured on its own too. The same
synthetic text as ``growth`` (10 chunks of 24 pseudo-words per article, 40 outlets) is built and
saved in one fresh process, then loaded by another that runs the lexical steps of a question
(chunk and article BM25 scores, top 60 of each, an outlet mask, candidate rows found by chunk id).
The reader's RSS is split into private (``RssAnon``) and file-backed (``RssFile``: the mapped
index, shared by every reader through the page cache).
``python -m evals.bench.lexical_growth build|read WORKDIR CHUNKS [QUERIES]``.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from evals.bench.corpus import pseudo_words
from evals.bench.measure import current_rss_mb, du_mb, emit, latency_summary, peak_rss_mb, run_worker

CHUNKS_PER_ARTICLE = 10


def bench_lexical(workdir: Path, chunks: int, queries: int) -> dict:
    built = run_worker(__name__, ["build", str(workdir), str(chunks)])
    read = run_worker(__name__, ["read", str(workdir), str(chunks), str(queries)])
    return {"chunks": chunks, "build": built, "read": read}


def _rss_parts() -> dict:
    out = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("RssAnon", "RssFile"):
                out[key] = round(int(value.split()[0]) / 1024, 1)
    except (OSError, ValueError):
        pass
    return {"private_mb": out.get("RssAnon"), "mapped_mb": out.get("RssFile")}


def _build(workdir: Path, chunks: int) -> dict:
    import numpy as np

    from index.lexical import ChunkRow, LexicalIndex

    vocab = np.array(pseudo_words(5000, random.Random(11)), dtype=object)
    rng = np.random.default_rng(11)
    t0 = time.perf_counter()
    rows = []
    for first in range(0, chunks, 50_000):  # 24 distinct-enough words a chunk, drawn in blocks
        n = min(50_000, chunks - first)
        words = vocab[rng.integers(0, len(vocab), size=(n, 24))]
        for i, picked in enumerate(words.tolist(), start=first):
            doc, ordinal = divmod(i, CHUNKS_PER_ARTICLE)
            text = " ".join(picked) + "."
            start = ordinal * 200
            doc_id = f"syn-{doc:07d}"
            ts = 1_696_118_400 + doc * 600
            rows.append(
                ChunkRow(
                    f"{doc_id}#{ordinal}", doc_id, text, ts, f"outlet {doc % 40}", ordinal, start, start + len(text)
                )
            )
    made = time.perf_counter() - t0
    index = LexicalIndex.build(rows, "synthetic")
    index.save(workdir / "lexical")
    return {
        "make_rows_s": round(made, 2),
        "build_and_save_s": round(time.perf_counter() - t0 - made, 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "disk_mb": round(du_mb(workdir / "lexical"), 1),
    }


def _read(workdir: Path, chunks: int, n_queries: int) -> dict:
    from index.lexical import LexicalIndex, top_rows

    before = current_rss_mb()
    t0 = time.perf_counter()
    index = LexicalIndex.load(workdir / "lexical")
    if index is None or len(index) != chunks:
        raise RuntimeError(f"no lexical index of {chunks} chunks under {workdir}")
    load_s = time.perf_counter() - t0
    loaded = {"rss_mb": round(current_rss_mb(), 1), **_rss_parts()}
    prng = random.Random(5)
    vocab = pseudo_words(5000, random.Random(11))
    times = []
    for i in range(n_queries + 2):
        question = " ".join(prng.sample(vocab, 8))
        t = time.perf_counter()
        rows = top_rows(index.scores(question), 60, index.source_mask([f"outlet {i % 40}", f"outlet {(i + 7) % 40}"]))
        top_rows(index.article_scores(question), 60)
        ids = index.chunk_ids_of(rows)
        assert all(index.row_of(cid) is not None for cid in ids)
        if i >= 2:  # two warm-up questions
            times.append(time.perf_counter() - t)
    return {
        "load_s": round(load_s, 3),
        "rss_before_load_mb": round(before, 1),
        "after_load": loaded,
        "after_queries": {"rss_mb": round(current_rss_mb(), 1), **_rss_parts()},
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "lexical_steps": latency_summary(times),
    }


if __name__ == "__main__":
    mode, workdir, n = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    emit(_build(workdir, n) if mode == "build" else _read(workdir, n, int(sys.argv[4])))
