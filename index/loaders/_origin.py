"""Where bytes being loaded came from, and turning a format's records into articles or skips."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from index.models import Article, Skipped
from index.settings import Settings

from ._article import RawArticle, build_article
from ._decode import LoadProblem

Loaded = Article | Skipped


@dataclass(frozen=True)
class Origin:
    """``name`` is the file's path (or the URL fetched): skip lines name it and each article
    keeps it as its ``path``. ``url`` is the address the bytes were fetched from, if any;
    ``charset`` the encoding a transport declared (an HTTP header, a MIME part)."""

    name: str
    settings: Settings
    url: str | None = None
    charset: str | None = None


def records(name: str, items: Iterable[tuple[str, RawArticle | LoadProblem]]) -> list[Loaded]:
    """Articles from a many-record format; a record that fails becomes a ``Skipped`` under its
    label (``file[3]``, ``file: row 4``) and does not spoil its neighbours."""
    out: list[Loaded] = []
    for label, raw in items:
        if isinstance(raw, LoadProblem):
            out.append(Skipped(label, str(raw)))
            continue
        try:
            out.append(build_article(raw, name))
        except LoadProblem as exc:
            out.append(Skipped(label, str(exc)))
    return out


def charset_of(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type value."""
    if not content_type:
        return None
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None
