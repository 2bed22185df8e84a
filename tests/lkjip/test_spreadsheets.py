import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from lkjip.spreadsheets import append_row, write_value
from tests.xlsx import DANGEROUS_TEXTS, assert_inert, formula_elements


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _values(data: bytes) -> list[tuple]:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return [tuple(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


ROW = [*DANGEROUS_TEXTS.values(), "#N/A", "teks biasa", 7, 7.33, dt.date(2026, 1, 31), None, "=", "- 5"]


@pytest.mark.parametrize("write_only", [False, True], ids=["normal", "write_only"])
def test_append_row_writes_every_text_as_text(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("Uji")
    for _ in range(2):  # write_only mode reuses one cell object between values: a second row checks that
        append_row(sheet, ROW)
    data = _save(book)

    assert formula_elements(data) == []
    assert_inert(data)
    # Read back as written, except that XML turns a CR into LF and openpyxl reads a date as datetime.
    expected = tuple(
        v.replace("\r", "\n") if isinstance(v, str) else dt.datetime(2026, 1, 31) if isinstance(v, dt.date) else v
        for v in ROW
    )
    assert _values(data)[-2:] == [expected, expected]
    cells = list(load_workbook(io.BytesIO(data))["Uji"][1])
    flagged = {cell.value for cell in cells if cell.quotePrefix}
    assert flagged == {v.replace("\r", "\n") for v in DANGEROUS_TEXTS.values()} | {"=", "- 5"}
    assert {cell.data_type for cell in cells[:8]} == {"s"}  # "#N/A" too: openpyxl would make it an error cell
    assert [cell.data_type for cell in cells[8:11]] == ["n", "n", "d"]


def test_write_value_into_an_existing_cell():
    book = Workbook()
    sheet = book.active
    write_value(sheet["A1"], DANGEROUS_TEXTS["equals"])
    write_value(sheet["A2"], Decimal("1.5"))
    write_value(sheet["A3"], None)
    data = _save(book)
    assert formula_elements(data) == []
    cell = load_workbook(io.BytesIO(data)).active["A1"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (DANGEROUS_TEXTS["equals"], "s", True)
    assert _values(data) == [(DANGEROUS_TEXTS["equals"],), (1.5,), (None,)]


def test_every_module_that_writes_a_workbook_uses_the_helper():
    """A new export that calls sheet.append directly would bring formulas back; test builders excepted."""
    from django.conf import settings

    root = settings.BASE_DIR
    writers = [
        path for path in root.rglob("*.py")
        if not {".venv", "tests", "node_modules"} & set(path.relative_to(root).parts)
        and re.search(r"\bWorkbook\(", path.read_text(encoding="utf-8"))
    ]
    assert {str(p.relative_to(root)) for p in writers} >= {  # the search finds the known writers
        "reports/excel.py", "workbook/exporter.py", "demo/build_workbooks.py", "benchmarks/import_workbook.py",
    }
    missing = [str(p.relative_to(root)) for p in writers if "lkjip.spreadsheets import" not in p.read_text("utf-8")]
    assert missing == []
