"""Shared fixtures: every test runs in its own user dirs, and real stores are built once.

Like `llm`'s user-dir fixture: newsqa's settings come from NEWSQA_* variables, so each test gets
temporary data/cache/store dirs and no OpenAI variables, and nothing touches the real user dirs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.settings import Settings

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
SHARED = REPO.parent / "shared"
MULTIHOP = SHARED / "evals" / "multihop-rag"

# Fixtures several directories share (the seed hits and embedder, the llama.cpp server): registered
# once here rather than imported into each module, where they would shadow the test parameters.
pytest_plugins = ["tests.qa.seed_fixtures", "tests.llm_server"]


@pytest.fixture(scope="session")
def embed_cache_dir(tmp_path_factory) -> Path:
    """One embedding cache for the whole run: re-embedding the same texts is free."""
    return tmp_path_factory.mktemp("embed-cache")


@pytest.fixture(autouse=True)
def user_dirs(tmp_path, monkeypatch, embed_cache_dir):
    for var in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "NEWSQA_OPENAI_API_KEY",
        "NEWSQA_OPENAI_BASE_URL",
        "NEWSQA_CHROMA_URL",
        "NEWSQA_ENGINE",
        "NEWSQA_MODEL",
        "NEWSQA_COLLECTION",
        "NEWSQA_EMBEDDER",
        "NEWSQA_LLM",
        "NEWSQA_LLM_OPTIONS",
    ):
        monkeypatch.delenv(var, raising=False)
    data = tmp_path / "user-data"
    monkeypatch.setenv("NEWSQA_DATA_DIR", str(data))
    monkeypatch.setenv("NEWSQA_CACHE_DIR", str(embed_cache_dir))
    monkeypatch.setenv("NEWSQA_STORE", str(tmp_path / "store"))
    return data


@pytest.fixture
def settings(tmp_path, embed_cache_dir) -> Settings:
    return Settings(store=tmp_path / "store", data_dir=tmp_path / "user-data", cache_dir=embed_cache_dir)


@pytest.fixture(scope="session")
def seed_store_template(tmp_path_factory, embed_cache_dir) -> Path:
    """The seed corpus ingested once per run; tests copy it (see ``seed_settings``)."""
    from index.ingest import ingest

    root = tmp_path_factory.mktemp("seed-store")
    ingest([SEEDS], Settings(store=root / "store", data_dir=root / "data", cache_dir=embed_cache_dir))
    return root / "store"


@pytest.fixture
def seed_settings(tmp_path, seed_store_template, embed_cache_dir, monkeypatch) -> Settings:
    """Settings on a private copy of the seed store (safe to write to)."""
    store = tmp_path / "store"
    if store.exists():
        shutil.rmtree(store)
    shutil.copytree(seed_store_template, store)
    monkeypatch.setenv("NEWSQA_STORE", str(store))
    return Settings(store=store, data_dir=tmp_path / "user-data", cache_dir=embed_cache_dir)


def requires_shared(path: Path = MULTIHOP):
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is absent (shared eval data is optional)")
