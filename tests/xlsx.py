"""Looking inside .xlsx files the application wrote: formula elements and cell types."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from defusedxml import ElementTree
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

# One text of each kind a spreadsheet could take for the start of a formula.
DANGEROUS_TEXTS = {
    "equals": '=HYPERLINK("http://contoh.invalid/x","klik")',
    "plus": "+62 21 555",
    "minus": "- poin pertama",
    "at": "@risk",
    "tab": "\tteks bertab",
    "cr": "\r=1+1",
}


def formula_elements(data: bytes) -> list[str]:
    """'part cell' of every <f> element in any worksheet part, read from the raw XML (what the
    importer's formula check looks at, independent of how openpyxl interprets it)."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not name.startswith("xl/worksheets/") or not name.endswith(".xml"):
                continue
            root = ElementTree.fromstring(archive.read(name))
            for cell in root.iter(f"{MAIN}c"):
                if cell.find(f"{MAIN}f") is not None:
                    found.append(f"{name} {cell.get('r')}")
    return found


def all_cells(data: bytes) -> Iterator[Cell]:
    """Every cell of every sheet, loaded as formulas (not data_only), with its style."""
    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from row


def assert_inert(data: bytes) -> None:
    """No formula anywhere, and every text a spreadsheet could read as one is flagged as text."""
    assert formula_elements(data) == []
    for cell in all_cells(data):
        assert cell.data_type != "f", f"{cell.parent.title}!{cell.coordinate} is a formula: {cell.value!r}"
        # A CR written into the XML is read back as LF, so LF stands for CR here.
        if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@", "\t", "\r", "\n")):
            assert cell.data_type == "s", f"{cell.parent.title}!{cell.coordinate} is not text: {cell.value!r}"
            assert cell.quotePrefix, f"{cell.parent.title}!{cell.coordinate} lacks quotePrefix: {cell.value!r}"
