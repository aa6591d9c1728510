"""JSON articles: one object, a list of objects (or ``{"articles": [...]}``), a JSON Feed (its
items, see ``_feeds``), or JSON Lines.

A bad record does not spoil its neighbours: each becomes its own ``Skipped`` naming the record
(``file[3]`` for a list item, ``file:12`` for a JSON Lines line).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path

from index.models import Article, Skipped

from ._article import build_article
from ._decode import LoadProblem
from ._feeds import is_json_feed, load_json_feed
from ._fields import BODY_KEYS, raw_from_mapping

# Wrappers some exports put around their list of articles.
_LIST_KEYS = ("articles", "items", "data", "results", "entries", "documents")


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else type(value).__name__


def _error_line(exc: json.JSONDecodeError) -> str:
    return f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"


def _int(digits: str) -> int | str:
    # Python refuses to convert more than 4,300 digits (sys.int_info); no article field needs
    # such a number, so it stays text and its record still loads.
    return int(digits) if len(digits) <= 4000 else digits


def _parse(text: str) -> object:
    try:
        return json.loads(text, parse_int=_int)
    except json.JSONDecodeError as exc:
        raise LoadProblem(_error_line(exc)) from None
    except RecursionError:
        raise LoadProblem("JSON nested too deeply") from None
    except ValueError as exc:  # any other value Python refuses to convert
        raise LoadProblem(f"unreadable JSON: {_first_line(exc)}") from None


def _first_line(exc: Exception) -> str:
    return str(exc).split("\n")[0].split(";")[0]


def _record(value: object, path: Path | str, label: str) -> Article | Skipped:
    if not isinstance(value, Mapping):
        return Skipped(label, f"record is a JSON {_json_type(value)}, not an object")
    try:
        return build_article(raw_from_mapping(value), path)
    except LoadProblem as exc:
        return Skipped(label, str(exc))


def _unwrap(data: object) -> object:
    if isinstance(data, Mapping) and not any(key.lower() in BODY_KEYS for key in data if isinstance(key, str)):
        for key in _LIST_KEYS:
            if isinstance(data.get(key), list):
                return data[key]
    return data


def load_json(text: str, path: Path | str) -> list[Article | Skipped]:
    parsed = _parse(text)
    if is_json_feed(parsed):
        return load_json_feed(parsed, str(path))
    data = _unwrap(parsed)
    if isinstance(data, list):
        if not data:
            raise LoadProblem("empty JSON array")
        return [_record(item, path, f"{path}[{i}]") for i, item in enumerate(data)]
    if not isinstance(data, Mapping):
        raise LoadProblem(f"JSON top level is a {_json_type(data)}, not an object or array")
    try:
        return [build_article(raw_from_mapping(data), path)]
    except LoadProblem as exc:
        return [Skipped(str(path), str(exc))]


def _jsonl_records(text: str, path: Path | str) -> Iterator[Article | Skipped]:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        label = f"{path}:{number}"
        try:
            value = json.loads(line, parse_int=_int)
        except json.JSONDecodeError as exc:
            yield Skipped(label, f"malformed JSON at column {exc.colno}: {exc.msg}")
            continue
        except RecursionError:
            yield Skipped(label, "JSON nested too deeply")
            continue
        except ValueError as exc:
            yield Skipped(label, f"unreadable JSON: {_first_line(exc)}")
            continue
        yield _record(value, path, label)


def load_jsonl(text: str, path: Path | str) -> list[Article | Skipped]:
    return list(_jsonl_records(text, path))
