"""Saved chat conversations: SQLite in the user data dir, a versioned schema, Markdown export.

The database holds questions, answers, citations, engine, model, timings and each turn's status.
A cancelled or failed answer is stored as such ('cancelled' / 'failed'), never as 'complete'.
Nothing secret is stored: settings are not written, only the engine and model names.

The schema version lives in ``PRAGMA user_version``; ``_UPGRADES[i]`` takes a database from
version ``i`` to ``i + 1``, so an older file is upgraded in place when it is opened.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from index.errors import InputError, NewsQAError
from qa.models import Answer, Citation, SentenceCheck

STATUSES = ("complete", "cancelled", "failed")

_V1 = """
CREATE TABLE conversations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE turns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    engine TEXT,
    model TEXT,
    created_at REAL NOT NULL
);
CREATE TABLE citations (
    turn_id INTEGER NOT NULL REFERENCES turns(id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    doc_id TEXT NOT NULL,
    title TEXT NOT NULL,
    source TEXT,
    published_at TEXT,
    url TEXT,
    quote TEXT NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    supported INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX turns_by_conversation ON turns(conversation_id, position);
CREATE INDEX citations_by_turn ON citations(turn_id, n);
"""

# v2: the rewritten question, timings, warnings, the check's unsupported sentences, error text,
# whether the answer answered, and the filters a conversation was asked under.
_V2 = """
ALTER TABLE turns ADD COLUMN standalone_question TEXT;
ALTER TABLE turns ADD COLUMN answered INTEGER NOT NULL DEFAULT 1;
ALTER TABLE turns ADD COLUMN timings_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE turns ADD COLUMN warnings_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE turns ADD COLUMN unsupported_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE turns ADD COLUMN error TEXT;
ALTER TABLE conversations ADD COLUMN filters_json TEXT NOT NULL DEFAULT '{}';
"""

# v3: each sentence's support and the reason it is unsupported (shown in the chat and exports).
_V3 = """
ALTER TABLE turns ADD COLUMN sentences_json TEXT NOT NULL DEFAULT '[]';
"""

# v4: full-text search of questions and answers (`newsqa logs -q`), kept in step by triggers.
# Porter stemming: "ceasefires" finds "ceasefire". The rebuild indexes what v3 already held.
_V4 = """
CREATE VIRTUAL TABLE turns_fts USING fts5(
    question, answer, standalone_question, content='turns', content_rowid='id', tokenize='porter unicode61'
);
CREATE TRIGGER turns_fts_insert AFTER INSERT ON turns BEGIN
    INSERT INTO turns_fts (rowid, question, answer, standalone_question)
    VALUES (new.id, new.question, new.answer, new.standalone_question);
END;
CREATE TRIGGER turns_fts_delete AFTER DELETE ON turns BEGIN
    INSERT INTO turns_fts (turns_fts, rowid, question, answer, standalone_question)
    VALUES ('delete', old.id, old.question, old.answer, old.standalone_question);
END;
CREATE TRIGGER turns_fts_update AFTER UPDATE ON turns BEGIN
    INSERT INTO turns_fts (turns_fts, rowid, question, answer, standalone_question)
    VALUES ('delete', old.id, old.question, old.answer, old.standalone_question);
    INSERT INTO turns_fts (rowid, question, answer, standalone_question)
    VALUES (new.id, new.question, new.answer, new.standalone_question);
END;
INSERT INTO turns_fts (turns_fts) VALUES ('rebuild');
"""

_UPGRADES = (_V1, _V2, _V3, _V4)
SCHEMA_VERSION = len(_UPGRADES)


@dataclass
class SavedTurn:
    id: int
    question: str
    status: str
    answer: Answer
    error: str | None = None
    created_at: float = 0.0


@dataclass
class LoggedTurn:
    """A turn as the log lists it: with the conversation it belongs to and its place there."""

    conversation_id: int
    conversation_title: str
    position: int
    turn: SavedTurn


@dataclass
class Conversation:
    id: int
    title: str
    created_at: float
    updated_at: float
    turns: list[SavedTurn] = field(default_factory=list)
    n_turns: int = 0
    filters: dict = field(default_factory=dict)


def _damage_is_one_line(read):
    """A database another program changed (a table or column gone, JSON that does not parse)
    fails a read with one line saying what to do, not a traceback."""

    @functools.wraps(read)
    def guarded(self, *args, **kwargs):
        try:
            return read(self, *args, **kwargs)
        except (sqlite3.DatabaseError, ValueError, KeyError, IndexError, TypeError) as exc:
            why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise NewsQAError(
                f"the conversation database {self.path} is damaged ({why}): move it aside and newsqa starts a new one"
            ) from None

    return guarded


class ConversationStore:
    """One SQLite file of conversations. Safe to share between the UI thread and workers."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(self.path.parent, 0o700)
            if not self.path.exists():
                # Create it private before SQLite writes anything into it.
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            os.chmod(self.path, 0o600)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA busy_timeout = 5000")
            self._upgrade()
        except (OSError, sqlite3.DatabaseError) as exc:
            raise NewsQAError(f"cannot open the conversation database {self.path}: {exc}") from None
        self._lock = threading.Lock()

    # -- schema --------------------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    def _upgrade(self) -> None:
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise NewsQAError(
                f"conversation database {self.path} has schema v{version}, newer than this newsqa (v{SCHEMA_VERSION})"
            )
        for target in range(version + 1, SCHEMA_VERSION + 1):
            # One transaction per step: a failed upgrade leaves the file at the version before it.
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(_UPGRADES[target - 1]):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {target}")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    # -- writing -------------------------------------------------------------------------------
    def create(self, title: str, filters: dict | None = None) -> int:
        now = time.time()
        title = " ".join(title.split())[:120] or "untitled"
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO conversations (title, created_at, updated_at, filters_json) VALUES (?, ?, ?, ?)",
                (title, now, now, json.dumps(filters or {})),
            )
            return _new_id(cur)

    def add_turn(
        self,
        conversation_id: int,
        question: str,
        answer: Answer | None,
        status: str,
        error: str | None = None,
        partial_text: str = "",
    ) -> int:
        """Append a turn. ``answer`` is None for a cancelled or failed one (``partial_text`` is
        what had streamed by then)."""
        if status not in STATUSES:
            raise ValueError(f"unknown turn status {status!r}")
        if status == "complete" and answer is None:
            raise ValueError("a complete turn needs its answer")
        now = time.time()
        a = answer
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                position = self._db.execute(
                    "SELECT COALESCE(MAX(position), -1) + 1 FROM turns WHERE conversation_id = ?", (conversation_id,)
                ).fetchone()[0]
                cur = self._db.execute(
                    "INSERT INTO turns (conversation_id, position, question, answer, status, engine, model, "
                    "created_at, standalone_question, answered, timings_json, warnings_json, unsupported_json, error, "
                    "sentences_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        conversation_id, position, question,
                        a.text if a is not None else partial_text, status,
                        a.engine if a is not None else None, a.model if a is not None else None, now,
                        a.standalone_question if a is not None else None,
                        int(a.answered) if a is not None else 0,
                        json.dumps(a.timings_ms if a is not None else {}),
                        json.dumps(a.warnings if a is not None else []),
                        json.dumps(a.unsupported_sentences if a is not None else []),
                        error,
                        json.dumps([x.as_dict() for x in a.sentences] if a is not None else []),
                    ),
                )  # fmt: skip
                turn_id = _new_id(cur)
                for c in a.citations if a is not None else ():
                    self._db.execute(
                        "INSERT INTO citations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            turn_id,
                            c.n,
                            c.doc_id,
                            c.title,
                            c.source,
                            c.published_at,
                            c.url,
                            c.quote,
                            c.char_start,
                            c.char_end,
                            int(c.supported),
                        ),
                    )
                self._db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            return turn_id

    def rename(self, conversation_id: int, title: str) -> str:
        """Give a conversation a new title (one line, at most 120 characters); returns it as stored."""
        title = " ".join((title or "").split())[:120]
        if not title:
            raise InputError("the new title is empty")
        with self._lock:
            cur = self._db.execute("UPDATE conversations SET title = ? WHERE id = ?", (title, conversation_id))
        if cur.rowcount == 0:
            raise InputError(f"no saved conversation {conversation_id}")
        return title

    def delete(self, conversation_id: int) -> None:
        """Delete a conversation with its turns and their citations."""
        with self._lock:
            cur = self._db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
        if cur.rowcount == 0:
            raise InputError(f"no saved conversation {conversation_id}")

    # -- reading -------------------------------------------------------------------------------
    @_damage_is_one_line
    def list_conversations(self, limit: int = 100) -> list[Conversation]:
        """Conversations, most recently used first, without their turns."""
        with self._lock:
            rows = self._db.execute(
                "SELECT c.*, (SELECT COUNT(*) FROM turns t WHERE t.conversation_id = c.id) AS n "
                "FROM conversations c ORDER BY c.updated_at DESC, c.id DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [self._conversation(r, n_turns=r["n"]) for r in rows]

    def last_id(self) -> int | None:
        found = self.list_conversations(limit=1)
        return found[0].id if found else None

    @_damage_is_one_line
    def load(self, conversation_id: int) -> Conversation:
        with self._lock:
            row = self._db.execute("SELECT * FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
            if row is None:
                raise InputError(f"no saved conversation {conversation_id}")
            turns = self._db.execute(
                "SELECT * FROM turns WHERE conversation_id = ? ORDER BY position", (conversation_id,)
            ).fetchall()
            cites = self._db.execute(
                "SELECT c.* FROM citations c JOIN turns t ON t.id = c.turn_id WHERE t.conversation_id = ? "
                "ORDER BY c.turn_id, c.n",
                (conversation_id,),
            ).fetchall()
        by_turn = _citations_by_turn(cites)
        conv = self._conversation(row, n_turns=len(turns))
        conv.turns = [_saved_turn(t, by_turn) for t in turns]
        return conv

    @_damage_is_one_line
    def log(self, limit: int = 3, query: str | None = None, conversation_id: int | None = None) -> list[LoggedTurn]:
        """The last ``limit`` turns of every conversation (or of one), oldest first, as `newsqa logs`
        shows them; with ``query``, the ``limit`` best full-text matches of the question or the
        answer (every word, or word start, must occur), still oldest first."""
        where: list[str] = []
        params: list[object] = []
        if conversation_id is not None:
            where.append("t.conversation_id = ?")
            params.append(conversation_id)
        order = "t.id DESC"
        if query is not None:
            match = _fts_query(query)
            if not match:
                raise InputError("the search text is empty")
            where.append("t.id IN (SELECT rowid FROM turns_fts WHERE turns_fts MATCH ?)")
            params.append(match)
            # Best match first for the cut; ties (and the printed order) by time.
            order = "(SELECT rank FROM turns_fts WHERE turns_fts MATCH ? AND rowid = t.id), t.id DESC"
            params.append(match)
        sql = (
            "SELECT t.*, c.title AS conversation_title FROM turns t JOIN conversations c ON c.id = t.conversation_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + f" ORDER BY {order} LIMIT ?"
        )
        with self._lock:
            turns = self._db.execute(sql, (*params, limit)).fetchall()
            ids = [t["id"] for t in turns]
            cites = self._db.execute(
                f"SELECT * FROM citations WHERE turn_id IN ({','.join('?' * len(ids))}) ORDER BY turn_id, n", ids
            ).fetchall()
        by_turn = _citations_by_turn(cites)
        logged = [
            LoggedTurn(t["conversation_id"], t["conversation_title"], t["position"], _saved_turn(t, by_turn))
            for t in turns
        ]
        return sorted(logged, key=lambda x: x.turn.id)

    @_damage_is_one_line
    def recent_questions(self, limit: int = 200) -> list[str]:
        """Questions asked in any conversation, oldest first (the prompt's up/down history)."""
        with self._lock:
            rows = self._db.execute("SELECT question FROM turns ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [r[0] for r in reversed(rows)]

    @staticmethod
    def _conversation(row: sqlite3.Row, n_turns: int) -> Conversation:
        return Conversation(
            id=row["id"], title=row["title"], created_at=row["created_at"], updated_at=row["updated_at"],
            n_turns=n_turns, filters=json.loads(row["filters_json"]),
        )  # fmt: skip

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> ConversationStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _statements(script: str) -> list[str]:
    """The SQL statements of ``script``; a trigger's body holds semicolons of its own."""
    out, pending = [], ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                out.append(pending.strip())
            pending = ""
    return out


def _fts_query(text: str) -> str:
    """Words of the user's search as an FTS5 query: each quoted (so no word is read as FTS
    syntax) and a prefix, all required."""
    words = "".join(ch if ch.isalnum() else " " for ch in text).split()
    return " ".join(f'"{w}"*' for w in words)


def _citations_by_turn(rows) -> dict[int, list[Citation]]:
    by_turn: dict[int, list[Citation]] = {}
    for c in rows:
        fields = {k: c[k] for k in ("n", "doc_id", "title", "source", "published_at", "url", "quote")}
        by_turn.setdefault(c["turn_id"], []).append(
            Citation(**fields, char_start=c["char_start"], char_end=c["char_end"], supported=bool(c["supported"]))
        )
    return by_turn


def _saved_turn(t: sqlite3.Row, by_turn: dict[int, list[Citation]]) -> SavedTurn:
    answer = Answer(
        question=t["question"], text=t["answer"], answered=bool(t["answered"]),
        engine=t["engine"] or "", citations=by_turn.get(t["id"], []),
        timings_ms=json.loads(t["timings_json"]), model=t["model"],
        standalone_question=t["standalone_question"], warnings=json.loads(t["warnings_json"]),
        unsupported_sentences=json.loads(t["unsupported_json"]),
        sentences=[SentenceCheck(x["text"], list(x["citations"]), bool(x["supported"]), x.get("reason", ""))
                   for x in json.loads(t["sentences_json"])],
    )  # fmt: skip
    return SavedTurn(t["id"], t["question"], t["status"], answer, t["error"], t["created_at"])


def _new_id(cur: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just made (typed optional because other statements have none)."""
    if cur.lastrowid is None:
        raise RuntimeError("SQLite gave no row id for an INSERT")
    return cur.lastrowid
