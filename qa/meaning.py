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


def _lexicon(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\u2019.,%$-]*[A-Za-z0-9%]|[A-Za-z0-9$%]")

# Words that negate what follows them.
_NEGATORS = _lexicon(
    "not no never none nobody nothing nowhere neither nor without cannot nt hardly barely scarcely "
    "lack lacks lacked lacking absent unable longer"
)
# Verbs (and their forms) that reverse or deny the clause they govern.
_REVERSING = _lexicon(
    """deny denies denied denying refute refutes refuted dispute disputes disputed reject rejects
    rejected rejecting refuse refuses refused refusing fail fails failed failing decline declines
    declined dismiss dismissed dismisses rule ruled rules ruling stop stops stopped cease ceased
    ceases halt halted halts abandon abandoned abandons avoid avoided avoids deny
    false untrue wrongly falsely neglect neglected"""
)
# "ruled out" and "no longer": the second word joins the cue, it adds no second reversal.
_PAIRED = {("rule", "out"), ("ruled", "out"), ("rules", "out"), ("ruling", "out"), ("no", "longer")}

_OPPOSITES_TEXT = """
rise fall | rose fell | risen fallen | rises falls | rising falling | increase decrease |
increased decreased | increases decreases | increasing decreasing | up down | gain loss | gained lost |
gains losses | win lose | won lost | wins loses | winning losing | winner loser | victory defeat |
before after | more less | more fewer | most least | higher lower | high low | highest lowest |
above below | over under | greater smaller | larger smaller | largest smallest | bigger smaller |
biggest smallest | strong weak | stronger weaker | strongest weakest | best worst | better worse |
good bad | positive negative | profit loss | profits losses | surge plunge | surged plunged |
soared plunged | jumped dropped | climbed slid | rallied slumped | grew shrank | grow shrink |
expand contract | expanded contracted | boost cut | raised lowered | raise lower | hike cut |
accept reject | accepted rejected | approve reject | approved rejected | allow ban | allowed banned |
permit forbid | legal illegal | support oppose | supported opposed | supports opposes | agree disagree |
agreed disagreed | include exclude | included excluded | open close | opened closed | start end |
started ended | begin end | began ended | first last | early late | earlier later | buy sell |
bought sold | buying selling | buyer seller | hire fire | hired fired | import export | imported exported |
guilty innocent | true false | success failure | successful unsuccessful | succeeded failed |
likely unlikely | possible impossible | always never | all none | everyone nobody | ally enemy |
allies enemies | friend enemy | love hate | loved hated | increase cut | rising declining |
rise decline | rose declined | rise drop | rose dropped | up down | inside outside | internal external |
same different | maximum minimum | majority minority | wealthy poor | rich poor | richer poorer |
easy hard | easier harder | full empty | true untrue | confirmed denied | confirm deny | admit deny |
admitted denied | remember forget | arrive leave | arrived left | entered left | join leave |
joined left | joins leaves | attack defend | attacked defended | offense defense | present absent |
alive dead | live die | escalate ease | escalated eased | escalating easing | escalate calm |
intensified eased | worsen improve | worsened improved | tighten ease | tightened eased | lived died |
birth death | north south | east west | top bottom |
"""
_OPPOSITES: dict[str, set[str]] = {}
for _pair in _OPPOSITES_TEXT.split("|"):
    _parts = _pair.split()
    if len(_parts) == 2:
        _a, _b = _parts
        _OPPOSITES.setdefault(_a, set()).add(_b)
        _OPPOSITES.setdefault(_b, set()).add(_a)

# Prefixes that make a word its own negation ("likely"/"unlikely", "legal"/"illegal").
_NEG_PREFIXES = ("un", "in", "im", "il", "ir", "dis", "non", "non-", "mis")

# Capitalised words that are titles or sentence furniture, not names.
_TITLES = _lexicon(
    """mr mrs ms dr president prime minister chancellor ceo chief sen senator rep gov governor king
    queen prince secretary general judge justice the a an in on at of for and but it he she they we
    this that these those his her their its our"""
)


def tokens(text: str) -> list[tuple[str, str]]:
    """(lower-cased form, original form) of each word; "n't" becomes its own "nt" token."""
    out = []
    for m in _TOKEN.finditer(text.replace("\u2019", "'")):
        raw = m.group(0).rstrip(".,")
        low = raw.lower()
        if low.endswith("n't") and len(low) > 3:
            stem = low[:-3]
            stem = {"ca": "can", "wo": "will", "sha": "shall"}.get(stem, stem)
            out.append((stem, raw[:-3]))
            out.append(("nt", "n't"))
            continue
        low = low.removesuffix("'s")
        if low:
            out.append((low, raw))
    return out


def _reversals(words: list[str]) -> int:
    """How many reversing cues a run of words holds ("no longer" and "ruled out" count once)."""
    n = 0
    for i, w in enumerate(words):
        if i > 0 and (words[i - 1], w) in _PAIRED:
            continue
        if w in _NEGATORS or w in _REVERSING:
            n += 1
    return n


def _opposite(a: str, b: str) -> bool:
    if b in _OPPOSITES.get(a, ()):
        return True
    for x, y in ((a, b), (b, a)):
        for p in _NEG_PREFIXES:
            if x == p + y and len(y) > 3:
                return True
    return False


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
    c = tokens(claim)
    e = tokens(evidence)
    cw = [w for w, _ in c]
    ew = [w for w, _ in e]
    sm = SequenceMatcher(None, cw, ew, autojunk=False)
    blocks = [b for b in sm.get_matching_blocks() if b.size]
    if not blocks:
        return None
    e_lo, e_hi = blocks[0].b, blocks[-1].b + blocks[-1].size
    flips = 0
    opposite: tuple[str, str] | None = None
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
        paired: set[str] = set()
        for x in a:
            y = next((y for y in b if y != x and y not in paired and _opposite(x, y)), None)
            if y is not None:
                # "approved" / "rejected": one reversal, though "rejected" is also a reversing verb.
                flips += 1
                paired |= {x, y}
                opposite = opposite or (c[i1 + a.index(x)][1], e[j1 + b.index(y)][1])
        ra = _reversals([w for w in a if w not in paired])
        rb = _reversals([w for w in b if w not in paired])
        flips += ra + rb
        if ra != rb:
            cue = cue or next((w for w in a + b if w not in paired and (w in _NEGATORS or w in _REVERSING)), None)
        if tag == "replace":
            changed = _changed_fact(c[i1:i2], e[j1:j2], set(ew))
            if changed:
                return changed
    if flips % 2:
        if opposite:
            return f"says \u201c{opposite[0]}\u201d where the source says \u201c{opposite[1]}\u201d"
        return f"reverses the source (\u201c{'not' if cue == 'nt' else cue}\u201d)"
    return None


def _changed_fact(
    claim_part: list[tuple[str, str]], source_part: list[tuple[str, str]], source_words: set[str]
) -> str | None:
    """A number or name of the claim standing where the source has another one."""
    c_nums = [raw for low, raw in claim_part if _is_number(low) and low not in source_words]
    s_nums = [raw for low, raw in source_part if _is_number(low)]
    if c_nums and s_nums:
        return f"says {c_nums[0]} where the source says {s_nums[0]}"
    if len(claim_part) <= 3 and len(source_part) <= 3:
        c_names = [raw for low, raw in claim_part if _is_name(raw, low) and low not in source_words]
        s_names = [raw for low, raw in source_part if _is_name(raw, low)]
        if c_names and s_names and len(claim_part) == len(source_part):
            return f"names {c_names[0]} where the source names {s_names[0]}"
    return None
