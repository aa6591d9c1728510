"""Bad files and hostile text: each becomes a ``Skipped`` with its reason, or is cleaned."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from index.loaders import load_file
from index.models import Article, Skipped
from index.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", cache_dir=tmp_path / "cache", max_file_bytes=10_000)


def skipped_reason(path: Path, settings: Settings) -> str:
    loaded = load_file(path, settings)
    assert len(loaded) == 1 and isinstance(loaded[0], Skipped), loaded
    assert loaded[0].path == str(path)
    assert "\n" not in loaded[0].reason
    return loaded[0].reason


def write(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"  \n\n\t\n", "empty file"),
        ("nul.txt", b"Title\nbody\x00\x00more", "binary file (contains NUL bytes)"),
        ("png.html", b"\x89PNG\r\n\x1a\n" + bytes(range(1, 32)) * 20, "binary file"),
        ("bad.json", b'{"title": "x", ', "malformed JSON at line 1"),
        ("scalar.json", b"42", "JSON top level is a number, not an object or array"),
        ("notext.json", b'{"title": "Only a title"}', "no article text"),
        ("titleonly.txt", b"Just a title\n", "no article text"),
        ("deep.json", b"[" * 4_000 + b"]" * 4_000, "JSON nested too deeply"),
        ("controls.txt", b"\x1b[31m\x07\x08\n\x1b]0;x\x07", "empty file"),
        ("doc.pdf", b"%PDF-1.4", "unreadable PDF"),  # a header and nothing after it
        ("doc.docx", b"PK\x03\x04" + b"\x00" * 40, "unsupported file type '.docx'"),
        ("noext", b"text", "unsupported file type '(no suffix)'"),
    ],
    ids=lambda value: value if isinstance(value, str) and "." in value[1:] else "",
)
def test_bad_files_are_skipped_with_reason(tmp_path, settings, name, data, reason):
    assert reason in skipped_reason(write(tmp_path / name, data), settings)


def test_file_over_max_bytes(tmp_path, settings):
    path = write(tmp_path / "big.txt", "Title\n" + "word " * 5_000)
    assert "file too large" in skipped_reason(path, settings)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path, settings):
    path = write(tmp_path / "secret.txt", "Title\nBody\n")
    path.chmod(0)
    try:
        assert skipped_reason(path, settings) == "permission denied"
    finally:
        path.chmod(0o600)


def test_vanished_file(tmp_path, settings):
    assert skipped_reason(tmp_path / "gone.txt", settings) == "file vanished during ingest"


def test_fifo_does_not_hang(tmp_path, settings):
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    assert skipped_reason(path, settings) == "not a regular file"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Titre\ncafé crème\n".encode("utf-16"), "café crème"),
        ("Titre\ncafé crème\n".encode("utf-8-sig"), "café crème"),
        ("Title\n\u201csmart quotes\u201d \u2014 dash\n".encode("cp1252"), "\u201csmart quotes\u201d \u2014 dash"),
        ("Title\nna\u00efve \u00fc\n".encode("latin-1") + b"\x81", "na\u00efve \u00fc"),
    ],
)
def test_encodings(tmp_path, settings, data, expected):
    [article] = load_file(write(tmp_path / "a.txt", data), settings)
    assert isinstance(article, Article)
    assert article.body.startswith(expected)
    assert "\ufeff" not in article.meta.title


HOSTILE = (
    "\x1b]0;pwned title\x07Head\x1b[2Jline\x9b31m\r\n"
    "Body with \x1b[1;31mred\x1b[0m text,\x00 a bell\x07, a backspace\x08,\r"
    "an OSC 8 \x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\ and \u202eright-to-left\u202c.\r\n"
    "Tab\tkept.\x1b"
)


def assert_clean(text: str, allow_newlines: bool) -> None:
    bad = [c for c in text if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0]
    assert not bad, (bad, text)
    assert "\u202e" not in text and "\r" not in text
    assert allow_newlines or "\n" not in text


def test_escapes_stripped_from_text(tmp_path, settings):
    [article] = load_file(write(tmp_path / "a.txt", HOSTILE), settings)
    assert article.meta.title == "Headline"
    assert article.body == ("Body with red text, a bell, a backspace,\nan OSC 8 link and right-to-left.\nTab\tkept.")
    assert_clean(article.body, allow_newlines=True)


def test_escapes_stripped_from_json_metadata(tmp_path, settings):
    record = {
        "title": "Evil\x1b[2J\ntitle\r\x00" + "x" * 1000,
        "body": HOSTILE,
        "source": "\x1b]52;c;Y2xpcA==\x07Outlet\u0085",
        "author": ["A\x1b[31m", "B\n\tC"],
        "url": "https://e.com/\x1b[1m",
        "date": "\x1b[1m2025-03-19",
    }
    [article] = load_file(write(tmp_path / "a.json", json.dumps(record)), settings)
    meta = article.meta
    for value in (meta.title, meta.source, meta.author, meta.url):
        assert_clean(value, allow_newlines=False)
    assert meta.title.startswith("Evil title ") and len(meta.title) <= 500
    assert (meta.source, meta.author, meta.url) == ("Outlet", "A, B C", "https://e.com/")
    assert meta.published_at == "2025-03-19"
    assert_clean(article.body, allow_newlines=True)


def test_enormous_line_loads(tmp_path):
    settings = Settings(data_dir=tmp_path / "d", cache_dir=tmp_path / "c")
    line = ("\x1b[" + "1;" * 50) * 20_000 + "word " * 200_000
    [article] = load_file(write(tmp_path / "a.txt", "Title\n" + line), settings)
    assert article.body.endswith("word")
