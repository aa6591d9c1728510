"""The SQLite embedding cache, in front of the real MiniLM model."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from collections.abc import Sequence

import numpy as np
import pytest

from index.embed_cache import CachedEmbedder
from index.embedding.minilm import MiniLMEmbedder


class CountingEmbedder:
    """A real embedder that records which texts actually reached the model."""

    def __init__(self, inner: MiniLMEmbedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.seen: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        return self.inner.embed(texts)


@pytest.fixture(scope="module")
def minilm() -> MiniLMEmbedder:
    return MiniLMEmbedder()


@pytest.fixture
def counting(minilm: MiniLMEmbedder) -> CountingEmbedder:
    return CountingEmbedder(minilm)


TEXTS = ["Floods hit the coast.", "The election results are in.", "A new vaccine was approved."]


def test_hit_returns_identical_vectors_without_the_model(tmp_path, counting) -> None:
    cache = CachedEmbedder(counting, tmp_path / "e.sqlite3")
    first = cache.embed(TEXTS)
    assert counting.seen == TEXTS
    second = cache.embed(TEXTS)
    assert counting.seen == TEXTS  # nothing new reached the model
    np.testing.assert_array_equal(first, second)
    assert second.dtype == np.float32 and second.shape == (3, counting.dim)


def test_only_misses_reach_the_model_and_duplicates_once(tmp_path, counting) -> None:
    cache = CachedEmbedder(counting, tmp_path / "e.sqlite3")
    cache.embed(TEXTS[:1])
    out = cache.embed([TEXTS[1], TEXTS[0], TEXTS[1], TEXTS[2]])
    assert counting.seen == [TEXTS[0], TEXTS[1], TEXTS[2]]
    np.testing.assert_allclose(out, counting.inner.embed([TEXTS[1], TEXTS[0], TEXTS[1], TEXTS[2]]), atol=1e-6)


def test_survives_reopening_and_keeps_namespaces_apart(tmp_path, counting) -> None:
    path = tmp_path / "e.sqlite3"
    CachedEmbedder(counting, path).embed(TEXTS)
    counting.seen.clear()
    CachedEmbedder(counting, path).embed(TEXTS)
    assert counting.seen == []
    CachedEmbedder(counting, path, namespace="other-model").embed(TEXTS)
    assert counting.seen == TEXTS


def test_many_texts_span_several_lookup_chunks(tmp_path, counting) -> None:
    texts = [f"headline number {i}" for i in range(1200)]
    cache = CachedEmbedder(counting, tmp_path / "e.sqlite3")
    first = cache.embed(texts)
    counting.seen.clear()
    np.testing.assert_array_equal(cache.embed(texts), first)
    assert counting.seen == []


def test_empty_list(tmp_path, counting) -> None:
    assert CachedEmbedder(counting, tmp_path / "e.sqlite3").embed([]).shape == (0, counting.dim)


def test_files_are_private(tmp_path, counting) -> None:
    path = tmp_path / "fresh" / "dir" / "e.sqlite3"
    CachedEmbedder(counting, path).embed(TEXTS)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700


def test_corrupt_file_is_recreated(tmp_path, counting) -> None:
    path = tmp_path / "e.sqlite3"
    path.write_bytes(b"this is not a database" * 500)
    cache = CachedEmbedder(counting, path)
    out = cache.embed(TEXTS)
    np.testing.assert_allclose(out, counting.inner.embed(TEXTS), atol=1e-6)
    counting.seen.clear()
    CachedEmbedder(counting, path).embed(TEXTS)
    assert counting.seen == []  # the recreated file works as a cache again


def test_row_of_wrong_length_is_recomputed(tmp_path, counting) -> None:
    path = tmp_path / "e.sqlite3"
    cache = CachedEmbedder(counting, path)
    good = cache.embed(TEXTS[:1])
    cache.close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE embeddings SET vector = ?", (np.ones(7, dtype=np.float32).tobytes(),))
    counting.seen.clear()
    again = CachedEmbedder(counting, path).embed(TEXTS[:1])
    assert counting.seen == TEXTS[:1]
    np.testing.assert_allclose(again, good, atol=1e-6)


def test_two_processes_share_one_cache(tmp_path, counting) -> None:
    path = tmp_path / "shared.sqlite3"
    worker = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from index.embed_cache import CachedEmbedder
        from index.embedding.minilm import MiniLMEmbedder
        start = int(sys.argv[1])
        cache = CachedEmbedder(MiniLMEmbedder(), Path({str(path)!r}))
        texts = [f"story {{i}} about the weather" for i in range(start, start + 120)]
        for i in range(0, len(texts), 10):
            cache.embed(texts[i : i + 10])
        """
    )
    procs = [subprocess.Popen([sys.executable, "-c", worker, str(start)], stderr=subprocess.PIPE) for start in (0, 60)]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
    texts = [f"story {i} about the weather" for i in range(180)]
    out = CachedEmbedder(counting, path).embed(texts)
    assert counting.seen == []
    np.testing.assert_allclose(out, counting.inner.embed(texts), atol=1e-5)


@pytest.mark.parametrize("bad", [np.nan, np.inf, 0.25], ids=["nan", "inf", "constant"])
def test_damaged_vectors_are_blamed_dropped_and_recomputed(tmp_path, counting, caplog, bad) -> None:
    path = tmp_path / "e.sqlite3"
    cache = CachedEmbedder(counting, path)
    good = cache.embed(TEXTS)
    cache.close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE embeddings SET vector = ?", (np.full(counting.dim, bad, dtype=np.float32).tobytes(),))
    counting.seen.clear()
    cache = CachedEmbedder(counting, path)
    again = cache.embed(TEXTS)
    assert sorted(counting.seen) == sorted(TEXTS)
    np.testing.assert_allclose(again, good, atol=1e-6)
    assert "damaged vectors" in caplog.text and str(path) in caplog.text
    counting.seen.clear()
    cache.embed(TEXTS)  # the cache now holds the recomputed rows
    assert counting.seen == []
    cache.close()
