"""The words the meaning check reads: lemmas, negators, reversing verbs and opposite scales.

Words are compared by lemma (lemminflect's lookup tables, shipped in the package, nothing
downloaded), so "raises"/"cuts", "rose"/"fell" and "won"/"lost" meet as "raise"/"cut",
"rise"/"fall" and "win"/"lose". Opposites are *scales* of two poles (up/down, win/lose,
for/against, start/end, before/after, ...), not pairs: any word of one pole replaced by any word
of the other is a reversal, and two words of one pole are the same claim in other words ("ended
the strike" / "called off the strike"). Hand-written because no maintained offline library holds
polarity and antonyms without downloading data at run time (WordNet via nltk or wn does).
"""

from __future__ import annotations

from functools import lru_cache


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that negate what follows them.
NEGATORS = _words(
    "not no never none nobody nothing nowhere neither nor without cannot nt hardly barely scarcely "
    "lack lacks lacked lacking absent unable rarely seldom"
)
# Verbs (lemmas) that reverse or deny the clause they govern, and adjectives that deny it.
REVERSING = _words(
    """deny refute dispute reject refuse fail decline dismiss stop cease halt abandon avoid neglect
    cancel scrap shelve suspend axe drop_plan false untrue wrongly falsely rule_out miss"""
)

# Multi-word cues read as one word: (first lemma, next word) -> the lemma they stand for.
PHRASES = {
    ("no", "longer"): "not",
    ("yet", "to"): "not",
    ("rule", "out"): "rule_out",
    ("call", "off"): "cancel",
    ("lay", "off"): "fire",
    ("vote", "down"): "reject",
    ("vote", "against"): "reject",
    ("vote", "for"): "approve",
    ("fall", "short"): "fail",
    ("turn", "down"): "reject",
    ("speed", "up"): "accelerate",
    ("slow", "down"): "slow",
    ("step", "down"): "resign",
    ("in", "favour"): "favour",
    ("in", "favor"): "favour",
    ("less", "than"): "less",
    ("more", "than"): "more",
    ("fewer", "than"): "less",
    ("prior", "to"): "before",
    ("free", "of"): "without",
    ("rather", "than"): "not",
    ("instead", "of"): "not",
    ("be", "beaten"): "lose",
    ("be", "defeated"): "lose",
    ("be", "outvoted"): "lose",
}

# Each scale: "pole A words / pole B words" (lemmas and a few fixed forms).
_SCALES = """
rise raise increase grow gain climb jump surge soar boost hike rally expand up more most high
  top peak double triple spike swell widen exceed above over heighten add extend recover rebound
  large big great huge
  / fall drop decline decrease cut lower reduce shrink slump plunge slide sink tumble dip slip
  contract down less least few low bottom halve slash shed narrow below under within diminish dwindle
  trim small little tiny withdraw withdrawal remove removal
intensify escalate strengthen deepen worsen tighten / ease calm weaken reduce soften loosen relax
  subside abate
improve recover better best / worsen deteriorate worse worst
win victory triumph prevail succeed success successful pass winner / lose loss defeat fail failure
  unsuccessful concede loser
approve accept support back endorse favour favor welcome agree praise allow permit authorize
  authorise adopt ratify embrace confirm admit legal enable / reject oppose veto block criticise
  criticize condemn refuse deny disapprove ban forbid prohibit against resist protest overturn
  illegal disagree dispute prevent bar
help assist aid advance promote facilitate ease / hinder hamper impede obstruct undermine hurt harm
  block
start begin open launch commence resume introduce establish create build construct continue extend
  prolong / end stop finish close halt cease conclude suspend cancel scrap abandon shelve terminate
  shut quit demolish
stay remain / move relocate leave depart
before prior ahead earlier previously early first / after following later subsequently late last
hire recruit employ / fire sack dismiss layoff cut axe shed
maintain keep retain hold preserve / lose cede surrender relinquish
advance attack offensive / retreat withdraw withdrawal defend defense defence
buy purchase acquire import / sell export
strong robust powerful / weak fragile feeble
cheap inexpensive affordable / expensive costly pricey
fast quick rapid accelerate / slow gradual decelerate delay
steep hilly / flat gentle
positive optimistic bullish / negative pessimistic bearish
include contain / exclude omit
profit surplus / loss deficit
rich wealthy / poor
north / south
east / west
ally friend / enemy foe rival
guilty / innocent
true / false untrue
likely probable / unlikely improbable
possible / impossible
always / never
all everyone everything / none nobody nothing
majority / minority
maximum / minimum
alive live / dead die
arrive enter join / leave depart exit
love / hate
present / absent
remember / forget
same / different
inside internal / outside external
full / empty
birth / death
"""


