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
    minimal_data,
    set_dimension,
    sheet_part,
)
from workbook import schema
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
    assert_rejected(report, "Realisasi", first_junk + 299, "kode_indikator", "kode yang ada di sheet Indikator")
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


def test_many_rows_reaching_the_last_column_are_refused_quickly(monkeypatch):
    """Read without a dimension, each such row is 16.384 cells wide: a cell budget stops the file early."""
    monkeypatch.setattr(schema, "MAX_ROWS_PER_SHEET", 100)  # budget: 101 × 60 cells
    wide = add_cells(build_workbook(), "Realisasi", 3, '<c r="XFD3" s="0"/>')
    refused_with(workbook_import(source=as_file(wide)), "paling banyak 60 kolom", "XFD", "sheet Realisasi")
