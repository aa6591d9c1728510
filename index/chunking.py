"""Cut an article body into chunks of whole sentences that remember where they came from."""

from __future__ import annotations

from index.models import Article, Chunk
from index.sentences import split_sentences


def chunk_article(article: Article, target_chars: int = 600, overlap_sentences: int = 1) -> list[Chunk]:
    """Greedy packing of whole sentences up to ``target_chars``; consecutive chunks share
    ``overlap_sentences`` sentences so a fact spanning a boundary is whole in one of them.

    A single sentence longer than the target becomes a chunk of its own, cut at whitespace
    near the target so no chunk grows without bound (enormous one-line inputs).
    """
    body = article.body
    spans = _bounded(body, split_sentences(body), target_chars * 2)
    chunks: list[Chunk] = []
    i = 0
    while i < len(spans):
        j = i
        while j + 1 < len(spans) and spans[j + 1][1] - spans[i][0] <= target_chars:
            j += 1
        start, end = spans[i][0], spans[j][1]
        chunks.append(
            Chunk(
                chunk_id=f"{article.doc_id}#{len(chunks)}",
                doc_id=article.doc_id,
                ordinal=len(chunks),
                text=body[start:end],
                char_start=start,
                char_end=end,
            )
        )
        if j + 1 >= len(spans):
            break
        i = max(i + 1, j + 1 - overlap_sentences)
    return chunks


def _bounded(text: str, spans: list[tuple[int, int]], limit: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in spans:
        while b - a > limit:
            cut = text.rfind(" ", a + limit // 2, a + limit)
            cut = cut if cut > a else a + limit
            out.append((a, cut))
            a = cut
            while a < b and text[a].isspace():
                a += 1
        if b > a:
            out.append((a, b))
    return out
