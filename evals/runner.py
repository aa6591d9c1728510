"""Run a dataset through newsqa and score each answer: the one loop behind `newsqa eval`.

newsqa is used through its public surface only: ``NewsQA.ask`` for the answer (what a user
gets), ``NewsQA.retrieve`` for the top 10 when the engine sees fewer, ``get_article`` for the
bodies that citations and gold evidence point into.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from evals.datasets import EvalQuestion
from evals.judges import Judge
from evals.metrics.answers import is_correct
from evals.metrics.citations import citation_metrics, verbatim_share
from evals.metrics.faithfulness import faithfulness
from evals.metrics.retrieval import retrieval_metrics
from qa.models import Answer, Hit

RETRIEVAL_DEPTH = 10


class _Bodies:
    """Article bodies by doc_id, fetched once per run."""

    def __init__(self, qa):
        self.qa = qa
        self.cache: dict[str, str | None] = {}

    def __call__(self, doc_id: str) -> str | None:
        if doc_id not in self.cache:
            article = self.qa.get_article(doc_id)
            self.cache[doc_id] = article.body if article is not None else None
        return self.cache[doc_id]


def evaluate(
    questions: Sequence[EvalQuestion],
    qa,
    judge: Judge,
    *,
    engine: str | None = None,
    on_done: Callable[[int], None] | None = None,
) -> list[dict]:
    """One result record per question (see docs/evals.md, results.jsonl)."""
    bodies = _Bodies(qa)
    results = []
    for i, q in enumerate(questions, start=1):
        started = time.perf_counter()
        answer = qa.ask(q.question, engine=engine)
        latency_ms = (time.perf_counter() - started) * 1000
        ranked = answer.retrieved
        if q.evidence and len(ranked) < RETRIEVAL_DEPTH:
            ranked = qa.retrieve(qa.make_query(q.question, top_k=RETRIEVAL_DEPTH))
        results.append(score_answer(q, answer, ranked, judge, bodies, latency_ms))
        if on_done is not None:
            on_done(i)
    return results


def citation_passages(answer: Answer) -> dict[int, str]:
    """Each citation's source passage: the retrieved chunk that holds its quote (ALCE judges the
    cited passage, not the quote alone), or the quote when no retrieved chunk holds it. Several
    quotes under one number (one article) give the passages of all of them."""
    out = {}
    for c in answer.citations:
        chunk = next(
            (
                h.chunk
                for h in answer.retrieved
                if h.chunk.doc_id == c.doc_id and h.chunk.char_start <= c.char_start and c.char_end <= h.chunk.char_end
            ),
            None,
        )
        passage = chunk.text if chunk is not None else c.quote
        # one number may stand for several quotes of its article: their passages together
        if c.n not in out:
            out[c.n] = passage
        elif passage not in out[c.n]:
            out[c.n] += "\n" + passage
    return out


def score_answer(
    q: EvalQuestion, answer: Answer, ranked: Sequence[Hit], judge: Judge, body_of, latency_ms: float
) -> dict:
    text = answer.text if answer.answered else ""
    cites = citation_metrics(text, citation_passages(answer), judge)
    faith = faithfulness(text, [h.chunk.text for h in answer.retrieved], judge)
    metrics = {
        **retrieval_metrics(q.evidence, ranked, body_of),
        "citation_recall": cites["recall"],
        "citation_precision": cites["precision"],
        "citation_verbatim": verbatim_share(answer.citations, body_of) if answer.answered else None,
        "faithfulness": faith["faithfulness"],
        "refused": not answer.answered,
        "correct": is_correct(q.answer, answer.text, answer.answered) if q.answerable else None,
    }
    return {
        "id": q.id,
        "type": q.type,
        "answerable": q.answerable,
        "question": q.question,
        "gold_answer": q.answer,
        "answer": answer.text,
        "answered": answer.answered,
        "engine": answer.engine,
        "citations": [c.as_dict() for c in answer.citations],
        "retrieved": [
            {
                "rank": r,
                "doc_id": h.chunk.doc_id,
                "chunk_id": h.chunk.chunk_id,
                "title": h.meta.title,
                "score": round(h.score, 6),
            }
            for r, h in enumerate(ranked[:RETRIEVAL_DEPTH], start=1)
        ],
        "verdicts": {"citations": cites["statements"], "faithfulness": faith["claims"]},
        "gold_evidence": [{"doc_id": e.doc_id, "title": e.title, "text": e.text} for e in q.evidence],
        "metrics": metrics,
        "latency_ms": round(latency_ms, 1),
        "warnings": list(answer.warnings),
    }
