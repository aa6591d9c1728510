"""Ingest through the real loaders, the real MiniLM model and a real Chroma directory."""

from __future__ import annotations

import json
import shutil

import pytest

from index.chunking import chunk_article
from index.errors import InputError
from index.ingest import ingest
from index.lexical import LexicalIndex
from index.store import Store
from tests.conftest import MULTIHOP, SEEDS, requires_shared


def _article_json(title: str, body: str, **extra) -> str:
    return json.dumps({"title": title, "body": body, **extra})


def test_seed_corpus_keeps_title_and_date(seed_settings):
    with Store.open(seed_settings) as store:
        metas = store.list_articles()
        assert [m.title for m in metas] == ["Trump and Putin's Negotiations: A Path to Peace?"]
        assert metas[0].published_at.startswith("2025-03-19")
        article = store.get_article(metas[0].doc_id)
        chunks = [c for c, _ in store.iter_chunks()]
    assert len(chunks) == metas[0].n_chunks > 1
    expected = chunk_article(article, seed_settings.chunk_chars)
    assert [(c.chunk_id, c.text) for c in sorted(chunks, key=lambda c: c.ordinal)] == [
        (c.chunk_id, c.text) for c in expected
    ]
    for c in chunks:  # offsets let a citation quote verbatim
        assert c.text.strip() and article.body[c.char_start : c.char_end] == c.text


def test_a_chunk_text_is_stored_once_in_its_article(seed_settings):
    # Chroma full-text indexes documents while it holds the GIL; chunk records carry places only.
    with Store.open(seed_settings) as store:
        got = store._chunk_collection().get(include=["documents", "metadatas"])
    assert got["ids"] and all(d is None for d in got["documents"])
    assert all(m["char_end"] > m["char_start"] for m in got["metadatas"])


def test_reingest_is_a_noop(seed_settings):
    with Store.open(seed_settings) as store:
        before = store.counts()
    report = ingest([SEEDS], seed_settings)
    assert (report.articles, report.added, report.updated, report.unchanged) == (1, 0, 0, 1)
    with Store.open(seed_settings) as store:
        assert store.counts() == before


