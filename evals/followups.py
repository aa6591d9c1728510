"""`newsqa eval --followups FILE`: does a follow-up, as rewritten, retrieve what it means?

Each conversation is played through ``NewsQA.ask`` with its history, as the chat plays it (the
offline rewrite with the extractive engine, the LLM's with the openai engine). For every
follow-up turn, the gold evidence is looked for in the top 10 of three searches:

- ``rewritten``: the question as the rewrite made it standalone (what newsqa searched with);
- ``standalone``: the standalone question a person wrote for it (the target);
- ``as_asked``: the follow-up's own words, no rewrite (the floor: what ignoring history costs).

The headline is ``followup_recall_ratio`` = mean evidence recall@10 (the share of a turn's gold
facts inside its top 10 windows, as ``evals.metrics.retrieval`` finds them) of ``rewritten`` /
that of ``standalone`` (goal >= 0.9). A standalone question must also come through untouched: turns
marked ``"standalone": null`` count in ``untouched``.

File format (JSONL, one conversation per line; evidence by id and offsets, never its text)::

    {"id": str, "from": str (the source question's id, for provenance),
     "turns": [{"question": str, "standalone": str | null,
                "evidence": [{"doc_id": str, "char_start": int, "char_end": int}]}]}

The first turn's ``standalone`` is the question itself; a later turn's ``null`` says the
question already stands alone (its rewrite must equal it).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from evals.datasets import Evidence
from evals.metrics.retrieval import EvidenceSpans
from index.errors import InputError
from qa.models import Answer

DEPTH = 10
GOAL = 0.9
SEARCHES = ("rewritten", "standalone", "as_asked")


@dataclass(frozen=True)
class Turn:
    question: str
    standalone: str | None
    evidence: tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class Conversation:
    id: str
    turns: tuple[Turn, ...]


def load_followups(path: Path, limit: int | None = None) -> list[Conversation]:
    """Read and check ``path``; the first bad line raises InputError naming file and line."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"follow-up set {path} does not exist or is not a file")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"follow-up set {path} cannot be read: {exc}") from None
    out: list[Conversation] = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            out.append(_conversation(line, f"{path}:{number}"))
        if limit is not None and len(out) >= limit:
            break
    if not out:
        raise InputError(f"follow-up set {path} holds no conversations")
    return out


def _conversation(line: str, where: str) -> Conversation:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not valid JSON ({exc.msg})") from None
    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
        raise InputError(f"{where}: expected an object with a string 'id'")
    turns = record.get("turns")
    if not isinstance(turns, list) or len(turns) < 2:
        raise InputError(f"{where}: 'turns' must list at least two turns")
    parsed = []
    for i, t in enumerate(turns):
        at = f"{where}: turns[{i}]"
        if not isinstance(t, dict) or not isinstance(t.get("question"), str) or not t["question"].strip():
            raise InputError(f"{at}: 'question' must be a non-empty string")
        standalone = t.get("standalone")
        if standalone is not None and not isinstance(standalone, str):
            raise InputError(f"{at}: 'standalone' must be a string or null")
        evidence = []
        for j, e in enumerate(t.get("evidence") or []):
            ok = isinstance(e, dict) and isinstance(e.get("doc_id"), str)
            ok = ok and all(
                isinstance(e.get(k), int) and not isinstance(e.get(k), bool) for k in ("char_start", "char_end")
            )
            if not ok or e["char_start"] >= e["char_end"]:
                raise InputError(f"{at}: evidence[{j}] needs doc_id and char_start < char_end")
            evidence.append((e["doc_id"], e["char_start"], e["char_end"]))
        parsed.append(Turn(t["question"].strip(), standalone, tuple(evidence)))
    return Conversation(record["id"], tuple(parsed))


def evaluate_followups(
    conversations: Sequence[Conversation],
    qa,
    *,
    engine: str | None = None,
    depth: int = DEPTH,
    on_done: Callable[[int], None] | None = None,
) -> list[dict]:
    """One record per follow-up turn: its rewrite and, under ``recall``, the evidence
    recall@``depth`` of each search (``SEARCHES``)."""
    bodies: dict[str, str | None] = {}

    def body(doc_id: str) -> str | None:
        if doc_id not in bodies:
            article = qa.get_article(doc_id)
            bodies[doc_id] = article.body if article is not None else None
        return bodies[doc_id]

    results = []
    for n, conv in enumerate(conversations, start=1):
        history: list[Answer] = []
        for i, turn in enumerate(conv.turns):
            answer = qa.ask(turn.question, history=history, engine=engine)
            history.append(answer)
            if i == 0:
                continue
            rewritten = answer.standalone_question or answer.question
            target = turn.standalone or turn.question
            found_evidence = (_evidence(e, body) for e in turn.evidence)
            evidence = [e for e in found_evidence if e is not None]
            recall: dict[str, float | None] = {}
            record = {
                "id": f"{conv.id}#{i}",
                "question": turn.question,
                "rewrite": rewritten,
                "standalone_question": target,
                "should_stay": turn.standalone is None,
                "untouched": rewritten == turn.question,
                "recall": recall,
            }
            for name, text in zip(SEARCHES, (rewritten, target, turn.question), strict=True):
                ranked = qa.retrieve(qa.make_query(text, top_k=depth))
                spans = EvidenceSpans(evidence, ranked, body)
                found = sum(spans.found(j, ranked) for j in range(len(evidence)))
                recall[name] = found / len(evidence) if evidence else None
            results.append(record)
        if on_done is not None:
            on_done(n)
    return results


def _evidence(span: tuple[str, int, int], body) -> Evidence | None:
    doc_id, start, end = span
    text = body(doc_id)
    if text is None or end > len(text):
        return None
    return Evidence(text=text[start:end], doc_id=doc_id, char_start=start, char_end=end)


def summarise_followups(results: Sequence[dict]) -> dict:
    scored = [r for r in results if all(r["recall"][s] is not None for s in SEARCHES)]
    out: dict = {"followups": len(results), "scored": len(scored)}
    for s in SEARCHES:
        out[f"{s}_recall"] = _mean([r["recall"][s] for r in scored])
    base = out["standalone_recall"]
    out["followup_recall_ratio"] = round(out["rewritten_recall"] / base, 3) if base else None
    stay = [r for r in results if r["should_stay"]]
    out["standalone_untouched"] = _mean([float(r["untouched"]) for r in stay]) if stay else None
    out["goal"] = GOAL
    return out


def summary_lines(metrics: dict) -> list[str]:
    lines = [f"{metrics['followups']} follow-ups ({metrics['scored']} with gold evidence found in the store)"]
    for s in SEARCHES:
        lines.append(f"  {s:<10} evidence recall@{DEPTH} {metrics[f'{s}_recall']:.3f}")
    ratio = metrics["followup_recall_ratio"]
    lines.append(f"  rewritten / standalone recall: {ratio if ratio is not None else 'n/a'} (goal >= {GOAL})")
    if metrics["standalone_untouched"] is not None:
        lines.append(f"  standalone follow-ups left untouched: {metrics['standalone_untouched']:.3f}")
    return lines


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 3) if values else 0.0
