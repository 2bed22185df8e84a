"""Open an uploaded .xlsx without trusting it.

defusedxml (installed) makes openpyxl refuse entity-expansion attacks; on top of that the
zip container is checked for size, entry count and compression ratio before openpyxl
parses a byte of it (and macro-enabled or externally linked workbooks are refused), and
sheets are read with row and column limits. A sheet's declared <dimension> is not trusted,
and formula cells, invisible in the cached values read, are found in the sheet XML so the
parser can refuse them.

The cells of a plain sheet are read by python-calamine (Rust), every other sheet's by openpyxl
(read_only, data_only) as before; both give the parser the same values (see book.py).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from defusedxml import ElementTree as DefusedElementTree
from defusedxml.common import DefusedXmlException
from django.conf import settings
from openpyxl.formula.translate import Translator
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple

from . import schema
from .book import Book
from .issues import Issue


class UnreadableWorkbook(Exception):
    def __init__(self, issue: Issue):
        super().__init__(str(issue))
        self.issue = issue


def _fail(expected: str, value: str = "") -> UnreadableWorkbook:
    return UnreadableWorkbook(Issue("", None, "", value, expected))


@dataclass
class RawSheet:
    title: str
    headers: dict[str, int] = field(default_factory=dict)  # normalised header → column index
    header_cells: list[str] = field(default_factory=list)
    rows: list[tuple[int, tuple[object, ...]]] = field(default_factory=list)  # (excel row number, values)
    formulas: list[tuple[int, int, str]] = field(default_factory=list)  # (excel row, column index, formula)
    # Titles of later sheets with the same name once case and surrounding spaces are ignored.
    duplicates: list[str] = field(default_factory=list)
    # Column index → (excel row, value) of the first value in each column that has no header.
    unheaded: dict[int, tuple[int, object]] = field(default_factory=dict)

    def column_name(self, index: int) -> str:
        """The header of a column, or its letter when it has none."""
        if index < len(self.header_cells) and self.header_cells[index]:
            return self.header_cells[index]
        return get_column_letter(index + 1)

    def get(self, values: tuple[object, ...], column: str) -> object:
        index = self.headers.get(column)
        if index is None or index >= len(values):
            return None
        return values[index]


def read_bytes(source: str | Path | IO[bytes]) -> bytes:
    """The upload's bytes, refused above the size limit before more is read."""
    limit = settings.WORKBOOK_MAX_BYTES
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise _fail("berkas tidak ditemukan", str(path))
        if path.stat().st_size > limit:
            raise _fail(f"berkas paling besar {limit // (1024 * 1024)} MB", f"{path.stat().st_size} byte")
        return path.read_bytes()
    data = source.read(limit + 1)
    if len(data) > limit:
        raise _fail(f"berkas paling besar {limit // (1024 * 1024)} MB", "lebih besar")
    return data


def _check_container(data: bytes) -> None:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _fail("berkas Excel .xlsx (berkas ini bukan .xlsx; simpan ulang sebagai Excel Workbook)")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
        if len(entries) > schema.MAX_ZIP_ENTRIES:
            raise _fail(f"paling banyak {schema.MAX_ZIP_ENTRIES} bagian di dalam berkas", str(len(entries)))
        total = sum(entry.file_size for entry in entries)
        if total > schema.MAX_UNCOMPRESSED_BYTES:
            raise _fail("isi berkas terlalu besar setelah dibuka (kemungkinan zip bomb)", f"{total} byte")
        for entry in entries:
            if entry.compress_size and entry.file_size / entry.compress_size > schema.MAX_COMPRESSION_RATIO:
                raise _fail("rasio kompresi tidak wajar (kemungkinan zip bomb)", entry.filename)
        if "xl/workbook.xml" not in {entry.filename for entry in entries}:
            raise _fail("berkas Excel .xlsx yang sah (xl/workbook.xml tidak ada)")
        _refuse_macros_and_links(archive, entries)


MACROS = "workbook bermakro (.xlsm) tidak diterima; simpan sebagai .xlsx tanpa makro"
EXTERNAL_LINKS = (
    "tautan eksternal ke workbook lain tidak diterima; nilainya berasal dari berkas lain dan bisa usang. "
    "Putuskan tautannya (Data › Edit Links › Break Link) lalu simpan ulang"
)
# Declarations live in [Content_Types].xml and the .rels parts, whatever the parts themselves are called.
MACRO_MARK = re.compile(rb"macroEnabled|vbaProject", re.IGNORECASE)
EXTERNAL_LINK_MARK = re.compile(rb"externalLink", re.IGNORECASE)


