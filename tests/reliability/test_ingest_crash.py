"""Crash safety of ingest: SIGKILL at every write of a multi-article run, then check the store.

Each kill lands just before one Chroma write or BM25 file swap (see ``kill_ingest.py``), so
together they cover every boundary between writes of a first ingest and of a re-ingest that
updates, adds and prunes articles. After each kill the store must read as whole; after the run
is finished it must hold exactly what an uninterrupted run holds.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from index.ingest import ingest
from index.settings import Settings
from tests.reliability.helpers import REPO, check_consistent, settings_env, write_corpus

pytestmark = pytest.mark.slow

N_ARTICLES = 40
KILLER = REPO / "tests" / "reliability" / "kill_ingest.py"


def run_killed(settings: Settings, kill_at: int, *args: str) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        [sys.executable, str(KILLER), str(kill_at), "ingest", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **settings_env(settings)},
        timeout=300,
        cwd=REPO,
    )


def write_points(settings: Settings, *args: str) -> int:
    """How many writes an uninterrupted run from the store's present state makes (on a copy)."""
    import shutil

    probe = settings.store_dir.with_name(settings.store_dir.name + "-probe")
    shutil.rmtree(probe, ignore_errors=True)
    if settings.store_dir.exists():
        shutil.copytree(settings.store_dir, probe)
    out = run_killed(settings.model_copy(update={"store": probe}), 0, *args)
    assert out.returncode == 0, out.stderr
    shutil.rmtree(probe)
    return int(re.search(r"WRITE-EVENTS=(\d+)", out.stderr).group(1))


def revise(corpus):
    """Version 2 of the corpus: every third article revised, four new ones, two files gone."""
    write_corpus(corpus, N_ARTICLES + 4, version=2)
    for i in (7, 8):
        (corpus / f"article-{i:03d}.json").unlink()


def test_sigkill_at_every_write_loses_and_duplicates_nothing(tmp_path, embed_cache_dir):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, N_ARTICLES)
    reference = Settings(store=tmp_path / "reference", data_dir=tmp_path / "data", cache_dir=embed_cache_dir)
    crashed = reference.model_copy(update={"store": tmp_path / "crashed"})

    # The uninterrupted runs: a first ingest, then the revised corpus with --prune.
    ingest([corpus], reference)
    first = check_consistent(reference)
    assert first.articles == N_ARTICLES and first.chunks > N_ARTICLES  # several chunks for long ones

    kills = 0
    recovered = 0
    for phase, args in (("first", [str(corpus)]), ("revised", [str(corpus), "--prune"])):
        if phase == "revised":
            revise(corpus)
            ingest([corpus], reference, prune=True)
        expected = check_consistent(reference)
        before = snapshot(crashed)
        points = write_points(crashed, *args)
        assert points >= 5, f"{phase}: only {points} writes to kill at"
        for kill_at in range(1, points + 1):
            restore(before, crashed)
            out = run_killed(crashed, kill_at, *args)
            assert out.returncode == -9, f"{phase} kill {kill_at} did not land: {out.returncode} {out.stderr[-500:]}"
            kills += 1
            recovered += (crashed.store_dir / "newsqa.writing").exists()
            check_consistent(crashed)
            out = run_killed(crashed, 0, *args)  # ingest again: it finishes the job
            assert out.returncode == 0, out.stderr
            state = check_consistent(crashed)
            assert (state.articles, state.chunks) == (expected.articles, expected.chunks), (phase, kill_at)
            assert state.hashes == expected.hashes, (phase, kill_at)
    assert kills >= 10
    assert recovered >= kills // 2  # most kills left a writer's marker for the next opener to repair


def snapshot(settings: Settings):
    import shutil

    saved = settings.store_dir.with_name(settings.store_dir.name + "-snapshot")
    shutil.rmtree(saved, ignore_errors=True)
    if settings.store_dir.exists():
        shutil.copytree(settings.store_dir, saved)
    return saved


def restore(saved, settings: Settings) -> None:
    import shutil

    shutil.rmtree(settings.store_dir, ignore_errors=True)
    if saved.exists():
        shutil.copytree(saved, settings.store_dir)
