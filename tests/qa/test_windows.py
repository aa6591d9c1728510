"""Small-to-big windows over a real BM25 index of chunk rows."""

from __future__ import annotations

from index.lexical import ChunkRow, LexicalIndex
from qa.windows import Windows


def index_of(chunks_per_doc: dict[str, int], size: int = 100) -> LexicalIndex:
    rows = [
        ChunkRow(f"{doc}#{o}", doc, f"words of {doc} number {o}", None, None, o, o * size, (o + 1) * size)
        for doc, n in chunks_per_doc.items()
        for o in range(n)
    ]
    return LexicalIndex.build(rows, "fp")


def row(lex: LexicalIndex, chunk_id: str) -> int:
    return lex.chunk_ids.index(chunk_id)


def test_neighbouring_hits_share_one_window_and_windows_grow_to_the_width():
    lex = index_of({"a": 6, "b": 2})
    ranking = [row(lex, c) for c in ("a#0", "a#1", "a#4", "b#1")]
    windows = Windows(lex, width=300, per_doc=3).choose([ranking], k=2, score={})
    assert [(w.doc, w.start, w.end) for w in windows] == [("a", 0, 300), ("a", 300, 600)]
    # a#1 joined a#0's window instead of taking a slot; a#4 then opened the second one
    assert windows[0].rows == [row(lex, "a#0"), row(lex, "a#1")]
    assert windows[1].lo == 3 and windows[1].hi == 5


def test_widening_prefers_the_better_scored_neighbour_and_never_enters_another_window():
    lex = index_of({"a": 6})
    ranking = [row(lex, "a#1"), row(lex, "a#3")]
    score = {row(lex, "a#2"): 0.9}
    windows = Windows(lex, width=200, per_doc=3).choose([ranking], k=2, score=score)
    # both want a#2; the first window takes it, the second grows the other way
    assert [(w.lo, w.hi) for w in windows] == [(1, 2), (3, 4)]
    assert [(w.start, w.end) for w in windows] == [(100, 300), (300, 500)]


def test_an_article_at_its_cap_yields_to_others_and_fills_in_when_they_run_out():
    lex = index_of({"a": 9, "b": 1})
    ranking = [row(lex, c) for c in ("a#0", "a#4", "a#8", "b#0")]
    windows = Windows(lex, width=100, per_doc=2).choose([ranking], k=3, score={})
    assert [w.doc for w in windows] == ["a", "a", "b"]
    windows = Windows(lex, width=100, per_doc=2).choose([ranking], k=4, score={})
    assert sorted(w.lo for w in windows if w.doc == "a") == [0, 4, 8]


def test_rankings_take_turns():
    lex = index_of({"a": 3, "b": 3, "c": 3}, size=100)
    first = [row(lex, c) for c in ("a#0", "a#2")]
    second = [row(lex, c) for c in ("b#0", "c#0")]
    windows = Windows(lex, width=100, per_doc=3).choose([first, second], k=3, score={})
    assert [w.doc for w in windows] == ["a", "b", "a"]
