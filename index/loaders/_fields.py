"""Reading an article out of a mapping (a JSON record or YAML front matter).

Only the recognised fields are taken; everything else in the record stays out of the metadata.
Values are used as text only: nothing in a record is ever treated as a file path.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._article import RawArticle

TITLE_KEYS = ("title", "headline")
BODY_KEYS = ("body", "text", "content", "article")
DATE_KEYS = (
    "published_at",
    "date",
    "published",
    "pubdate",
    "publishedat",
    "datetime",
    "date_published",
    "datepublished",
    "published_time",
)
SOURCE_KEYS = ("source", "outlet", "publisher", "site")
URL_KEYS = ("url", "link")
AUTHOR_KEYS = ("author", "byline", "authors")

_NAME_KEYS = ("name", "title")
_MAX_LIST_ITEMS = 50


def _lower_keys(record: Mapping) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in record.items():
        if isinstance(key, str):
            out.setdefault(key.strip().lower(), value)
    return out


def _first(fields: dict[str, object], keys: tuple[str, ...]) -> object:
    for key in keys:
        value = fields.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def _scalar_text(value: object) -> str | None:
    """Text of a scalar, or of a ``{"name": ...}`` object; ``None`` for anything else."""
    if isinstance(value, Mapping):
        value = _first(_lower_keys(value), _NAME_KEYS)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def _names(value: object) -> str | None:
    """One author line from a name, a ``{"name": ...}`` or a list of either."""
    if isinstance(value, list):
        names = [_scalar_text(item) for item in value[:_MAX_LIST_ITEMS]]
        joined = ", ".join(n.strip() for n in names if n and n.strip())
        return joined or None
    return _scalar_text(value)


def _body_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):  # paragraphs
        return "\n\n".join(item for item in value if isinstance(item, str))
    return ""


def _date_value(value: object) -> object:
    # Dates are kept as given (str, number, or a YAML date): the date parser reads each kind.
    return None if isinstance(value, (list, Mapping)) else value


def raw_from_mapping(record: Mapping, body: str | None = None) -> RawArticle:
    """The article fields of a record; ``body`` overrides (front matter has its body outside)."""
    fields = _lower_keys(record)
    return RawArticle(
        body=body if body is not None else _body_text(_first(fields, BODY_KEYS)),
        title=_scalar_text(_first(fields, TITLE_KEYS)),
        source=_scalar_text(_first(fields, SOURCE_KEYS)),
        date=_date_value(_first(fields, DATE_KEYS)),
        url=_scalar_text(_first(fields, URL_KEYS)),
        author=_names(_first(fields, AUTHOR_KEYS)),
        doc_id=fields.get("doc_id"),
    )
