"""The reader's cells come from python-calamine for plain sheets and from openpyxl for every other one; both
must give the parser exactly what openpyxl alone gave it. Each file here is read twice, once as it is and
once with calamine switched off, and the two readings compared value for value (types included)."""

from __future__ import annotations

import datetime as dt
import io
import random
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


@pytest.mark.parametrize(
    "si, fast",
    [
        ('<si><r><rPr><b/><sz val="11"/></rPr><t xml:space="preserve">Tingkat </t></r><r><t>Pengangguran</t></r>'
         '<phoneticPr fontId="1"/></si>', True),
        ('<si><t>Tingkat</t><rPh sb="0" eb="1"><t>x</t></rPh><phoneticPr fontId="1" type="noConversion"/></si>', True),
        ("<si><t/></si>", True),
        ("<si><t>Tingkat</t><t>Pengangguran</t></si>", False),  # openpyxl keeps the last <t>, calamine joins
        ("<si><r><t>Tingkat</t></r><t>Pengangguran</t></si>", False),  # openpyxl puts the plain text first
        ("<si/>", True),
        ("<si></si>", True),
    ],
)
def test_shared_string_shapes(monkeypatch, si, fast):
    def odd(text: str) -> str:
        return si if "Tingkat Pengangguran" in text else text

    _, taken = read_both(monkeypatch, with_shared_strings(build_workbook(), odd))
    assert all(taken.values()) is fast


@pytest.mark.parametrize(
    "si",
    [
        '<si><r><rPr><color rgb="zz"/></rPr><t>Tingkat</t></r></si>',
        '<si><r><rPr><sz val="abc"/></rPr><t>Tingkat</t></r></si>',
        '<si><t>Tingkat</t><rPh sb="a" eb="1"><t>y</t></rPh></si>',
        '<si><t>Tingkat</t><phoneticPr fontId="x"/></si>',
    ],
)
def test_formatting_openpyxl_refuses_still_makes_the_file_unreadable(monkeypatch, si):
    def odd(text: str) -> str:
        return si if "Tingkat Pengangguran" in text else text

    issue, _ = read_both(monkeypatch, with_shared_strings(build_workbook(), odd))
    assert "dapat dibaca" in issue.expected


def test_formatted_inline_runs_are_read_by_openpyxl(monkeypatch):
    data = edit_sheet(
        build_workbook(), "Indikator", "<is><t>Tingkat Pengangguran Terbuka</t></is>",
        '<is><r><rPr><color rgb="zz"/></rPr><t>Tingkat</t></r></is>',
    )
    issue, taken = read_both(monkeypatch, data)
    assert "dapat dibaca" in issue.expected and taken["Indikator"] is False


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


@pytest.mark.parametrize(
    "old, new, fast",
    [
        ("</sheetData>", '</sheetData><rowBreaks count="1"><brk id="5" max="16383" man="1"/></rowBreaks>', True),
        ("</sheetData>", '</sheetData><sheetData><row r="9"><c r="A9"><v>1</v></c></row></sheetData>', False),
        ("<sheetData>", '<row r="9"><c r="A9"><v>1</v></c></row><sheetData>', False),  # openpyxl reads it
        ('<c r="B3" t="n"><v>2024</v></c>', '<c r="B3" t="n"><v>2024</v><f>2000+24</f></c>', False),  # <f> last
        ('<c r="B3" t="n"><v>2024</v></c>', '<c r="B3" t="n"><v>2024</v><v>1</v></c>', False),  # two values
        ('<c r="B3" t="n"><v>2024</v></c>', '<c r="B3" t="n"><is><t>x</t></is></c>', False),  # <is>, not inline
        ('<c r="B3" t="n"><v>2024</v></c>', '<c r="B3" t="s"><v>0.5</v></c>', False),  # not an index
        ('<c r="B3" t="n"><v>2024</v></c>', '<c r="B3" t="n">\n  <v>2024</v>\n</c>', True),
        ("</c></row>", "</c ></row>", False),
    ],
)
def test_cell_and_sheet_shapes(monkeypatch, old, new, fast):
    _, taken = read_both(monkeypatch, edit_sheet(build_workbook(), "Realisasi", old, new))
    assert taken["Realisasi"] is fast


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


@pytest.mark.parametrize("reference", ["B9", "B2"])
def test_a_cell_numbered_in_another_row_is_read_by_openpyxl(monkeypatch, reference):
    """openpyxl puts a cell in its <row>, calamine where its r says (over the cell there, for B2)."""
    data = edit_sheet(build_workbook(), "Realisasi", '<c r="B3" t="n">', f'<c r="{reference}" t="n">')
    _, taken = read_both(monkeypatch, data)
    assert taken["Realisasi"] is False


def test_cells_out_of_order_in_a_row_read_as_openpyxl_reads_them(monkeypatch):
    """openpyxl makes a row as wide as its last cell and drops cells right of it; so does the reader now."""
    data = build_workbook()

    def last_first(xml: str) -> str:
        row = re.search(r'<row r="2">.*?</row>', xml, re.S).group()
        cells = re.findall(r"<c .*?</c>", row, re.S)
        reordered = row.replace("".join(cells), "".join(cells[1:]) + cells[0])
        return xml.replace(row, reordered)

    data = edit_part(data, sheet_part(data, "Realisasi"), last_first)
    sheets, taken = read_both(monkeypatch, data)
    assert taken["Realisasi"] is True
    assert sheets["realisasi"]["rows"][0][1] == [("str", "IKU1")] + [("NoneType", None)] * 8


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


