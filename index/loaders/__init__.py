"""Loading articles from files, folders and fetched bytes for ``newsqa ingest``.

Formats: ``.txt``, ``.md``, ``.html``/``.htm`` (via ``html_article``, which every source of web
pages calls), ``.json`` (an object, a list, or a JSON Feed),
``.jsonl``, RSS/Atom feeds, ``.pdf``, ``.eml``/``.mhtml``, ``.warc``, ``.csv``, and any of them
gzipped (``.gz``). A file's format is told by its
content first (``_sniff``), so a feed saved as ``.html`` is read as a feed. Every problem with a
file or a record becomes a ``Skipped`` with a one-line reason, an unsupported file too; only a path
the user named that does not exist is an error (``InputError``), raised before anything loads.
All text is cleaned of control characters and terminal escapes here, at load time. The format
libraries (feedparser, the HTML extractor, ...) are imported on first use, never by ``ask``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from index.models import Article, Skipped
from index.settings import Settings

from ._article import RawArticle, build_article
from ._clean import strip_controls
from ._decode import LoadProblem, decode, read_bytes
from ._html import html_article
from ._origin import Loaded, Origin, charset_of
from ._sniff import HEAD_BYTES, SUFFIX_KINDS, media_type, sniff, suffix_of
from ._walk import expand_paths

DUPLICATE_OF = "duplicate of "
"""How the reason of a ``Skipped`` that is a duplicate begins."""

__all__ = [
    "DUPLICATE_OF",
    "SUPPORTED_SUFFIXES",
    "LoadProblem",
    "RawArticle",
    "build_article",
    "feed_summary_links",
    "html_article",
    "iter_articles",
    "iter_files",
    "load_bytes",
    "load_file",
]


def _single(reader: Callable[[str], RawArticle]) -> Callable[[bytes, Origin], list[Loaded]]:
    """A loader for a text format holding one article per file."""

    def load(data: bytes, origin: Origin) -> list[Loaded]:
        cleaned = strip_controls(decode(data))
        if not cleaned.strip():
            raise LoadProblem("empty file")
        return [build_article(reader(cleaned), origin.name)]

    return load


def _read_text(data: bytes, origin: Origin) -> list[Loaded]:
    from ._text import raw_from_text

    return _single(raw_from_text)(data, origin)


def _read_markdown(data: bytes, origin: Origin) -> list[Loaded]:
    from ._markdown import raw_from_markdown

    return _single(raw_from_markdown)(data, origin)


def _read_html(data: bytes, origin: Origin) -> list[Loaded]:
    raw = html_article(data, name=origin.name, url=origin.url, charset=origin.charset)
    return [build_article(raw, origin.name)]


def _read_json(data: bytes, origin: Origin) -> list[Loaded]:
    from ._json import load_json

    return load_json(decode(data), origin.name)


def _read_jsonl(data: bytes, origin: Origin) -> list[Loaded]:
    from ._json import load_jsonl

    return load_jsonl(decode(data), origin.name)


def _read_feed(data: bytes, origin: Origin) -> list[Loaded]:
    from ._feeds import load_feed

    return load_feed(data, origin)


def _read_warc(data: bytes, origin: Origin) -> list[Loaded]:
    from ._warc import load_warc

    return load_warc(data, origin)


def _read_pdf(data: bytes, origin: Origin) -> list[Loaded]:
    from ._pdf import load_pdf

    return load_pdf(data, origin)


def _read_email(data: bytes, origin: Origin) -> list[Loaded]:
    from ._email import load_email

    return load_email(data, origin)


def _read_csv(data: bytes, origin: Origin) -> list[Loaded]:
    from ._csv import load_csv

    return load_csv(data, origin)


def _read_gzip(data: bytes, origin: Origin, hint: str, content_type: str | None) -> list[Loaded]:
    from ._gzip import gunzip, inner_name, is_gzipped_warc

    if is_gzipped_warc(data):
        return _read_warc(data, origin)  # warcio reads its record-by-record gzip itself
    inner = gunzip(data, origin.settings.max_file_bytes)
    declared = None if media_type(content_type) in ("application/gzip", "application/x-gzip") else content_type
    return _dispatch(inner, origin, inner_name(hint), declared, nested=True)


_LOADERS: dict[str, Callable[[bytes, Origin], list[Loaded]]] = {
    "text": _read_text,
    "markdown": _read_markdown,
    "html": _read_html,
    "json": _read_json,
    "jsonl": _read_jsonl,
    "feed": _read_feed,
    "warc": _read_warc,
    "pdf": _read_pdf,
    "email": _read_email,
    "csv": _read_csv,
}

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(
    suffix for suffix, kind in SUFFIX_KINDS.items() if kind in _LOADERS or kind == "gzip"
)


def _unsupported(hint: str) -> LoadProblem:
    suffix = suffix_of(hint)
    supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
    return LoadProblem(f"unsupported file type {suffix or '(no suffix)'!r} (supported: {supported})")


def _dispatch(
    data: bytes, origin: Origin, hint: str, content_type: str | None, *, nested: bool = False
) -> list[Loaded]:
    kind = sniff(data[:HEAD_BYTES], hint, content_type)
    if kind == "gzip":
        if nested:
            raise LoadProblem("gzip inside gzip is not read")
        return _read_gzip(data, origin, hint, content_type)
    loader = _LOADERS.get(kind or "")
    if loader is None:
        raise _unsupported(hint)
    return loader(data, origin)


def _guarded(name: str, load: Callable[[], list[Loaded]]) -> list[Loaded]:
    try:
        return load()
    except LoadProblem as exc:
        return [Skipped(name, str(exc))]
    except RecursionError:
        return [Skipped(name, "nested too deeply to read")]
    except MemoryError:
        return [Skipped(name, "too large to read into memory")]


def load_bytes(
    data: bytes, *, name: str, settings: Settings, url: str | None = None, content_type: str | None = None
) -> list[Loaded]:
    """The articles in ``data`` (a fetched body, say), whatever its format, or why it (or each bad
    record in it) was skipped. The format is told by the content, then ``content_type`` (an HTTP
    Content-Type, its charset used for HTML), then ``name``'s suffix. ``name`` labels skip lines
    and becomes each article's ``path``; ``url`` is where the bytes came from (relative links in a
    feed resolve against it; a page without a canonical URL keeps it). Never raises for bad content.
    """
    origin = Origin(name=name, settings=settings, url=url, charset=charset_of(content_type))
    if len(data) > settings.max_file_bytes:
        return [Skipped(name, f"too large ({len(data)} bytes > max_file_bytes {settings.max_file_bytes})")]
    return _guarded(name, lambda: _dispatch(data, origin, name, content_type))


def _load_path(path: Path, settings: Settings) -> list[Loaded]:
    name = str(path)
    max_bytes = settings.max_file_bytes
    if suffix_of(name) not in SUPPORTED_SUFFIXES and sniff(read_bytes(path, HEAD_BYTES, head_only=True), name) is None:
        raise _unsupported(name)  # told from its first bytes: an unsupported file is never read whole
    return _dispatch(read_bytes(path, max_bytes), Origin(name=name, settings=settings), name, None)


def load_file(path: Path, settings: Settings) -> list[Loaded]:
    """The articles in one file, or why it (or each bad record in it) was skipped. Never raises
    for bad content."""
    path = Path(path)
    return _guarded(str(path), lambda: _load_path(path, settings))


def _holds(article: Article, key: str) -> bool:
    m = article.meta
    return any(key in (text or "") for text in (article.body, m.title, m.source, m.url, m.author))


def iter_files(paths: Sequence[Path], settings: Settings) -> Iterator[tuple[str, list[Loaded]]]:
    """Each file of ``paths`` (folders walked recursively, in sorted order) with what it gave:
    its articles and what was skipped. Every file a folder holds appears, an unsupported one too
    (a folder that cannot be read appears as itself).

    A second article with a ``doc_id`` already yielded in this run (the same text or URL under
    another name) is reported as a ``Skipped`` duplicate instead of being loaded twice.
    Raises ``InputError`` if a named path does not exist.
    """
    first_seen: dict[str, str] = {}
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key is not None else ""
    for item in expand_paths(paths):
        if isinstance(item, Skipped):
            yield item.path, [item]
            continue
        out: list[Loaded] = []
        duplicates: list[str] = []
        for loaded in load_file(item, settings):
            if isinstance(loaded, Article) and len(key) >= 8 and _holds(loaded, key):
                # The key must never reach the store (a copied .env, a shell history).
                out.append(Skipped(str(item), "holds the configured OpenAI API key: not stored"))
                continue
            if isinstance(loaded, Article):
                earlier = first_seen.setdefault(loaded.doc_id, loaded.meta.path or "")
                if earlier != loaded.meta.path:
                    duplicates.append(earlier)
                    out.append(Skipped(str(item), f"{DUPLICATE_OF}{earlier} (doc_id {loaded.doc_id})"))
                    continue
            out.append(loaded)
        if len(duplicates) > 1 and len(set(duplicates)) == 1 and not any(isinstance(x, Article) for x in out):
            # A whole feed (or export) loaded before under another name: one line, not one per entry.
            out = [x for x in out if not (isinstance(x, Skipped) and x.reason.startswith(DUPLICATE_OF))]
            out.insert(0, Skipped(str(item), f"{DUPLICATE_OF}{duplicates[0]} (all {len(duplicates)} of its articles)"))
        yield str(item), out


def iter_articles(paths: Sequence[Path], settings: Settings) -> Iterator[Loaded]:
    """The items of ``iter_files``, one after another."""
    for _, items in iter_files(paths, settings):
        yield from items


def feed_summary_links(data: bytes, *, url: str | None = None, content_type: str | None = None) -> frozenset[str]:
    """The links (as articles store them) of a feed's entries that carry only a summary, whose
    linked pages hold the story; empty when ``data`` is not a feed. For fetchers: ``load_bytes``
    gives the entries themselves."""
    from ._clean import clean_meta
    from ._feeds import FeedEntry, read_feed
    from ._sniff import is_json_feed_head

    head = data[:HEAD_BYTES]
    if sniff(head, url or "", content_type) != "feed" and not is_json_feed_head(head):
        return frozenset()
    try:
        entries = read_feed(data, url=url)
    except (LoadProblem, RecursionError):
        return frozenset()
    links = (clean_meta(e.raw.url, limit=2000) for e in entries if isinstance(e, FeedEntry) and e.summary_only)
    return frozenset(link for link in links if link)
