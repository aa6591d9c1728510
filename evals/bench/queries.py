"""Query benchmark, warm: retrieval alone and a whole extractive ``ask``, per question.

One ``NewsQA`` is opened and warmed first (store, BM25 index, embedder), as the chat keeps it;
each pass gets an empty embedding cache, so every question pays for its own embeddings.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from evals.bench.measure import latency_summary

WARM_UP = 3


def open_app(settings):
    from qa.service import NewsQA

    app = NewsQA(settings)
    app.warm_up()
    return app


def time_retrieval(app, questions: Sequence[str]) -> list[float]:
    out = []
    for q in questions:
        t0 = time.perf_counter()
        app.retrieve(app.make_query(q))
        out.append(time.perf_counter() - t0)
    return out


def time_ask(app, questions: Sequence[str]) -> list[float]:
    out = []
    for q in questions:
        t0 = time.perf_counter()
        app.ask(q, engine="extractive")
        out.append(time.perf_counter() - t0)
    return out


def bench_queries(settings, questions: Sequence[str], workdir: Path) -> dict:
    warm, measured = list(questions[:WARM_UP]), list(questions[WARM_UP:]) or list(questions)
    result: dict = {"questions": len(measured)}
    for name, timer in (("retrieval", time_retrieval), ("ask", time_ask)):
        own = settings.model_copy(update={"cache_dir": workdir / f"query-cache-{name}"})
        app = open_app(own)
        try:
            timer(app, warm)
            result[name] = latency_summary(timer(app, measured))
        finally:
            app.close()
    result["ask_over_retrieval_p50"] = round(result["ask"]["p50_ms"] / max(result["retrieval"]["p50_ms"], 1e-9), 3)
    return result
