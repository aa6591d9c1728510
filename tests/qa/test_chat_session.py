import pytest

from index.errors import InputError
from qa.chat_session import HISTORY_TURNS, ChatSession
from qa.conversations import ConversationStore
from qa.models import Answer, Filters


def answer(q: str) -> Answer:
    return Answer(question=q, text=f"About {q} [1].", answered=True, engine="extractive")


@pytest.fixture
def store(tmp_path):
    with ConversationStore(tmp_path / "c.sqlite3") as s:
        yield s


def test_turns_are_saved_as_they_end_with_their_status(store):
    session = ChatSession(store)
    t1 = session.start("What did Putin demand?")
    assert session.conversation_id is None  # nothing is saved before a turn ends
    session.complete(t1, answer("q1"))
    t2 = session.start("and then?")
    session.cancel(t2, partial="Half")
    t3 = session.start("why?")
    session.fail(t3, "LLM server is unreachable")
    saved = store.load(session.conversation_id)
    assert saved.title == "What did Putin demand?"
    assert [(t.question, t.status) for t in saved.turns] == [
        ("What did Putin demand?", "complete"),
        ("and then?", "cancelled"),
        ("why?", "failed"),
    ]
    assert t2.cancel.is_set()


def test_a_cancelled_turn_stays_cancelled_when_its_answer_arrives_late(store):
    session = ChatSession(store)
    turn = session.start("q")
    session.cancel(turn)
    session.complete(turn, answer("q"))  # the worker finished after Esc
    assert turn.status == "cancelled" and turn.answer is None
    assert [t.status for t in store.load(session.conversation_id).turns] == ["cancelled"]


def test_history_holds_only_complete_turns_before_the_question(store):
    session = ChatSession(store)
    for i in range(HISTORY_TURNS + 2):
        session.complete(session.start(f"q{i}"), answer(f"q{i}"))
    session.cancel(session.start("cancelled one"))
    pending = session.start("now")
    history = session.history(before=pending)
    assert [a.question for a in history] == [f"q{i}" for i in range(2, HISTORY_TURNS + 2)]


def test_one_question_at_a_time_and_no_empty_ones(store):
    session = ChatSession(store)
    with pytest.raises(InputError):
        session.start("   ")
    session.start("first")
    with pytest.raises(InputError, match="Esc"):
        session.start("second")


def test_resume_restores_turns_and_filters(store):
    session = ChatSession(store)
    session.filters = Filters(since_ts=1_700_000_000, sources=("BBC",))
    session.complete(session.start("q1"), answer("q1"))
    session.fail(session.start("q2"), "boom")
    resumed = ChatSession.resume(store)
    assert resumed.conversation_id == session.conversation_id
    assert resumed.filters == Filters(since_ts=1_700_000_000, sources=("BBC",))
    assert [t.status for t in resumed.turns] == ["complete", "failed"]
    assert [a.question for a in resumed.history()] == ["q1"]
    resumed.complete(resumed.start("q3"), answer("q3"))
    assert len(store.load(session.conversation_id).turns) == 3


def test_resume_and_export_need_something_saved(store):
    with pytest.raises(InputError):
        ChatSession.resume(store)
    with pytest.raises(InputError):
        ChatSession(store).export_markdown()