def test_edited_article_replaces_its_chunks(settings, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    first = (
        "Alpha Corp opened a plant in Ohio. " * 3
        + "The plant employs 400 people.\n"
        + "Local officials welcomed it. " * 40
    )
    (corpus / "a.json").write_text(_article_json("Alpha plant", first, url="https://example.com/a"))
    ingest([corpus], settings)
    with Store.open(settings) as store:
        (doc_id,) = [m.doc_id for m in store.list_articles()]
        n_before = store.counts()[1]
    edited = first.replace("400 people", "650 people") + " A second shift starts in May."
    (corpus / "a.json").write_text(_article_json("Alpha plant", edited, url="https://example.com/a"))
    report = ingest([corpus], settings)
    assert (report.added, report.updated, report.unchanged) == (0, 1, 0)
    with Store.open(settings) as store:
        assert [m.doc_id for m in store.list_articles()] == [doc_id]
        chunks = [c for c, _ in store.iter_chunks()]
        body = store.get_article(doc_id).body
    assert "650 people" in body and "400 people" not in body
    assert len({c.chunk_id for c in chunks}) == len(chunks) == store_chunk_count(settings)
    assert all("400 people" not in c.text for c in chunks)
    assert n_before <= len(chunks) + 1
    lexical = LexicalIndex.load(Store.open(settings).lexical_dir)
    assert sorted(lexical.chunk_ids) == sorted(c.chunk_id for c in chunks)


def store_chunk_count(settings) -> int:
    with Store.open(settings) as store:
        return store.counts()[1]


def test_duplicate_under_another_name_is_stored_once(settings, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = "Storm hits coast\nPublished March 2, 2024\n\nA storm hit the coast on Monday. Thousands lost power."
    (corpus / "one.txt").write_text(text)
    (corpus / "copy-of-one.txt").write_text(text)
    report = ingest([corpus], settings)
    assert report.articles == 1 and report.added == 1
    with Store.open(settings) as store:
        assert store.counts()[0] == 1


def test_prune_drops_articles_whose_files_are_gone(settings, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "keep.txt").write_text("Kept story\n\nThe council approved the budget on Tuesday.")
    (corpus / "gone.txt").write_text("Gone story\n\nThe mayor resigned after the vote.")
    ingest([corpus], settings)
    (corpus / "gone.txt").unlink()
    assert ingest([corpus], settings).pruned == 0  # without --prune nothing is dropped
    report = ingest([corpus], settings, prune=True)
    assert report.pruned == 1
    with Store.open(settings) as store:
        assert [m.title for m in store.list_articles()] == ["Kept story"]


def test_bad_files_are_skipped_with_reasons_and_the_rest_ingested(settings, tmp_path):
    corpus = tmp_path / "bad"
    corpus.mkdir()
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (corpus / "empty.md").write_text("")
    (corpus / "broken.json").write_text('{"title": "x", "body": ')
    (corpus / "latin1.txt").write_bytes(
        "Caf\xe9 news\n\nThe caf\xe9 in Z\xfcrich reopened on Friday.".encode("latin-1")
    )
    (corpus / "huge.txt").write_text("word " * 200_000)
    (corpus / "good.json").write_text(_article_json("Good one", "The bridge reopened after repairs."))
    small = settings.model_copy(update={"max_file_bytes": 500_000})
    report = ingest([corpus], small)
    reasons = {s.path.rsplit("/", 1)[-1]: s.reason for s in report.skipped}
    assert set(reasons) == {"binary.txt", "empty.md", "broken.json", "huge.txt"}
    assert all(reason and "\n" not in reason for reason in reasons.values())
    assert report.added == 2  # latin-1 text decoded, good.json loaded
    with Store.open(small) as store:
        titles = {m.title for m in store.list_articles()}
        assert titles == {"Café news", "Good one"}


def test_bad_input_loses_nothing_already_indexed(seed_settings, tmp_path):
    with Store.open(seed_settings) as store:
        before = store.counts()
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    report = ingest([bad], seed_settings)
    assert report.articles == 0 and len(report.skipped) == 1
    with Store.open(seed_settings) as store:
        assert store.counts() == before


def test_missing_path_is_an_error(settings, tmp_path):
    with pytest.raises(InputError, match="no such file"):
        ingest([tmp_path / "nope"], settings)


@pytest.mark.slow
@requires_shared(MULTIHOP / "corpus")
def test_multihop_corpus_ingests_with_metadata(settings, tmp_path):
    sample = tmp_path / "sample"
    sample.mkdir()
    files = sorted((MULTIHOP / "corpus").glob("*.json"))[:40]
    for f in files:
        shutil.copy(f, sample / f.name)
    report = ingest([sample], settings)
    assert report.added == len(files) and not report.skipped
    with Store.open(settings) as store:
        metas = store.list_articles()
    originals = {json.loads(f.read_text())["doc_id"]: json.loads(f.read_text()) for f in files}
    for m in metas:
        o = originals[m.doc_id]
        assert (m.title, m.source, m.url) == (o["title"].strip(), o["source"], o["url"])
        assert m.published_at[:10] == o["published_at"][:10] and m.published_ts


def _rss(items: list[tuple[str, str, str]]) -> str:
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><description>{d}</description></item>" for t, link, d in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Port Alder Post</title>{entries}</channel></rss>'


def test_json_report_names_every_file_of_a_folder_with_its_outcome(tmp_path, capsys):
    from qa.cli import main

    folder = tmp_path / "news"
    (folder / "sub").mkdir(parents=True)
    (folder / ".git").mkdir()
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main")  # hidden: passed over
    (folder / "bridge.txt").write_text("Bridge approved\n\nThe council approved the harbour bridge on Tuesday.")
    (folder / "sub" / "bridge-copy.txt").write_text(
        "Bridge approved\n\nThe council approved the harbour bridge on Tuesday."
    )
    (folder / "feed.rss").write_text(
        _rss(
            [
                ("Ferry line opens", "https://example.org/ferry", "The new ferry line opened on Monday morning."),
                ("Market reopens", "https://example.org/market", "The fish market reopened after the storm."),
                ("Title only", "https://example.org/empty", ""),
            ]
        )
    )
    (folder / "notes.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    (folder / "empty.md").write_text("")

    assert main(["ingest", "--json", str(folder)]) == 0
    report = json.loads(capsys.readouterr().out)
    files = {f["path"].removeprefix(str(folder) + "/"): f for f in report["files"]}
    assert sorted(files) == ["bridge.txt", "empty.md", "feed.rss", "notes.docx", "sub/bridge-copy.txt"]
    assert len(report["files"]) == len(files)  # each once
    assert files["bridge.txt"] == {
        "path": str(folder / "bridge.txt"),
        "outcome": "ingested",
        "articles": 1,
        "added": 1,
        "updated": 0,
        "unchanged": 0,
    }
    feed = files["feed.rss"]
    assert (feed["outcome"], feed["articles"], feed["added"]) == ("ingested", 2, 2)
    assert [s["reason"] for s in feed["skipped"]] == ["feed entry has only a title and a link (no content or summary)"]
    assert files["sub/bridge-copy.txt"]["outcome"] == "duplicate"
    assert files["sub/bridge-copy.txt"]["reason"].startswith(f"duplicate of {folder / 'bridge.txt'}")
    assert files["notes.docx"]["outcome"] == "skipped"
    assert files["notes.docx"]["reason"].startswith("unsupported file type '.docx'")
    assert files["empty.md"] == {"path": str(folder / "empty.md"), "outcome": "skipped", "reason": "empty file"}
    assert report["articles"] == 3

    # Again: the same files, each now unchanged, and nothing embedded twice.
    assert main(["ingest", "--json", str(folder)]) == 0
    again = {f["path"]: f for f in json.loads(capsys.readouterr().out)["files"]}
    assert again[str(folder / "feed.rss")]["unchanged"] == 2 and again[str(folder / "feed.rss")]["added"] == 0
    assert [f["outcome"] for f in again.values()] == [f["outcome"] for f in report["files"]]
