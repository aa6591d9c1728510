"""The evaluation dataset: one JSON object per line, validated on load.

Schema (documented in docs/evals.md)::

    {"id": str, "question": str,
     "answer": str | null,          # gold short answer (optional)
     "type": str | null,            # question type, for the per-type breakdown (optional)
     "answerable": bool = true,     # false: the right reply is "not found"
     "evidence": [{"doc_id"?, "url"?, "title"?, "text": str,
                   "char_start"?: int, "char_end"?: int}]}   # gold facts (optional)

Fields beyond these are ignored, so MultiHop-RAG's dev.jsonl (which adds gold_doc_ids, source,
...) loads as it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from index.errors import InputError

UNTYPED = "untyped"


@dataclass(frozen=True)
class Evidence:
    """One gold fact: a passage of an article, named by doc_id, url or title (matched in that order)."""

    text: str
    doc_id: str | None = None
    url: str | None = None
    title: str | None = None
    char_start: int | None = None
    char_end: int | None = None


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    answer: str | None = None
    type: str = UNTYPED
    answerable: bool = True
    evidence: tuple[Evidence, ...] = ()


def load_dataset(path: Path, limit: int | None = None) -> list[EvalQuestion]:
    """Read and validate ``path``; the first bad line raises InputError naming file and line."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"dataset {path} does not exist or is not a file")
    questions: list[EvalQuestion] = []
    seen: set[str] = set()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"dataset {path} cannot be read: {exc}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: not valid JSON ({exc.msg})") from None
        q = parse_question(record, where)
        if q.id in seen:
            raise InputError(f"{where}: duplicate id {q.id!r}")
        seen.add(q.id)
        questions.append(q)
        if limit is not None and len(questions) >= limit:
            break
    if not questions:
        raise InputError(f"dataset {path} holds no questions")
    return questions


def parse_question(record: object, where: str) -> EvalQuestion:
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object")
    qid = record.get("id")
    if isinstance(qid, int) and not isinstance(qid, bool):
        qid = str(qid)
    if not isinstance(qid, str) or not qid.strip():
        raise InputError(f"{where}: 'id' must be a non-empty string")
    question = record.get("question")
    if not isinstance(question, str) or not question.strip():
        raise InputError(f"{where}: 'question' must be a non-empty string")
    answer = _optional_str(record, "answer", where)
    qtype = _optional_str(record, "type", where) or UNTYPED
    answerable = record.get("answerable", True)
    if answerable is None:
        answerable = True
    if not isinstance(answerable, bool):
        raise InputError(f"{where}: 'answerable' must be true or false")
    raw_evidence = record.get("evidence") or []
    if not isinstance(raw_evidence, list):
        raise InputError(f"{where}: 'evidence' must be a list")
    evidence = tuple(_parse_evidence(e, f"{where}: evidence[{i}]") for i, e in enumerate(raw_evidence))
    return EvalQuestion(qid, question.strip(), answer, qtype, answerable, evidence)


def _parse_evidence(raw: object, where: str) -> Evidence:
    if not isinstance(raw, dict):
        raise InputError(f"{where}: expected an object")
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: 'text' must be a non-empty string")
    doc_id, url, title = (_optional_str(raw, k, where) for k in ("doc_id", "url", "title"))
    if not (doc_id or url or title):
        raise InputError(f"{where}: needs a 'doc_id', 'url' or 'title'")
    start, end = raw.get("char_start"), raw.get("char_end")
    for name, value in (("char_start", start), ("char_end", end)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            raise InputError(f"{where}: '{name}' must be a non-negative integer")
    if (start is None) != (end is None) or (start is not None and end <= start):
        raise InputError(f"{where}: 'char_start' and 'char_end' go together, start before end")
    return Evidence(text=text, doc_id=doc_id, url=url, title=title, char_start=start, char_end=end)


def _optional_str(record: dict, key: str, where: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{where}: '{key}' must be a string")
    return value.strip() or None
