import sqlite3
import stat

import pytest

from index.errors import InputError, NewsQAError
from qa.conversations import _UPGRADES, SCHEMA_VERSION, ConversationStore
from qa.export import export_markdown
from qa.models import Answer, Citation


def cited_answer(question="What did Putin demand?") -> Answer:
    c = Citation(
        n=1,
        doc_id="d1",
        title="Talks \x1b[31mtitle",
        source="RedState",
        published_at="2025-03-19T00:03:00",
        url="https://example.org/a",
        quote="Putin demanded an end to aid.",
        char_start=10,
        char_end=39,
    )
    return Answer(
        question=question,
        text="Putin demanded an end to aid [1].",
        answered=True,
        engine="openai",
        citations=[c],
        model="gpt-4o-mini",
        standalone_question="What did Vladimir Putin demand?",
        timings_ms={"total": 12.5},
        warnings=["w"],
        unsupported_sentences=[],
    )


def test_turns_round_trip_with_citations_statuses_and_timings(tmp_path):
    with ConversationStore(tmp_path / "data" / "c.sqlite3") as store:
        cid = store.create("What did Putin demand?")
        store.add_turn(cid, "What did Putin demand?", cited_answer(), "complete")
        store.add_turn(cid, "and then?", None, "cancelled", partial_text="Half an ans")
        store.add_turn(cid, "why?", None, "failed", error="LLM server 127.0.0.1:9 is unreachable")
        conv = store.load(cid)
    assert [t.status for t in conv.turns] == ["complete", "cancelled", "failed"]
    first = conv.turns[0].answer
    assert first.citations[0].quote == "Putin demanded an end to aid."
    assert (first.citations[0].char_start, first.citations[0].char_end) == (10, 39)
    assert first.engine == "openai" and first.model == "gpt-4o-mini"
    assert first.timings_ms == {"total": 12.5}
    assert first.standalone_question == "What did Vladimir Putin demand?"
    assert conv.turns[1].answer.text == "Half an ans" and not conv.turns[1].answer.citations
    assert conv.turns[2].error.endswith("unreachable")


def test_a_complete_turn_needs_an_answer_and_statuses_are_closed(tmp_path):
    with ConversationStore(tmp_path / "c.sqlite3") as store:
        cid = store.create("q")
        with pytest.raises(ValueError):
            store.add_turn(cid, "q", None, "complete")
        with pytest.raises(ValueError):
            store.add_turn(cid, "q", cited_answer(), "done")