def _parse_scales() -> dict[str, frozenset[int]]:
    """Word -> the signed scale ids it sits on: +k for pole A of scale k, -k for pole B."""
    out: dict[str, set[int]] = {}
    # A scale may run over several lines: a continuation line starts with spaces.
    scales: list[str] = []
    for line in _SCALES.strip("\n").split("\n"):
        if line.startswith(" ") and scales:
            scales[-1] += " " + line.strip()
        elif line.strip():
            scales.append(line.strip())
    for k, scale in enumerate(scales, 1):
        a, b = scale.split("/")
        for w in a.split():
            out.setdefault(w, set()).add(k)
        for w in b.split():
            out.setdefault(w, set()).add(-k)
    return {w: frozenset(s) for w, s in out.items()}


POLES = _parse_scales()

# Words that name a time: one standing where the source has another is a changed fact, like a
# changed number ("in the autumn" / "in the spring", "on Monday" / "on Tuesday"). Not "may" (a
# verb), "fall" (a verb) or relative days ("yesterday" may be the Tuesday the claim names).
TIMES = _words(
    """monday tuesday wednesday thursday friday saturday sunday january february march april june
    july august september october november december spring summer autumn winter"""
)

# Prefixes that make an adjective its own negation ("affected"/"unaffected").
NEG_PREFIXES = ("un", "non", "in", "im", "il", "ir", "dis")


@lru_cache(maxsize=50_000)
def lemmas(word: str) -> frozenset[str]:
    """The word and every lemma lemminflect knows for it, whatever its part of speech."""
    from lemminflect import getAllLemmas

    out = {word}
    for forms in getAllLemmas(word).values():
        out.update(forms)
    return frozenset(out)


@lru_cache(maxsize=50_000)
def is_verb(word: str) -> bool:
    from lemminflect import getAllLemmas

    return "VERB" in getAllLemmas(word)


def poles(word: str) -> frozenset[int]:
    """Signed scale ids of the word's lemmas."""
    out: set[int] = set()
    for lemma in lemmas(word):
        out |= POLES.get(lemma, frozenset())
    return frozenset(out)


def same_pole(a: str, b: str) -> bool:
    return bool(poles(a) & poles(b))


def opposite(a: str, b: str) -> bool:
    pa, pb = poles(a), poles(b)
    if any(-k in pb for k in pa) and not pa & pb:
        return True
    return negated_form(a) == b or negated_form(b) == a or _prefix_pair(a, b) or _prefix_pair(b, a)


def _prefix_pair(x: str, y: str) -> bool:
    return any(x == p + y and len(y) > 3 for p in NEG_PREFIXES)


@lru_cache(maxsize=50_000)
def negated_form(word: str) -> str | None:
    """The word an un-/non-/dis- adjective negates ("unaffected" -> "affected"), else None.

    Only adjectives whose stem is itself a word: "unveiled" (a verb of its own) and "union"
    (no word "ion" long enough) are left alone.
    """
    from lemminflect import getAllLemmas

    for p in ("un", "non-", "non"):
        stem = word[len(p) :]
        if (
            word.startswith(p)
            and len(stem) > 3
            and not is_verb(word)
            and getAllLemmas(stem)
            and getAllLemmas(word).keys() <= {"ADJ", "ADV"}
        ):
            return stem
    return None


def is_cue(word: str) -> bool:
    """Does this word, standing alone, deny what it governs?"""
    return word in NEGATORS or bool(lemmas(word) & REVERSING) or negated_form(word) is not None
