"""Workbooks that are valid .xlsx files but odd: whatever is in them is either imported or named back, never
silently dropped, and a refused file writes nothing."""

from __future__ import annotations

import re

import pytest

from performance.models import Realization
from tests.workbook.helpers import (
    SHEET_ORDER,
    as_file,
    assert_nothing_written,
    assert_rejected,
    build_workbook,
    db_counts,
    edit_part,
    excel_row,
    find_issue,
    minimal_data,
    set_dimension,
    sheet_part,
    zip_entries,
)
from workbook import reader, schema
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db


def refused_with(report, *expected_words):
    """The import failed with one file-level error holding every word; nothing was written."""
    assert report.ok is False
    assert len(report.errors) == 1, [str(e) for e in report.errors]
    issue = report.errors[0]
    assert issue.sheet == "" and issue.row is None
    for word in expected_words:
        assert word.lower() in f"{issue.expected} {issue.value}".lower(), f"{word!r} not in {issue}"
    assert_nothing_written()
    return issue


def add_cells(data: bytes, title: str, row: int, cells: str) -> bytes:
    """Append raw <c> elements to an existing row of sheet ``title``."""

    def edit(xml: str) -> str:
        edited, count = re.subn(rf'(<row r="{row}"[^>]*>.*?)(</row>)', rf"\g<1>{cells}\g<2>", xml, count=1, flags=re.S)
        assert count == 1
        return edited

    return edit_part(data, sheet_part(data, title), edit)


# ---- 1. a stale <dimension ref> ----


def test_row_outside_a_stale_dimension_is_imported():
    data = minimal_data()
    rows = len(data["Realisasi"])
    last_row = excel_row(rows - 1)
    stale = set_dimension(build_workbook(data), "Realisasi", f"A1:I{last_row - 1}")
    report = workbook_import(source=as_file(stale))
    assert report.ok, [str(e) for e in report.errors]
    assert Realization.objects.count() == rows


def test_single_cell_dimensions_everywhere_import_the_whole_workbook():
    """Some writers declare `A1` for every sheet; the file must import exactly like the honest one."""
    assert workbook_import(source=as_file(build_workbook())).ok
    honest = db_counts()
    stale = build_workbook()
    for title in SHEET_ORDER:
        stale = set_dimension(stale, title, "A1")
    report = workbook_import(source=as_file(stale))
    assert report.ok, [str(e) for e in report.errors]
    assert db_counts() == honest
    assert report.counts["realization"].unchanged == len(minimal_data()["Realisasi"])
    assert Realization.objects.filter(source="BPS").count() == 1  # the `sumber` column, far right of A1


def test_junk_rows_under_a_stale_dimension_are_errors():
    data = minimal_data()
    honest_rows = len(data["Realisasi"])
    data["Realisasi"] += [{"kode_indikator": "sampah", "tahun": "tahun lalu"} for _ in range(300)]
    stale = set_dimension(build_workbook(data), "Realisasi", f"A1:I{excel_row(honest_rows - 1)}")
    report = workbook_import(source=as_file(stale))
    first_junk = excel_row(honest_rows)
    assert_rejected(report, "Realisasi", first_junk, "tahun", "tahun empat angka")
    assert_rejected(report, "Realisasi", first_junk, "kode_indikator", "kode yang ada di sheet Indikator")
    assert report.error_total == 3 * 300  # tahun, kode_indikator and the missing realisasi
    assert_nothing_written()


def test_row_limit_holds_beyond_a_stale_dimension(monkeypatch):
    data = minimal_data()
    honest_rows = len(data["Realisasi"])
    limit = len(data["Instansi"]) + 1  # every sheet of the honest file fits
    monkeypatch.setattr(schema, "MAX_ROWS_PER_SHEET", limit)
    data["Realisasi"] += [{"kode_indikator": "IKU1", "tahun": 2000 + i, "realisasi": 1} for i in range(limit)]
    stale = set_dimension(build_workbook(data), "Realisasi", f"A1:I{excel_row(honest_rows - 1)}")
    refused_with(workbook_import(source=as_file(stale)), f"paling banyak {limit} baris", "sheet Realisasi")


