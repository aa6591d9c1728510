"""The BM25 index as saved beside a store and loaded again by another process."""

from __future__ import annotations

from index.lexical import ChunkRow, LexicalIndex

ROWS = [
    ChunkRow("a#0", "a", "The harbour ferry strike ended after a pay offer.", 1_700_000_000, "the guardian"),
    ChunkRow("b#0", "b", "Riverton opened protected bike lanes to the university.", 1_700_100_000, "the verge"),
    ChunkRow("c#0", "c", "A study found teenagers sleep less after late screen use.", None, "fox news - health"),
]


def test_a_loaded_index_finds_the_words_of_every_query_not_only_the_first(tmp_path):
    LexicalIndex.build(ROWS, "fp").save(tmp_path / "lexical")
    loaded = LexicalIndex.load(tmp_path / "lexical")
    assert loaded is not None and loaded.fingerprint == "fp"
    # the first query must not fix the vocabulary the later ones are read with
    assert [cid for cid, _ in loaded.search("ferry strike", 3)] == ["a#0"]
    assert [cid for cid, _ in loaded.search("bike lanes", 3)] == ["b#0"]
    assert [cid for cid, _ in loaded.search("teenagers sleep", 3)] == ["c#0"]
    assert loaded.search("zeppelin", 3) == []


def test_loaded_and_built_indexes_score_alike(tmp_path):
    built = LexicalIndex.build(ROWS, "fp")
    built.save(tmp_path / "lexical")
    loaded = LexicalIndex.load(tmp_path / "lexical")
    for query in ("harbour pay offer", "university bike", "screen sleep study", "ferry"):
        assert loaded.search(query, 3) == built.search(query, 3)
    assert list(loaded.source_keys) == ["the guardian", "the verge", "fox news - health"]


def test_a_search_never_leaves_its_mask(tmp_path):
    index = LexicalIndex.build(ROWS, "fp")
    mask = index.source_keys == "the verge"
    assert [cid for cid, _ in index.search("ferry strike bike lanes", 3, mask=mask)] == ["b#0"]


def test_articles_are_scored_whole_and_their_chunks_remember_their_place(tmp_path):
    body = "The council voted on the tram line. The tram line will reach the harbour. Work starts in May."
    first, second = body[:64], body[36:]  # neighbouring chunks share the middle sentence
    rows = [
        *ROWS,
        ChunkRow("t#0", "t", first, None, "the age", 0, 0, 64),
        ChunkRow("t#1", "t", second, None, "the age", 1, 36, len(body)),
    ]
    built = LexicalIndex.build(rows, "fp")
    built.save(tmp_path / "lexical")
    loaded = LexicalIndex.load(tmp_path / "lexical")
    for index in (built, loaded):
        assert index.article_ids == ["a", "b", "c", "t"]
        assert list(index.article_of_row) == [0, 1, 2, 3, 3]
        assert list(index.ordinals) == [0, 0, 0, 0, 1] and index.spans[4].tolist() == [36, len(body)]
        # words of both chunks meet in the article: it outscores every other
        scores = index.article_scores("council vote tram May")
        assert scores.argmax() == 3 and (scores[:3] == 0).all()
    assert (loaded.article_scores("tram line") == built.article_scores("tram line")).all()


def test_any_damaged_file_of_a_saved_index_reads_as_no_index_so_it_is_rebuilt(tmp_path):
    import os

    LexicalIndex.build(ROWS, "fp").save(tmp_path / "pristine")
    files = sorted(p.relative_to(tmp_path / "pristine") for p in (tmp_path / "pristine").rglob("*") if p.is_file())
    assert len(files) >= 5
    for rel in files:
        for damage in (b"", os.urandom(300)):
            copy = tmp_path / "copy"
            LexicalIndex.build(ROWS, "fp").save(copy)
            (copy / rel).write_bytes(damage)
            loaded = LexicalIndex.load(copy)  # never raises: None (rebuild) or an index that still reads
            if loaded is not None:
                loaded.search("ferry strike", 3)


def test_a_loaded_index_maps_its_files_and_finds_rows_by_chunk_id_without_a_table(tmp_path):
    import numpy as np

    body = "One. Two. Three."
    rows = [  # out of order on purpose: the index keeps each article's chunks together, in order
        ChunkRow("t#1", "t", body[5:9], None, "the age", 1, 5, 9),
        *ROWS,
        ChunkRow("t#0", "t", body[:4], None, "the age", 0, 0, 4),
    ]
    LexicalIndex.build(rows, "fp").save(tmp_path / "lexical")
    index = LexicalIndex.load(tmp_path / "lexical")
    # shared through the page cache by every reader, not copied into each
    for column in (index.article_of_row, index.ordinals, index.spans, index.published_ts, index.source_codes):
        assert isinstance(column.base, np.memmap) and not column.flags.owndata and not column.flags.writeable
    assert isinstance(index.scores("ferry"), np.ndarray)
    assert index.chunk_ids == ["t#0", "t#1", "a#0", "b#0", "c#0"]  # articles in order of first sight
    for cid in ("a#0", "b#0", "c#0", "t#0", "t#1"):
        row = index.row_of(cid)
        assert row is not None and index.chunk_id(row) == cid
    assert index.row_of("t#2") is None and index.row_of("zz#0") is None and index.row_of("no-ordinal") is None
    assert index.row_at("t", 1) == index.row_of("t#1") == index.row_at("t", 0) + 1
    assert index.doc_of(index.row_of("b#0")) == "b"
    assert index.source_mask(["The Verge"]).tolist() == [cid == "b#0" for cid in index.chunk_ids]
    picked = np.array([index.row_of("t#0"), index.row_of("a#0")])
    assert index.source_mask(["the age"], picked).tolist() == [True, False]


def test_chunk_ids_other_than_doc_and_ordinal_are_kept_as_they_are(tmp_path):
    rows = [ChunkRow("x-first", "x", "The harbour ferry strike ended.", None, None, 0, 0, 31)]
    LexicalIndex.build(rows, "fp").save(tmp_path / "lexical")
    index = LexicalIndex.load(tmp_path / "lexical")
    assert index.chunk_ids == ["x-first"] and index.row_of("x-first") == 0 and index.row_of("x#0") is None
    assert index.search("ferry", 3) == [("x-first", index.search("ferry", 3)[0][1])]
