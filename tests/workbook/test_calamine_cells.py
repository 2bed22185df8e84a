"""The reader's cells come from python-calamine for plain sheets and from openpyxl for every other one; both
must give the parser exactly what openpyxl alone gave it. Each file here is read twice, once as it is and
once with calamine switched off, and the two readings compared value for value (types included)."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest

from tests.workbook.helpers import (
    build_workbook,
    edit_part,
    minimal_data,
    rezip,
    sheet_part,
    zip_entries,
)
from workbook import book, reader
from workbook.reader import UnreadableWorkbook, read_workbook

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
INLINE = re.compile(r'<c r="([A-Z]+\d+)"((?: s="\d+")?) t="inlineStr"><is>(<t[^>]*>.*?</t>|<t[^>]*/>)</is></c>', re.S)


def with_shared_strings(data: bytes, edit_strings=lambda si: si) -> bytes:
    """The workbook as Excel stores it: text in xl/sharedStrings.xml, cells holding an index (t="s")."""
    entries = zip_entries(data)
    strings: list[str] = []
    for name in list(entries):
        if name.startswith("xl/worksheets/"):
            def share(match: re.Match[str]) -> str:
                strings.append(edit_strings(f"<si>{match.group(3)}</si>"))
                return f'<c r="{match.group(1)}"{match.group(2)} t="s"><v>{len(strings) - 1}</v></c>'

            entries[name] = INLINE.sub(share, entries[name].decode()).encode()
    entries["xl/sharedStrings.xml"] = (
        f'<sst xmlns="{SHEET_NS}" count="{len(strings)}" uniqueCount="{len(strings)}">{"".join(strings)}</sst>'
    ).encode()
    entries["[Content_Types].xml"] = entries["[Content_Types].xml"].replace(
        b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{STRINGS_TYPE}"/></Types>'.encode()
    )
    entries["xl/_rels/workbook.xml.rels"] = entries["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rId99" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'.encode(),
    )
    return rezip(entries)


def edit_sheet(data: bytes, title: str, old: str, new: str, count: int = 1) -> bytes:
    def edit(xml: str) -> str:
        assert xml.count(old) >= count, (old, xml[:2000])
        return xml.replace(old, new, count)

    return edit_part(data, sheet_part(data, title), edit)


def canonical(sheets: dict[str, reader.RawSheet]) -> dict[str, Any]:
    """What the parser can see of each sheet. An empty string and None are the same to it (both blank);
    a short row and one padded with None too (RawSheet.get). Types are compared: 2025 is not 2025.0."""

    def typed(value: object) -> tuple[str, object]:
        value = None if value == "" else value
        return type(value).__name__, value

    result = {}
    for key, raw in sheets.items():
        width = len(raw.header_cells)
        result[key] = {
            "title": raw.title,
            "headers": raw.headers,
            "header_cells": raw.header_cells,
            "rows": [(n, [typed(v) for v in (*values, *[None] * (width - len(values)))]) for n, values in raw.rows],
            "formulas": raw.formulas,
            "duplicates": raw.duplicates,
            "unheaded": {index: (n, typed(v)) for index, (n, v) in raw.unheaded.items()},
        }
    return result


def outcome(data: bytes) -> Any:
    try:
        return canonical(read_workbook(io.BytesIO(data)))
    except UnreadableWorkbook as exc:
        return exc.issue


def read_both(monkeypatch, data: bytes) -> tuple[Any, dict[str, bool]]:
    """The reading with calamine (and which sheets calamine read), after checking it equals openpyxl's."""
    taken: dict[str, bool] = {}
    rows = book.Book.rows

    def spy(self, worksheet):
        result = rows(self, worksheet)
        taken[worksheet.title] = result is not None
        return result

    with monkeypatch.context() as patch:
        patch.setattr(book.Book, "rows", spy)
        with_calamine = outcome(data)
    with monkeypatch.context() as patch:
        patch.setattr(book.Book, "rows", lambda self, worksheet: None)
        openpyxl_only = outcome(data)
    assert with_calamine == openpyxl_only
    return with_calamine, taken


STANDARD = ("Instansi", "Renstra", "Indikator", "Target", "Realisasi", "Anggaran", "Skala", "Pembanding", "Narasi",
            "Pegawai", "Rekomendasi")


