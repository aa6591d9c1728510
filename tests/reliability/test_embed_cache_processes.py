"""The embedding cache shared by processes: one process opening it again must not cost another
its WAL (closing any descriptor of an open SQLite file drops all of a process's locks on it)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import numpy as np

from index.embed_cache import CachedEmbedder
from index.embedder import make_embedder
from index.settings import Settings
from tests.reliability.helpers import REPO

OTHER_PROCESS = """
import sys
from pathlib import Path
from index.embedder import make_embedder
from index.settings import Settings
embedder = make_embedder(Settings(cache_dir=Path(sys.argv[1])))
embedder.embed(["written by another process"])
embedder.close()
"""


def test_a_second_opener_in_one_process_keeps_the_cache_whole(tmp_path):
    first = make_embedder(Settings(cache_dir=tmp_path))
    assert isinstance(first, CachedEmbedder)
    first.embed(["one", "two"])
    second = CachedEmbedder(first.inner, first.path)  # e.g. the chat's NewsQA beside an ingest
    second.embed(["three"])
    # Another process uses the cache and closes it; it must not think it was the last user.
    subprocess.run([sys.executable, "-c", OTHER_PROCESS, str(tmp_path)], cwd=REPO, check=True, timeout=300)
    assert first.path.with_name(first.path.name + "-wal").exists()
    first.embed(["four"])
    second.embed(["five"])
    with sqlite3.connect(first.path) as db:
        assert db.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0] == 6
    again = make_embedder(Settings(cache_dir=tmp_path))
    vectors = again.embed(["one", "four", "written by another process"])
    assert np.allclose(vectors, first.inner.embed(["one", "four", "written by another process"]), atol=1e-6)
