"""Judges decide whether evidence supports a claim: offline (heuristic) or an LLM.

Every judge answers the same question, claim by claim, so the metrics do not care which one
ran: ``judge(claims, evidence) -> [Verdict]`` with one verdict per claim, in order.
"""

from __future__ import annotations

from evals.judges.base import Judge, Verdict

__all__ = ["Judge", "Verdict", "make_judge"]


def make_judge(name: str, settings, embedder) -> Judge:
    from index.errors import InputError

    if name == "offline":
        from evals.judges.offline import OfflineJudge

        return OfflineJudge(embedder)
    if name == "llm":
        from evals.judges.llm import LLMJudge

        return LLMJudge(settings)
    raise InputError(f"unknown judge {name!r}: use offline or llm")
