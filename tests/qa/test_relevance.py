"""The extractive engine answers only when a sentence answers the question: its subject and what
it asks for, not shared topic words. Real embedder, real engine, articles written for this test."""

from __future__ import annotations

import pytest

from index.models import ArticleMeta, Chunk
from qa.engines import relevance
from qa.engines.extractive import ExtractiveEngine
from qa.models import Hit
from qa.query_analysis import analyse

ARTICLES = {
    "cricket": (
        "Australia edge England in Perth",
        (
            "Australia beat England by four wickets in Perth on Sunday to take the series lead. "
            "The Australia captain praised the bowlers after the close finish at the ground. "
            "England must now win both remaining matches to keep the trophy."
        ),
    ),
    "markets": (
        "Investors pull capital from small banks",
        (
            "Investors moved capital out of regional banks for a third week, fund data showed. "
            "Analysts said the shift in capital reflected worries about commercial property loans. "
            "The regional bank index fell two percent on Friday."
        ),
    ),
    "vampires": (
        "A new vampire series finds its bite",
        (
            "The series leans on the old idea of vampires as a metaphor for addiction. "
            "Its lead actor, Marta Quell, plays a night nurse who hides her hunger from her patients. "
            "The show returns for a second season in the spring."
        ),
    ),
}


def hits_of(*names: str) -> list[Hit]:
    out = []
    for rank, name in enumerate(names):
        title, body = ARTICLES[name]
        meta = ArticleMeta(doc_id=name, title=title, source="Example News", published_at="2023-11-20")
        out.append(Hit(Chunk(f"{name}#0", name, 0, body, 0, len(body)), meta, 1.0 / (rank + 1)))
    return out


@pytest.fixture(scope="module")
def engine(embedder):
    return ExtractiveEngine(embedder)


OFF_TOPIC = [
    # topic words shared one by one, no sentence about the capital of a country
    ("What is the capital of Australia?", ("cricket", "markets")),
    # every content word in one sentence, which uses it in passing and defines nothing
    ("What is a metaphor?", ("vampires", "cricket")),
    # a "who" question whose only sentences name no one the question does not already name
    ("Who invented the vampire series?", ("markets", "cricket")),
]
ON_TOPIC = [
    ("Who won the cricket match between Australia and England in Perth?", ("cricket", "markets"), "four wickets"),
    ("Why did investors move capital out of regional banks?", ("markets", "cricket"), "regional bank"),
    ("Who plays the night nurse in the vampire series?", ("vampires", "markets"), "Marta Quell"),
]


@pytest.mark.parametrize(("question", "names"), OFF_TOPIC)
def test_shared_topic_words_are_not_an_answer(engine, question, names):
    answer = engine.answer(analyse(question), hits_of(*names))
    assert not answer.answered and answer.citations == []


@pytest.mark.parametrize(("question", "names", "quoted"), ON_TOPIC)
def test_a_sentence_that_answers_is_quoted(engine, question, names, quoted):
    answer = engine.answer(analyse(question), hits_of(*names))
    assert answer.answered and quoted in answer.text


def test_without_the_subject_and_asked_for_checks_the_off_topic_questions_are_answered(engine, monkeypatch):
    # The component broken: shared words count in full and a sentence need not hold what is asked.
    monkeypatch.setattr(relevance, "SPECIFIC_WORDS", 0)
    monkeypatch.setattr(relevance, "WRONG_KIND_PENALTY", 0.0)
    answered = [engine.answer(analyse(q), hits_of(*names)).answered for q, names in OFF_TOPIC]
    assert sum(answered) >= 2, answered


@pytest.mark.parametrize(
    ("question", "sentence", "ok"),
    [
        ("When did the strike end?", "The strike ended on Thursday.", True),
        ("When did the strike end?", "The strike ended after a long dispute.", False),
        ("How many people were hurt?", "Twelve people were taken to hospital.", True),
        ("How many people were hurt?", "Several people were taken to hospital.", False),
        ("Who leads the union?", "The union is led by Maria Ortiz.", True),
        ("Who leads the Riverton union?", "The Riverton union held a vote.", False),
        ("Which company bought the port?", "The port was sold in March.", False),
        ("Which company bought the port?", "The port was bought by Harbourline in March.", True),
        ("Why did the strike end?", "Workers accepted the offer.", True),
    ],
)
def test_what_a_question_asks_for(question, sentence, ok):
    assert relevance.holds(sentence, relevance.asks_for(question), question) is ok
