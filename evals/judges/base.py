"""What every judge returns and the interface it implements (apart from the factory in
``evals.judges``, which imports the judges that import these)."""

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
