"""Fixtures of several qa test modules: the small retrieval corpus of test_retrieve.py, ingested."""

from __future__ import annotations

import pytest

from index.ingest import ingest
from qa.service import NewsQA
from tests.qa.test_retrieve import ARTICLES, make_settings, write_corpus


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def qa(tmp_path_factory, cache_dir):
    """A NewsQA over the articles of test_retrieve.py (one store per test module)."""
    root = tmp_path_factory.mktemp("retrieve")
    write_corpus(root / "corpus", ARTICLES)
    settings = make_settings(root, cache_dir)
    ingest([root / "corpus"], settings)
    service = NewsQA(settings)
    yield service
    service.close()
