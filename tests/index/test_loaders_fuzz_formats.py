"""Fuzzing every format a news reader keeps (issue #14): RSS, Atom, JSON Feed, PDF, e-mail,
MHTML, WARC, CSV and gzip. Two kinds of input: the format's own structure filled with hostile
values (escapes, markup, odd dates, huge or empty fields), and valid files of each format with
random bytes changed, inserted, cut or truncated. Any input gives articles or one-line skip
reasons through ``load_bytes``, never an exception."""

from __future__ import annotations

import gzip
import io
import json
import quopri
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from index.loaders import load_bytes
from index.settings import Settings
from tests.index.test_loaders_documents import CSV, EML, PAGE, make_pdf, make_warc
from tests.index.test_loaders_fuzz import check_items, texty

FUZZ = hsettings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

dates = st.one_of(
    texty,
    st.sampled_from(
        [
            "Mon, 30 Nov 2026 08:00:00 GMT",
            "2026-11-30T08:00:00Z",
            "0001-01-01T00:00:00Z",
            "9999-12-31",
            "Tue, 31 Feb 2026 25:61:00 +9900",
            "",
            "1e400",
        ]
    ),
)
fields = st.fixed_dictionaries(
    {
        "title": texty,
        "link": st.one_of(texty, st.just("https://example.org/a"), st.just("javascript:alert(1)")),
        "date": dates,
        "author": texty,
        "summary": texty,
        "content": st.one_of(texty, st.just("<p>" + "x" * 5000 + "</p>"), st.just("<script>x</script>")),
    }
)


@pytest.fixture(scope="module")
def cfg(tmp_path_factory) -> Settings:
    tmp = tmp_path_factory.mktemp("fuzz-formats")
    return Settings(data_dir=tmp / "d", cache_dir=tmp / "c", max_file_bytes=500_000)


def _x(value: str) -> str:
    # XML cannot carry most control characters at all; the feed parser sees what a broken
    # publisher writes anyway, with the rest escaped.
    return escape(value)


def rss(entries: list[dict], title: str) -> bytes:
    items = "".join(
        f"<item><title>{_x(e['title'])}</title><link>{_x(e['link'])}</link><pubDate>{_x(e['date'])}</pubDate>"
        f"<author>{_x(e['author'])}</author><description>{_x(e['summary'])}</description>"
        f"<content:encoded><![CDATA[{e['content'].replace(']]>', '')}]]></content:encoded></item>"
        for e in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{_x(title)}</title>{items}</channel></rss>"
    ).encode("utf-8", "surrogatepass")


def atom(entries: list[dict], title: str) -> bytes:
    items = "".join(
        f'<entry><title>{_x(e["title"])}</title><link href="{_x(e["link"])}"/><updated>{_x(e["date"])}</updated>'
        f"<author><name>{_x(e['author'])}</name></author><summary>{_x(e['summary'])}</summary>"
        f'<content type="html">{_x(e["content"])}</content></entry>'
        for e in entries
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{_x(title)}</title>'
        f"{items}</feed>"
    ).encode("utf-8", "surrogatepass")


def json_feed(entries: list[dict], title: str) -> bytes:
    items = [
        {
            "id": str(i),
            "url": e["link"],
            "title": e["title"],
            "date_published": e["date"],
            "authors": [{"name": e["author"]}],
            "summary": e["summary"],
            "content_html": e["content"],
        }
        for i, e in enumerate(entries)
    ]
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": title, "items": items}
    return json.dumps(feed).encode()


def csv_export(entries: list[dict], title: str) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["title", "url", "date_published", "author", "content"])
    for e in entries:
        writer.writerow([e["title"], e["link"], e["date"], e["author"], e["content"]])
    return out.getvalue().encode("utf-8", "surrogatepass")


