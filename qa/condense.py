"""Follow-up questions made standalone before retrieval.

"and what did Putin demand?", "when was that?", "what did the other outlet say?" mean nothing
to a retriever on their own. A question that leans on the conversation (pronouns, ellipsis, an
opening "and ...", no name of its own) is rewritten:

- offline (extractive engine), deterministically: the previous turn's names, outlets and dates
  are carried into the question, visibly, in parentheses;
- with the openai engine, by one short LLM call with a condense prompt; on any failure the
  deterministic rewrite is used instead, so a flaky server never loses the context.

A question that stands on its own is returned unchanged, with no LLM call.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from qa.dates import date_spans
from qa.models import Answer, Query
from qa.query_analysis import NO_FACTS, StoreFacts, analyse, names_in

if TYPE_CHECKING:
    from index.settings import Settings

MAX_NAMES = 4
CONDENSE_MAX_TOKENS = 96
CONDENSE_TIMEOUT_S = 20.0

_LEANS = re.compile(
    r"\b(?:that|this|it|its|they|them|their|he|him|his|she|her|those|these|there|then|same|other|else|"
    r"former|latter|above)\b",
    re.IGNORECASE,
)
_OPENER = re.compile(r"^\s*(?:and|but|also|so|or|then|what about|how about)\b[\s,]*", re.IGNORECASE)
_OTHER_OUTLET = re.compile(
    r"\bother\s+(?:outlet|source|paper|newspaper|site|publication|article|report|network|channel)s?\b", re.IGNORECASE
)
_SAME_OUTLET = re.compile(r"\b(?:that|the same|this)\s+(?:outlet|source|paper|newspaper|site|publication)\b", re.I)

CONDENSE_SYSTEM = (
    "You rewrite the user's follow-up question into one standalone question about the news. "
    "Resolve every pronoun and vague reference (it, that, they, the other outlet, then) using the "
    "conversation: name the people, organisations, outlets and dates it means. Keep the question's "
    "intent; do not answer it. Reply with the rewritten question only, on one line."
)


def leans_on_history(question: str) -> bool:
    """Whether ``question`` needs the conversation to be understood."""
    words = question.split()
    return (
        len(words) <= 3
        or bool(_OPENER.match(question) or _LEANS.search(question) or _OTHER_OUTLET.search(question))
        or not names_in(question)
    )


def _date_phrases(text: str) -> list[str]:
    """The dates ``text`` names, as it words them."""
    return list(dict.fromkeys(text[a:b] for a, b in date_spans(text)))


def rewrite(question: str, history: Sequence[Answer], facts: StoreFacts = NO_FACTS) -> str:
    """The deterministic rewrite: the question plus the previous turn's names, outlets and dates."""
    question = " ".join(question.split())
    if not history or not leans_on_history(question):
        return question
    prev = history[-1]
    prev_query = _query_of(prev, facts)
    prev_q = prev_query.text
    cited = list(dict.fromkeys(c.source for c in prev.citations if c.source))
    known = [*facts.matcher.sources, *cited]
    asked_outlets = list(prev_query.outlets)
    low = question.lower()

    names = list(prev_query.names)
    if len(names) < 2:  # a vague previous question: its answer says what it was about
        counted = Counter(n for n in names_in(_strip_markers(prev.text)) if n not in known)
        names += [n for n, _ in counted.most_common(MAX_NAMES) if n not in names]
    names = [n for n in names if n.lower() not in low and not any(n in o for o in known)]
    # "Musk" adds nothing beside "Elon Musk".
    names = [n for n in names if not any(n != m and re.search(r"\b" + re.escape(n) + r"\b", m) for m in names)]
    names = names[:MAX_NAMES]

    if _OTHER_OUTLET.search(question):
        carried = [o for o in asked_outlets if o not in cited]
    elif _SAME_OUTLET.search(question):
        carried = cited[:1]
    else:
        carried = asked_outlets
    carried = [o for o in carried if o.lower() not in low]
    dates = [d for d in _date_phrases(prev_q) if d.lower() not in low]

    context = "; ".join(", ".join(part) for part in (names, carried, dates) if part)
    core = _OPENER.sub("", question).strip() or question
    core = core[0].upper() + core[1:]
    if not context:
        return core
    if core.endswith("?"):
        return f"{core[:-1].rstrip()} ({context})?"
    return f"{core} ({context})"


def condense(
    question: str,
    history: Sequence[Answer],
    facts: StoreFacts = NO_FACTS,
    settings: Settings | None = None,
    engine: str | None = None,
) -> str:
    """``question`` as a standalone question, given the earlier answers of the conversation.

    ``facts``: the retriever snapshot's outlets and dates (the previous questions are read
    against them); ``settings`` and ``engine`` (None: the settings' default) say whether an LLM
    rewrites."""
    question = " ".join((question or "").split())
    if not history or not leans_on_history(question):
        return question
    fallback = rewrite(question, history, facts)
    name = engine or (settings.resolved_engine if settings is not None else "extractive")
    if name != "openai" or settings is None:
        return fallback
    try:
        return llm_condense(question, history, settings) or fallback
    except Exception:  # noqa: BLE001 - any failure of the helper call falls back; the answer call reports errors
        return fallback


def llm_condense(question: str, history: Sequence[Answer], settings) -> str | None:
    """One short, non-streamed chat call to the settings' LLM; None when the reply is not a usable question."""
    from llama_index.core.llms import ChatMessage

    from index.openai_client import api_key
    from qa.llm import make_llm
    from qa.redact import redact

    llm = make_llm(
        settings,
        max_tokens=CONDENSE_MAX_TOKENS,
        temperature=0,
        timeout=min(settings.request_timeout, CONDENSE_TIMEOUT_S),
    )
    reply = llm.chat([ChatMessage(role=m["role"], content=m["content"]) for m in condense_messages(question, history)])
    return _clean_reply(redact(reply.message.content or "", api_key(settings)))


def condense_messages(question: str, history: Sequence[Answer]) -> list[dict[str, str]]:
    turns = []
    for a in history:
        answer = _strip_markers(a.text)
        answer = answer if len(answer) <= 500 else answer[:499] + "…"
        sources = sorted(
            {f"{c.source or 'unknown outlet'} ({(c.published_at or 'undated')[:10]})" for c in a.citations}
        )
        turns.append(f"User: {a.standalone_question or a.question}\nAssistant: {answer}"
                     + (f"\n(Sources: {', '.join(sources)})" if sources else ""))  # fmt: skip
    user = "Conversation:\n\n" + "\n\n".join(turns) + f"\n\nFollow-up question: {question}\nStandalone question:"
    return [{"role": "system", "content": CONDENSE_SYSTEM}, {"role": "user", "content": user}]


def _clean_reply(text: str) -> str | None:
    from qa.terminal import one_line

    line = one_line(text.strip().splitlines()[0] if text.strip() else "")
    line = re.sub(r"^(?:standalone question|question|rewritten question)\s*:\s*", "", line, flags=re.I)
    line = line.strip().strip("\"'\u201c\u201d").strip()
    if len(line) < 3 or len(line) > 400:
        return None
    return line


def _strip_markers(text: str) -> str:
    return " ".join(re.sub(r"\[\d+(?:\s*,\s*\d+)*\]", " ", text or "").split())


def _query_of(answer: Answer, facts: StoreFacts) -> Query:
    """The previous turn's question as it was read (read again, the same way, for a turn loaded
    from a saved conversation)."""
    if answer.query is not None:
        return answer.query
    return analyse(answer.standalone_question or answer.question, facts)