def test_one_styled_cell_in_the_last_column_is_harmless():
    wide = add_cells(build_workbook(), "Realisasi", 3, '<c r="XFD3" s="0"/>')
    report = workbook_import(source=as_file(wide))
    assert report.ok, [str(e) for e in report.errors]


def test_rows_reaching_the_last_column_are_bounded_by_a_cell_budget(monkeypatch):
    """Read without a dimension, each such row is 16.384 cells wide: a cell budget stops the file early."""
    monkeypatch.setattr(schema, "MAX_ROWS_PER_SHEET", 100)  # budget: 101 × 60 cells
    wide = add_cells(build_workbook(), "Realisasi", 3, '<c r="XFD3" s="0"/>')
    refused_with(workbook_import(source=as_file(wide)), "paling banyak 60 kolom", "XFD", "sheet Realisasi")


# ---- 2. formulas ----

FORMULA = "rumus tidak diterima; tempel sebagai nilai"


def cache(data: bytes, title: str, ref: str, value: str) -> bytes:
    """Give formula cell ``ref`` the cached value a spreadsheet would have stored (openpyxl stores none)."""
    text = "" if re.fullmatch(r"-?[\d.]+", value) else ' t="str"'  # a formula's text result is typed "str"

    def edit(xml: str) -> str:
        edited, count = re.subn(
            rf'<c r="{ref}"([^>]*)>(\s*<f[^>]*>.*?</f>)\s*<v\s*/>', rf'<c r="{ref}"{text}\g<1>>\g<2><v>{value}</v>', xml
        )
        assert count == 1, xml
        return edited

    return edit_part(data, sheet_part(data, title), edit)


def realisasi_with_formula(formula: str = "=6+1.33", cached: str = "7.33") -> tuple[bytes, int]:
    data = minimal_data()
    data["Realisasi"][0]["realisasi"] = formula
    return cache(build_workbook(data), "Realisasi", "D2", cached), excel_row(0)


def test_formula_is_an_error_even_with_a_cached_value():
    workbook, row = realisasi_with_formula()
    report = workbook_import(source=as_file(workbook))
    issue = assert_rejected(report, "Realisasi", row, "realisasi", FORMULA)
    assert issue.value == "=6+1.33"
    assert len(report.errors) == 1, [str(e) for e in report.errors]
    assert_nothing_written()


def test_formula_without_a_cached_value_is_one_formula_error_not_a_blank_cell():
    data = minimal_data()
    data["Realisasi"][0]["realisasi"] = "=6+1.33"
    report = workbook_import(source=as_file(build_workbook(data)))
    assert_rejected(report, "Realisasi", excel_row(0), "realisasi", FORMULA)
    assert len(report.errors) == 1, [str(e) for e in report.errors]


def test_formula_on_the_instansi_sheet_names_the_key():
    data = minimal_data()
    data["Instansi"]["tahun_laporan"] = "=2024+1"
    workbook = build_workbook(data)
    row = list(data["Instansi"]).index("tahun_laporan") + 2
    report = workbook_import(source=as_file(cache(workbook, "Instansi", f"B{row}", "2025")))
    issue = assert_rejected(report, "Instansi", row, "nilai (tahun_laporan)", FORMULA)
    assert issue.value == "=2024+1"
    assert len(report.errors) == 1, [str(e) for e in report.errors]


def test_formula_in_an_unknown_column_and_in_the_header_are_errors_too():
    data = minimal_data()
    data["Renstra"][0]["catatan"] = "=LEN(D2)"
    workbook = build_workbook(data, rename_headers={("Renstra", "uraian"): '=LOWER("URAIAN")'})
    workbook = cache(workbook, "Renstra", "D1", "uraian")
    report = workbook_import(source=as_file(workbook))
    assert_rejected(report, "Renstra", 2, "catatan", FORMULA)
    assert_rejected(report, "Renstra", 1, "uraian", FORMULA)
    assert_nothing_written()


def test_formulas_in_a_sheet_the_importer_ignores_are_fine():
    data = minimal_data()
    data["Hitungan"] = [{"a": 1, "b": "=A2*2"}]
    report = workbook_import(source=as_file(build_workbook(data)))
    assert report.ok, [str(e) for e in report.errors]


