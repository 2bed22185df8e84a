"""Files that are not (honest) workbooks: a clear error, nothing written, never an exception."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from openpyxl import load_workbook

from tests.workbook.helpers import (
    RELS_NS,
    as_file,
    assert_nothing_written,
    build_workbook,
    db_counts,
    minimal_data,
    rezip,
    write,
    zip_entries,
)
from workbook import schema
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def refused(source, *expected_words):
    """The import fails with one file-level error (no sheet) naming what was expected."""
    report = workbook_import(source=source)
    assert report.ok is False
    assert len(report.errors) == 1, [str(e) for e in report.errors]
    issue = report.errors[0]
    assert issue.sheet == "" and issue.row is None
    assert str(issue).startswith("Berkas")
    for word in expected_words:
        assert word.lower() in issue.expected.lower(), f"{word!r} not in {issue.expected!r}"
    assert_nothing_written()
    return issue


def replace_entry(data: bytes, name: str, content: str | bytes) -> bytes:
    """The same xlsx with one zip entry's content replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    assert name in source.namelist()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, content if info.filename == name else source.read(info.filename))
    return out.getvalue()


def first_sheet_entry(data: bytes) -> str:
    return next(n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("xl/worksheets/sheet"))


def test_text_file_renamed_xlsx(tmp_path):
    path = write(tmp_path, "kode;nama\nIKU1;Tingkat pengangguran\n".encode(), "data.xlsx")
    refused(path, "bukan .xlsx", "simpan ulang")


def test_csv_bytes_uploaded():
    refused(as_file(b"kode,nama\nIKU1,TPT\n"), "bukan .xlsx")


@pytest.mark.parametrize("as_path", [True, False])
def test_empty_file(tmp_path, as_path):
    source = write(tmp_path, b"", "kosong.xlsx") if as_path else as_file(b"")
    refused(source, "bukan .xlsx")


def test_missing_file(tmp_path):
    issue = refused(tmp_path / "tidak-ada.xlsx", "tidak ditemukan")
    assert "tidak-ada.xlsx" in issue.value


def test_zip_that_is_not_an_xlsx():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("laporan/readme.txt", "bukan workbook")
    refused(as_file(out.getvalue()), "xl/workbook.xml tidak ada")


def test_xlsx_with_corrupt_workbook_part():
    data = replace_entry(build_workbook(), "xl/workbook.xml", "<workbook>bukan xml yang sah")
    refused(as_file(data), "dapat dibaca")


def test_xlsx_with_corrupt_sheet_xml_after_a_valid_start():
    """read-only openpyxl parses sheet XML lazily, while rows are read; that must be caught too."""
    good = build_workbook()
    sheet = (
        f'<worksheet xmlns="{SHEET_NS}"><dimension ref="A1:B2"/><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>kunci</t></is></c></row><row r="2"><c r="A2"'
    )
    refused(as_file(replace_entry(good, first_sheet_entry(good), sheet)), "dapat dibaca")


@pytest.mark.parametrize("as_path", [True, False])
def test_file_larger_than_the_limit(settings, tmp_path, as_path):
    data = build_workbook()
    settings.WORKBOOK_MAX_BYTES = len(data) - 1
    source = write(tmp_path, data) if as_path else as_file(data)
    refused(source, "berkas paling besar")


def test_file_exactly_at_the_limit_is_accepted(settings):
    data = build_workbook()
    settings.WORKBOOK_MAX_BYTES = len(data)
    assert workbook_import(source=as_file(data)).ok


def test_zip_bomb_like_entry():
    """A sheet padded with 5 MB of spaces compresses to a few KB: refused before openpyxl sees it."""
    good = build_workbook()
    name = first_sheet_entry(good)
    original = zipfile.ZipFile(io.BytesIO(good)).read(name).decode()
    padded = original.replace("<sheetData>", " " * (5 * 1024 * 1024) + "<sheetData>", 1)
    bomb = replace_entry(good, name, padded)
    assert len(bomb) < 100_000
    issue = refused(as_file(bomb), "rasio kompresi", "zip bomb")
    assert issue.value == name


def test_too_much_uncompressed_content(monkeypatch):
    monkeypatch.setattr(schema, "MAX_UNCOMPRESSED_BYTES", 10_000)
    refused(as_file(build_workbook()), "terlalu besar", "zip bomb")


def test_too_many_zip_entries(monkeypatch):
    monkeypatch.setattr(schema, "MAX_ZIP_ENTRIES", 5)
    refused(as_file(build_workbook()), "paling banyak 5 bagian")


def test_too_many_rows(monkeypatch):
    monkeypatch.setattr(schema, "MAX_ROWS_PER_SHEET", 3)
    refused(as_file(build_workbook()), "paling banyak 3 baris")


def test_too_many_columns(monkeypatch):
    monkeypatch.setattr(schema, "MAX_COLUMNS", 3)
    refused(as_file(build_workbook()), "paling banyak 3 kolom")


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n'
    "<!DOCTYPE lolz [\n"
    ' <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10)
    )
    + "]>\n"
    f'<worksheet xmlns="{SHEET_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c>'
    "</row></sheetData></worksheet>"
)

