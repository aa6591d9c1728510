"""Ingest benchmark: whole ``ingest`` against the raw embedder on exactly the same chunk texts.

Each measurement runs in a fresh process (``python -m evals.bench.ingest MODE ...``) with no
embedding cache to hit, so the figures are honest and peak RSS is the ingest's own. Runs go
raw, whole, raw, whole, ..., raw: each whole run is divided by the mean of the raw runs either
side of it, which cancels slow drifts in the machine's load.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from pathlib import Path

from evals.bench.measure import emit, peak_rss_mb, run_worker

THREAD_CONFIGS = ((1, 16), (2, 16), (1, 32), (2, 32))


def bench_ingest(corpus: Path, workdir: Path, repeat: int = 1, thread_sample: int = 160) -> tuple[dict, Path]:
    """Run the interleaved measurements; returns the section and the last store built."""
    raws, wholes = [], []
    store = workdir / "ingest-store"
    raws.append(run_worker(__name__, ["raw", str(corpus), str(workdir)]))
    for i in range(repeat):
        if store.exists():
            shutil.rmtree(store)
        cache = workdir / f"ingest-cache-{i}"
        wholes.append(run_worker(__name__, ["whole", str(corpus), str(store), str(cache)]))
        shutil.rmtree(cache, ignore_errors=True)
        raws.append(run_worker(__name__, ["raw", str(corpus), str(workdir)]))
    again = run_worker(__name__, ["whole", str(corpus), str(store), str(workdir / "ingest-cache-again")])
    shutil.rmtree(workdir / "ingest-cache-again", ignore_errors=True)
    ratios = [w["seconds"] / ((raws[i]["seconds"] + raws[i + 1]["seconds"]) / 2) for i, w in enumerate(wholes)]
    whole_s = statistics.median(w["seconds"] for w in wholes)
    raw_s = statistics.median(r["seconds"] for r in raws)
    articles, chunks, tokens = wholes[0]["articles"], wholes[0]["chunks"], raws[0]["tokens"]
    threads = run_worker(__name__, ["threads", str(corpus), str(workdir), str(thread_sample)])
    section = {
        "corpus": str(corpus),
        "articles": articles,
        "chunks": chunks,
        "tokens": tokens,
        "repeats": repeat,
        "whole_s": round(whole_s, 3),
        "raw_embed_s": round(raw_s, 3),
        "overhead_ratio": round(statistics.median(ratios), 4),
        "overhead_ratios": [round(r, 4) for r in ratios],
        "articles_per_s": round(articles / whole_s, 2),
        "chunks_per_s": round(chunks / whole_s, 2),
        "raw_tokens_per_s": round(tokens / raw_s, 1),
        "peak_rss_mb": round(max(w["peak_rss_mb"] for w in wholes), 1),
        "raw_peak_rss_mb": round(max(r["peak_rss_mb"] for r in raws), 1),
        "reingest_unchanged_s": round(again["seconds"], 3),
        "embedder_configs": threads,
    }
    return section, store


# -- the workers (fresh processes) -------------------------------------------------------------
def _settings(store: Path, cache: Path):
    from index.settings import Settings

    return Settings(store=store, data_dir=store.parent / "bench-data", cache_dir=cache, chroma_url=None)


def chunk_texts(corpus: Path, settings) -> tuple[int, list[str]]:
    """The texts ``ingest`` embeds for ``corpus``: its loader, chunker and embedding text."""
    from index.chunking import chunk_article
    from index.ingest import _embedding_text
    from index.loaders import iter_articles
    from index.models import Skipped

    seen: set[str] = set()
    texts: list[str] = []
    for item in iter_articles([corpus], settings):
        if isinstance(item, Skipped) or item.doc_id in seen:
            continue
        seen.add(item.doc_id)
        texts.extend(_embedding_text(item, c.text) for c in chunk_article(item, settings.chunk_chars))
    return len(seen), texts


def _count_tokens(texts: list[str]) -> int:
    from tokenizers import Tokenizer

    from index.embedding.minilm import MAX_TOKENS, default_tokenizer_path

    tok = Tokenizer.from_file(str(default_tokenizer_path()))
    tok.no_padding()
    tok.enable_truncation(max_length=MAX_TOKENS)
    return sum(len(e.ids) for e in tok.encode_batch(texts))


def _worker_raw(corpus: Path, workdir: Path) -> dict:
    from index.embedder import make_embedder

    settings = _settings(workdir / "unused-store", workdir / "unused-cache")
    articles, texts = chunk_texts(corpus, settings)
    embedder = make_embedder(settings, cache=False)
    embedder.embed(["load the model"])  # model loading is not embedding
    t0 = time.perf_counter()
    embedder.embed(texts)
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "articles": articles,
        "chunks": len(texts),
        "tokens": _count_tokens(texts),
        "peak_rss_mb": peak_rss_mb(),
    }


def _worker_whole(corpus: Path, store: Path, cache: Path) -> dict:
    t0 = time.perf_counter()  # imports included: the user waits for them too
    from index.ingest import ingest

    report = ingest([corpus], _settings(store, cache))
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "articles": report.articles, "chunks": report.chunks, "peak_rss_mb": peak_rss_mb()}


def _worker_threads(corpus: Path, workdir: Path, sample: int) -> list[dict]:
    """Texts/s of the raw embedder per (intra-op threads, batch size), interleaved, median of 3."""
    from index.embedding.minilm import MiniLMEmbedder

    _, texts = chunk_texts(corpus, _settings(workdir / "unused-store", workdir / "unused-cache"))
    texts = texts[:: max(1, len(texts) // sample)][:sample]
    models = {cfg: MiniLMEmbedder(threads=cfg[0], batch_size=cfg[1]) for cfg in THREAD_CONFIGS}
    for m in models.values():
        m.embed(["load the model"])
    rates: dict[tuple[int, int], list[float]] = {cfg: [] for cfg in THREAD_CONFIGS}
    for _ in range(3):
        for cfg, m in models.items():
            t0 = time.perf_counter()
            m.embed(texts)
            rates[cfg].append(len(texts) / (time.perf_counter() - t0))
    return [
        {"threads": t, "batch_size": b, "texts_per_s": round(statistics.median(rates[(t, b)]), 2)}
        for t, b in THREAD_CONFIGS
    ]


def main(argv: list[str]) -> int:
    mode, corpus = argv[0], Path(argv[1])
    if mode == "raw":
        emit(_worker_raw(corpus, Path(argv[2])))
    elif mode == "whole":
        emit(_worker_whole(corpus, Path(argv[2]), Path(argv[3])))
    elif mode == "threads":
        emit(_worker_threads(corpus, Path(argv[2]), int(argv[3])))
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
