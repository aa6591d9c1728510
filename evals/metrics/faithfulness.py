"""Faithfulness: the share of the answer's claims that the retrieved context supports.

This is RAGAS's faithfulness (Es et al. 2023, "RAGAS: Automated Evaluation of Retrieval
Augmented Generation") and TruLens's groundedness: claims supported by the context / claims.
RAGAS has an LLM split the answer into claims; here a claim is a checkable sentence of the
answer (see evals.metrics.claims), which the judge checks against all the retrieved chunks
the engine was given, cited or not. An answer with no claim (a refusal) is null.
"""

from __future__ import annotations

from collections.abc import Sequence

from evals.judges import Judge
from evals.metrics.claims import statements


def faithfulness(answer_text: str, context: Sequence[str], judge: Judge) -> dict:
    claims = [s.text for s in statements(answer_text)]
    if not claims:
        return {"faithfulness": None, "claims": []}
    verdicts = judge.judge(claims, "\n\n".join(context)) if context else []
    if not context:
        from evals.judges import Verdict

        verdicts = [Verdict(False, "none", 0.0, "no context was retrieved") for _ in claims]
    decided = [v.supported for v in verdicts if v.supported is not None]
    detail = [
        {"claim": c, "supported": v.supported, "method": v.method, "reason": v.reason}
        for c, v in zip(claims, verdicts, strict=True)
    ]
    return {"faithfulness": sum(decided) / len(decided) if decided else None, "claims": detail}
