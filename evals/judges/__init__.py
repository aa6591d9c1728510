"""Judges decide whether evidence supports a claim: offline (heuristic) or an LLM.

Every judge answers the same question, claim by claim, so the metrics do not care which one
ran: ``judge(claims, evidence) -> [Verdict]`` with one verdict per claim, in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Verdict:
    supported: bool | None
    """None: the judge gave no usable verdict (an unparseable LLM reply); metrics leave it out."""
    method: str
    """How it was decided: verbatim, lexical, embedding, none (offline) or llm."""
    score: float | None = None
    reason: str = ""


class Judge(Protocol):
    name: str

    def judge(self, claims: Sequence[str], evidence: str) -> list[Verdict]:
        """One verdict per claim: is it fully supported by ``evidence`` alone?"""
        ...


def make_judge(name: str, settings, embedder) -> Judge:
    from index.errors import InputError

    if name == "offline":
        from evals.judges.offline import OfflineJudge

        return OfflineJudge(embedder)
    if name == "llm":
        from evals.judges.llm import LLMJudge

        return LLMJudge(settings)
    raise InputError(f"unknown judge {name!r}: use offline or llm")
