"""Several newsqa processes on one store: ask and chat while ingest runs, two ingests at once,
and many clients of one `chroma run` server.

An ingest is frozen mid-run with SIGSTOP once it holds the store (its in-progress marker is on
disk), so "while ingest runs" is a fact, not a race; SIGCONT lets it finish. Subprocess
timeouts are hang detectors, not timing assertions.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest

from tests.chroma_server import chroma_server
from tests.conftest import SEEDS
from tests.reliability.helpers import REPO, check_consistent, newsqa, settings_env, write_corpus

QUESTION = "What are Putin's conditions for a ceasefire?"
NEW_QUESTION = "What did officials in Quito announce about the glacier plan?"
HANG = 120  # seconds after which a process is taken to hang

pytestmark = pytest.mark.slow  # a minute of real processes; CI runs it (`make test`)


@contextmanager
def frozen_ingest(settings, corpus):
    """A real `newsqa ingest` stopped (SIGSTOP) between two of its batches: it has written at
    least one (its in-progress marker came and went) and holds the writer's lock, but not the
    store's. Resumed on exit."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "qa.cli", "ingest", str(corpus)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **settings_env(settings)},
    )
    marker = settings.store_dir / "newsqa.writing"
    deadline = time.monotonic() + HANG
    seen = False
    while True:
        assert proc.poll() is None, f"ingest ended before it was caught between batches: {proc.communicate()}"
        assert time.monotonic() < deadline, "ingest never wrote a batch"
        if marker.exists():
            seen = True
        elif seen:
            proc.send_signal(signal.SIGSTOP)
            if not marker.exists():
                break
            proc.send_signal(signal.SIGCONT)  # it began the next batch meanwhile: catch it after that
        time.sleep(0.005)
    try:
        yield proc
    finally:
        proc.send_signal(signal.SIGCONT)
    out, err = proc.communicate(timeout=HANG)
    assert proc.returncode == 0, err
    proc.finished_output = out  # type: ignore[attr-defined]


@pytest.fixture
def big_corpus(tmp_path):
    # Enough articles that the ingest is still running when it is caught.
    return write_corpus(tmp_path / "corpus", 60)[0].parent


def busy_env(settings) -> dict[str, str]:
    return {**settings_env(settings), "NEWSQA_LOCK_TIMEOUT": "1"}


def test_ask_during_ingest_answers_and_a_second_ingest_says_busy(seed_settings, big_corpus):
    with frozen_ingest(seed_settings, big_corpus):
        out = newsqa("ask", QUESTION, env=busy_env(seed_settings), timeout=HANG)
        assert out.returncode == 0, out.stderr  # from the last committed state
        assert "[1]" in out.stdout
        out = newsqa("stats", "--json", env=busy_env(seed_settings), timeout=HANG)
        assert out.returncode == 0, out.stderr
        assert 1 <= json.loads(out.stdout)["articles"] < 61  # not yet all of the ingest
        out = newsqa("ingest", str(big_corpus), env=busy_env(seed_settings), timeout=HANG)
        assert out.returncode == 1 and out.stderr.startswith("error: store is busy")  # two ingests at once
    out = newsqa("ask", NEW_QUESTION, "--json", env=settings_env(seed_settings), timeout=HANG)
    assert out.returncode == 0, out.stderr
    assert "Quito" in out.stdout
    state = check_consistent(seed_settings)
    assert state.articles == 61


def test_an_open_chat_neither_blocks_ingest_nor_misses_what_it_added(seed_settings, big_corpus):
    from tui.backend import Backend

    chat = Backend(seed_settings.model_copy(update={"lock_timeout": 1.0}))
    try:
        chat.load()
        first = chat.ask(QUESTION)
        assert first.answered and first.citations
        # The chat stays open between questions; an ingest must not wait for it.
        out = newsqa("ingest", str(big_corpus), env=busy_env(seed_settings), timeout=HANG)
        assert out.returncode == 0, out.stderr
        answer = chat.ask(NEW_QUESTION)
        assert answer.citations and all(c.doc_id != first.citations[0].doc_id for c in answer.citations)
        assert any("Quito" in c.title for c in answer.citations)
        assert any(h.meta.doc_id.startswith("u-") for h in answer.retrieved)  # dense hits included
        # While an ingest runs, the chat answers from what its finished batches committed.
        more = write_corpus(big_corpus.parent / "more", 60, seed=3, version=2)[0].parent
        with frozen_ingest(seed_settings, more):
            assert chat.ask(QUESTION).citations
        assert chat.ask(QUESTION).citations
    finally:
        chat.close()
    check_consistent(seed_settings)


def test_dense_search_of_a_long_lived_reader_sees_another_process_ingest(seed_settings, big_corpus):
    """Chroma loads a local vector index once per process; reopening must really reload it."""
    from index.store import Store

    app_settings = seed_settings
    with Store.open(app_settings) as store, store.reading():
        vector = store.embedder.embed(["glacier plan in Quito"])[0]
        before = store.dense_search(vector, 50)
    out = newsqa("ingest", str(big_corpus), env=settings_env(seed_settings), timeout=HANG)
    assert out.returncode == 0, out.stderr
    with Store.open(app_settings) as store, store.reading():
        after = store.dense_search(vector, 50)
    assert len(before) < len(after) == 50


@pytest.fixture(scope="module")
def server_url(tmp_path_factory):
    with chroma_server(tmp_path_factory.mktemp("chroma-concurrency") / "data") as url:
        yield url


def test_many_ingests_and_asks_at_once_through_a_server(settings, server_url, tmp_path):
    remote = settings.model_copy(update={"chroma_url": server_url, "collection": "concurrent"})
    env = settings_env(remote)
    assert newsqa("ingest", str(SEEDS), env=env, timeout=HANG).returncode == 0
    folders = []
    for k in range(3):
        folder = tmp_path / f"part{k}"
        for i, path in enumerate(write_corpus(tmp_path / f"all{k}", 12, seed=k, version=2 + k)):
            if i % 3 == k:  # three disjoint thirds, each from a differently revised corpus
                folder.mkdir(exist_ok=True)
                path.rename(folder / path.name)
        folders.append(folder)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "qa.cli", *args],
            cwd=REPO,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, **env},
        )
        for args in [("ingest", str(f)) for f in folders] + [("ask", QUESTION, "--json")] * 3
    ]
    for p in procs:
        _, err = p.communicate(timeout=HANG)
        assert p.returncode == 0, err
    state = check_consistent(remote)
    assert state.articles == 1 + 12
