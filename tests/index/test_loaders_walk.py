"""``iter_articles`` over real folders: order, hidden files, symlinks, duplicates, missing paths."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from index.errors import InputError
from index.loaders import iter_articles
from index.models import Article, Skipped
from index.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", cache_dir=tmp_path / "cache")


def article_file(path: Path, title: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{title}\nThe body of {title}.\n")
    return path


def titles(items) -> list[str]:
    return [x.meta.title for x in items if isinstance(x, Article)]


def test_folders_recursively_in_sorted_order(tmp_path, settings):
    root = tmp_path / "news"
    article_file(root / "b.txt", "B")
    article_file(root / "a.md", "A")
    article_file(root / "sub" / "c.txt", "C")
    article_file(root / "sub" / "deeper" / "d.txt", "D")
    article_file(root / "z.txt", "Z")
    (root / "notes.docx").write_bytes(b"PK\x03\x04" + bytes(range(256)))
    article_file(root / ".hidden.txt", "Hidden")
    article_file(root / ".git" / "x.txt", "Git")
    items = list(iter_articles([root], settings))
    assert titles(items) == ["A", "B", "Z", "C", "D"]
    # An unsupported file inside a folder is reported, not passed over in silence.
    [skipped] = [x for x in items if isinstance(x, Skipped)]
    assert skipped.path == str(root / "notes.docx")
    assert skipped.reason.startswith("unsupported file type '.docx'")
    assert titles(iter_articles([root], settings)) == titles(items)


def test_explicit_files_keep_the_given_order(tmp_path, settings):
    b = article_file(tmp_path / "b.txt", "B")
    a = article_file(tmp_path / "a.txt", "A")
    other = tmp_path / "doc.odt"
    other.write_bytes(b"PK\x03\x04")
    items = list(iter_articles([b, a, other, a], settings))
    assert titles(items) == ["B", "A"]
    assert [x.path for x in items if isinstance(x, Skipped)] == [str(other)]


def test_missing_path_raises_before_loading(tmp_path, settings):
    article_file(tmp_path / "a.txt", "A")
    missing = tmp_path / "nope"
    with pytest.raises(InputError, match=f"no such file or directory: {missing}"):
        next(iter_articles([tmp_path / "a.txt", missing], settings))


def test_symlink_loop_terminates(tmp_path, settings):
    root = tmp_path / "root"
    article_file(root / "sub" / "a.txt", "A")
    os.symlink(root, root / "sub" / "loop")
    os.symlink(root / "sub", root / "again")
    items = list(iter_articles([root], settings))
    assert titles(items) == ["A"]
    assert not [x for x in items if isinstance(x, Skipped)]


def test_symlinked_folder_is_followed(tmp_path, settings):
    elsewhere = tmp_path / "elsewhere"
    article_file(elsewhere / "x.txt", "X")
    root = tmp_path / "root"
    root.mkdir()
    os.symlink(elsewhere, root / "linked")
    assert titles(iter_articles([root], settings)) == ["X"]


def test_duplicate_body_under_another_name_is_reported(tmp_path, settings):
    article_file(tmp_path / "a.txt", "Same")
    article_file(tmp_path / "copy-of-a.txt", "Same")
    items = list(iter_articles([tmp_path], settings))
    assert titles(items) == ["Same"]
    [dup] = [x for x in items if isinstance(x, Skipped)]
    assert dup.path == str(tmp_path / "copy-of-a.txt")
    assert dup.reason.startswith(f"duplicate of {tmp_path / 'a.txt'}")


def test_bad_files_do_not_stop_the_walk(tmp_path, settings):
    article_file(tmp_path / "a.txt", "A")
    (tmp_path / "b.json").write_text("{broken")
    (tmp_path / "c.jsonl").write_text('{"title": "C", "body": "c"}\nnope\n')
    (tmp_path / "d.html").write_bytes(b"")
    article_file(tmp_path / "e.txt", "E")
    items = list(iter_articles([tmp_path], settings))
    assert titles(items) == ["A", "C", "E"]
    assert [x.path for x in items if isinstance(x, Skipped)] == [
        str(tmp_path / "b.json"),
        f"{tmp_path / 'c.jsonl'}:2",
        str(tmp_path / "d.html"),
    ]


def test_file_vanishing_mid_walk(tmp_path, settings):
    article_file(tmp_path / "a.txt", "A")
    article_file(tmp_path / "b.txt", "B")
    items = iter_articles([tmp_path], settings)
    first = next(items)
    (tmp_path / "b.txt").unlink()  # listed already, gone before it is read
    rest = list(items)
    assert first.meta.title == "A"
    assert rest == [Skipped(str(tmp_path / "b.txt"), "file vanished during ingest")]


def test_json_fields_are_not_paths(tmp_path, settings):
    secret = tmp_path / "secret.txt"
    secret.write_text("Secret\nnever ingested\n")
    data = tmp_path / "in"
    data.mkdir()
    (data / "a.json").write_text(
        json.dumps({"title": "T", "body": "b", "path": str(secret), "file": "../secret.txt", "url": f"file://{secret}"})
    )
    items = list(iter_articles([data], settings))
    assert len(items) == 1 and "never ingested" not in items[0].body
    assert items[0].meta.path == str(data / "a.json")
