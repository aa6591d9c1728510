"""Answer correctness against a gold short answer, and refusal.

Normalisation (as in SQuAD's evaluation, Rajpurkar et al. 2016): lower case, punctuation and
articles (a, an, the) dropped, spaces collapsed; yes/no variants folded (true, correct -> yes;
false, incorrect -> no).

- A yes/no gold answer is matched against the answer's first word (an engine that answers
  "Yes. ... [1]" states its verdict first); no verdict word there is wrong.
- Any other gold answer is correct when its normalised words occur, in order and adjacent, in
  the normalised answer (MultiHop-RAG's "the gold answer is in the response").
- A refused answer is wrong. Unanswerable questions are left out: refusal measures them.
"""

from __future__ import annotations

import re
import string

from qa.citecheck import MARKER

YES = {"yes", "yeah", "yep", "true", "correct"}
NO = {"no", "nope", "false", "incorrect"}
_ARTICLES = re.compile(r"\b(?:a|an|the)\b")
_PUNCT = str.maketrans(dict.fromkeys(string.punctuation + "‘’“”–—", " "))


def normalise(text: str) -> str:
    text = MARKER.sub(" ", text or "").lower().translate(_PUNCT)
    words = _ARTICLES.sub(" ", text).split()
    return " ".join("yes" if w in YES else "no" if w in NO else w for w in words)


def is_correct(gold: str | None, answer_text: str, answered: bool) -> bool | None:
    """None when there is no gold answer to compare with."""
    if gold is None or not normalise(gold):
        return None
    if not answered:
        return False
    g, a = normalise(gold), normalise(answer_text)
    if g in ("yes", "no"):
        return a.split(" ", 1)[0] == g if a else False
    return bool(a) and f" {g} " in f" {a} "
