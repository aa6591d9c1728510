"""The offline judge: a heuristic that needs no network, only the local embedding model.

A claim is judged against every sentence of the evidence and every run of two adjacent
sentences (a claim may join two). It is **supported** when, in order:

1. *verbatim*: the claim, case-folded with quotes, dashes and spaces unified, is a substring of
   the evidence;
2. *lexical*: some unit holds at least ``LEXICAL_MIN`` of the claim's content words (stemmed),
   every number of the claim, every name of the claim, and agrees on negation;
3. *embedding*: some unit that passes the same number, name and negation checks has MiniLM
   cosine >= ``COSINE_MIN`` with the claim and holds at least ``EMBED_LEXICAL_MIN`` of its
   content words.

Otherwise it is unsupported. This is a heuristic, not entailment: it misses paraphrase that
shares few words and meaning, and it can pass a claim that reorders the evidence's facts
wrongly. Its agreement with hand labels (evals/data/judge_labels.jsonl) is measured on every
run and printed in the report.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from evals.judges.base import Verdict
from index.embedder import TextEmbedder
from index.sentences import split_sentences
from qa.support import STOPWORDS, content_words, cosine_rows, stems, word_recall

LEXICAL_MIN = 0.9
COSINE_MIN = 0.75
EMBED_LEXICAL_MIN = 0.5
SHORTLIST = 4
"""Units embedded per claim: the best by word recall (embedding is the costly step)."""

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NEGATION = re.compile(r"\b(?:not|no|never|none|nor|cannot|without)\b|n't\b", re.IGNORECASE)
_NAME = re.compile(r"\b[A-Z][a-zA-Z'\u2019-]+")
_NUMBER_WORDS = {
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
}


def normalise(text: str) -> str:
    text = text.casefold()
    text = re.sub(r"[\u2018\u2019\u201b`]", "'", text)
    text = re.sub(r"[\u201c\u201d\u201e]", '"', text)
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    return " ".join(text.split())


def numbers(text: str) -> set[str]:
    found = {n.replace(",", "") for n in _NUMBER.findall(text)}
    found |= {_NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in _NUMBER_WORDS}
    return found


def names(text: str) -> set[str]:
    """Capitalised words, lower-cased, possessive dropped; stop words ("The", "It") are no names.

    A capitalised common noun opening the claim counts too: it must then be in the evidence,
    which costs little, while a name opening the claim ("Zelensky's conditions ...") is the
    commonest entity swap."""
    out = set()
    for m in _NAME.finditer(text):
        w = m.group(0).lower().replace("\u2019", "'")
        w = w[:-2] if w.endswith("'s") else w
        if w not in STOPWORDS:
            out.add(w)
    return out


def negated(text: str) -> bool:
    return bool(_NEGATION.search(text))


@lru_cache(maxsize=256)
def _units(evidence: str) -> tuple[tuple[str, ...], tuple[frozenset, ...], tuple[bool, ...]]:
    """Sentences and two-sentence runs of the evidence, their stems, and whether each is one sentence."""
    spans = split_sentences(evidence)
    texts, single = [], []
    for i, (a, b) in enumerate(spans):
        texts.append(evidence[a:b])
        single.append(True)
        if i + 1 < len(spans):
            texts.append(evidence[a : spans[i + 1][1]])
            single.append(False)
    return tuple(texts), tuple(frozenset(stems(t)) for t in texts), tuple(single)


class OfflineJudge:
    name = "offline"

    def __init__(self, embedder: TextEmbedder):
        self.embedder = embedder

    def judge(self, claims: Sequence[str], evidence: str) -> list[Verdict]:
        verdicts: list[Verdict | None] = []
        pending: list[tuple[int, list[int], list[float]]] = []  # claim, shortlisted units, recalls
        norm_evidence = normalise(evidence)
        texts, unit_stems, single = _units(evidence)
        for ci, claim in enumerate(claims):
            norm_claim = normalise(claim).rstrip(" .!?;:")
            if norm_claim and norm_claim in norm_evidence:
                verdicts.append(Verdict(True, "verbatim", 1.0, "the claim is in the evidence word for word"))
                continue
            words = content_words(claim)
            if not words or not texts:
                verdicts.append(Verdict(False, "none", 0.0, "nothing to compare"))
                continue
            eligible = []
            for ui, text in enumerate(texts):
                if self._consistent(claim, text, unit_stems[ui], single[ui]):
                    eligible.append((word_recall(words, set(unit_stems[ui])), ui))
            eligible.sort(reverse=True)
            if eligible and eligible[0][0] >= LEXICAL_MIN:
                verdicts.append(Verdict(True, "lexical", eligible[0][0], f"word recall {eligible[0][0]:.2f}"))
                continue
            short = [(r, ui) for r, ui in eligible[:SHORTLIST] if r >= EMBED_LEXICAL_MIN]
            if not short:
                best = eligible[0][0] if eligible else 0.0
                verdicts.append(Verdict(False, "none", best, f"best word recall {best:.2f}"))
                continue
            verdicts.append(None)
            pending.append((ci, [ui for _, ui in short], [r for r, _ in short]))
        if pending:
            self._embedding_pass(claims, texts, pending, verdicts)
        done = [v for v in verdicts if v is not None]
        assert len(done) == len(verdicts), "the embedding pass fills every verdict it was left"
        return done

    def _embedding_pass(self, claims, texts, pending, verdicts) -> None:
        wanted = sorted({ui for _, units, _ in pending for ui in units})
        row = {ui: i for i, ui in enumerate(wanted)}
        vectors = self.embedder.embed([claims[ci] for ci, _, _ in pending] + [texts[ui] for ui in wanted])
        claim_vecs, unit_vecs = vectors[: len(pending)], vectors[len(pending) :]
        sims = cosine_rows(np.asarray(claim_vecs), np.asarray(unit_vecs))
        for pi, (ci, units, recalls) in enumerate(pending):
            best_cos, best_recall = max((float(sims[pi, row[ui]]), r) for ui, r in zip(units, recalls, strict=True))
            ok = best_cos >= COSINE_MIN
            reason = f"cosine {best_cos:.2f}, word recall {best_recall:.2f}"
            verdicts[ci] = Verdict(ok, "embedding" if ok else "none", best_cos, reason)

    @staticmethod
    def _consistent(claim: str, unit: str, unit_stems: frozenset, single_sentence: bool) -> bool:
        """Numbers and names of the claim are in the unit; negation agrees."""
        if not numbers(claim) <= numbers(unit):
            return False
        unit_words = {w.lower() for w in re.findall(r"[\w'\u2019-]+", unit)} | set(unit_stems)
        for name in names(claim):
            # "Russia" ~ "Russian", "Europe" ~ "European": a shared stem of 5+ letters will do.
            if name not in unit_words and not any(
                len(name) >= 5 and (w.startswith(name[:-1]) or name.startswith(w)) and len(w) >= 5 for w in unit_words
            ):
                return False
        if negated(claim) and not negated(unit):
            return False
        return not (single_sentence and negated(unit) and not negated(claim))