def test_a_plain_workbook_is_read_by_calamine(monkeypatch):
    _, taken = read_both(monkeypatch, build_workbook())
    assert taken == dict.fromkeys(STANDARD, True)


def test_shared_strings_as_excel_writes_them_are_read_by_calamine(monkeypatch):
    data = with_shared_strings(build_workbook())
    assert b't="inlineStr"' not in zip_entries(data)[sheet_part(data, "Realisasi")]
    sheets, taken = read_both(monkeypatch, data)
    assert taken == dict.fromkeys(STANDARD, True)
    assert sheets["realisasi"]["rows"][0][1][:2] == [("str", "IKU1"), ("int", 2025)]


def test_rich_text_and_phonetic_runs_read_alike(monkeypatch):
    def rich(si: str) -> str:
        if "Tingkat Pengangguran" not in si:
            return si
        return ('<si><r><rPr><b/></rPr><t>Tingkat</t></r><r><t xml:space="preserve"> Pengangguran Terbuka</t></r>'
                '<rPh sb="0" eb="1"><t>x</t></rPh></si>')

    sheets, taken = read_both(monkeypatch, with_shared_strings(build_workbook(), rich))
    assert taken["Indikator"]
    assert ("str", "Tingkat Pengangguran Terbuka") in sheets["indikator"]["rows"][0][1]


@pytest.mark.parametrize(
    "si, expected",
    [
        ("<si><t> spasi di tepi </t></si>", " spasi di tepi "),  # calamine would trim: not preserved
        ("<si><t>baris_x000D_baru</t></si>", "baris_x000D_baru"),  # calamine would decode the escape
        ("<si><t>a_x005F_x000D_b</t></si>", "a_x000D_b"),  # openpyxl drops x005F_
        ("<si><t><![CDATA[data]]></t></si>", "data"),
        ("<si><t>&#32;entitas</t></si>", " entitas"),
    ],
)
def test_strings_calamine_would_change_are_read_by_openpyxl(monkeypatch, si, expected):
    def odd(text: str) -> str:
        return si if "Tingkat Pengangguran" in text else text

    sheets, taken = read_both(monkeypatch, with_shared_strings(build_workbook(), odd))
    assert not any(taken.values())  # one shared-strings table serves every sheet
    assert ("str", expected) in sheets["indikator"]["rows"][0][1]


def test_preserved_inline_spaces_read_alike(monkeypatch):
    data = minimal_data()
    data["Indikator"][0]["nama"] = "  Tingkat Pengangguran  "
    sheets, taken = read_both(monkeypatch, build_workbook(data))
    assert taken["Indikator"]
    assert ("str", "  Tingkat Pengangguran  ") in sheets["indikator"]["rows"][0][1]


@pytest.mark.parametrize(
    "text, fast, expected",
    [
        ("2025", True, ("int", 2025)),
        ("-0", True, ("int", 0)),
        ("7.330", True, ("float", 7.33)),
        ("2025.0", False, ("float", 2025.0)),  # openpyxl: a dot makes a float
        ("1E+15", False, ("float", 1e15)),
        ("2.025e3", False, ("float", 2025.0)),
        ("12345678901234567", False, ("int", 12345678901234567)),  # beyond a float's integers
    ],
)
def test_numbers_keep_openpyxl_types(monkeypatch, text, fast, expected):
    data = edit_sheet(build_workbook(), "Realisasi", '<c r="B2" t="n"><v>2025</v>', f'<c r="B2" t="n"><v>{text}</v>')
    sheets, taken = read_both(monkeypatch, data)
    assert taken["Realisasi"] is fast
    assert sheets["realisasi"]["rows"][0][1][1] == expected


@pytest.mark.parametrize(
    "cell, expected",
    [
        ('<c r="B2" t="e"><v>#N/A</v></c>', ("str", "#N/A")),  # calamine: an empty cell
        ('<c r="B2" t="b"><v>1</v></c>', ("bool", True)),
        ('<c r="B2" t="str"><v>2025.0</v></c>', ("str", "2025.0")),
    ],
)
def test_error_boolean_and_text_cells_keep_openpyxl_values(monkeypatch, cell, expected):
    data = edit_sheet(build_workbook(), "Realisasi", '<c r="B2" t="n"><v>2025</v></c>', cell)
    sheets, _ = read_both(monkeypatch, data)
    assert sheets["realisasi"]["rows"][0][1][1] == expected


