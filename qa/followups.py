"""Follow-up questions resolved offline against the previous turn: who "he" is, what "that" was,
which outlet "the other one" means, when "then" was.

The previous turn is read as every question is (``analyse``: its outlets, dates and names), so a
follow-up inherits exactly what retrieval saw. The rewrite:

- substitutes the referents it can name: a person pronoun by the previous question's first name
  ("he" -> "Sam Bankman-Fried", "his" -> "Sam Bankman-Fried's"), "they" by its names, "the
  other outlet" / "that outlet" by an outlet, "then" by its date;
- for an ellipsis ("What about Anthropic?", "And The Verge?") asks the previous question again
  with the new outlet, date or name in place of the old one;
- otherwise keeps the follow-up's words and adds, in parentheses, what it leans on: the previous
  question's subject (its content words, not the names of the answer), outlets and dates, minus
  whatever the follow-up already says.

A question that stands on its own (names and enough words of its own, no pronoun leaning back,
no opening "and ...") is returned untouched. Hand-written: no offline library resolves
coreference across a question and the one before it (neuralcoref/fastcoref need a model and a
download); the rules cover the follow-ups a chat sees.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.dates import date_spans
from qa.models import Answer, Query
from qa.query_analysis import NO_FACTS, StoreFacts, analyse, names_in
from qa.support import content_words

MAX_NAMES = 3
MAX_TOPIC_WORDS = 16
STANDALONE_WORDS = 5
"""A question with names and at least this many content words of its own needs no history,
unless a pronoun or an opening "and" ties it back."""

_OPENER = re.compile(r"^\s*(?:and|but|also|so|or|then|plus)\b[\s,]*", re.IGNORECASE)
# "What about Anthropic?", "And The Verge?": a short phrase standing for the previous question
_ELLIPSIS = re.compile(
    r"^\s*(?:(?:and|but|so)\s+)?(?:what|how)\s+about\s+(?P<x>[^?,:;]{1,50}?)\s*[?.!]*\s*$"
    r"|^\s*(?:and|but|or)\s+(?P<y>(?!(?:who|what|when|where|why|how|which|is|are|was|were|did|does|do|has|have|"
    r"had|can|could|will|would)\b)[^?,:;]{1,40}?)\s*\?\s*$",
    re.IGNORECASE,
)
_NOT_PEOPLE = frozenset(
    "United City League Cup Club Series House Court States Union Games Prime Day Inc Corp Group News Times "
    "Post Stadium Street Bank Party Council Ministry Department University College Act Order Awards".split()
)
_PERSON = re.compile(r"\b(?:he|him|she|his|her|hers|himself|herself)\b", re.IGNORECASE)
_GROUP = re.compile(r"\b(?:they|them|their|theirs|themselves)\b", re.IGNORECASE)
# "it", "that", "this" standing for the previous event, not "reported that ..." or "this week"
_THING = re.compile(
    r"\b(?:it|its|itself)\b"
    r"|\b(?:that|this|these|those)\b(?=\s*(?:[?.!,;]|$|(?:is|was|were|are|be|been|happen\w*|mean\w*|take|took|"
    r"end\w*|start\w*|begin|began|cost\w*|affect\w*|lead|led|come|came|go|went|say|said)\b))"
    r"|\b(?:about|after|before|since|of|from|by|on|with|to|for)\s+(?:that|this|these|those)\b"
    r"|\bthe\s+(?:same|latter|former)\b"
    r"|\bwhat happened next\b|\bwhat else\b",
    re.IGNORECASE,
)
_DEFINITE = re.compile(
    r"\bthe\s+(?:company|firm|club|team|group|league|player|singer|star|couple|app|platform|startup|"
    r"government|country|city|case|trial|deal|lawsuit|suit|event|game|match|show|film|series|act|bill|law|"
    r"order|plan|publisher|chatbot|network|coach|quarterback|actor|artist|band|brand|organi[sz]ation)\b",
    re.IGNORECASE,
)
_THEN = re.compile(r"\b(?:then|at that time|at the time|that day|that week|that month|the same day)\b", re.I)
_OTHER_OUTLET = re.compile(
    r"\b(?:the\s+)?other\s+(?:outlet|source|paper|newspaper|site|publication|article|report|network|channel)s?\b",
    re.IGNORECASE,
)
_SAME_OUTLET = re.compile(
    r"\b(?:that|the same|this)\s+(?:outlet|source|paper|newspaper|site|publication)\b", re.IGNORECASE
)
_WH_HEAD = re.compile(
    r"^\s*(?:(?:who|whom|whose|what|which|when|where|why|how)(?:\s+(?:many|much|long|often|kind of|type of))?\s+)?"
    r"(?:(?:is|are|was|were|did|does|do|has|have|had|can|could|will|would|should)\s+)?",
    re.IGNORECASE,
)
_TOPIC_STOP = frozenset(
    "a an the of in on at to by for with as from and or but is are was were be been did does do has have had "
    "what which who whom whose when where why how that this these those it its their his her they them he she "
    "about according say said says report reported reports article happen happened happening next".split()
)


def leans_on_history(question: str, facts: StoreFacts = NO_FACTS) -> bool:
    """Whether ``question`` needs the conversation to be understood."""
    q = " ".join(question.split())
    if not q:
        return False
    if _OPENER.match(q) or _ELLIPSIS.match(q) or _OTHER_OUTLET.search(q) or _SAME_OUTLET.search(q):
        return True
    query = analyse(q, facts)
    own = _own_words(q, query)
    names = query.names
    if len(own) <= 1:
        return True
    if _PERSON.search(q) or _GROUP.search(q):
        return _pronoun_leans_back(q, names)
    if _THING.search(q) or _DEFINITE.search(q) or _THEN.search(q):
        return not (names and len(own) >= 2 * STANDALONE_WORDS)
    return not names and len(own) < STANDALONE_WORDS


def rewrite(question: str, history: Sequence[Answer], facts: StoreFacts = NO_FACTS) -> str:
    """``question`` made standalone against the last turn of ``history`` (unchanged when it stands alone)."""
    question = " ".join(question.split())
    if not history or not leans_on_history(question, facts):
        return question
    prev = history[-1]
    before = prev.query if prev.query is not None else analyse(prev.standalone_question or prev.question, facts)
    now = analyse(question, facts)
    cited = list(dict.fromkeys(c.source for c in prev.citations if c.source))

    ellipsis = _ELLIPSIS.match(question)
    if ellipsis:
        return _swap(before, (ellipsis["x"] or ellipsis["y"]).strip(), now, facts)

    text = _OPENER.sub("", question).strip() or question
    person = _person(before, prev, facts)
    if person and _PERSON.search(text) and _pronoun_leans_back(text, now.names):
        text = _name_pronoun(text, person)
    # outlets as the previous question wrote them ("Fox News", not its every stored section)
    outlets = list(dict.fromkeys(before.text[m.start : m.end] for m in facts.matcher.find(before.text)))
    outlets = [o for o in outlets if not any(o != x and o in x for x in outlets)]
    if _OTHER_OUTLET.search(text):
        other = [o for o in before.outlets if o not in cited] or cited[1:]
        text = _OTHER_OUTLET.sub(other[0], text, count=1) if other else text
    elif _SAME_OUTLET.search(text) and (cited or outlets):
        text = _SAME_OUTLET.sub((cited or outlets)[0], text, count=1)
    dates = _date_phrases(before.text, facts)
    if dates and not now.windows and _THEN.search(text):
        day = re.search(r"\d{1,2}(?:st|nd|rd|th)?\b(?!\d)", dates[0]) and not re.fullmatch(r"\d{4}", dates[0])
        text = _THEN.sub(f"{'on' if day else 'in'} {dates[0]}", text, count=1)

    # the previous subject, without what the follow-up now says itself
    topic = _topic(before, facts, drop=[n for n in before.names if _said(n, text)])
    have = {w.casefold() for w in re.findall(r"[^\W_]+", text)}
    context = [" ".join(topic)] if any(w.casefold() not in have | _TOPIC_STOP for w in topic) else []
    context += [n for n in _answer_names(prev, facts) if not before.names and not _said(n, text)][:MAX_NAMES]
    if not analyse(text, facts).outlets:
        context += [o for o in outlets if not _said(o, text)]
    if not now.windows and not _THEN.search(question):
        context += [d for d in dates if not _said(d, text) and not _said(d, " ".join(topic))]
    return _with_context(text, context)


def _swap(before: Query, new: str, now: Query, facts: StoreFacts) -> str:
    """The previous question asked again about ``new`` (an outlet, a date or a name)."""
    text = before.text
    if now.outlets:
        spans = [(m.start, m.end) for m in facts.matcher.find(text)]
        if spans:
            return _replace_spans(text, spans, new)
        return _with_context(text, [f"according to {new}"])
    if now.windows and not now.names:
        spans = date_spans(text)
        return _replace_spans(text, spans, new) if spans else _with_context(text, [f"in {new}"])
    # a new name: the previous subject without its names ("What about Kursk?" after Putin's
    # ceasefire terms is about Kursk and the ceasefire, not about Putin's every word)
    topic = " ".join(_topic(before, facts, drop=before.names if now.names else ()))
    return _with_context(f"What about {new}?", [topic] if topic else [])


def _person(before: Query, prev: Answer, facts: StoreFacts) -> str | None:
    """Who "he"/"she" means: the person the previous question asked for (a "Who ..." question:
    its answer names them), else the first person it names. A name of one word (a club, a
    company, a place) is no person."""
    asked_who = re.match(r"\s*who\b", before.text, re.IGNORECASE)
    # a "Who ..." question, or one naming nobody ("What happened?"): its answer names them
    pool = [n for n in _answer_names(prev, facts) if n not in before.names] if asked_who or not before.names else []
    pool += list(before.names)
    found = next((n for n in pool if _person_like(n) and n not in facts.matcher.sources), None)
    # one name of one word ("Putin") is the only one the pronoun can mean
    return found or (before.names[0] if len(before.names) == 1 and not asked_who else None)


def _person_like(name: str) -> bool:
    words = name.split()
    return 2 <= len(words) <= 4 and not any(w in _NOT_PEOPLE for w in words) and not any(c.isdigit() for c in name)


def _pronoun_leans_back(text: str, names: Sequence[str]) -> bool:
    """Whether ``text`` has a pronoun with no name of its own before it ("Did Musk say he ..."
    refers to Musk; "What did he say about Ukraine?" leans back)."""
    found = [m.start() for m in (*_PERSON.finditer(text), *_GROUP.finditer(text))]
    return bool(found) and not any(0 <= text.find(n) < min(found) for n in names)


def _topic(query: Query, facts: StoreFacts, drop: Sequence[str] = ()) -> list[str]:
    """The previous question's subject as a phrase: its words without the question head,
    outlets, dates, "according to" and the names in ``drop``; function words kept inside
    ("Putin's conditions for a ceasefire")."""
    text = query.text
    spans = [(m.start, m.end) for m in facts.matcher.find(text)] + date_spans(text)
    for a, b in sorted(spans, reverse=True):
        text = text[:a] + " " + text[b:]
    text = re.sub(r"\b(?:according to|as per|reported by)\b", " ", text, flags=re.IGNORECASE)
    text = re.sub(r"\([^)]*\)", lambda m: m.group(0)[1:-1], text)
    text = _WH_HEAD.sub("", text.strip(), count=1)
    for n in drop:
        text = re.sub(r"\b" + re.escape(n) + r"(?:'s|\u2019s)?(?!\w)", " ", text)
    words = [w.strip('.,;:?!"()') for w in text.split()]
    words = [w for w in words if w and not w.startswith(("'", "\u2019"))]
    while words and words[0].casefold() in _TOPIC_STOP:
        words.pop(0)
    while words and words[-1].casefold() in _TOPIC_STOP:
        words.pop()
    return words[:MAX_TOPIC_WORDS]


def _own_words(question: str, query: Query) -> list[str]:
    """The question's content words beside its outlets and dates."""
    return content_words(query.search or question)


