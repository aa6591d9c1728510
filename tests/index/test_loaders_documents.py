"""PDF, e-mail, MHTML, WARC and CSV, each from a small file made here (the PDF by pypdf, the WARC
by warcio), through ``load_file``/``load_bytes`` as ingest uses them."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

from index.loaders import iter_articles, load_bytes, load_file
from index.models import Article, Skipped
from index.settings import Settings

PAGE = (
    "<html><head><title>Dam opens | Valley News</title>"
    "<meta property='og:site_name' content='Valley News'></head><body><article>"
    "<h1>Dam opens</h1><p>The new dam opened on Monday after four years of work by the county.</p>"
    "<p>It will supply water to thirty thousand homes in the valley and the town.</p>"
    "</article></body></html>"
)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", cache_dir=tmp_path / "cache")


def only(items) -> Article:
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


def make_pdf(text_lines: list[str | tuple[str, int]], title: str | None) -> bytes:
    """A one-page PDF of ``text_lines`` (12 pt, or ``(line, size)``) in WinAnsi Helvetica."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=600, height=800)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
    )
    sized = [line if isinstance(line, tuple) else (line, 12) for line in text_lines]
    ops = "".join(f"BT /F1 {size} Tf 50 {750 - 24 * i} Td ({line}) Tj ET\n" for i, (line, size) in enumerate(sized))
    stream = DecodedStreamObject()
    stream.set_data(ops.encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    meta = {"/CreationDate": "D:20250307093000+00'00'", "/Author": "Fay Lund"}
    if title:
        meta["/Title"] = title
    writer.add_metadata(meta)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_text_title_date(tmp_path, settings):
    path = tmp_path / "report.pdf"
    path.write_bytes(make_pdf(["Quarterly water report", "Reservoirs are at ninety percent."], "Water report"))
    article = only(load_file(path, settings))
    assert article.meta.title == "Water report"
    assert "Reservoirs are at ninety percent." in article.body
    assert article.meta.published_at == "2025-03-07T09:30:00Z" and article.meta.author == "Fay Lund"


def test_pdf_file_name_title_is_not_kept(settings):
    data = make_pdf(["Harbour dues rise", "The harbour board raised dues."], "Microsoft Word - dues.docx")
    assert only(load_bytes(data, name="x.pdf", settings=settings)).meta.title == "Harbour dues rise"


def test_pdf_without_a_title_is_named_by_its_largest_type(settings):
    lines = [("Vol. 3", 9), ("Harbour dues", 20), ("rise again", 20), ("By Fay Lund", 12), "The board raised dues."]
    article = only(load_bytes(make_pdf(lines, None), name="x.pdf", settings=settings))
    assert article.meta.title == "Harbour dues rise again"
    plain = only(
        load_bytes(make_pdf(["Harbour dues rise", "The board raised dues."], None), name="y.pdf", settings=settings)
    )
    assert plain.meta.title == "Harbour dues rise"  # one size throughout: the first line, as before


def test_pdf_tex_accents_are_joined_to_their_letters(settings):
    # TeX fonts draw the accent before its letter as a spacing character; pypdf passes that on.
    lines = ["Fran\xb8cois Bela\xa8id at the \xb4Ecole Normale Sup\xb4erieure", "it\xb4s k\xa8x"]
    body = only(load_bytes(make_pdf(lines, "T"), name="x.pdf", settings=settings)).body
    assert "François Belaïd at the École Normale Supérieure" in body
    assert "it\xb4s k\xa8x" in body  # no such letters in Unicode: left as they are


def test_broken_and_empty_pdfs(settings):
    [broken] = load_bytes(b"%PDF-1.4\n garbage", name="b.pdf", settings=settings)
    assert isinstance(broken, Skipped) and "PDF" in broken.reason
    [empty] = load_bytes(make_pdf([], None), name="scan.pdf", settings=settings)
    assert isinstance(empty, Skipped) and "no text layer" in empty.reason


EML = f"""From: Valley Weekly <news@valley.example>
To: reader@example.com
Subject: =?utf-8?q?Dam_opens_=E2=80=94_weekly?=
Date: Fri, 07 Mar 2025 18:00:00 +0100
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

Plain version of the newsletter.
--b1
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

{PAGE.replace("=", "=3D")}
--b1--
""".encode()


def test_eml_html_part_with_headers(tmp_path, settings):
    path = tmp_path / "weekly.eml"
    path.write_bytes(EML)
    article = only(load_file(path, settings))
    assert article.meta.title == "Dam opens — weekly"
    assert article.meta.source == "Valley Weekly"
    assert article.meta.published_at == "2025-03-07T17:00:00Z"
    assert "thirty thousand homes" in article.body and "Plain version" not in article.body


def test_eml_plain_only_and_without_text(settings):
    plain = b"From: a@b.example\nSubject: Note\nDate: Sat, 08 Mar 2025 10:00:00 +0000\n\nThe meeting moved to Friday.\n"
    article = only(load_bytes(plain, name="n.eml", settings=settings))
    assert (article.meta.title, article.body, article.meta.source) == (
        "Note",
        "The meeting moved to Friday.",
        "b.example",
    )
    [empty] = load_bytes(
        b"From: a@b.example\nSubject: x\nContent-Type: image/png\n\nabc\n", name="e.eml", settings=settings
    )
    assert isinstance(empty, Skipped) and "no HTML or text part" in empty.reason


def test_mhtml_page_keeps_its_address(tmp_path, settings):
    cp1251 = PAGE.replace("Dam opens", "Плотина открыта").encode("cp1251")
    import quopri

    mhtml = (
        b"From: <Saved by Blink>\nSnapshot-Content-Location: https://valley.example/dam\n"
        b"Subject: Saved page\nDate: Sat, 08 Mar 2025 10:00:00 +0000\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/related; type="text/html"; boundary="XX"\n\n--XX\n'
        b"Content-Type: text/html; charset=windows-1251\nContent-Transfer-Encoding: quoted-printable\n"
        b"Content-Location: https://valley.example/dam\n\n"
        + quopri.encodestring(cp1251)
        + b"\n--XX\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--XX--\n"
    )
    path = tmp_path / "saved.mhtml"
    path.write_bytes(mhtml)
    article = only(load_file(path, settings))
    assert article.meta.title == "Плотина открыта" and article.meta.url == "https://valley.example/dam"
    assert article.meta.published_at == "2025-03-08T10:00:00Z"  # the page states no date: the save date
    assert "thirty thousand homes" in article.body


def make_warc(gzipped: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)

    def response(url: str, status: str, ctype: str, body: bytes) -> None:
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": "2025-03-09T12:00:00Z"},
        )
        writer.write_record(record)

    response("https://valley.example/dam", "200 OK", "text/html; charset=utf-8", PAGE.encode())
    response("https://valley.example/logo.png", "200 OK", "image/png", b"\x89PNG")
    response("https://valley.example/gone", "404 Not Found", "text/html", b"<p>missing</p>")
    return out.getvalue()


