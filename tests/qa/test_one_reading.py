"""One reading of the question: retrieval, the engine and condense see the same outlets and dates,
read once against the facts of the retriever's snapshot (a real store built by the real ingest)."""

from __future__ import annotations

from datetime import UTC, datetime

from index.ingest import ingest
from qa.service import NewsQA
from tests.qa.test_retrieve import ARTICLES, make_settings, write_corpus

NOVEMBER_2023 = (
    int(datetime(2023, 11, 1, tzinfo=UTC).timestamp()),
    int(datetime(2023, 12, 1, tzinfo=UTC).timestamp()) - 1,
)


def test_retrieval_engine_and_condense_agree_on_outlets_and_dates(qa):
    # the user says "CBS Sports"; the store knows the outlet as "CBSSports.com"
    first = qa.ask("What did CBS Sports report about the harbour derby in November 2023?")
    query = first.query
    assert query.outlets == ("CBSSports.com",)
    assert query.windows == (NOVEMBER_2023,)
    # retrieval read it: the named outlet's article comes first
    assert first.retrieved[0].meta.source == "CBSSports.com"
    # the engine answered that same reading, and quoted that outlet
    assert first.answered and first.citations[0].source == "CBSSports.com"

    # condense reads the previous turn the same way: the follow-up keeps its outlet and month
    second = qa.ask("and who scored the winning goal?", history=[first])
    assert second.standalone_question and second.standalone_question != second.question
    assert second.query.outlets == ("CBSSports.com",)
    assert second.query.windows == (NOVEMBER_2023,)
    assert second.retrieved[0].meta.doc_id == "cbs-derby"
    assert "final minute" in " ".join(c.quote for c in second.citations)


def test_the_store_facts_are_the_snapshots_and_follow_a_refresh(tmp_path, cache_dir):
    settings = make_settings(tmp_path, cache_dir)
    write_corpus(tmp_path / "one", {k: ARTICLES[k] for k in ("verge-bikes", "cbs-derby")})
    ingest([tmp_path / "one"], settings)
    service = NewsQA(settings)
    try:
        question = "What did the Guardian report about the harbour ferry strike?"
        assert service.make_query(question).outlets == ()  # no such outlet stored yet
        write_corpus(tmp_path / "two", {"guardian-ferry": ARTICLES["guardian-ferry"]})
        ingest([tmp_path / "two"], settings)
        answer = service.ask(question)  # another ingest changed the store: the snapshot is renewed
        assert answer.query.outlets == ("The Guardian",)
        assert answer.retrieved[0].meta.doc_id == "guardian-ferry"
    finally:
        service.close()