def _answer_names(prev: Answer, facts: StoreFacts) -> list[str]:
    """For a vague previous question ("What happened?"): the names its answer mentions most."""
    text = re.sub(r"\[\d+(?:\s*,\s*\d+)*\]", " ", prev.text or "")
    outlets = set(facts.matcher.sources) | {c.source for c in prev.citations if c.source}
    found = [n for n in names_in(text) if n not in outlets]
    # in order of first mention; "Musk" adds nothing beside "Elon Musk"
    found = [n for n in found if not any(n != m and re.search(r"\b" + re.escape(n) + r"\b", m) for m in found)]
    return found[:MAX_NAMES]


def _name_pronoun(text: str, person: str) -> str:
    """The first person pronoun of ``text`` replaced by ``person`` ("his" by "person's")."""

    def sub(m: re.Match) -> str:
        w = m.group(0).casefold()
        if w in ("his", "hers") or (w == "her" and _followed_by_noun(text, m.end())):
            return f"{person}'s"
        return person

    return _PERSON.sub(sub, text, count=1)


def _followed_by_noun(text: str, at: int) -> bool:
    nxt = re.match(r"\s+([a-z][\w'-]*)", text[at:])
    return nxt is not None and nxt.group(1) not in _TOPIC_STOP


def _date_phrases(text: str, facts: StoreFacts) -> list[str]:
    """The dates ``text`` names as it words them (none inside an outlet's name: "Business Today")."""
    outlets = [(m.start, m.end) for m in facts.matcher.find(text)]
    spans = [(a, b) for a, b in date_spans(text) if not any(a < y and x < b for x, y in outlets)]
    return list(dict.fromkeys(text[a:b] for a, b in spans))


def _said(phrase: str, text: str) -> bool:
    return phrase.casefold() in text.casefold()


def _replace_spans(text: str, spans: list[tuple[int, int]], new: str) -> str:
    spans = sorted(spans)
    out, last = [], 0
    for i, (a, b) in enumerate(spans):
        out.append(text[last:a] + (new if i == 0 else ""))
        last = b
    return re.sub(r"\s+", " ", "".join(out) + text[last:]).replace(" ,", ",").strip()


def _with_context(text: str, context: list[str]) -> str:
    text = text.strip()
    core = text[0].upper() + text[1:] if text else text
    context = [c for c in dict.fromkeys(context) if c]
    if not context:
        return core
    joined = "; ".join(context)
    if core.endswith("?"):
        return f"{core[:-1].rstrip()} ({joined})?"
    return f"{core} ({joined})"