def test_date_formatted_cells_are_read_by_openpyxl(monkeypatch):
    data = minimal_data()
    data["Instansi"]["tanggal_ttd"] = dt.datetime(2026, 1, 31)
    sheets, taken = read_both(monkeypatch, build_workbook(data))
    assert taken["Instansi"] is False and taken["Realisasi"] is True
    row = next(values for _, values in sheets["instansi"]["rows"] if values[0] == ("str", "tanggal_ttd"))
    assert row[1] == ("datetime", dt.datetime(2026, 1, 31))


@pytest.mark.parametrize(
    "old, new",
    [
        ('<c r="B3" t="n">', '<c t="n">'),  # a cell without r, numbered after the one before it
        ('<row r="3">', "<row>"),
        ('<c r="A3" t="inlineStr">', '<c r="A3" cm="1" t="inlineStr">'),  # an attribute calamine ignores
        ('<row r="3">', '<row r="3.0">'),  # openpyxl accepts it
    ],
)
def test_unusual_numbering_is_read_by_openpyxl(monkeypatch, old, new):
    _, taken = read_both(monkeypatch, edit_sheet(build_workbook(), "Realisasi", old, new))
    assert taken["Realisasi"] is False


def test_rows_out_of_order_are_read_by_openpyxl(monkeypatch):
    data = build_workbook()

    def swap(xml: str) -> str:
        rows = re.findall(r'<row r="\d+">.*?</row>', xml, re.S)
        return xml.replace(rows[2] + rows[3], rows[3] + rows[2])

    _, taken = read_both(monkeypatch, edit_part(data, sheet_part(data, "Realisasi"), swap))
    assert taken["Realisasi"] is False


def test_values_far_right_are_read_by_openpyxl(monkeypatch):
    data = edit_sheet(build_workbook(), "Realisasi", '</row><row r="3"', '<c r="XFD2"><v>12</v></c></row><row r="3"')
    sheets, taken = read_both(monkeypatch, data)
    assert taken["Realisasi"] is False
    assert sheets["realisasi"]["unheaded"] == {16383: (2, ("int", 12))}


def test_a_sparse_sheet_is_read_by_openpyxl(monkeypatch):
    """One cell 200.000 rows down would make calamine build a 200.000 × 60 grid; openpyxl stores one row."""
    data = edit_sheet(
        build_workbook(), "Realisasi", "</sheetData>",
        '<row r="200000"><c r="A200000" t="inlineStr"><is><t>IKU1</t></is></c></row></sheetData>',
    )
    sheets, taken = read_both(monkeypatch, data)
    assert taken["Realisasi"] is False
    assert sheets["realisasi"]["rows"][-1][0] == 200000


def test_a_cell_numbered_far_below_its_row_is_read_by_openpyxl(monkeypatch):
    data = edit_sheet(build_workbook(), "Realisasi", '<c r="B3" t="n">', '<c r="B900000" t="n">')
    _, taken = read_both(monkeypatch, data)
    assert taken["Realisasi"] is False


def test_a_cell_numbered_below_the_last_row_is_read_by_openpyxl(monkeypatch):
    data = edit_sheet(build_workbook(), "Realisasi", '<c r="B3" t="n">', '<c r="B9" t="n">')
    _, taken = read_both(monkeypatch, data)
    assert taken["Realisasi"] is False


@pytest.mark.parametrize("number", [1, 6, 8, 9, 10, 64001, 99, 250001, 189])
def test_greater_than_pattern(number):
    pattern = re.compile(book._greater_than(number))
    digits = len(str(number))
    for other in range(10 ** (digits - 1), 10**digits, max(1, 10 ** (digits - 3))):
        assert bool(pattern.fullmatch(str(other))) is (other > number), other
    for other in (number - 1, number, number + 1):
        if len(str(other)) == digits:
            assert bool(pattern.fullmatch(str(other))) is (other > number), other