def eml(entries: list[dict], title: str) -> bytes:
    e = entries[0] if entries else {"title": "", "date": "", "author": "", "content": ""}
    subject = " ".join(e["title"].split()) or "x"
    return (
        f"From: {' '.join(e['author'].split())} <news@example.org>\nSubject: {subject}\n"
        f"Date: {' '.join(e['date'].split())}\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n"
        "Content-Transfer-Encoding: quoted-printable\n\n"
    ).encode("utf-8", "surrogatepass") + quopri.encodestring(e["content"].encode("utf-8", "surrogatepass"))


BUILDERS = {
    "feed.rss": rss,
    "feed.atom": atom,
    "feed.json": json_feed,
    "export.csv": csv_export,
    "letter.eml": eml,
}


@FUZZ
@given(
    kind=st.sampled_from(sorted(BUILDERS)),
    entries=st.lists(fields, max_size=4),
    title=texty,
    gzipped=st.booleans(),
    renamed=st.booleans(),
)
def test_hostile_values_in_each_format(cfg, kind, entries, title, gzipped, renamed):
    data = BUILDERS[kind](entries, title)
    name = "saved.html" if renamed else kind  # a feed is told by its content, whatever its name
    if gzipped:
        data, name = gzip.compress(data), name + ".gz"
    check_items(load_bytes(data, name=name, settings=cfg))


def _mhtml() -> bytes:
    return (
        b"From: <Saved by Blink>\nSnapshot-Content-Location: https://valley.example/dam\n"
        b"Subject: Saved page\nDate: Sat, 08 Mar 2025 10:00:00 +0000\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/related; type="text/html"; boundary="XX"\n\n--XX\n'
        b"Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n"
        b"Content-Location: https://valley.example/dam\n\n" + quopri.encodestring(PAGE.encode()) + b"\n--XX--\n"
    )


SEEDS = {
    "a.pdf": lambda: make_pdf(["Harbour dues rise", ("Big title", 20), "The board raised dues."], None),
    "a.eml": lambda: EML,
    "a.mhtml": _mhtml,
    "a.warc": lambda: make_warc(False),
    "a.warc.gz": lambda: make_warc(True),
    "a.csv": lambda: CSV.encode(),
    "a.html.gz": lambda: gzip.compress(PAGE.encode()),
    "a.rss": lambda: rss(
        [
            dict.fromkeys(("title", "summary", "content", "author"), "Dam opens")
            | {"link": "https://v.example/1", "date": "2026-11-30"}
        ],
        "V",
    ),
}
_SEED_BYTES: dict[str, bytes] = {}


def seed(name: str) -> bytes:
    if name not in _SEED_BYTES:
        _SEED_BYTES[name] = SEEDS[name]()
    return _SEED_BYTES[name]


edits = st.lists(
    st.tuples(
        st.sampled_from(["flip", "insert", "delete", "cut"]), st.floats(0, 1), st.binary(min_size=1, max_size=16)
    ),
    min_size=1,
    max_size=6,
)


def mutate(data: bytes, plan: list[tuple[str, float, bytes]]) -> bytes:
    out = bytearray(data)
    for op, where, chunk in plan:
        at = int(where * len(out))
        if op == "flip" and out:
            at = min(at, len(out) - 1)
            out[at] ^= chunk[0] or 0xFF
        elif op == "insert":
            out[at:at] = chunk
        elif op == "delete":
            del out[at : at + len(chunk) * 8]
        else:
            del out[at:]  # truncated, as a half-finished download is
    return bytes(out)


@FUZZ
@given(name=st.sampled_from(sorted(SEEDS)), plan=edits)
def test_damaged_files_of_each_format(cfg, name, plan):
    check_items(load_bytes(mutate(seed(name), plan), name=name, settings=cfg))


def test_the_seeds_themselves_load(cfg):
    # The mutations start from files that load: a fuzz run over unreadable seeds would prove little.
    from index.models import Article

    for name in SEEDS:
        items = load_bytes(seed(name), name=name, settings=cfg)
        assert any(isinstance(x, Article) for x in items), (name, items)
