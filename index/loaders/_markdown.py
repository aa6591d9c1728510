"""Markdown articles: optional YAML front matter, then text whose first heading is the title."""

from __future__ import annotations

import yaml

from ._article import RawArticle
from ._decode import LoadProblem
from ._fields import raw_from_mapping
from ._text import raw_from_text

_FENCE = "---"
# Front matter is a handful of fields; a huge block is not front matter (and YAML alias bombs
# need room to hurt).
_MAX_FRONT_MATTER_CHARS = 64_000

_Loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader]
try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader


def _split_front_matter(text: str) -> tuple[str | None, str]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != _FENCE:
        return None, text
    for index in range(1, len(lines)):
        if lines[index].strip() in (_FENCE, "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :])
    return None, text  # an opening rule with no closing one is just a horizontal rule


def _parse_front_matter(block: str) -> dict:
    if len(block) > _MAX_FRONT_MATTER_CHARS:
        raise LoadProblem("YAML front matter too large")
    try:
        data = yaml.load(block, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise LoadProblem(f"malformed YAML front matter{where}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise LoadProblem("YAML front matter is not a mapping")
    return data


def _strip_heading(line: str) -> str:
    stripped = line.lstrip()
    if stripped.startswith("#"):
        return stripped.lstrip("#").strip().rstrip("#").strip()
    return line


def raw_from_markdown(text: str) -> RawArticle:
    block, rest = _split_front_matter(text)
    from_text = raw_from_text(rest)
    if from_text.title is not None:
        from_text.title = _strip_heading(from_text.title)
    if block is None:
        return from_text
    matter = raw_from_mapping(_parse_front_matter(block), body=rest)
    if matter.title is None or matter.title.strip() == from_text.title:
        # The text's first line is the title (as in plain text), or repeats the front matter's.
        matter.title, matter.body = from_text.title, from_text.body
        if matter.date is None:
            matter.date = from_text.date
    return matter
