"""The CI gate can fail: each floor of evals/floors.toml falls when its component is broken.

The real evaluation (NewsQA on the gate corpus's own store, the offline judge, the metrics and
the floors CI uses), run three times: as it is, with retrieval returning random chunks, and with
the extractive engine's refusal off. Only the component named is replaced, each time.
"""

from __future__ import annotations

import math
import random

import pytest

from evals.aggregate import gate_failures, summarise
from evals.datasets import load_dataset
from evals.judges import make_judge
from evals.runner import evaluate
from evals.stores import corpus_store
from index.models import Chunk
from index.settings import Settings
from qa.engines import relevance
from qa.models import Hit
from qa.retrieve import Retriever
from qa.service import NewsQA
from tests.evals.test_cli import ALL_FLOORS, GATE_CORPUS, GATE_DATASETS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def qa(tmp_path_factory):
    own, _ = corpus_store(GATE_CORPUS, Settings(cache_dir=tmp_path_factory.mktemp("cache")))
    service = NewsQA(own)
    yield service
    service.close()


def failures(qa) -> dict[str, list[str]]:
    judge = make_judge("offline", qa.settings, qa.store.embedder)
    out = {}
    for section, path in GATE_DATASETS.items():
        metrics = summarise(evaluate(load_dataset(path), qa, judge), "extractive")
        out[section] = gate_failures(metrics, ALL_FLOORS[section])
    return out


def random_chunks(self: Retriever, query) -> list[Hit]:
    """Retrieval broken: top-k chunks drawn at random (seeded, so the test is repeatable)."""
    lex = self.lexical
    rows = random.Random(len(query.text)).sample(range(len(lex.chunk_ids)), min(query.top_k, len(lex.chunk_ids)))
    articles = self.store.get_articles([str(lex.doc_ids[r]) for r in rows])
    hits = []
    for r in rows:
        article = articles[str(lex.doc_ids[r])]
        a, b = (int(x) for x in lex.spans[r])
        chunk = Chunk(lex.chunk_ids[r], article.meta.doc_id, int(lex.ordinals[r]), article.body[a:b], a, b)
        hits.append(Hit(chunk, article.meta, 0.0))
    return hits


def test_the_floors_hold_as_it_is(qa):
    assert failures(qa) == {"seed": [], "seed_offtopic": []}


def test_random_retrieval_fails_the_retrieval_floors(qa, monkeypatch):
    monkeypatch.setattr(Retriever, "retrieve", random_chunks)
    failed = failures(qa)["seed"]
    assert any(line.startswith("evidence_recall@4 ") for line in failed), failed
    assert any(line.startswith("mrr@10 ") for line in failed), failed


def test_refusal_off_fails_the_offtopic_floor(qa, monkeypatch):
    monkeypatch.setattr(relevance, "MIN_EVIDENCE_SCORE", -math.inf)
    failed = failures(qa)
    assert any(line.startswith("unanswerable_refused ") for line in failed["seed_offtopic"]), failed
