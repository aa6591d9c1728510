"""What the question itself says about where to look: outlets it names and dates it gives."""

from __future__ import annotations

from qa.models import Filters, Query


def analyse(question: str, filters: Filters, top_k: int, lexical, store) -> Query:
    return Query(text=question, filters=filters, top_k=top_k)