def test_namespace_prefixed_formula_is_found():
    workbook, row = realisasi_with_formula()

    def prefixed(xml: str) -> str:
        xml = re.sub(r"<(/?)([A-Za-z])", r"<\1x:\2", xml)
        return xml.replace('xmlns="', 'xmlns:x="', 1)

    workbook = edit_part(workbook, sheet_part(workbook, "Realisasi"), prefixed)
    assert "<x:f>" in zip_entries(workbook)[sheet_part(workbook, "Realisasi")].decode()
    report = workbook_import(source=as_file(workbook))
    assert_rejected(report, "Realisasi", row, "realisasi", FORMULA)
    assert_nothing_written()


def test_shared_and_array_formulas_are_found():
    data = minimal_data()
    data["Realisasi"][0]["realisasi"] = "=6+1.33"
    data["Realisasi"][1]["realisasi"] = "=7+1.55"
    data["Realisasi"][2]["realisasi"] = "=SUM(1)"
    workbook = build_workbook(data)

    def edit(xml: str) -> str:
        xml = xml.replace("<f>6+1.33</f><v />", '<f t="shared" ref="D2:D3" si="0">6+1.33</f><v>7.33</v>')
        xml = xml.replace("<f>7+1.55</f><v />", '<f t="shared" si="0"/><v>7.33</v>')
        return xml.replace("<f>SUM(1)</f><v />", '<f t="array" ref="D4">SUM(1)</f><v>1</v>')

    workbook = edit_part(workbook, sheet_part(workbook, "Realisasi"), edit)
    report = workbook_import(source=as_file(workbook))
    assert assert_rejected(report, "Realisasi", 2, "realisasi", FORMULA).value == "=6+1.33"
    assert assert_rejected(report, "Realisasi", 3, "realisasi", FORMULA).value == "=6+1.33"
    assert assert_rejected(report, "Realisasi", 4, "realisasi", FORMULA).value == "{=SUM(1)}"


def test_a_file_without_formulas_is_read_once(monkeypatch):
    """The formula-naming second reading costs as much as the first: only files with formulas pay it."""

    def second_reading(*args, **kwargs):
        raise AssertionError("a file without formulas was read twice")

    monkeypatch.setattr(reader, "_find_formulas", second_reading)
    report = workbook_import(source=as_file(build_workbook()))
    assert report.ok, [str(e) for e in report.errors]


# ---- 4. sheet names ----


def second_realisasi(title: str) -> bytes:
    """The standard workbook plus a second Realisasi-like sheet holding other numbers."""
    data = minimal_data()
    data[title] = [{"kode_indikator": "IKU1", "tahun": 2025, "realisasi": "9,99"}]
    return build_workbook(data)


def rename_sheet(data: bytes, old: str, new: str) -> bytes:
    return edit_part(data, "xl/workbook.xml", lambda xml: xml.replace(f'name="{old}"', f'name="{new}"', 1))


@pytest.mark.parametrize("title", ["realisasi ", " Realisasi", "REALISASI", "Realisasi"])
def test_two_sheets_with_one_standard_name_are_an_error_naming_both(title):
    workbook = second_realisasi("Kedua")
    workbook = rename_sheet(workbook, "Kedua", title)  # openpyxl itself refuses names equal but for case
    report = workbook_import(source=as_file(workbook))
    issue = assert_rejected(report, "Realisasi", None, "", "satu sheet Realisasi saja", '"Realisasi"', f'"{title}"')
    assert issue.value == title
    assert_nothing_written()


def test_name_equal_to_a_standard_one_but_for_inner_spaces_is_an_error():
    report = workbook_import(source=as_file(build_workbook(rename_sheets={"Realisasi": "Real isasi"})))
    assert_rejected(report, "Real isasi", None, "", "mirip sheet standar Realisasi", '"Realisasi"')
    assert_rejected(report, "Realisasi", None, "", "sheet wajib ada")
    assert_nothing_written()


def test_look_alike_next_to_the_real_sheet_is_an_error_too():
    report = workbook_import(source=as_file(second_realisasi(" Real  Isasi ")))
    assert_rejected(report, " Real  Isasi ", None, "", "mirip sheet standar Realisasi")
    assert_nothing_written()


def test_one_sheet_named_with_other_case_and_spaces_is_still_accepted():
    report = workbook_import(source=as_file(build_workbook(rename_sheets={"Realisasi": "  rEALISASI "})))
    assert report.ok, [str(e) for e in report.errors]
    assert Realization.objects.count() == len(minimal_data()["Realisasi"])