def test_prefixed_namespace_is_read_by_openpyxl(monkeypatch):
    data = build_workbook()

    def prefixed(xml: str) -> str:
        xml = re.sub(r"<(/?)([A-Za-z])", r"<\1x:\2", xml)
        return xml.replace('xmlns="', 'xmlns:x="', 1)

    _, taken = read_both(monkeypatch, edit_part(data, sheet_part(data, "Realisasi"), prefixed))
    assert taken["Realisasi"] is False


def test_stale_dimension_is_ignored_by_calamine_too(monkeypatch):
    data = build_workbook()
    data = edit_part(
        data, sheet_part(data, "Realisasi"), lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1"', xml)
    )
    sheets, taken = read_both(monkeypatch, data)
    assert taken["Realisasi"]
    assert len(sheets["realisasi"]["rows"]) == len(minimal_data()["Realisasi"])


def test_declared_string_count_beyond_the_strings_is_not_given_to_calamine(monkeypatch):
    """calamine reserves memory for uniqueCount strings before reading one: 10^11 aborts the process."""
    data = edit_part(
        with_shared_strings(build_workbook()), "xl/sharedStrings.xml",
        lambda xml: re.sub(r'uniqueCount="\d+"', 'uniqueCount="100000000000"', xml),
    )
    assert b'uniqueCount="100000000000"' in zip_entries(data)["xl/sharedStrings.xml"]
    _, taken = read_both(monkeypatch, data)
    assert not any(taken.values())


def test_calamine_failing_to_open_leaves_the_file_to_openpyxl(monkeypatch):
    def broken(*args, **kwargs):
        raise book.python_calamine.CalamineError("kaputt")

    monkeypatch.setattr(book.python_calamine.CalamineWorkbook, "from_filelike", broken)
    _, taken = read_both(monkeypatch, build_workbook())
    assert not any(taken.values())


class PanicException(BaseException):
    """Named as pyo3's, which has no importable home."""


def test_calamine_panicking_leaves_the_sheet_to_openpyxl(monkeypatch):
    class Sheet:
        def to_python(self, **kwargs):
            raise PanicException("capacity overflow")

    monkeypatch.setattr(book.python_calamine.CalamineWorkbook, "get_sheet_by_name", lambda self, name: Sheet())
    _, taken = read_both(monkeypatch, build_workbook())
    assert not any(taken.values())


def test_an_interrupt_inside_calamine_is_not_swallowed(monkeypatch):
    def interrupted(self, name):
        raise KeyboardInterrupt

    monkeypatch.setattr(book.python_calamine.CalamineWorkbook, "get_sheet_by_name", interrupted)
    with pytest.raises(KeyboardInterrupt):
        read_workbook(io.BytesIO(build_workbook()))


def test_malformed_sheet_xml_is_refused_before_calamine_reads_it(monkeypatch):
    """calamine does not check that end tags match; openpyxl's parser refused such a file, and still does."""
    data = edit_sheet(build_workbook(), "Realisasi", "</c></row>", "</c></baris>")
    issue, _ = read_both(monkeypatch, data)
    assert "dapat dibaca" in issue.expected


@pytest.mark.parametrize("where", ["sheet", "strings"])
def test_entity_declarations_are_refused_before_calamine_reads_the_part(monkeypatch, where):
    data = with_shared_strings(build_workbook())
    name = sheet_part(data, "Realisasi") if where == "sheet" else "xl/sharedStrings.xml"
    data = edit_part(data, name, lambda xml: '<!DOCTYPE x [<!ENTITY a "b">]>' + xml)
    issue, _ = read_both(monkeypatch, data)
    assert "entitas XML" in issue.expected and issue.value == "EntitiesForbidden"


def test_parts_calamine_would_find_by_another_name_are_read_by_openpyxl(monkeypatch):
    """calamine looks parts up case-insensitively: two entries differing in case leave it to openpyxl."""
    data = build_workbook()
    entries = zip_entries(data)
    entries["xl/worksheets/SHEET5.xml"] = entries[sheet_part(data, "Realisasi")]
    _, taken = read_both(monkeypatch, rezip(entries))
    assert not any(taken.values())


@pytest.mark.parametrize("limit, letters", [(3, "[A-C]"), (26, "[A-Z]"), (60, "[A-Z]|A[A-Z]|B[A-H]")])
def test_column_letters_pattern(limit, letters):
    assert book._column_letters(limit).decode() == letters
