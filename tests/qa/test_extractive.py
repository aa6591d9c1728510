import itertools
import threading

import pytest

from index.settings import Settings
from qa.engines import make_engine
from qa.engines.base import Cancelled
from qa.engines.extractive import REFUSAL_TEXT, ExtractiveEngine
from qa.query_analysis import analyse


def test_answers_from_the_article_with_verbatim_citations(embedder, article, hits):
    streamed: list[str] = []
    answer = ExtractiveEngine(embedder).answer(
        analyse("What are Putin's conditions for a ceasefire?"), hits, on_token=streamed.append
    )

    assert answer.answered and answer.engine == "extractive"
    assert 1 <= len(answer.citations) <= 4
    assert "".join(streamed) == answer.text
    for c in answer.citations:
        # one article: one source number, however many quotes
        assert c.n == 1 and c.supported
        assert article.body[c.char_start : c.char_end] == c.quote
        # every quoted sentence carries the marker (ALCE checks answer sentences one by one)
        assert f"{c.quote[-40:]} [1]" in answer.text
        assert (c.doc_id, c.title, c.source, c.url) == ("seed-000", article.meta.title, "RedState", article.meta.url)
    quoted = " ".join(c.quote for c in answer.citations)
    assert "withdrawal of foreign military assistance" in quoted


def test_refuses_a_question_the_article_does_not_answer(embedder, hits):
    streamed: list[str] = []
    answer = ExtractiveEngine(embedder).answer(
        analyse("What did the Federal Reserve decide about interest rates?"), hits, on_token=streamed.append
    )
    assert not answer.answered
    assert answer.text == REFUSAL_TEXT == "".join(streamed)
    assert answer.citations == []


def test_refuses_with_no_hits(embedder):
    answer = ExtractiveEngine(embedder).answer(analyse("What are Putin's conditions for a ceasefire?"), [])
    assert not answer.answered and answer.citations == []


def test_quotes_are_not_near_duplicates(embedder, hits):
    answer = ExtractiveEngine(embedder).answer(analyse("What is happening between Trump and Putin over Ukraine?"), hits)
    assert answer.answered
    quotes = [c.quote for c in answer.citations]
    assert len(set(quotes)) == len(quotes)
    spans = sorted((c.char_start, c.char_end) for c in answer.citations)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))


def test_cancel_stops_the_answer(embedder, hits):
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        ExtractiveEngine(embedder).answer(analyse("What are Putin's conditions for a ceasefire?"), hits, cancel=cancel)


def test_make_engine_builds_the_extractive_engine(embedder):
    engine = make_engine("extractive", Settings(), embedder)
    assert isinstance(engine, ExtractiveEngine) and engine.name == "extractive"


def test_make_engine_rejects_an_unknown_name(embedder):
    from index.errors import InputError

    with pytest.raises(InputError, match="unknown engine 'gpt'"):
        make_engine("gpt", Settings(), embedder)


def test_the_engine_weighs_the_outlet_and_date_the_query_read(embedder, hits):
    from dataclasses import replace

    from qa.engines import extractive
    from qa.models import Query
    from qa.outlets import OutletMatcher
    from qa.query_analysis import StoreFacts

    verge = [replace(h, meta=replace(h.meta, source="The Verge", published_at="2025-03-19T08:00:00Z")) for h in hits]
    facts = StoreFacts(OutletMatcher(["The Verge", "RedState"]), None)
    read = analyse("What does the Verge say Putin demanded for a ceasefire on 19 March 2025?", facts)
    assert read.outlets == ("The Verge",) and len(read.windows) == 1
    engine = ExtractiveEngine(embedder)
    _, with_facts = engine.select(read, verge)
    _, words_only = engine.select(Query(read.text), verge)  # the same words, unread: no outlet, no date
    bonus = extractive.OUTLET_BONUS + extractive.DATE_BONUS
    assert abs(with_facts["best"] - words_only["best"] - bonus) < 1e-6
    assert engine.answer(read, verge).query is read