def test_sheets_the_importer_ignores_are_not_read(monkeypatch):
    data = minimal_data()
    data["Catatan"] = [{"catatan": f"baris {i}"} for i in range(30)]
    monkeypatch.setattr(schema, "MAX_ROWS_PER_SHEET", len(data["Instansi"]) + 1)  # Catatan is over it
    report = workbook_import(source=as_file(build_workbook(data)))
    assert report.ok, [str(e) for e in report.errors]
    assert [w.expected for w in report.warnings if w.sheet == "Catatan"] == ["sheet tidak dikenal; diabaikan"]


# ---- 5. error volume ----


def workbook_with_bad_rows(count: int) -> tuple[bytes, int]:
    """``count`` Realisasi rows with one error each (an unknown indicator); returns the first one's row."""
    data = minimal_data()
    first = excel_row(len(data["Realisasi"]))
    data["Realisasi"] += [{"kode_indikator": f"X{i}", "tahun": 2025, "realisasi": 1} for i in range(count)]
    return build_workbook(data), first


def test_errors_beyond_the_cap_are_counted_not_kept():
    cap = schema.MAX_REPORTED_ERRORS
    workbook, first = workbook_with_bad_rows(cap * 2 + 7)
    report = workbook_import(source=as_file(workbook))
    assert report.ok is False
    assert report.error_total == cap * 2 + 7
    assert len(report.errors) == cap
    assert [e.row for e in report.errors] == list(range(first, first + cap))  # the first ones, in order
    assert all(e.expected == "kode yang ada di sheet Indikator" for e in report.errors)
    assert_nothing_written()


def test_error_total_equals_the_list_below_the_cap():
    workbook, _ = workbook_with_bad_rows(3)
    report = workbook_import(source=as_file(workbook))
    assert report.error_total == len(report.errors) == 3


def test_file_level_refusal_counts_one_error():
    report = workbook_import(source=as_file(b"bukan excel"))
    assert report.error_total == len(report.errors) == 1


def test_warnings_are_capped_too_and_say_how_many_are_left_out():
    cap = schema.MAX_REPORTED_ERRORS
    data = minimal_data()
    data["Instansi"] = list(data["Instansi"].items()) + [(f"kunci_lain_{i}", "x") for i in range(cap + 20)]
    report = workbook_import(source=as_file(build_workbook(data)))
    assert report.ok, [str(e) for e in report.errors]
    assert len(report.warnings) == cap + 1
    assert report.warnings[-1].expected == f"20 peringatan lain tidak ditampilkan (hanya {cap} peringatan pertama)"


# ---- values the importer cannot place ----

UNHEADED = "nilai di kolom tanpa judul; diabaikan"


def test_value_right_of_the_last_header_is_a_warning():
    workbook = add_cells(build_workbook(), "Realisasi", 3, '<c r="K3" t="inlineStr"><is><t>catatan lepas</t></is></c>')
    workbook = add_cells(workbook, "Realisasi", 4, '<c r="XFD4"><v>12</v></c>')
    report = workbook_import(source=as_file(workbook))
    assert report.ok, [str(e) for e in report.errors]
    far = [w for w in report.warnings if w.expected.startswith(UNHEADED)]
    assert [(w.sheet, w.row, w.column, w.value) for w in far] == [
        ("Realisasi", 3, "K", "catatan lepas"),
        ("Realisasi", 4, "XFD", "12"),
    ]


def test_value_under_a_blank_header_is_a_warning():
    report = workbook_import(source=as_file(build_workbook(rename_headers={("Realisasi", "sumber"): None})))
    assert report.ok, [str(e) for e in report.errors]
    warning = find_issue(report.warnings, "Realisasi", 2, "E")
    assert warning.value == "BPS" and warning.expected.startswith(UNHEADED)


def test_known_header_twice_is_an_error():
    report = workbook_import(source=as_file(build_workbook(rename_headers={("Realisasi", "keterangan"): "Realisasi "})))
    assert_rejected(report, "Realisasi", 1, "realisasi", "judul kolom tidak boleh ganda", "kolom D")
    assert_nothing_written()
