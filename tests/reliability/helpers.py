"""Shared pieces of the reliability suite: a generated corpus, the CLI as a process, and a
store consistency check that reads the store the way a user's next process would."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from index.settings import Settings

REPO = Path(__file__).resolve().parents[2]

_TOPICS = [
    "harbour",
    "railway",
    "vaccine",
    "election",
    "drought",
    "satellite",
    "bakery",
    "museum",
    "copper",
    "glacier",
    "festival",
    "tariff",
    "orchestra",
    "bridge",
    "library",
    "refinery",
]
_PLACES = ["Aberdeen", "Lagos", "Osaka", "Quito", "Tartu", "Fresno", "Bergen", "Cusco", "Hobart", "Izmir"]


def write_corpus(folder: Path, n: int, *, seed: int = 7, version: int = 1, long_every: int = 5) -> list[Path]:
    """``n`` small dated news articles as JSON files (every ``long_every``-th spans several
    chunks), each named by its URL. A higher ``version`` revises every third article, so a
    re-ingest updates some (with other chunk counts) and leaves the rest unchanged."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        topic, place = _TOPICS[i % len(_TOPICS)], _PLACES[(i * 7) % len(_PLACES)]
        sentences = [
            f"Officials in {place} announced a new {topic} plan numbered {i} on Monday.",
            f"The {topic} project {i} will cost {rng.randint(2, 90)} million according to the council.",
            f"Residents of {place} said the {topic} plan {i} had been discussed for {rng.randint(2, 20)} years.",
        ]
        if i % long_every == 0:
            sentences += [f"Detail {k} of the {topic} plan {i} concerns district {k} of {place}." for k in range(40)]
        if version > 1 and i % 3 == 0:
            sentences += [f"In revision {version}, the {place} council amended plan {i} again."]
            sentences += [
                f"Extra note {k} on plan {i}, revision {version}, for the record." for k in range(20 * (i % 2))
            ]
        record = {
            "url": f"https://news.example.org/{topic}/{i}",
            "title": f"{topic.title()} plan {i} in {place}",
            "published_at": f"2024-03-{1 + i % 28:02d}",
            "source": f"The {place} Courier",
            "body": " ".join(sentences),
        }
        path = folder / f"article-{i:03d}.json"
        path.write_text(json.dumps(record), encoding="utf-8")
        paths.append(path)
    return paths


def newsqa(
    *args: str,
    env: dict | None = None,
    timeout: float = 300,
    input: str | None = None,
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "qa.cli", *args],
        capture_output=True,
        text=True,
        input=input,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        cwd=REPO,
    )


def settings_env(settings: Settings) -> dict[str, str]:
    env = {
        "NEWSQA_STORE": str(settings.store_dir),
        "NEWSQA_DATA_DIR": str(settings.data_dir),
        "NEWSQA_CACHE_DIR": str(settings.cache_dir),
        "NEWSQA_COLLECTION": settings.collection,
    }
    if settings.chroma_url:
        env["NEWSQA_CHROMA_URL"] = settings.chroma_url
    return env


@dataclass
class StoreState:
    articles: int
    chunks: int
    hashes: dict[str, str]


def check_consistent(settings: Settings) -> StoreState:
    """Open the store as the next process would and assert it is whole: every article record
    has exactly its chunks, each a verbatim slice of the record's body, no chunk lacks a record,
    no chunk appears twice, and the BM25 index lists exactly Chroma's chunks."""
    from index.lexical import sync_lexical
    from index.store import Store

    with Store.open(settings) as store, store.reading():
        metas = {m.doc_id: m for m in store.list_articles()}
        chunks = list(store.iter_chunks())
        bodies = {d: store.get_article(d).body for d in metas}
        lexical = sync_lexical(store)
        counts = store.counts()
    ids = [c.chunk_id for c, _ in chunks]
    assert len(ids) == len(set(ids)), "duplicate chunk ids"
    per_doc = Counter(c.doc_id for c, _ in chunks)
    orphans = set(per_doc) - set(metas)
    assert not orphans, f"chunks without an article record: {sorted(orphans)[:5]}"
    for doc_id, meta in metas.items():
        assert per_doc.get(doc_id, 0) == meta.n_chunks, (
            f"{doc_id}: {per_doc.get(doc_id, 0)} chunks, record says {meta.n_chunks}"
        )
    ordinals = Counter((c.doc_id, c.ordinal) for c, _ in chunks)
    assert max(ordinals.values(), default=1) == 1, "two chunks share an ordinal"
    for chunk, _ in chunks:
        assert bodies[chunk.doc_id][chunk.char_start : chunk.char_end] == chunk.text, (
            f"{chunk.chunk_id} is not from its record"
        )
    assert sorted(lexical.chunk_ids) == sorted(ids), "BM25 and Chroma disagree"
    assert counts == (len(metas), len(ids))
    return StoreState(len(metas), len(ids), {d: m.content_hash for d, m in metas.items()})
