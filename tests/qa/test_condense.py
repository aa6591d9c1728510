import socket

import pytest

from index.settings import Settings
from qa.condense import condense
from qa.followups import leans_on_history, rewrite
from qa.models import Answer, Citation
from qa.outlets import OutletMatcher
from qa.query_analysis import StoreFacts, names_in
from tests.qa.chat_stub_server import ChatStubServer


def cite(source: str) -> Citation:
    return Citation(
        n=1,
        doc_id="d",
        title="T",
        source=source,
        published_at="2025-03-19T00:03:00",
        url=None,
        quote="q",
        char_start=0,
        char_end=1,
    )


PREV = Answer(
    question="What are Putin's conditions for a ceasefire?",
    text="From the Kremlin's side, Putin's conditions include an end to aid to Ukraine [1].",
    answered=True,
    engine="extractive",
    citations=[cite("RedState")],
)


@pytest.mark.parametrize(
    "question",
    [
        "and what did Trump demand?",
        "when was that?",
        "what did the other outlet say?",
        "Why?",
        "what happened next",
        "What did they agree on?",
    ],
)
def test_questions_that_lean_on_the_conversation(question):
    assert leans_on_history(question)


@pytest.mark.parametrize(
    "question",
    [
        "Who is Steve Witkoff?",
        "What did Fox News report about Elon Musk on March 3, 2024?",
    ],
)
def test_standalone_questions_are_left_alone(question):
    assert not leans_on_history(question)
    assert rewrite(question, [PREV]) == question
    assert condense(question, [PREV]) == question


def test_names_keep_their_case_and_drop_filler():
    assert names_in("What did Vladimir Putin tell the United States of America on Monday?") == [
        "Vladimir Putin",
        "United States of America",
    ]


LONG = (
    "Does the TechCrunch article report that the startup raised money from investors who said that it was growing "
    "fast, while The Verge article says that Anthropic, which it competes with in Moscow, has trained larger models "
    "than OpenAI and Google, and that it plans to release a new chatbot called Claude to businesses in Europe and "
    "the United States before the end of the year, according to people familiar with the plans who asked not to be "
    "named because the talks are private, and what did Sam Altman say about it in his blog post published in "
    "October that year, and how did investors in San Francisco react to it over the following weeks?"
)


def test_a_long_self_contained_question_is_not_touched():
    assert len(LONG) > 600
    assert not leans_on_history(LONG)
    assert rewrite(LONG, [PREV]) == LONG


def test_a_follow_up_carries_the_previous_subject_not_the_answers_names():
    # the answer names the Kremlin and Ukraine; the question was about Putin's ceasefire terms
    assert rewrite("and when was that?", [PREV]) == "When was that (Putin's conditions for a ceasefire)?"
    kursk = rewrite("What about Kursk?", [PREV])
    assert kursk == "What about Kursk (conditions for a ceasefire)?"
    assert (
        rewrite("and what did Trump demand?", [PREV]) == "What did Trump demand (Putin's conditions for a ceasefire)?"
    )


def test_pronouns_are_replaced_by_who_they_stand_for():
    assert (
        rewrite("What did he say about Ukraine?", [PREV])
        == "What did Putin say about Ukraine (conditions for a ceasefire)?"
    )
    prev = Answer(question="Who is Sam Bankman-Fried?", text="The FTX founder [1].", answered=True, engine="extractive")
    assert rewrite("What was he convicted of?", [prev]) == "What was Sam Bankman-Fried convicted of?"
    assert rewrite("How old is his company?", [prev]) == "How old is Sam Bankman-Fried's company?"
    # a pronoun after a name of the question's own is that name's
    assert not leans_on_history("Did Elon Musk say he would sell Twitter to a new owner?")


def test_an_ellipsis_asks_the_previous_question_of_the_new_outlet():
    facts = StoreFacts(OutletMatcher(["RedState", "Fox News", "CBSSports.com"]), None)
    prev = Answer(question="What did Fox News say about the ceasefire talks?", text="x", answered=True, engine="e")
    assert rewrite("What about CBS Sports?", [prev], facts) == "What did CBS Sports say about the ceasefire talks?"
    assert rewrite("And RedState?", [prev], facts) == "What did RedState say about the ceasefire talks?"


def test_offline_rewrite_carries_dates_and_outlets_and_picks_the_other_outlet():
    prev = Answer(
        question="What did Fox News and RedState say about Trump on March 19, 2025?",
        text="Trump spoke [1].",
        answered=True,
        engine="extractive",
        citations=[cite("RedState")],
    )
    facts = StoreFacts(OutletMatcher(["RedState", "Fox News", "BBC"]), None)
    assert rewrite("what did the other outlet say?", [prev], facts) == "What did Fox News say (Trump; March 19, 2025)?"
    assert (
        rewrite("what did they say then?", [prev], facts)
        == "What did they say on March 19, 2025 (Trump; Fox News; RedState)?"
    )
    assert (
        rewrite("and what did Putin say?", [prev], facts)
        == "What did Putin say (Trump; Fox News; RedState; March 19, 2025)?"
    )


def test_a_vague_previous_question_lends_the_names_of_its_answer():
    prev = Answer(
        question="What happened?",
        text="Elon Musk sued OpenAI [1]. Musk said OpenAI lied [1].",
        answered=True,
        engine="extractive",
    )
    assert rewrite("why did he do it?", [prev]) == "Why did Elon Musk do it (OpenAI)?"


def test_chains_keep_the_context_of_the_rewritten_question():
    second = Answer(
        question="when was that?",
        standalone_question="When was that (Putin's conditions for a ceasefire)?",
        text="In March [1].",
        answered=True,
        engine="extractive",
    )
    assert rewrite("and why?", [PREV, second]) == "Why (Putin's conditions for a ceasefire)?"


def test_the_llm_rewrites_with_the_openai_engine(tmp_path):
    with ChatStubServer(condense_reply="Standalone question: When did Putin set his ceasefire conditions?") as srv:
        settings = Settings(data_dir=tmp_path, openai_base_url=srv.base_url, engine="openai")
        got = condense("when was that?", [PREV], settings=settings)
        (request,) = srv.requests
    assert got == "When did Putin set his ceasefire conditions?"
    assert not request.get("stream")
    assert "Putin's conditions" in request["messages"][-1]["content"]
    assert request["messages"][-1]["content"].rstrip().endswith("Standalone question:")


def test_an_unreachable_llm_falls_back_to_the_offline_rewrite(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed when the block ends: nothing listens there

    settings = Settings(data_dir=tmp_path, openai_base_url=f"http://127.0.0.1:{port}/v1", engine="openai")
    assert (
        condense("when was that?", [PREV], settings=settings) == "When was that (Putin's conditions for a ceasefire)?"
    )
