"""Loading articles from files and folders for ``newsqa ingest``.

Formats: ``.txt``, ``.md``, ``.html``/``.htm`` (bytes in, via ``html_article``, which other
sources of web pages call too), ``.json`` (an object or a list), ``.jsonl``.
Every problem with a file or a record becomes a ``Skipped`` with a one-line reason; only a path
the user named that does not exist is an error (``InputError``), raised before anything loads.
All text is cleaned of control characters and terminal escapes here, at load time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from index.models import Article, Skipped
from index.settings import Settings

from ._article import RawArticle, build_article
from ._clean import strip_controls
from ._decode import LoadProblem, decode, read_bytes
from ._html import html_article, raw_from_html_bytes
from ._json import load_json, load_jsonl
from ._markdown import raw_from_markdown
from ._text import raw_from_text
from ._walk import expand_paths

__all__ = ["SUPPORTED_SUFFIXES", "LoadProblem", "RawArticle", "build_article", "html_article",
           "iter_articles", "load_file"]

Loaded = Article | Skipped

# Formats that hold one article per file, read from cleaned text.
_SINGLE: dict[str, Callable[[str], RawArticle]] = {
    ".txt": raw_from_text,
    ".md": raw_from_markdown,
    ".markdown": raw_from_markdown,
}
# Formats read from their bytes: they carry (or need detecting) their own encoding.
_BYTES: dict[str, Callable[[bytes, str], RawArticle]] = {
    ".html": raw_from_html_bytes,
    ".htm": raw_from_html_bytes,
}
# Formats that may hold many records, each cleaned as it becomes an article.
_MANY: dict[str, Callable[[str, Path], list[Loaded]]] = {
    ".json": load_json,
    ".jsonl": load_jsonl,
}

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_SINGLE) | frozenset(_MANY) | frozenset(_BYTES)


def _load(path: Path, settings: Settings) -> list[Loaded]:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise LoadProblem(f"unsupported file type {suffix or '(no suffix)'!r} (supported: {supported})")
    data = read_bytes(path, settings.max_file_bytes)
    if suffix in _BYTES:
        return [build_article(_BYTES[suffix](data, str(path)), path)]
    text = decode(data)
    if suffix in _MANY:
        return _MANY[suffix](text, path)
    cleaned = strip_controls(text)
    if not cleaned.strip():
        raise LoadProblem("empty file")
    return [build_article(_SINGLE[suffix](cleaned), path)]


def load_file(path: Path, settings: Settings) -> list[Loaded]:
    """The articles in one file, or why it (or each bad record in it) was skipped. Never raises
    for bad content."""
    path = Path(path)
    try:
        return _load(path, settings)
    except LoadProblem as exc:
        return [Skipped(str(path), str(exc))]
    except RecursionError:
        return [Skipped(str(path), "nested too deeply to read")]
    except MemoryError:
        return [Skipped(str(path), "too large to read into memory")]


def iter_articles(paths: Sequence[Path], settings: Settings) -> Iterator[Loaded]:
    """Articles from files and folders (walked recursively, in sorted order), and what was skipped.

    A second article with a ``doc_id`` already yielded in this run (the same text or URL under
    another name) is reported as a ``Skipped`` duplicate instead of being loaded twice.
    Raises ``InputError`` if a named path does not exist.
    """
    first_seen: dict[str, str] = {}
    for item in expand_paths(paths, SUPPORTED_SUFFIXES):
        if isinstance(item, Skipped):
            yield item
            continue
        for loaded in load_file(item, settings):
            if isinstance(loaded, Article):
                earlier = first_seen.setdefault(loaded.doc_id, loaded.meta.path or "")
                if earlier != loaded.meta.path:
                    yield Skipped(str(item), f"duplicate of {earlier} (doc_id {loaded.doc_id})")
                    continue
            yield loaded
