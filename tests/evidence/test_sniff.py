"""The content decides the type; the name and the claimed type are never asked."""

from __future__ import annotations

import io

import pytest

from evidence import sniff
from tests.evidence import files


def detect(data: bytes) -> str:
    return sniff.sniff(io.BytesIO(data))


def refused(data: bytes) -> str:
    with pytest.raises(sniff.Refused) as caught:
        detect(data)
    return caught.value.message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (files.pdf(), sniff.PDF),
        (b"\xef\xbb\xbf" + files.pdf(), sniff.PDF),  # with a UTF-8 BOM, as some tools write
        (files.image("PNG"), sniff.PNG),
        (files.image("JPEG"), sniff.JPEG),
        (files.xlsx(), sniff.XLSX),
    ],
    ids=["pdf", "pdf-bom", "png", "jpg", "xlsx"],
)
def test_the_four_accepted_kinds(data, expected):
    assert detect(data) == expected


def test_the_stream_is_left_at_the_start():
    for data in (files.pdf(), files.xlsx()):
        stream = io.BytesIO(data)
        sniff.sniff(stream)
        assert stream.tell() == 0


def test_empty_file():
    assert refused(b"") == sniff.EMPTY


def test_text_is_refused_whatever_it_is_called():
    # There is no name to lie with: only bytes reach the sniffer, so "catatan.pdf" is text.
    assert refused(b"Realisasi TW I sudah sesuai.\n") == sniff.NOT_ACCEPTED
    assert refused(b"<html><script>alert(1)</script></html>") == sniff.NOT_ACCEPTED


def test_another_known_kind_is_named():
    gif = files.image("GIF")
    assert "berisi GIF" in refused(gif)


def test_old_office_or_password_protected_files():
    assert refused(sniff.OLE_HEADER + b"\0" * 600) == sniff.OLE


def test_docx_and_plain_zip_are_not_workbooks():
    assert refused(files.docx()) == sniff.NOT_WORKBOOK
    assert refused(files.zipped({"laporan.txt": b"isi"})) == sniff.NOT_WORKBOOK
    # A zip that names a workbook part but declares no workbook content type.
    assert refused(files.zipped({"[Content_Types].xml": files.content_types(), "xl/workbook.xml": b"<x/>"})) == (
        sniff.NOT_WORKBOOK
    )


def test_macro_workbooks_are_refused():
    assert refused(files.xlsm()) == sniff.MACROS
    with_vba = files.zipped({
        "[Content_Types].xml": files.content_types(("/xl/workbook.xml", sniff.WORKBOOK_MAIN)),
        "xl/workbook.xml": b"<workbook/>",
        "xl/vbaProject.bin": b"\0" * 10,
    })
    assert refused(with_vba) == sniff.MACROS


def test_template_is_refused():
    template = files.zipped({
        "[Content_Types].xml": files.content_types(
            ("/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml")
        ),
        "xl/workbook.xml": b"<workbook/>",
    })
    assert refused(template) == sniff.TEMPLATE


def test_declared_workbook_part_must_exist():
    missing = files.zipped({"[Content_Types].xml": files.content_types(("/xl/workbook.xml", sniff.WORKBOOK_MAIN))})
    assert refused(missing) == sniff.CORRUPT


def test_zip_bomb_by_ratio():
    bomb = files.zipped({
        "[Content_Types].xml": files.content_types(("/xl/workbook.xml", sniff.WORKBOOK_MAIN)),
        "xl/workbook.xml": b"<workbook/>",
        "xl/worksheets/sheet1.xml": b"\0" * (8 * 1024 * 1024),
    })
    assert len(bomb) < 100_000
    assert refused(bomb) == sniff.BOMB


def test_too_many_members(monkeypatch):
    monkeypatch.setattr(sniff, "MAX_MEMBERS", 10)
    crowded = files.zipped({f"xl/part{i}.xml": b"<x/>" for i in range(11)})
    assert refused(crowded) == sniff.MEMBERS


def test_encrypted_members():
    assert refused(files.encrypted_zip()) == sniff.ENCRYPTED


def test_entities_in_the_content_types_are_refused():
    laughs = '<!DOCTYPE Types [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    hostile = files.zipped({
        "[Content_Types].xml": files.content_types(("/xl/workbook.xml", sniff.WORKBOOK_MAIN), head=laughs),
        "xl/workbook.xml": b"<workbook/>",
    })
    assert refused(hostile) == sniff.DTD


def test_broken_zip_and_broken_xml():
    assert refused(files.xlsx()[:200]) == sniff.CORRUPT  # cut off: no central directory
    broken = files.zipped({"[Content_Types].xml": b"<Types", "xl/workbook.xml": b"<workbook/>"})
    assert refused(broken) == sniff.CORRUPT


def test_oversized_content_types_part(monkeypatch):
    monkeypatch.setattr(sniff, "MAX_CONTENT_TYPES_BYTES", 100)
    assert refused(files.xlsx()) == sniff.BOMB
