"""Readers are never locked out: `ask` and `stats` keep answering while a long ingest runs.

The writer holds the store's lock only while it writes a batch (see index/locking.py), so a
reader that arrives meanwhile waits at most one batch and then answers from the last committed
state. A real ingest of 240 articles runs as a process while questions arrive every few
seconds; every one must be answered. Timeouts are hang detectors, not timing assertions.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from tests.reliability.helpers import REPO, check_consistent, newsqa, settings_env, write_corpus

pytestmark = pytest.mark.slow
N_ARTICLES = 240
HANG = 600


def test_every_ask_during_a_long_ingest_is_answered(seed_settings, tmp_path):
    corpus = write_corpus(tmp_path / "corpus", N_ARTICLES, long_every=3)[0].parent
    env = settings_env(seed_settings)
    ingest = subprocess.Popen(
        [sys.executable, "-m", "qa.cli", "ingest", str(corpus)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )
    asked = during = 0
    counts = []
    try:
        deadline = time.monotonic() + HANG
        while ingest.poll() is None:
            assert time.monotonic() < deadline, "ingest hangs"
            out = newsqa("ask", "What are Putin's conditions for a ceasefire?", env=env, timeout=HANG)
            running = ingest.poll() is None
            assert out.returncode == 0, out.stderr
            assert "[1]" in out.stdout, out.stdout
            stats = newsqa("stats", "--json", env=env, timeout=HANG)
            assert stats.returncode == 0, stats.stderr
            counts.append(json.loads(stats.stdout)["articles"])
            asked += 1
            during += running
            time.sleep(2)
        _, err = ingest.communicate(timeout=HANG)
    finally:
        if ingest.poll() is None:
            ingest.kill()
    assert ingest.returncode == 0, err
    assert during >= 3, f"only {during} questions arrived while the ingest ran"
    assert counts == sorted(counts) and counts[0] < 1 + N_ARTICLES  # readers saw it grow, batch by batch
    assert len(set(counts)) >= 2
    state = check_consistent(seed_settings)
    assert state.articles == 1 + N_ARTICLES
