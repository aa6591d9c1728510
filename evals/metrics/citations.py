"""Citation recall and precision as ALCE defines them (Gao et al. 2023, "Enabling Large Language
Models to Generate Text with Citations", EMNLP), with a judge in place of ALCE's NLI model.

- A statement is *supported* when the concatenation of all passages it cites supports it.
  A statement with no citation, or citing a source that does not exist, is unsupported.
  **Citation recall** = supported statements / statements.
- A citation is *irrelevant* when its passage alone does not support its statement and the
  statement's other citations still do without it; a citation of an unsupported statement, or
  of a missing source, does not support anything either.
  **Citation precision** = citations that are not irrelevant / citations (0 when statements
  exist but nothing is cited, as in ALCE).

Both are per answer, then averaged over answers (ALCE's macro average). An answer with no
checkable statement (a refusal) has neither: null, not 0.

**Verbatim**: the share of citations whose quote equals the article body at the citation's
offsets.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from evals.judges import Judge
from evals.metrics.claims import statements
from qa.models import Citation


def citation_metrics(answer_text: str, passages: Mapping[int, str], judge: Judge) -> dict:
    """``passages`` maps each citation number to the text of the source it names."""
    stmts = statements(answer_text)
    if not stmts:
        return {"recall": None, "precision": None, "statements": []}
    supported_count = decided = precise = n_citations = 0
    detail: list[dict[str, Any]] = []
    joint: bool | None
    for st in stmts:
        refs = list(st.cited)
        missing = [r for r in refs if r not in passages]
        if not refs or missing:
            joint, method = False, "no citation" if not refs else "cites a missing source"
        else:
            (v,) = judge.judge([st.text], "\n".join(passages[r] for r in refs))
            joint, method = v.supported, v.method
        if joint is None:  # the judge could not decide: leave the statement out
            detail.append({"statement": st.text, "cited": refs, "supported": None, "method": method, "irrelevant": []})
            continue
        decided += 1
        supported_count += joint
        n_citations += len(refs)
        irrelevant = list(refs) if not joint else []
        if joint and len(refs) > 1:
            for r in refs:
                (alone,) = judge.judge([st.text], passages[r])
                if alone.supported:
                    continue
                others = "\n".join(passages[o] for o in refs if o != r)
                (without,) = judge.judge([st.text], others)
                if without.supported:
                    irrelevant.append(r)
        precise += len(refs) - len(irrelevant)
        detail.append(
            {"statement": st.text, "cited": refs, "supported": joint, "method": method, "irrelevant": irrelevant}
        )
    if not decided:
        return {"recall": None, "precision": None, "statements": detail}
    return {
        "recall": supported_count / decided,
        "precision": precise / n_citations if n_citations else 0.0,
        "statements": detail,
    }


def verbatim_share(citations: Sequence[Citation], body_of: Callable[[str], str | None]) -> float | None:
    """Share of citations whose quote is the article body sliced at its offsets; None if none."""
    if not citations:
        return None
    ok = 0
    for c in citations:
        body = body_of(c.doc_id)
        ok += body is not None and c.quote != "" and body[c.char_start : c.char_end] == c.quote
    return ok / len(citations)
