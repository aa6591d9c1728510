"""Runs the bench sections in order, prints the table and writes bench.json."""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from evals.bench import corpus as corpora
from evals.bench.report import goal_rows, peer_table, table, write_json


@dataclass(frozen=True)
class BenchOptions:
    corpus: Path | None
    synthetic: bool
    dataset: Path | None
    out: Path
    quick: bool
    skip: frozenset[str]
    questions: int
    peer_questions: int | None
    repeat: int
    scales: list[int]
    lexical_scale: int | None
    clients: int
    per_client: int
    runs: int
    workdir: Path | None


def _say(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


def run_bench(opts: BenchOptions, settings) -> int:
    workdir = opts.workdir or Path(tempfile.mkdtemp(prefix="newsqa-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        result = _run(opts, settings, workdir.resolve())
    finally:
        if opts.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    path = write_json(result, opts.out)
    print(table(result["goals"]))
    if "peers" in result:
        print("\n" + peer_table(result["peers"]))
    print(f"\n{result['meta']['data']}; wrote {path}")
    return 0


def _run(opts: BenchOptions, settings, workdir: Path) -> dict:
    base = settings.model_copy(
        update={
            "chroma_url": None,
            "store": None,
            "cache_dir": workdir / "cache",
            "data_dir": workdir / "data",
            "engine": "extractive",
        }
    )
    data = corpora.resolve(
        opts.corpus,
        opts.dataset,
        workdir,
        opts.questions + 3,
        12 if opts.quick else 200,
        force_synthetic=opts.synthetic,
    )
    _say(data.label)
    result: dict = {
        "meta": {
            "data": data.label,
            "synthetic": data.synthetic,
            "quick": opts.quick,
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "host": platform.node(),
            "cpus": os.cpu_count(),
            "load_avg_start": list(os.getloadavg()),
            "python": platform.python_version(),
            "embedder": base.embedder,
            "embed_threads": base.embed_threads,
            "embed_batch_size": base.embed_batch_size,
            "chunk_chars": base.chunk_chars,
        },
        "skipped": sorted(opts.skip),
    }
    store = None
    if "ingest" not in opts.skip:
        from evals.bench.ingest import bench_ingest

        _say(f"ingest: raw embedder / whole ingest / raw embedder, x{opts.repeat} (fresh processes, no cache)")
        result["ingest"], store = bench_ingest(data.corpus, workdir, opts.repeat, 16 if opts.quick else 160)
    if "extraction" not in opts.skip:
        from evals.bench.extraction import bench_extraction, pages_to_time

        _say(f"extraction: HTML pages of {pages_to_time()} through the loader, then embedded")
        result["extraction"] = bench_extraction(base, limit=10 if opts.quick else None)
    needs_store = {"queries", "peers", "coldstart", "scaleout"} - opts.skip
    if store is None and needs_store:
        from evals.stores import corpus_store

        _say("building the corpus store for the query benchmarks (reused on later runs)")
        store = corpus_store(data.corpus, settings.model_copy(update={"chroma_url": None}))[0].store_dir
    query_settings = base.model_copy(update={"store": store})
    # every section that reads ``store`` is in needs_store, so it was built above when missing
    if "queries" not in opts.skip:
        from evals.bench.queries import bench_queries

        _say(f"queries: {opts.questions} questions, retrieval then extractive ask, warm")
        result["queries"] = bench_queries(query_settings, data.questions, workdir)
    if "peers" not in opts.skip:
        from evals.bench.peers import add_newsqa_ingest, bench_peers

        n = opts.peer_questions or "all"
        _say(f"peers: llama-index, bare Chroma, bm25s: build each, then {n} questions interleaved with newsqa")
        dataset = None if data.synthetic else data.dataset
        assert store is not None
        result["peers"] = bench_peers(data.corpus, dataset, store, workdir, opts.peer_questions)
        if "ingest" in result:
            add_newsqa_ingest(result["peers"], result["ingest"])
    if "growth" not in opts.skip:
        from evals.bench.growth import bench_growth

        _say(f"growth: {', '.join(f'{s:,}' for s in opts.scales)} synthetic chunks")
        result["growth"] = bench_growth(workdir, opts.scales, 6 if opts.quick else 30, opts.lexical_scale)
    if "coldstart" not in opts.skip:
        from evals.bench.coldstart import bench_coldstart, time_ask

        _say(f"cold start: `newsqa ask` x{opts.runs} on a small store; chat first paint")
        small = _small_store(base, workdir)
        result["coldstart"] = bench_coldstart(small, workdir, opts.runs)
        assert store is not None
        floors: list[float] = []
        on_corpus = statistics.median(time_ask(store, workdir / "cold-corpus", opts.runs, floors))
        result["coldstart"]["ask_corpus_store_s"] = round(on_corpus, 3)
        result["coldstart"]["ask_corpus_store_over_floor"] = round(on_corpus / statistics.median(floors), 3)
    if "scaleout" not in opts.skip:
        from evals.bench.scaleout import bench_scaleout

        _say(f"scale-out: chroma run on 127.0.0.1, 1 then {opts.clients} clients x {opts.per_client} questions")
        assert store is not None
        result["scaleout"] = bench_scaleout(store, data.questions, workdir, opts.clients, opts.per_client)
    result["meta"]["load_avg_end"] = list(os.getloadavg())
    result["goals"] = goal_rows(result)
    return result


def _small_store(base, workdir: Path) -> Path:
    from index.ingest import ingest

    articles = workdir / "small-corpus"
    corpora.write_synthetic_corpus(articles, 12, seed=3)
    settings = base.model_copy(update={"store": workdir / "small-store"})
    ingest([articles], settings)
    return settings.store_dir