@pytest.mark.parametrize(("name", "gzipped"), [("a.warc", False), ("a.warc.gz", True)])
def test_warc_html_responses(tmp_path, settings, name, gzipped):
    path = tmp_path / name
    path.write_bytes(make_warc(gzipped))
    loaded = load_file(path, settings)
    [article] = [x for x in loaded if isinstance(x, Article)]
    assert article.meta.url == "https://valley.example/dam"
    assert article.meta.published_at == "2025-03-09T12:00:00Z"  # the capture date
    assert "thirty thousand homes" in article.body
    [gone] = [x for x in loaded if isinstance(x, Skipped)]
    assert "https://valley.example/gone" in gone.path and "404" in gone.reason


def test_warc_without_html_and_corrupt(settings):
    [bad] = load_bytes(b"WARC/1.0\r\nWARC-Type: response\r\n\r\n", name="x.warc", settings=settings)
    assert isinstance(bad, Skipped) and "WARC" in bad.reason
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    writer.write_record(
        writer.create_warc_record(
            "https://v.example/x.png",
            "resource",
            payload=io.BytesIO(b"png"),
            warc_headers_dict={"Content-Type": "image/png"},
        )
    )
    [none] = load_bytes(out.getvalue(), name="img.warc", settings=settings)
    assert isinstance(none, Skipped) and none.reason == "no HTML captures in the web archive"


CSV = (
    "Title,URL,Published,Author,Content\n"
    '"Dam opens",https://v.example/1,2025-03-07,Ann Bo,"<p>The dam opened.</p><p>Water flows.</p>"\n'
    '"No body",https://v.example/2,2025-03-08,,\n'
    '"Short row",https://v.example/3\n'
    "\n"
    '"Council, again",https://v.example/4,8 March 2025,Cy Dee,"Line one.\nLine two, with a comma."\n'
)


def test_csv_rows(tmp_path, settings):
    path = tmp_path / "export.csv"
    path.write_text(CSV)
    loaded = load_file(path, settings)
    first, last = [x for x in loaded if isinstance(x, Article)]
    assert (first.meta.title, first.meta.url, first.meta.published_at, first.meta.author) == (
        "Dam opens",
        "https://v.example/1",
        "2025-03-07",
        "Ann Bo",
    )
    assert first.body == "The dam opened.\nWater flows."
    assert last.meta.title == "Council, again" and last.body == "Line one.\nLine two, with a comma."
    skipped = [x for x in loaded if isinstance(x, Skipped)]
    assert [(s.path, s.reason) for s in skipped] == [
        (f"{path}: row 3", "no article text"),
        (f"{path}: row 4", "row has 2 fields, the header has 5"),
    ]


def test_csv_semicolons_and_no_body_column(settings):
    article = only(load_bytes(b"headline;text\nA;Body of A.\n", name="x.csv", settings=settings))
    assert (article.meta.title, article.body) == ("A", "Body of A.")
    [bad] = load_bytes(b"name,price\nx,1\n", name="shop.csv", settings=settings)
    assert isinstance(bad, Skipped) and "no body column" in bad.reason


def test_folder_reports_every_file(tmp_path, settings):
    (tmp_path / "a.csv").write_text(CSV)
    (tmp_path / "b.pdf").write_bytes(make_pdf(["Harbour dues rise", "Dues rose."], None))
    (tmp_path / "c.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    (tmp_path / "d.xlsx").write_bytes(b"PK\x03\x04rest")
    items = list(iter_articles([tmp_path], settings))
    paths = {Path(x.meta.path if isinstance(x, Article) else x.path.split(":")[0]).name for x in items}
    assert paths == {"a.csv", "b.pdf", "c.html.gz", "d.xlsx"}
    assert any(isinstance(x, Skipped) and x.path.endswith("d.xlsx") and "unsupported" in x.reason for x in items)
