"""Hybrid retrieval over a real store built by the real ingest from small articles written here."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from index.ingest import ingest
from index.lexical import sync_lexical
from index.settings import Settings
from index.store import Store
from qa.dates import parse_user_date
from qa.models import Filters
from qa.retrieve import Tuning
from qa.service import NewsQA

FILLER = (
    "Officials said more details would follow in the coming weeks. "
    "Residents were invited to share their views at a public meeting. "
    "The council has not yet published a full budget for the work. "
)

ARTICLES = {
    "verge-bikes": (
        "The Verge",
        "2023-10-03",
        "Riverton opens its new bike lanes",
        "Riverton opened twelve kilometres of protected bike lanes on Monday. "
        "The bike lanes connect the harbour with the university campus. " + FILLER,
    ),
    "tc-bikes": (
        "TechCrunch",
        "2023-10-04",
        "Riverton bike lanes open to riders",
        "Riverton's protected bike lanes opened to riders this week. "
        "The new bike lanes link the harbour to the university. " + FILLER,
    ),
    "guardian-ferry": (
        "The Guardian",
        "2023-12-12",
        "Harbour ferry strike ends",
        "The harbour ferry strike ended after the union accepted a pay offer of six percent. "
        "Ferries to the islands resume on Thursday. " + FILLER,
    ),
    "guardian-ferry-old": (
        "The Guardian",
        "2023-10-02",
        "Harbour ferry strike begins",
        "The harbour ferry strike began as the union rejected a pay offer of three percent. "
        "Ferries to the islands are cancelled until further notice. " + FILLER,
    ),
    "cbs-derby": (
        "CBSSports.com",
        "2023-11-20",
        "Riverton wins the harbour derby",
        "Riverton beat Portside two goals to one in the harbour derby. "
        "The winning goal came from a corner in the final minute. " + FILLER,
    ),
    "guardian-stadium": (
        "The Guardian",
        "2023-11-21",
        "Stadium plans divide the city",
        " ".join(
            f"The stadium plan for the harbour derby ground drew objection number {i} from residents near the harbour."
            for i in range(1, 40)
        ),
    ),
    "fox-sleep": (
        "FOX News - Health",
        "2023-12-15",
        "Sleep and screens",
        "Teenagers who use screens late at night sleep forty minutes less, a study found. " + FILLER,
    ),
}


def write_corpus(folder: Path, articles: dict[str, tuple[str, str, str, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id, (source, date, title, body) in articles.items():
        record = {"doc_id": doc_id, "title": title, "source": source, "published_at": date, "body": body}
        (folder / f"{doc_id}.json").write_text(json.dumps(record), encoding="utf-8")


def make_settings(root: Path, cache_dir: Path) -> Settings:
    return Settings(store=root / "store", data_dir=root / "data", cache_dir=cache_dir, chunk_chars=300)


def ask(qa: NewsQA, question: str, filters: Filters = Filters(), top_k: int = 4):
    return qa.retrieve(qa.make_query(question, filters, top_k))


def test_since_until_and_source_filters_restrict_every_hit(qa):
    since = parse_user_date("2023-11-01", "--since")
    until = parse_user_date("2023-11-30", "--until", end_of_day=True)
    hits = ask(qa, "harbour", Filters(since_ts=since, until_ts=until), top_k=8)
    assert hits
    assert all(since <= h.meta.published_ts <= until for h in hits)
    assert {h.meta.doc_id for h in hits} <= {"cbs-derby", "guardian-stadium"}

    hits = ask(qa, "harbour", Filters(sources=("the guardian",)), top_k=8)
    assert hits and {h.meta.source for h in hits} == {"The Guardian"}

    # a filter the question contradicts still wins: outlets named in the question only steer
    hits = ask(qa, "What did The Verge say about the bike lanes?", Filters(sources=("TechCrunch",)), top_k=8)
    assert hits and {h.meta.source for h in hits} == {"TechCrunch"}


@pytest.mark.parametrize(
    ("question", "outlet"),
    [
        ("What did The Verge report about Riverton's bike lanes?", "The Verge"),
        ("What did TechCrunch report about Riverton's bike lanes?", "TechCrunch"),
        ("according to the verge, where do the bike lanes go?", "The Verge"),
        ("Where do the bike lanes go, according to a Tech Crunch article?", "TechCrunch"),
    ],
)
def test_an_outlet_named_in_the_question_is_preferred(qa, question, outlet):
    query = qa.make_query(question, Filters(), 4)
    assert query.outlets == (outlet,)
    hits = qa.retrieve(query)
    assert hits[0].meta.source == outlet


def test_last_week_resolves_against_the_newest_article(qa):
    query = qa.make_query("Why did the harbour ferry strike end last week?", Filters(), 4)
    newest = parse_user_date("2023-12-15", "newest")  # the FOX article, not today's date
    assert query.windows and query.windows[0][1] == newest
    assert query.windows[0][0] == newest - 7 * 86_400
    assert ask(qa, "What happened to the harbour ferry strike last week?")[0].meta.doc_id == "guardian-ferry"
    assert ask(qa, "What happened to the harbour ferry strike in early October?")[0].meta.doc_id == "guardian-ferry-old"


def test_a_two_outlet_comparison_gets_chunks_of_both(qa):
    # The Guardian's stadium article has many chunks about the derby ground; CBS has one short one.
    question = (
        "Does The Guardian's article on the harbour derby ground agree with the "
        "CBSSports.com report about the harbour derby?"
    )
    query = qa.make_query(question, Filters(), 3)
    assert set(query.outlets) == {"The Guardian", "CBSSports.com"}
    assert len(query.parts) == 2
    hits = qa.retrieve(query)
    assert len(hits) == 3
    assert {"The Guardian", "CBSSports.com"} <= {h.meta.source for h in hits}


def test_one_article_does_not_fill_the_top_k(qa):
    hits = ask(qa, "objections to the stadium plan from residents near the harbour", top_k=5)
    docs = [h.meta.doc_id for h in hits]
    assert docs.count("guardian-stadium") <= Tuning().per_doc < 5


@pytest.mark.parametrize("k", [1, 3, 6])
def test_top_k_is_honoured(qa, k):
    hits = ask(qa, "harbour", top_k=k)
    assert len(hits) == k
    assert len({h.chunk.chunk_id for h in hits}) == k
    assert [h.score for h in hits if h.score] == sorted([h.score for h in hits if h.score], reverse=True) or k == 1


def test_bm25_and_chroma_stay_in_step_after_a_changed_article_is_reingested(tmp_path, cache_dir):
    corpus = {k: ARTICLES[k] for k in ("verge-bikes", "cbs-derby", "fox-sleep")}
    write_corpus(tmp_path / "corpus", corpus)
    settings = make_settings(tmp_path, cache_dir)
    ingest([tmp_path / "corpus"], settings)
    source, date, title, _ = corpus["verge-bikes"]
    corpus["verge-bikes"] = (source, date, title, "The zorblat tram line replaces the bike lanes. " + FILLER)
    write_corpus(tmp_path / "corpus", corpus)
    ingest([tmp_path / "corpus"], settings)

    with Store.open(settings) as store:
        lexical = sync_lexical(store)
        assert sorted(lexical.chunk_ids) == sorted(store.chunk_doc_ids())
        assert lexical.search("kilometres protected", 5) == []  # the old text is gone from BM25
    service = NewsQA(settings)
    try:
        hits = ask(service, "zorblat tram", top_k=1)
        assert "zorblat" in hits[0].chunk.text
        assert (
            hits[0].chunk.text
            == service.get_article("verge-bikes").body[hits[0].chunk.char_start : hits[0].chunk.char_end]
        )
    finally:
        service.close()


def test_hits_are_verbatim_windows_wider_than_one_chunk(qa):
    hits = ask(qa, "objections to the stadium plan from residents near the harbour", top_k=5)
    width = Tuning().window_chars
    body = qa.get_article("guardian-stadium").body
    stadium = [h.chunk for h in hits if h.meta.doc_id == "guardian-stadium"]
    assert stadium
    for h in hits:
        article = qa.get_article(h.meta.doc_id)
        assert h.chunk.text == article.body[h.chunk.char_start : h.chunk.char_end]
        assert len(h.chunk.text) <= width
    # the article is longer than a window: its best window is as wide as the width allows (chunks
    # are 300 characters), and no two of them overlap by more than the one sentence chunks share
    assert len(body) > width
    assert len(stadium[0].text) > width - 300
    ordered = sorted(stadium, key=lambda c: c.char_start)
    for a, b in itertools.pairwise(ordered):
        assert body[b.char_start : a.char_end].count(". ") <= 1


def test_dense_search_by_id_list_equals_the_metadata_filter(qa):
    """Retrieval hands Chroma the allowed chunk ids instead of a ``where`` (several times faster);
    both must pick the same chunks, and a stale list (a chunk deleted since) falls back to ``where``."""
    store = qa.store
    where = {"source_key": {"$in": ["the guardian"]}}
    guardian = [
        cid
        for cid, key in zip(qa.retriever.lexical.chunk_ids, qa.retriever.lexical.source_keys, strict=True)
        if key == "the guardian"
    ]
    vector = store.embedder.embed(["harbour ferry strike pay offer"])[0]
    by_filter = store.dense_search(vector, 6, where)
    assert len(by_filter) == 6
    assert store.dense_search(vector, 6, where, ids=guardian) == by_filter
    assert store.dense_search(vector, 6, where, ids=[*guardian, "gone#0"]) == by_filter
    assert store.dense_search(vector, 6, where, ids=[]) == []
    assert {cid.split("#")[0] for cid, _ in by_filter} <= {"guardian-ferry", "guardian-ferry-old", "guardian-stadium"}
