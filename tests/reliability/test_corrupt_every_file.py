"""Every file newsqa keeps, damaged one at a time: each command either still works or says in one
line what is wrong and what to do, and `newsqa repair` brings a damaged store back.

The store is built large enough (over Chroma's 1,000-vector threshold) for its HNSW files to hold
the vectors, so damage to them is really read. hnswlib reads its data file unchecked: a mangled
``data_level0.bin`` can kill a reader with a signal before any Python code can answer, so for the
vector index files the promise is the repair, which probes in a child process.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path

import pytest

from tests.reliability.helpers import newsqa, write_corpus

pytestmark = pytest.mark.slow

QUESTION = "What did the Lagos council announce about the railway plan?"
ARTICLES = 36  # of some 40 one-sentence chunks each: past the threshold at the least embedding cost
VECTOR_FILES = {"data_level0.bin", "link_lists.bin", "length.bin", "header.bin", "index_metadata.pickle"}


def _env(root: Path, cache: Path) -> dict[str, str]:
    return {
        "NEWSQA_STORE": str(root / "store"),
        "NEWSQA_DATA_DIR": str(root / "data"),
        "NEWSQA_CACHE_DIR": str(cache),
        "NEWSQA_CHUNK_CHARS": "100",
    }


@pytest.fixture(scope="module")
def pristine(tmp_path_factory, embed_cache_dir) -> Path:
    root = tmp_path_factory.mktemp("pristine")
    write_corpus(root / "corpus", ARTICLES, long_every=1)
    env = _env(root, embed_cache_dir)
    run = newsqa("ingest", str(root / "corpus"), "--json", env=env, timeout=3600)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["chunks"] > 1000  # the HNSW files hold the vectors
    run = newsqa("ask", QUESTION, env=env)  # leaves a logged conversation in the data dir
    assert run.returncode == 0, run.stderr
    return root


def _kept_files(root: Path) -> list[Path]:
    files = [p for p in sorted((root / "store").rglob("*")) + sorted((root / "data").rglob("*")) if p.is_file()]
    return [p.relative_to(root) for p in files]


def _damage(path: Path, seed: int) -> None:
    size = path.stat().st_size
    rng = random.Random(seed)
    with path.open("r+b") as f:
        if size > 8192:  # keep a database's first page: damage inside, as a bad sector would
            f.seek(4096)
            f.write(rng.randbytes(min(size - 4096, 256 * 1024)))
        else:
            f.write(rng.randbytes(max(size, 64)))


def _assert_clean(run, what: str) -> None:
    assert "Traceback" not in run.stderr, f"{what}: {run.stderr[-800:]}"
    if run.returncode != 0:
        lines = [line for line in run.stderr.splitlines() if line.strip()]
        assert run.returncode == 1 and len(lines) == 1 and lines[0].startswith("error: "), f"{what}: {run.stderr}"


def test_every_kept_file_damaged_is_a_clean_line_or_a_repair(pristine, tmp_path, embed_cache_dir):
    files = _kept_files(pristine)
    assert any(p.name == "chroma.sqlite3" for p in files) and any(p.name == "data_level0.bin" for p in files)
    assert any(p.parts[0] == "data" for p in files)  # the conversations database
    repaired = []
    for n, rel in enumerate(files):
        root = tmp_path / f"case-{n}"
        shutil.copytree(pristine, root, ignore=shutil.ignore_patterns("corpus"))
        os.symlink(pristine / "corpus", root / "corpus")
        _damage(root / rel, seed=n)
        env = _env(root, embed_cache_dir)
        what = f"{rel} damaged"
        ask = newsqa("ask", QUESTION, "--json", env=env)
        if ask.returncode < 0:
            # Killed by a signal: only hnswlib reading its own data file unchecked does that.
            assert rel.name in VECTOR_FILES, f"{what}: killed by signal {-ask.returncode}"
        else:
            _assert_clean(ask, what)
        if rel.parts[0] == "data":
            logs = newsqa("logs", "-n", "1", env=env)
            _assert_clean(logs, f"{what} (logs)")
            assert ask.returncode == 0 or "conversations" in ask.stderr, f"{what}: {ask.stderr}"
            continue
        if ask.returncode != 0:
            assert "newsqa repair" in ask.stderr or ask.returncode < 0, f"{what}: no cure named: {ask.stderr}"
            fix = newsqa("repair", env=env, timeout=900)
            assert fix.returncode == 0, f"{what}: repair failed: {fix.stderr}"
            repaired.append(str(rel))
            ask = newsqa("ask", QUESTION, "--json", env=env)
            assert ask.returncode == 0, f"{what}: after repair: {ask.stderr}"
        answer = json.loads(ask.stdout)
        assert answer["citations"], f"{what}: no cited answer: {ask.stdout[:300]}"
    # The database and the vector index cannot be read around: they are the ones repaired.
    assert any(r.endswith("chroma.sqlite3") for r in repaired), repaired


def test_repair_rebuilds_from_recorded_sources_when_no_record_reads(pristine, tmp_path, embed_cache_dir):
    root = tmp_path / "case"
    shutil.copytree(pristine, root)
    env = _env(root, embed_cache_dir)
    database = root / "store" / "chroma.sqlite3"
    database.write_bytes(random.Random(1).randbytes(database.stat().st_size))  # not even a header
    ask = newsqa("ask", QUESTION, env=env)
    assert ask.returncode == 1 and "is damaged" in ask.stderr and "newsqa repair" in ask.stderr, ask.stderr
    fix = newsqa("repair", "--json", env=env, timeout=900)
    assert fix.returncode == 0, fix.stderr
    report = json.loads(fix.stdout)
    assert report["damaged"] and report["articles"] == ARTICLES and report["missing"] == []
    assert Path(report["moved_to"]).is_dir()  # the damaged copy is kept, not deleted
    ask = newsqa("ask", QUESTION, "--json", env=env)
    assert ask.returncode == 0 and json.loads(ask.stdout)["citations"], ask.stderr


def test_repair_of_a_sound_store_changes_nothing_it_answers(pristine, tmp_path, embed_cache_dir):
    root = tmp_path / "case"
    shutil.copytree(pristine, root)
    env = _env(root, embed_cache_dir)
    before = newsqa("ask", QUESTION, "--json", env=env)
    fix = newsqa("repair", "--json", env=env)
    assert fix.returncode == 0, fix.stderr
    report = json.loads(fix.stdout)
    assert not report["damaged"] and report["articles"] == ARTICLES and report["moved_to"] is None
    after = newsqa("ask", QUESTION, "--json", env=env)
    assert json.loads(after.stdout)["answer"] == json.loads(before.stdout)["answer"]
