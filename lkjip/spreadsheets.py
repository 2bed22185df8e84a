"""Cells for every .xlsx the application writes, so that text typed by a user stays text.

openpyxl stores any string that starts with "=" as a formula: an indicator named
=HYPERLINK("http://…","klik") would become a live formula in the workbook every evaluator
downloads. Excel also starts a formula at "+", "-" or "@" (and at a tab or CR pasted in
front of them) as soon as someone edits the cell, so those cells get the quotePrefix flag,
the same flag Excel sets when a user types an apostrophe first.

Only ``str`` values are touched. Numbers, dates and None reach openpyxl unchanged.
Text cells are written as inline strings (``<is><t>``), never with an ``<f>`` element,
and read back as the same str by ``load_workbook(..., data_only=True)``.
Works for normal and write_only workbooks alike: openpyxl's WriteOnlyCell is an ordinary
Cell, which ``append`` accepts in both modes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import TYPE_STRING, Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

# What a spreadsheet may read as the start of a formula (the OWASP CSV-injection list).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def write_value(cell: Cell, value: Any) -> Cell:
    """Assign ``value`` to ``cell``; a str always ends up a text cell."""
    cell.value = value
    if isinstance(value, str):
        # Assigning re-infers the type: "=…" becomes a formula and "#N/A" an error cell.
        cell.data_type = TYPE_STRING
        if looks_like_formula(value):
            cell.quotePrefix = True
    return cell


def cell_value(sheet: Any, value: Any) -> Any:
    """What to hand to ``sheet.append`` for ``value``: a text cell for a str, anything else as is."""
    if not isinstance(value, str):
        return value
    return write_value(WriteOnlyCell(sheet), value)


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """``sheet.append(values)`` for a normal or write_only worksheet, with every str inert."""
    sheet.append([cell_value(sheet, value) for value in values])


HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


def header_sheet(book: Any, title: str, headers: list[str], widths: list[int]) -> Any:
    """A new sheet of an export: bold, shaded, wrapped header row, column widths, frozen header."""
    sheet = book.create_sheet(title)
    append_row(sheet, headers)
    for index, cell in enumerate(sheet[1], start=1):
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = widths[index - 1]
    sheet.freeze_panes = "A2"
    return sheet
