"""Load: 1,000 questions in a row through one NewsQA, as a long chat or a server would ask them.
Every tenth question reopens the store, as the chat does after another process ingested. Memory
after warm-up must stay flat (RSS growth under 10% from question 100 to 1,000); the figures are
printed (run with -s to see them)."""

from __future__ import annotations

import gc
import json
import time
from pathlib import Path

import pytest

from qa.service import NewsQA
from tests.conftest import REPO

pytestmark = pytest.mark.slow

WARM_UP, TOTAL = 100, 1000


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def test_a_thousand_questions_keep_memory_flat(seed_settings, tmp_path):
    from index.ingest import ingest
    from tests.reliability.helpers import write_corpus

    ingest([write_corpus(tmp_path / "corpus", 60)[0].parent], seed_settings)
    rows = [json.loads(line) for line in (REPO / "evals" / "data" / "seed_questions.jsonl").read_text().splitlines()]
    questions = [r["question"] for r in rows]
    app = NewsQA(seed_settings)
    try:
        t0 = time.perf_counter()
        for i in range(TOTAL):
            # each question distinct, as real ones are: nothing is answered from a cache
            if i % 10 == 9:
                app.refresh()  # as the chat does when another process has ingested: reopens Chroma
            answer = app.ask(f"{questions[i % len(questions)]} (case {i})")
            assert answer.question
            if i + 1 == WARM_UP:
                gc.collect()
                warm, t_warm = rss_kib(), time.perf_counter()
        gc.collect()
        end, t_end = rss_kib(), time.perf_counter()
    finally:
        app.close()
    growth = (end - warm) / warm
    print(
        f"\nload: RSS {warm / 1024:.1f} MiB after {WARM_UP} questions, {end / 1024:.1f} MiB after {TOTAL} "
        f"({growth:+.1%}); {(t_end - t_warm) / (TOTAL - WARM_UP) * 1000:.1f} ms per question after warm-up, "
        f"{t_end - t0:.0f} s in all"
    )
    assert growth < 0.10
