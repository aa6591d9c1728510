"""Does a claim say what its best-aligned source sentence says, or the opposite, or other facts?

Word overlap and MiniLM both rate "X did not win" close to "X won", so the citation check also
aligns the claim with the source sentence (difflib over word tokens) and looks only at the parts
that differ: a reversal there (a negation or a reversing verb on one side only, or a word
replaced by its opposite) flips the claim's polarity; a number replaced by another number, or a
name by another name, changes its facts. Hand-written because no maintained offline library
offers polarity and antonyms without downloading data at run time (WordNet via nltk does);
the lexicon holds cue *kinds* (negators, reversing verbs, opposite pairs, negating prefixes), so
forms it was not tuned on ("no longer", "ruled out", "failed to", "fell") are covered alike.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from qa.lexicon import PHRASES, TIMES, is_cue, lemmas, opposite, same_pole

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\u2019.,%$-]*[A-Za-z0-9%]|[A-Za-z0-9$%]")


def _lexicon(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Capitalised words that are titles or sentence furniture, not names.
_TITLES = _lexicon(
    """mr mrs ms dr president prime minister chancellor ceo chief sen senator rep gov governor king
    queen prince secretary general judge justice the a an in on at of for and but it he she they we
    this that these those his her their its our"""
)


def tokens(text: str) -> list[tuple[str, str]]:
    """(lower-cased form, original form) of each word; "n't" becomes its own "nt" token."""
    return [(low, raw) for low, raw, _ in _tokens(text)]


_CLAUSE_END = frozenset(",;:()\u2014\u2013")


def _tokens(text: str) -> list[tuple[str, str, int]]:
    """Words as (lower-cased, original, clause number): commas, dashes and brackets end a clause."""
    text = text.replace("\u2019", "'")
    out: list[tuple[str, str, int]] = []
    clause = 0
    for m in _TOKEN.finditer(text):
        raw = m.group(0).rstrip(".,")
        low = raw.lower()
        if low.endswith("n't") and len(low) > 3:
            stem = low[:-3]
            stem = {"ca": "can", "wo": "will", "sha": "shall"}.get(stem, stem)
            out += [(stem, raw[:-3], clause), ("nt", "n't", clause)]
        elif low := low.removesuffix("'s"):
            out.append((low, raw, clause))
        if text[m.end() : m.end() + 3].lstrip(" ")[:1] in _CLAUSE_END:
            clause += 1
    return _merge_phrases(out)


def _merge_phrases(toks: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """ "called off" -> "cancel", "no longer" -> "not": a multi-word cue becomes one token."""
    out: list[tuple[str, str, int]] = []
    i = 0
    while i < len(toks):
        if i + 1 < len(toks):
            nxt = toks[i + 1][0]
            merged = next((PHRASES[(lem, nxt)] for lem in lemmas(toks[i][0]) if (lem, nxt) in PHRASES), None)
            if merged is not None:
                out.append((merged, f"{toks[i][1]} {toks[i + 1][1]}", toks[i][2]))
                i += 2
                continue
        out.append(toks[i])
        i += 1
    return out


def _aside(toks: list[tuple[str, str, int]], lo: int, hi: int, k: int) -> bool:
    """Is token k inside a clause that lies wholly within toks[lo:hi] (a clause the other side
    leaves out, whose negation governs only that clause)?"""
    clause = toks[k][2]
    first = next(i for i, t in enumerate(toks) if t[2] == clause)
    last = max(i for i, t in enumerate(toks) if t[2] == clause)
    return lo <= first and last < hi and (first > 0 or last < len(toks) - 1)


def _same(x: str, y: str) -> bool:
    return x == y or bool(lemmas(x) & lemmas(y)) or same_pole(x, y)


def _is_number(w: str) -> bool:
    return any(ch.isdigit() for ch in w)


def _is_name(raw: str, low: str) -> bool:
    return raw[:1].isupper() and len(low) > 1 and low not in _TITLES and not _is_number(low)


def contradiction(claim: str, evidence: str) -> str | None:
    """Why ``claim`` says something other than ``evidence``, its best-aligned source text, in a few
    words; None when the two agree as far as this check can tell.

    Only the stretch of ``evidence`` the claim aligns with counts: a claim that states the first
    half of a sentence is not contradicted by a negation in its second half.
    """
    c = _tokens(claim)
    e = _tokens(evidence)
    cw = [t[0] for t in c]
    ew = [t[0] for t in e]
    sm = SequenceMatcher(None, cw, ew, autojunk=False)
    blocks = [b for b in sm.get_matching_blocks() if b.size]
    if not blocks:
        return None
    e_lo, e_hi = blocks[0].b, blocks[-1].b + blocks[-1].size
    flips = 0
    opposite_pair: tuple[str, str] | None = None
    cue: str | None = None
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        if j1 >= e_hi or j2 <= e_lo:
            # Evidence beyond what the claim covers: only its nearest words face the claim's end.
            j1, j2 = (max(j1, j2 - 3), j2) if j2 <= e_lo else (j1, min(j2, j1 + 3))
            if i1 == i2:
                continue
        a, b = cw[i1:i2], ew[j1:j2]
        used_a: set[int] = set()
        used_b: set[int] = set()
        # The same thing in other words ("raised"/"raises", "ended"/"called off") is no change.
        for ia, x in enumerate(a):
            ib = next((k for k, y in enumerate(b) if k not in used_b and _same(x, y)), None)
            if ib is not None:
                used_a.add(ia)
                used_b.add(ib)
        # "approved" / "rejected": one reversal, though "rejected" also denies on its own.
        for ia, x in enumerate(a):
            if ia in used_a:
                continue
            ib = next((k for k, y in enumerate(b) if k not in used_b and opposite(x, y)), None)
            if ib is not None:
                flips += 1
                used_a.add(ia)
                used_b.add(ib)
                opposite_pair = opposite_pair or (c[i1 + ia][1], e[j1 + ib][1])
        rest_a = [k for k in range(len(a)) if k not in used_a]
        rest_b = [k for k in range(len(b)) if k not in used_b]
        rest_a = [k for k in rest_a if not _aside(c, i1, i2, i1 + k)]
        rest_b = [k for k in rest_b if not _aside(e, j1, j2, j1 + k)]
        ca = [c[i1 + k][1] for k in rest_a if is_cue(a[k])]
        cb = [e[j1 + k][1] for k in rest_b if is_cue(b[k])]
        flips += len(ca) + len(cb)
        if len(ca) != len(cb):
            cue = cue or (ca + cb)[0]
        if tag == "replace":
            changed = _changed_fact([t[:2] for t in c[i1:i2]], [t[:2] for t in e[j1:j2]], set(ew))
            if changed:
                return changed
    if flips % 2:
        if opposite_pair:
            return f"says \u201c{opposite_pair[0]}\u201d where the source says \u201c{opposite_pair[1]}\u201d"
        word = "not" if cue == "n't" else cue
        return f"reverses the source (\u201c{word}\u201d)"
    return None


def _changed_fact(
    claim_part: list[tuple[str, str]], source_part: list[tuple[str, str]], source_words: set[str]
) -> str | None:
    """A number or name of the claim standing where the source has another one."""
    c_nums = [raw for low, raw in claim_part if _is_number(low) and low not in source_words]
    s_nums = [raw for low, raw in source_part if _is_number(low)]
    if c_nums and s_nums:
        return f"says {c_nums[0]} where the source says {s_nums[0]}"
    c_times = [raw for low, raw in claim_part if low in TIMES and low not in source_words]
    s_times = [raw for low, raw in source_part if low in TIMES]
    if c_times and s_times:
        return f"says {c_times[0]} where the source says {s_times[0]}"
    if len(claim_part) <= 3 and len(source_part) <= 3:
        c_names = [raw for low, raw in claim_part if _is_name(raw, low) and low not in source_words]
        s_names = [raw for low, raw in source_part if _is_name(raw, low)]
        if c_names and s_names and len(claim_part) == len(source_part):
            return f"names {c_names[0]} where the source names {s_names[0]}"
    return None
