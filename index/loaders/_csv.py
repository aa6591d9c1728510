"""CSV exports: a header row, then one article per row. Header names are matched without regard to
case, as JSON fields are (``_fields``): title/headline, url/link, date/published/date_published,
author/byline, body/content/text, source/outlet. A cell holding HTML is read as text. A bad row is
skipped with a reason naming its row (the header is row 1, as a spreadsheet counts); a file whose
header has no body column is skipped."""

from __future__ import annotations

import csv
import io
import sys

from ._decode import LoadProblem, decode
from ._fields import BODY_KEYS, raw_from_mapping
from ._fragment import text_of
from ._origin import Loaded, Origin, records

_SNIFF_CHARS = 8192


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def _rows(text: str, name: str):
    csv.field_size_limit(sys.maxsize if sys.maxsize < 2**63 else 2**31 - 1)  # a body may be long
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text[:_SNIFF_CHARS]))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise LoadProblem(f"malformed CSV header: {exc}") from None
    if not header or not any(h.strip() for h in header):
        raise LoadProblem("CSV has no header row")
    keys = [h.strip().lower() for h in header]
    if not any(k in BODY_KEYS for k in keys):
        shown = " ".join(", ".join(keys).split())[:200]  # a quoted header can span lines
        raise LoadProblem(f"CSV header has no body column ({'/'.join(BODY_KEYS)}); it has: {shown}")
    row_number = 1  # the header is row 1, as a spreadsheet shows it
    while True:
        row_number += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield f"{name}: row {row_number}", LoadProblem(f"malformed CSV row: {exc}")
            return
        if not any(cell.strip() for cell in row):
            continue
        label = f"{name}: row {row_number}"
        if len(row) != len(keys):
            yield label, LoadProblem(f"row has {len(row)} fields, the header has {len(keys)}")
            continue
        record = dict(zip(keys, row, strict=True))
        raw = raw_from_mapping(record)
        raw.body = text_of(raw.body)
        yield label, raw


def load_csv(data: bytes, origin: Origin) -> list[Loaded]:
    found = records(origin.name, _rows(decode(data), origin.name))
    if not found:
        raise LoadProblem("CSV has no rows")
    return found