EXTERNAL_ENTITY = (
    '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    f'<worksheet xmlns="{SHEET_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c>'
    "</row></sheetData></worksheet>"
)


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
@pytest.mark.parametrize("where", ["sheet", "xl/workbook.xml"])
def test_xml_entity_payload_is_refused_without_expanding(payload, where):
    good = build_workbook()
    name = first_sheet_entry(good) if where == "sheet" else where
    if where != "sheet":
        # Keep the real workbook part, with the DTD in front of it.
        original = zipfile.ZipFile(io.BytesIO(good)).read(name).decode()
        body = original.split("?>", 1)[1] if original.startswith("<?xml") else original
        payload = payload.split("<worksheet")[0] + body
    hostile = replace_entry(good, name, payload)
    started = time.monotonic()
    issue = refused(as_file(hostile), "entitas XML", "ditolak")
    # Expanding lol9 would build a ~3 GB string; being refused by defusedxml takes milliseconds.
    assert time.monotonic() - started < 5
    assert issue.value in {"EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden"}


def test_hostile_file_does_not_disturb_existing_data():
    assert workbook_import(source=as_file(build_workbook())).ok
    before = db_counts()
    report = workbook_import(source=as_file(b"PK\x03\x04" + b"\x00" * 100))
    assert report.ok is False
    assert_nothing_written(before)


# ---- macros and external links ----

MACRO_WORKBOOK_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
PLAIN_WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def with_macros(*, part: bool, content_type: bool) -> bytes:
    """An .xlsm renamed .xlsx: the VBA part, and/or the macro-enabled workbook content type."""
    entries = zip_entries(build_workbook())
    if part:
        entries["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512  # an OLE header
    if content_type:
        types = entries["[Content_Types].xml"].decode()
        assert PLAIN_WORKBOOK_TYPE in types
        entries["[Content_Types].xml"] = types.replace(PLAIN_WORKBOOK_TYPE, MACRO_WORKBOOK_TYPE)
    return rezip(entries)


@pytest.mark.parametrize(
    "part, content_type", [(True, True), (True, False), (False, True)], ids=["xlsm", "vba-part", "content-type"]
)
def test_macro_workbook_renamed_xlsx_is_refused(part, content_type):
    data = with_macros(part=part, content_type=content_type)
    issue = refused(as_file(data), "workbook bermakro (.xlsm) tidak diterima", "simpan sebagai .xlsx tanpa makro")
    assert issue.value in {"xl/vbaProject.bin", "[Content_Types].xml"}


def with_external_link(part_name: str = "xl/externalLinks/externalLink1.xml") -> bytes:
    """A workbook linked to another workbook, the way Excel stores it: a part holding the other file's
    cached values, its relationship from the workbook and an <externalReference>."""
    entries = zip_entries(build_workbook())
    folder, file_name = part_name.rsplit("/", 1)
    entries[part_name] = (
        f'<externalLink xmlns="{SHEET_NS}" xmlns:r="{REL}"><externalBook r:id="rId1"><sheetNames>'
        '<sheetName val="Data"/></sheetNames><sheetDataSet><sheetData sheetId="0"><row r="1"><cell r="A1">'
        "<v>7.33</v></cell></row></sheetData></sheetDataSet></externalBook></externalLink>"
    )
    entries[f"{folder}/_rels/{file_name}.rels"] = (
        f'<Relationships xmlns="{RELS_NS}"><Relationship Id="rId1" Type="{REL}/externalLinkPath" '
        'Target="file:///C:/Data/sumber.xlsx" TargetMode="External"/></Relationships>'
    )
    rels = entries["xl/_rels/workbook.xml.rels"].decode()
    entries["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>", f'<Relationship Id="rId90" Type="{REL}/externalLink" Target="/{part_name}"/></Relationships>'
    )
    workbook = entries["xl/workbook.xml"].decode()
    entries["xl/workbook.xml"] = workbook.replace(
        "</sheets>", '</sheets><externalReferences><externalReference r:id="rId90"/></externalReferences>'
    )
    types = entries["[Content_Types].xml"].decode()
    entries["[Content_Types].xml"] = types.replace(
        "</Types>",
        f'<Override PartName="/{part_name}" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>',
    )
    return rezip(entries)


@pytest.mark.parametrize("part_name", ["xl/externalLinks/externalLink1.xml", "xl/tautan/sumber.xml"])
def test_workbook_with_external_links_is_refused(part_name):
    data = with_external_link(part_name)
    # openpyxl itself reads it happily: the refusal is ours.
    assert load_workbook(io.BytesIO(data), read_only=True)._external_links
    issue = refused(as_file(data), "tautan eksternal ke workbook lain tidak diterima", "Break Link")
    assert issue.value


def test_plain_workbook_mentioning_macros_in_a_cell_is_accepted():
    data = minimal_data()
    data["Narasi"][0]["teks"] = "Tanpa macroEnabled, vbaProject atau externalLink."
    assert workbook_import(source=as_file(build_workbook(data))).ok