# ---- random edits: whatever they break, both readings agree ----

def _sometimes(pattern: str, replace, chance: float):
    """An edit replacing some matches of `pattern` (each with probability `chance`) by replace(match, rng)."""

    def edit(xml: str, rng: random.Random) -> str:
        return re.sub(pattern, lambda m: replace(m, rng) if rng.random() < chance else m.group(0), xml, flags=re.S)

    return edit


def _pick(*choices: str):
    return lambda match, rng: rng.choice(choices)


def _swap_cells(xml: str, rng: random.Random) -> str:
    rows = re.findall(r'<row r="\d+"[^>]*>.*?</row>', xml, re.S)
    cells = re.findall(r"<c [^>]*?(?:/>|>.*?</c>)", rng.choice(rows), re.S) if rows else []
    if len(cells) < 2:
        return xml
    i, j = rng.sample(range(len(cells)), 2)
    swapped = list(cells)
    swapped[i], swapped[j] = cells[j], cells[i]
    return xml.replace("".join(cells), "".join(swapped), 1)


def _double_cell(xml: str, rng: random.Random) -> str:
    cells = re.findall(r"<c [^>]*?(?:/>|>.*?</c>)", xml, re.S)
    cell = rng.choice(cells) if cells else ""
    return xml.replace(cell, cell + cell.replace("IKU", "IKX"), 1)


MUTATIONS = [
    _sometimes(r'<c r="([A-Z]+)(\d+)"', lambda m, rng: f'<c r="{m[1]}{int(m[2]) + rng.choice([-1, 1])}"', 0.1),
    _sometimes(r'<c r="[A-Z]+\d+"', _pick("<c"), 0.05),
    _sometimes(r'<c r="([A-Z]+\d+)" t="(\w+)"', lambda m, rng: f'<c t="{m[2]}" r="{m[1]}"', 0.05),
    _sometimes(r'(<c r="[A-Z]+\d+")', lambda m, rng: m[1] + ' s="1"', 0.05),
    _sometimes(r' t="(n|inlineStr)"', lambda m, rng: ' t="%s"' % rng.choice(["b", "e", "str", "s", "d", "zz"]), 0.1),
    _sometimes(r"<v>[^<]*</v>", lambda m, rng: "<v>" + rng.choice(
        ["2025", "2025.0", "1e3", " 5", "+5", "-0", "7.330", "0.1", "abc", "", "1E-3", "12345678901234567", "NaN",
         "inf", "1_000", "099", "99999"]) + "</v>", 0.2),
    _sometimes(r"(<v>[^<]*</v>)</c>", lambda m, rng: m[1] + rng.choice(
        ["<f>1+1</f>", "<v>9</v>", "<v/>", "<is><t>q</t></is>", "<extLst/>"]) + "</c>", 0.1),
    _sometimes(r"</c>", _pick("</c >", "</c>\n  "), 0.05),
    _sometimes(r"<t>[^<]*</t>", _pick(
        "<t> a</t>", "<t>b </t>", "<t>_x000D_</t>", "<t>&amp;x</t>", "<t>x&#10;</t>", "<t><![CDATA[q]]></t>",
        "<t>x005F_y</t>", '<t xml:space="preserve"> a </t>', "<t>a&#13;b</t>", "<t>a\r\nb</t>", "<t/>",
        "<r><t>a</t></r><r><t>b</t></r>", '<t>x</t><rPh sb="0" eb="1"><t>y</t></rPh>'), 0.2),
    _sometimes(r'<row r="(\d+)"', lambda m, rng: f'<row r="{int(m[1]) + rng.choice([5, -1])}"', 0.1),
    _sometimes(r'<row r="(\d+)"', lambda m, rng: f'<row r="{m[1]}" spans="1:9" ht="15"', 0.3),
    _sometimes(r"<sheetData>", _pick('<sheetData><row r="1"/>',
                                      '<sheetData><row r="300000"><c r="A300000"><v>1</v></c></row>'), 0.2),
    _sometimes(r"</row>", _pick('<c r="Z99" s="0"/></row>'), 0.1),
    _sometimes(r"</c><c ", _pick("</c>\n<c "), 0.05),
    _sometimes(r"<si>.*?</si>", _pick(
        "<si><t>a</t><t>b</t></si>", "<si><r><t>a</t></r><t>b</t></si>", "<si/>",
        '<si><r><rPr><b/></rPr><t>a</t></r><r><t xml:space="preserve"> b</t></r></si>'), 0.1),
    _swap_cells,
    _double_cell,
]


@pytest.mark.parametrize("seed", range(200))
def test_random_edits_read_alike(monkeypatch, seed):
    """Seeded edits of the kinds that separate calamine from openpyxl (cell and row numbers, types, number
    texts, text calamine trims or unescapes, cells out of order or doubled, values after formulas, ...)."""
    rng = random.Random(seed)
    data = build_workbook()
    if rng.random() < 0.4:
        data = with_shared_strings(data)
    for _ in range(rng.randint(1, 3)):
        part = sheet_part(data, rng.choice(["Instansi", "Realisasi", "Target", "Skala", "Anggaran"]))
        if rng.random() < 0.3 and "xl/sharedStrings.xml" in zip_entries(data):
            part = "xl/sharedStrings.xml"
        mutation = rng.choice(MUTATIONS)
        data = edit_part(data, part, lambda xml, mutation=mutation: mutation(xml, rng))
    read_both(monkeypatch, data)