def _refuse_macros_and_links(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> None:
    """openpyxl would read both kinds of file without complaint (it neither runs macros nor follows links),
    but a macro workbook is not the agreed format, and an external link's cached values come from a file
    we never see."""
    names = [entry.filename for entry in entries]
    for name in names:
        if posixpath.basename(name.lower()) == "vbaproject.bin":
            raise _fail(MACROS, name)
    for name in names:
        if name.lower().startswith("xl/externallinks/"):
            raise _fail(EXTERNAL_LINKS, name)
    declarations = [name for name in names if name == "[Content_Types].xml" or name.lower().endswith(".rels")]
    for mark, expected in ((MACRO_MARK, MACROS), (EXTERNAL_LINK_MARK, EXTERNAL_LINKS)):
        for name in declarations:
            if _part_contains(archive, name, mark):
                raise _fail(expected, name)


def _part_contains(archive: zipfile.ZipFile, name: str, pattern: re.Pattern[bytes], overlap: int = 64) -> bool:
    """Search one zip entry in chunks, so a large part never sits in memory whole."""
    tail = b""
    with archive.open(name) as part:
        while chunk := part.read(1024 * 1024):
            if pattern.search(tail + chunk):
                return True
            tail = chunk[-overlap:]
    return False


def _unreadable(exc: Exception) -> UnreadableWorkbook:
    """A file openpyxl (or the XML check before calamine) cannot parse. defusedxml's refusal of DTDs/entities
    (billion laughs, external entities) is named as such; anything else is a corrupt file."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return _fail("berkas Excel tanpa definisi entitas XML (DTD/ENTITY); berkas ini ditolak demi keamanan",
                         type(cause).__name__)
        cause = cause.__cause__ or cause.__context__
    return _fail("berkas Excel .xlsx yang dapat dibaca", type(exc).__name__)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _normal(header: object) -> str:
    return str(header).strip().lower() if header is not None else ""


def read_workbook(source: str | Path | IO[bytes] | bytes) -> dict[str, RawSheet]:
    """Sheets by lower-cased, stripped name. Raises UnreadableWorkbook for files that cannot
    be read at all; everything else is left to the parser to report per cell. Only the standard
    sheets' rows are read: any other sheet is only named (the parser ignores it with a warning)."""
    data = source if isinstance(source, bytes) else read_bytes(source)  # bytes: already read and size-checked
    _check_container(data)
    try:
        book = Book(data, _first_standard())
    except Exception as exc:  # openpyxl raises many types for corrupt files; all mean "unreadable"
        raise _unreadable(exc) from exc
    try:
        sheets, parts = _read_sheets(book)
    except UnreadableWorkbook:
        raise
    except Exception as exc:  # read-only mode parses sheet XML lazily: corrupt XML surfaces here
        raise _unreadable(exc) from exc
    finally:
        book.close()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        with_formulas = {part: raw for part, raw in parts.items() if _part_contains(archive, part, FORMULA_MARK)}
    if with_formulas:
        _find_formulas(data, with_formulas)
    return sheets


STANDARD_SHEETS = frozenset(sheet.name.lower() for sheet in schema.SHEETS)
# A formula is an <f> element in the sheet XML, possibly namespace-prefixed (<x:f>). The pattern also
# matches text such as "rasio:f " now and then; that only costs a second look that finds nothing.
FORMULA_MARK = re.compile(rb"[<:]f[\s/>]")


def _first_standard() -> Any:
    """A test, called once per worksheet in workbook order: is this the sheet whose rows are read?"""
    seen: set[str] = set()

    def reads(title: str) -> bool:
        key = _normal(title)
        first = key not in seen
        seen.add(key)
        return first and key in STANDARD_SHEETS

    return reads


def _read_sheets(book: Book) -> tuple[dict[str, RawSheet], dict[str, RawSheet]]:
    """The sheets by name, and the standard sheets the parser reads by their part in the zip."""
    sheets: dict[str, RawSheet] = {}
    parts: dict[str, RawSheet] = {}
    for worksheet in book.worksheets:
        key = _normal(worksheet.title)
        if key in sheets:
            sheets[key].duplicates.append(worksheet.title)  # an error for the parser; its rows are not needed
            continue
        raw = sheets[key] = RawSheet(title=worksheet.title)
        if key in STANDARD_SHEETS:
            _read_rows(book, worksheet, raw)
            # openpyxl keeps the part name private; it is the only link from a sheet to its XML.
            parts[worksheet._worksheet_path] = raw
    return sheets, parts


def _find_formulas(data: bytes, sheets: dict[str, RawSheet]) -> None:
    """Name every formula cell of these sheets (by zip part). The importer reads cached values (data_only),
    in which a formula is invisible and its value may be stale. Walking the XML for <f> elements takes
    about half as long as a second openpyxl reading without data_only."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for part, raw in sheets.items():
                with archive.open(part) as source:
                    raw.formulas.extend(_formula_cells(source))
    except Exception as exc:
        raise _unreadable(exc) from exc


SHEET_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
ROW, FORMULA_ELEMENT = f"{SHEET_MAIN}row", f"{SHEET_MAIN}f"


def _formula_cells(source: IO[bytes]) -> Iterator[tuple[int, int, str]]:
    """(excel row, column index, formula as Excel shows it). Numbering follows openpyxl's: a row or cell
    without an `r` attribute comes right after the previous one."""
    shared: dict[str, tuple[str, str]] = {}  # si → (formula, cell it is written in)
    number = 0
    for _event, element in DefusedElementTree.iterparse(source):
        if element.tag != ROW:
            continue
        number = _row_number(element.get("r"), number)
        if number > schema.MAX_ROWS_PER_SHEET + 1:
            return  # the first reading has refused such a sheet already
        anchor, steps = None, 0  # the last cell with an `r`, and the cells since; decoded only when needed
        for cell in element:
            reference = cell.get("r")
            if reference:
                anchor, steps = reference, 0
            else:
                steps += 1
            formula = cell.find(FORMULA_ELEMENT)
            if formula is not None:
                column = (coordinate_to_tuple(anchor)[1] if anchor else 0) + steps
                yield number, column - 1, _formula_text(formula, reference, shared)
        element.clear()


def _row_number(attribute: str | None, previous: int) -> int:
    if not attribute:
        return previous + 1
    try:
        return int(attribute)
    except ValueError:
        return int(float(attribute))  # "5.0", as openpyxl accepts it


def _formula_text(formula: Any, reference: str | None, shared: dict[str, tuple[str, str]]) -> str:
    text = "=" + (formula.text or "")
    kind = formula.get("t")
    if kind == "array":
        return "{" + text + "}"  # how Excel shows an array formula
    if kind == "dataTable":
        return f"{{=TABLE({formula.get('r1', '')},{formula.get('r2', '')})}}"
    if kind == "shared":
        index = formula.get("si", "")
        if formula.text:
            if reference:
                shared[index] = (text, reference)
        elif index in shared and reference:
            # Only the first cell of a shared formula holds its text; the others are relative to it.
            master, origin = shared[index]
            try:
                return Translator(master, origin).translate_formula(reference)
            except Exception:  # an odd formula is still a formula; showing its source text is enough
                return master
    return text


def _read_rows(book: Book, worksheet: Any, raw: RawSheet) -> None:
    # calamine reads every cell present, whatever <dimension> says. For openpyxl: the <dimension> element
    # is written by whatever tool saved the file and is sometimes stale; trusting it silently drops the
    # rows and columns outside it. The rows present are the truth.
    rows = book.rows(worksheet)
    if rows is None:
        book.load_strings()
        worksheet.reset_dimensions()
        rows = worksheet.iter_rows(values_only=True)
    width, unheaded, cells_read = 0, [], 0
    cell_budget = (schema.MAX_ROWS_PER_SHEET + 1) * schema.MAX_COLUMNS
    for number, values in enumerate(rows, start=1):
        if number > schema.MAX_ROWS_PER_SHEET + 1:
            raise _fail(f"paling banyak {schema.MAX_ROWS_PER_SHEET} baris per sheet", f"sheet {worksheet.title}")
        # Without a dimension every row is as wide as its last cell, so one styled empty cell in column XFD
        # makes a 16.384-wide row; a sheet within both limits never needs more cells than this.
        cells_read += len(values)
        if cells_read > cell_budget:
            raise _fail(
                f"paling banyak {schema.MAX_COLUMNS} kolom (sheet ini berisi sel sampai kolom "
                f"{get_column_letter(len(values))} di banyak baris)",
                f"sheet {worksheet.title}",
            )
        if number == 1:
            cells = list(values)
            while cells and _blank(cells[-1]):
                cells.pop()
            if len(cells) > schema.MAX_COLUMNS:
                raise _fail(f"paling banyak {schema.MAX_COLUMNS} kolom", f"sheet {worksheet.title}")
            raw.header_cells = [_normal(c) for c in cells]
            for index, header in enumerate(raw.header_cells):
                if header and header not in raw.headers:
                    raw.headers[header] = index
            width = len(raw.header_cells)
            unheaded = [index for index, header in enumerate(raw.header_cells) if not header]
            continue
        trimmed = tuple(values[:width])
        if not all(_blank(v) for v in trimmed):  # empty rows are skipped (WORKBOOK.md)
            raw.rows.append((number, trimmed))
        if unheaded or len(values) > width:
            _note_unheaded(raw, number, values, unheaded, width)


def _note_unheaded(raw: RawSheet, number: int, values: tuple[object, ...], unheaded: list[int], width: int) -> None:
    """Values under no header cannot be imported; the parser warns about the first one in each such column,
    which the user would otherwise never learn was ignored."""
    beyond = values[width:]
    candidates = list(unheaded)
    if beyond.count(None) != len(beyond):  # rows padded with empty cells are common; skip them at C speed
        candidates += [width + offset for offset, value in enumerate(beyond) if value is not None]
    for index in candidates:
        if index < len(values) and index not in raw.unheaded and not _blank(values[index]):
            raw.unheaded[index] = (number, values[index])
