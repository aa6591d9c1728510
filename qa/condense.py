"""Follow-up questions made standalone before retrieval.

"and what did Putin demand?", "when was that?", "what did the other outlet say?" mean nothing
to a retriever on their own. A question that leans on the conversation (pronouns, ellipsis, an
opening "and ...", no name of its own) is rewritten:

- offline (extractive engine), deterministically (qa/followups.py): pronouns and ellipses are
  resolved against the previous turn's question, its subject, outlets and dates;
- with the openai engine, by one short LLM call with a condense prompt; on any failure the
  deterministic rewrite is used instead, so a flaky server never loses the context.

A question that stands on its own is returned unchanged, with no LLM call.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from qa.followups import leans_on_history, rewrite
from qa.models import Answer
from qa.query_analysis import NO_FACTS, StoreFacts

if TYPE_CHECKING:
    from index.settings import Settings

CONDENSE_MAX_TOKENS = 96
CONDENSE_TIMEOUT_S = 20.0

CONDENSE_SYSTEM = (
    "You rewrite the user's follow-up question into one standalone question about the news. "
    "Resolve every pronoun and vague reference (it, that, they, the other outlet, then) using the "
    "conversation: name the people, organisations, outlets and dates it means. Keep the question's "
    "intent; do not answer it. Reply with the rewritten question only, on one line."
)


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
    if not history or not leans_on_history(question, facts):
        return question
    fallback = rewrite(question, history, facts)
    name = engine or (settings.resolved_engine if settings is not None else "extractive")
    if name != "openai" or settings is None:
        return fallback
    try:
        return llm_condense(question, history, settings) or fallback
    except Exception:
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