def test_file_is_private(tmp_path):
    path = tmp_path / "user" / "conversations.sqlite3"
    ConversationStore(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_v1_database_is_upgraded_in_place(tmp_path):
    path = tmp_path / "c.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(_UPGRADES[0])
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO conversations (title, created_at, updated_at) VALUES ('old chat', 1, 2)")
    db.execute(
        "INSERT INTO turns (conversation_id, position, question, answer, status, engine, created_at) "
        "VALUES (1, 0, 'old question', 'old answer [1].', 'complete', 'extractive', 3)"
    )
    db.execute("INSERT INTO citations VALUES (1, 1, 'd1', 'T', 'BBC', '2024-01-01', NULL, 'q', 0, 1, 1)")
    db.commit()
    db.close()

    with ConversationStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION == 4
        conv = store.load(1)
        assert conv.title == "old chat"
        (turn,) = conv.turns
        assert turn.answer.text == "old answer [1]." and turn.answer.citations[0].source == "BBC"
        assert turn.answer.timings_ms == {} and turn.answer.standalone_question is None
        store.add_turn(1, "new question", cited_answer(), "complete")
        assert [t.question for t in store.load(1).turns] == ["old question", "new question"]
    with ConversationStore(path) as store:  # opening again upgrades nothing and keeps everything
        assert store.schema_version == 4 and len(store.load(1).turns) == 2
        # v4's search index holds what the older file had, and what came after.
        assert [t.turn.question for t in store.log(query="old")] == ["old question"]
        assert [t.turn.question for t in store.log(query="question")] == ["old question", "new question"]


def test_newer_schema_is_refused_with_one_line(tmp_path):
    path = tmp_path / "c.sqlite3"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(NewsQAError, match="v99") as err:
        ConversationStore(path)
    assert "\n" not in str(err.value)


def test_list_last_and_recent_questions(tmp_path):
    with ConversationStore(tmp_path / "c.sqlite3") as store:
        a = store.create("first")
        b = store.create("second")
        store.add_turn(a, "qa1", cited_answer(), "complete")  # a is now the most recently used
        store.add_turn(b, "qb1", None, "cancelled")
        store.add_turn(a, "qa2", None, "failed", error="x")
        assert [c.id for c in store.list_conversations()] == [a, b]
        assert store.last_id() == a
        assert store.list_conversations()[0].n_turns == 2
        assert store.recent_questions() == ["qa1", "qb1", "qa2"]
        store.delete(a)
        assert store.last_id() == b


def test_markdown_export_has_sources_and_no_escapes(tmp_path):
    with ConversationStore(tmp_path / "c.sqlite3") as store:
        cid = store.create("Putin talks")
        store.add_turn(cid, "What did Putin demand?", cited_answer(), "complete")
        store.add_turn(cid, "and then?", None, "cancelled", partial_text="Half")
        md = export_markdown(store.load(cid), with_dates=False)
    assert md.startswith("# Putin talks\n")
    assert "## 1. What did Putin demand?" in md
    assert "_Asked as: What did Vladimir Putin demand?_" in md
    assert "Putin demanded an end to aid [1]." in md
    assert "1. **Talks title** — RedState, 19 Mar 2025 <https://example.org/a>" in md
    assert "> Putin demanded an end to aid." in md
    assert "_Answer cancelled._" in md
    assert "\x1b" not in md


def test_export_of_an_answer_carrying_escapes_and_bidi_is_inert(tmp_path):
    hostile = cited_answer()
    hostile.text = "Putin \x1b]0;pwned\x07demanded\x1b[2J \u202eend\u2069 of aid\x9b [1]."
    with ConversationStore(tmp_path / "c.sqlite3") as store:
        cid = store.create("t")
        store.add_turn(cid, "q", hostile, "complete")
        md = export_markdown(store.load(cid))
    assert not any(c in md for c in "\x1b\x07\x9b\u202e\u2069")
    assert "Putin demanded end of aid [1]." in md


@pytest.mark.parametrize(
    "damage",
    [
        "DROP TABLE citations",
        "ALTER TABLE turns DROP COLUMN warnings_json",
        "UPDATE turns SET timings_json = '{not json'",
        "UPDATE conversations SET filters_json = 'nope'",
    ],
)
def test_a_damaged_database_fails_a_read_with_one_line(tmp_path, damage):
    path = tmp_path / "c.sqlite3"
    with ConversationStore(path) as store:
        cid = store.create("t")
        store.add_turn(cid, "q", cited_answer(), "complete")
    with sqlite3.connect(path) as db:
        db.execute(damage)
    with ConversationStore(path) as store, pytest.raises(NewsQAError) as info:
        store.load(cid)
    message = str(info.value)
    assert message.startswith(f"the conversation database {path} is damaged (") and "\n" not in message
    assert message.endswith("move it aside and newsqa starts a new one")


def test_rename_and_delete_and_their_missing_ids(tmp_path):
    with ConversationStore(tmp_path / "c.sqlite3") as store:
        cid = store.create("What did Putin demand?")
        store.add_turn(cid, "What did Putin demand?", cited_answer(), "complete")
        assert store.rename(cid, "  Putin's\n  demands ") == "Putin's demands"
        assert store.load(cid).title == "Putin's demands"
        assert len(store.rename(cid, "x" * 300)) == 120
        with pytest.raises(InputError, match="title is empty"):
            store.rename(cid, " \t")
        with pytest.raises(InputError, match="no saved conversation 99"):
            store.rename(99, "t")
        store.delete(cid)
        with pytest.raises(InputError, match=f"no saved conversation {cid}"):
            store.load(cid)
        with pytest.raises(InputError, match=f"no saved conversation {cid}"):
            store.delete(cid)
        # Its turns and citations went with it: nothing left to list or find.
        assert store.log() == [] and store.log(query="Putin") == []


def test_log_lists_the_last_turns_oldest_first_with_their_conversation(tmp_path):
    with ConversationStore(tmp_path / "c.sqlite3") as store:
        a = store.create("first")
        b = store.create("second")
        store.add_turn(a, "qa1", cited_answer("qa1"), "complete")
        store.add_turn(b, "qb1", None, "failed", error="server down")
        store.add_turn(a, "qa2", cited_answer("qa2"), "complete")
        logged = store.log(limit=2)
        assert [(x.conversation_id, x.conversation_title, x.position, x.turn.question) for x in logged] == [
            (b, "second", 0, "qb1"),
            (a, "first", 1, "qa2"),
        ]
        assert logged[0].turn.status == "failed" and logged[0].turn.error == "server down"
        assert logged[1].turn.answer.citations[0].quote == "Putin demanded an end to aid."
        assert [x.turn.question for x in store.log(limit=10, conversation_id=a)] == ["qa1", "qa2"]


def test_search_matches_words_stems_and_word_starts_never_fts_syntax(tmp_path):
    with ConversationStore(tmp_path / "c.sqlite3") as store:
        cid = store.create("t")
        store.add_turn(cid, "What are the ceasefire terms?", cited_answer("What are the ceasefire terms?"), "complete")
        store.add_turn(cid, "Who is Witkoff?", None, "cancelled", partial_text="Steve Witkoff is an envoy")

        def found(text):
            return [x.turn.question for x in store.log(limit=10, query=text)]

        assert found("ceasefires") == ["What are the ceasefire terms?"]  # stemmed
        assert found("Witk") == ["Who is Witkoff?"]  # a word's start
        assert found("envoy") == ["Who is Witkoff?"]  # the answer is searched too
        assert found("demanded aid") == ["What are the ceasefire terms?"]  # every word, anywhere
        assert found("ceasefire envoy") == []
        # Quotes, operators and column filters are words to find, not FTS5 syntax to obey.
        assert found('"Witkoff" OR NEAR(') == []
        assert found("question: Witkoff*") == []
        assert found('Witkoff"') == ["Who is Witkoff?"]
        with pytest.raises(InputError, match="search text is empty"):
            store.log(query=' "* ')
