"""An uploaded workbook opened the way the reader has always opened it, with the cells read by calamine.

openpyxl (read_only, data_only) still reads everything around the cells, with its own code and
defusedxml: [Content_Types].xml, the workbook and its relationships, the properties, the styles and
the list of worksheets (including the start of every sheet whose rows are not read). What the
reader used to pay for is the cells, parsed element by element in Python: python-calamine parses
a sheet in Rust about ten times as fast.

calamine does not read every file the way openpyxl does, though. It trims the text of a <t>
without xml:space="preserve", decodes _x000D_ escapes, returns an integer 2025 as the float
2025.0, an error cell (#N/A) as an empty one, recognises dates by its own rules, finds parts by
case-insensitive name, and does not check that end tags match. So a sheet is only given to
calamine when cheap byte-level checks of its XML show that none of that can happen (plain cells
as Excel, LibreOffice and openpyxl write them: every row and cell numbered, strings that need no
trimming or unescaping, numbers whose text says whether they are integers, no date-formatted,
boolean or error cells); every other sheet is read by openpyxl exactly as before. Before
calamine sees a part, expat parses it with defusedxml's handlers, so a malformed part or one
declaring entities is refused exactly as openpyxl refused it. calamine's values are then
turned into openpyxl's (2025.0 → 2025, "" → None), and anything unexpected, or any error or
panic inside calamine, sends the sheet back to openpyxl.

Guards against calamine itself: it reserves memory for the `uniqueCount` a sharedStrings part
declares (a 1 KB file declaring 10^11 strings aborts the process), and it builds each sheet as a
dense rows × columns grid; both are bounded here before calamine is called.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

import python_calamine
from defusedxml import ElementTree as DefusedElementTree
from defusedxml.common import EntitiesForbidden, ExternalReferenceForbidden
from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.reader.excel import ExcelReader, _find_workbook_part
from openpyxl.reader.strings import read_string_table
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.xml.constants import SHARED_STRINGS

from . import schema

MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


class NotPlain(Exception):
    """calamine might read this sheet differently from openpyxl: openpyxl reads it."""


# ---- XML checks ----


def _entity_declared(name, is_parameter_entity, value, base, sysid, pubid, notation_name):
    raise EntitiesForbidden(name, value, base, sysid, pubid, notation_name)


def _unparsed_entity_declared(name, base, sysid, pubid, notation_name):  # pragma: no cover - expat 1.2
    raise EntitiesForbidden(name, None, base, sysid, pubid, notation_name)


def _external_entity(context, base, sysid, pubid):
    raise ExternalReferenceForbidden(context, base, sysid, pubid)


def check_xml(data: bytes) -> None:
    """Parse a part as openpyxl's parser (defusedxml over expat, with namespaces) would, without building
    anything: entity declarations and external entities raise defusedxml's exceptions, malformed XML
    raises ElementTree's ParseError. Runs at C speed (0.13 s for an 18 MB sheet)."""
    parser = expat.ParserCreate(None, "}")
    parser.EntityDeclHandler = _entity_declared
    parser.UnparsedEntityDeclHandler = _unparsed_entity_declared
    parser.ExternalEntityRefHandler = _external_entity
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        error = ParseError(expat.ErrorString(exc.code))
        error.code, error.position = exc.code, (exc.lineno, exc.offset)
        raise error from exc


# Only the main namespace, as the default one: the byte patterns below read unprefixed names, and
# calamine matches elements by local name whatever their namespace (openpyxl by namespace).
NAMESPACE_DECLARATION = re.compile(rb"""xmlns(:[\w.-]+)?\s*=\s*["']([^"']*)["']""")

# Text calamine reads differently: leading or trailing whitespace (also as an entity) of a <t> without
# xml:space="preserve" is trimmed, and _xHHHH_ escapes are decoded; openpyxl keeps both (and drops
# "x005F_" from shared strings). CDATA is left to openpyxl too. (Separate patterns, each starting with
# a literal, are several times faster than one alternation.)
TEXT_PATTERNS = (
    re.compile(rb'<t(?:[\t\n\r]| (?!xml:space="preserve">)|>(?:[ \t\r\n&]|[^<]*[ \t\r\n;]</t>))'),
    re.compile(rb"_x[0-9A-Fa-f]{4}_"),
)
TEXT_MARKS = (b"x005F_", b"<![CDATA[")


def _plain_text(xml: bytes) -> bool:
    return not any(mark in xml for mark in TEXT_MARKS) and not any(p.search(xml) for p in TEXT_PATTERNS)


def _plain_namespaces(xml: bytes) -> bool:
    declared = NAMESPACE_DECLARATION.findall(xml)
    return declared.count((b"", MAIN_NS)) == 1 and all(
        prefix and uri != MAIN_NS for prefix, uri in declared if (prefix, uri) != (b"", MAIN_NS)
    )


def plain_strings(xml: bytes) -> bool:
    """A sharedStrings part that calamine reads as openpyxl does, and whose declared `uniqueCount` (calamine
    reserves memory for that many strings up front) is no more than the strings it holds."""
    if not _plain_namespaces(xml) or not _plain_text(xml):
        return False
    start = re.search(rb"<sst\b[^>]*>", xml)
    if start is None:
        return False
    declared = re.findall(rb"""\suniqueCount\s*=\s*["']([^"']*)["']""", start.group())
    if not declared:
        return True
    return len(declared) == 1 and re.fullmatch(rb"\d{1,12}", declared[0]) is not None and \
        int(declared[0]) <= xml.count(b"<si")


def _column_letters(limit: int) -> bytes:
    """A regex for the letters of columns 1..limit, grouped by prefix: A..Z, then AA..AZ, BA..BH for 60."""
    groups: dict[str, list[str]] = {}
    for index in range(1, limit + 1):
        letters = get_column_letter(index)
        groups.setdefault(letters[:-1], []).append(letters[-1])
    return "|".join(f"{prefix}[{last[0]}-{last[-1]}]" for prefix, last in groups.items()).encode()


def _greater_than(number: int) -> str:
    """A regex for the numbers with as many digits as `number` that are greater (64001: 64002 to 99999)."""
    text, parts = str(number), []
    for index, digit in enumerate(text):
        if digit != "9":
            rest = len(text) - index - 1
            parts.append(text[:index] + (f"[{int(digit) + 1}-9]" if digit != "8" else "9") + (rf"\d{{{rest}}}" * bool(rest)))
    return "|".join(parts) or "(?!)"


@lru_cache(maxsize=32)
def _cell_pattern(max_columns: int, date_styles: frozenset[int], last_row: int) -> re.Pattern[bytes]:
    """A <c> whose r is missing or not first, with a column beyond the limit or a row below the last <row>
    (a cell numbered in a row of its own could sit far below the rows, making calamine's grid as tall),
    an attribute other than s and t, a date-formatted style (openpyxl turns those numbers into datetimes
    by rules of its own), or a type other than number, shared string, formula string and inline string
    (booleans, errors, ISO dates and unknown types are left to openpyxl)."""
    style = rb'(?: s="\d{1,9}")?'
    if date_styles:
        dates = "|".join(str(style_id) for style_id in sorted(date_styles)).encode()
        style = rb'(?: s="(?!(?:' + dates + rb')")\d{1,9}")?'
    row = rb'(?!(?:' + _greater_than(last_row).encode() + rb')")[1-9]\d{0,%d}"' % (len(str(last_row)) - 1)
    return re.compile(
        rb'<c(?:[\t\n\r>/]| (?!r="(?:' + _column_letters(max_columns) + rb")" + row + style
        + rb'(?: t="(?:n|s|str|inlineStr)")?\s*/?>))'
    )


SHEET_PATTERNS = (
    re.compile(rb'<row(?:[\t\n\r>/]| (?!r="[1-9]\d{0,6}"[\s/>]))'),  # a <row> without a plain r first
    # A <v> with attributes, or whose number does not tell int from float the way openpyxl's
    # `"." in text or "e" in text` does once calamine made it a float (2025.0, 1E+15, 16 digits or
    # more, " 5", "+5"), or that holds other text.
    re.compile(rb"<v(?:[ \t\n\r]|>(?!(?:-?\d{1,15}(?:\.\d*[1-9]\d*)?)?</v>))"),
    re.compile(rb"<is[ \t\n\r/]"),  # an <is> with attributes, or empty
)


ROW_NUMBER = re.compile(rb'<row r="(\d+)"')


def plain_sheet(xml: bytes, date_styles: frozenset[int]) -> bool:
    """Whether calamine reads this worksheet XML cell for cell as openpyxl does, within bounds.

    Rows numbered and in order, each cell numbered (the first attribute) within the column limit and the
    last row, one <sheetData> holding them, no formatting calamine or openpyxl would turn into a date,
    number texts that keep int and float apart, inline strings that need no trimming or unescaping.
    The dense grid calamine builds (at most last row × column limit) is at most 16 cells per cell element
    plus a million: a file with a cell in A1 and one in BH250001 is read by openpyxl, which stores only the
    cells present.
    """
    if xml.count(b"<sheetData") != 1 or not _plain_namespaces(xml):
        return False
    data_start, data_end = xml.find(b"<sheetData"), xml.rfind(b"</sheetData>")
    first_row, last_row_end = xml.find(b"<row "), xml.rfind(b"</row>")
    if first_row != -1 and (first_row < data_start or last_row_end > data_end or data_end == -1):
        return False
    rows = [int(number) for number in ROW_NUMBER.findall(xml)]
    if any(later <= earlier for earlier, later in zip(rows, rows[1:], strict=False)):
        return False  # openpyxl skips a row numbered below the one before it; calamine would not
    last = rows[-1] if rows else 1
    if last > schema.MAX_ROWS_PER_SHEET + 1:
        return False  # openpyxl refuses the sheet with its row limit
    if _cell_pattern(schema.MAX_COLUMNS, date_styles, last).search(xml) or not _plain_text(xml) or \
            any(pattern.search(xml) for pattern in SHEET_PATTERNS):
        return False
    if xml.count(b"<is>") != xml.count(b' t="inlineStr"'):
        return False  # calamine reads <is> in a cell of any type; openpyxl only in inline strings
    return last * schema.MAX_COLUMNS <= 16 * xml.count(b"<c ") + 1_000_000


def openpyxl_values(row: Iterable[Any]) -> tuple[object, ...]:
    """calamine's values as openpyxl gives them: an integer's text became a float (plain_sheet made sure the
    text of every integral float was an integer), and an empty cell is "" rather than None. Any other type
    (a date, a bool) means calamine read something plain_sheet did not foresee."""
    values: list[object] = []
    for value in row:
        kind = type(value)
        if kind is str:
            values.append(value or None)
        elif kind is float:
            values.append(int(value) if value.is_integer() else value)
        else:
            raise NotPlain(kind.__name__)
    return tuple(values)


# ---- the workbook ----


class _Worksheet(ReadOnlyWorksheet):
    """openpyxl's read-only sheet. A sheet whose rows are read is not first parsed up to its <dimension>
    (the reader ignores dimensions, and without one that parse reads the whole sheet)."""

    def __init__(self, parent: Any, title: str, path: str, strings: list[str], *, sized: bool):
        self._sized = sized
        super().__init__(parent, title, path, strings)

    def _get_size(self) -> None:
        if self._sized:
            super()._get_size()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class Book(ExcelReader):
    """openpyxl.load_workbook(read_only=True, data_only=True), minus the shared strings, which are only read
    (by openpyxl's read_string_table) if a sheet goes to openpyxl; `rows(worksheet)` gives a sheet's values
    from calamine when that reads it exactly as openpyxl would."""

    def __init__(self, data: bytes, reads: Callable[[str], bool]):
        super().__init__(io.BytesIO(data), read_only=True, data_only=True)
        self.data = data
        self.reads = reads  # does the reader read the rows of the sheet with this title?
        self.strings_part: str | None = None
        self.strings_plain = True
        self.strings_loaded = False
        self._calamine: Any = None
        self._parts: dict[str, str] | None = None
        self.read()
        self.worksheets: list[_Worksheet] = self.wb.worksheets

    # ExcelReader.read() calls these in openpyxl's order.
    def read_strings(self) -> None:
        found = self.package.find(SHARED_STRINGS)
        if found is None:
            return
        self.strings_part = found.PartName[1:]
        xml = self.archive.read(self.strings_part)
        check_xml(xml)  # what read_string_table's parse would have refused, refused now
        self.strings_plain = plain_strings(xml)

    def read_worksheets(self) -> None:
        """ExcelReader.read_worksheets for read_only, with the sheets the reader reads left unsized."""
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files:
                continue
            if "chartsheet" in rel.Type:
                self.read_chartsheet(sheet, rel)
                continue
            rels_path = get_rels_path(rel.target)
            if rels_path in self.valid_files:
                get_dependents(self.archive, rels_path)
            sized = not self.reads(sheet.name)
            worksheet = _Worksheet(self.wb, sheet.name, rel.target, self.shared_strings, sized=sized)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)

    def close(self) -> None:
        if self._calamine:
            self._calamine.close()
        self.archive.close()

    def load_strings(self) -> None:
        """The shared strings openpyxl's reader would have read up front, for a sheet openpyxl reads."""
        if self.strings_part and not self.strings_loaded:
            with self.archive.open(self.strings_part) as source:
                self.shared_strings.extend(read_string_table(source))  # the list every worksheet holds
        self.strings_loaded = True

    def rows(self, worksheet: _Worksheet) -> list[tuple[object, ...]] | None:
        """The sheet's rows from Excel row 1 on (each as wide as the sheet's widest), or None: openpyxl reads it.
        Malformed XML and entity declarations are refused here as openpyxl's parse would refuse them."""
        if not self.strings_plain:
            return None
        path = worksheet._worksheet_path
        xml = self.archive.read(path)
        date_styles = self._date_styles()
        if date_styles is None or not plain_sheet(xml, date_styles):
            return None
        check_xml(xml)
        book = self._calamine_book()
        if book is None or self._calamine_parts().get(worksheet.title) != path.lower():
            return None
        try:
            grid = book.get_sheet_by_name(worksheet.title).to_python(skip_empty_area=False)
            return [openpyxl_values(row) for row in grid]
        except BaseException as exc:
            if not _calamine_failure(exc):
                raise
            return None

    def _date_styles(self) -> frozenset[int] | None:
        """Style ids openpyxl reads numbers in as dates, times or durations; None if the default style is one."""
        styles = frozenset(self.wb._date_formats) | frozenset(self.wb._timedelta_formats)
        return None if 0 in styles else styles  # a cell without `s` is a date for openpyxl, never for calamine

    def _calamine_book(self) -> Any:
        if self._calamine is None:
            try:
                self._calamine = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(self.data))
            except BaseException as exc:
                if not _calamine_failure(exc):
                    raise
                self._calamine = False
        return self._calamine or None

    def _calamine_parts(self) -> dict[str, str]:
        """Sheet title → the zip entry (lower-cased) calamine reads for it, for the titles for which that is
        certainly the entry openpyxl reads. calamine finds parts by case-insensitive name under the folder of
        the officeDocument relationship's target, takes a sheet's relationship by any attribute named id
        and the last relationship with an Id, and sharedStrings.xml by name."""
        if self._parts is None:
            try:
                self._parts = self._resolve_parts()
            except Exception:
                self._parts = {}
        return self._parts

    def _resolve_parts(self) -> dict[str, str]:
        names = [name.replace("\\", "/").lower() for name in self.valid_files]
        if len(set(names)) != len(names):
            return {}
        if _find_workbook_part(self.package).PartName != "/xl/workbook.xml":
            return {}
        documents = [
            element.get("Target", "")
            for element in DefusedElementTree.fromstring(self.archive.read("_rels/.rels")).iter()
            if _local(element.tag) == "Relationship"
            and element.get("Type", "").endswith("/relationships/officeDocument")
        ]
        if not documents or documents[-1].removeprefix("/").rpartition("/")[0] != "xl":
            return {}
        strings = self.strings_part.lower() if self.strings_part else None
        if strings != "xl/sharedstrings.xml" and (strings is not None or "xl/sharedstrings.xml" in names):
            return {}
        if "xl/styles.xml" in names and "xl/styles.xml" not in self.valid_files:
            return {}
        targets: dict[str, list[str]] = {}
        rels = DefusedElementTree.fromstring(self.archive.read("xl/_rels/workbook.xml.rels"))
        for element in rels.iter():
            if _local(element.tag) == "Relationship" and element.get("Id") is not None:
                targets.setdefault(element.get("Id"), []).append(element.get("Target", ""))
        titles: dict[str, list[str]] = {}
        for element in DefusedElementTree.fromstring(self.archive.read("xl/workbook.xml")).iter():
            if _local(element.tag) != "sheet":
                continue
            ids = [value for key, value in element.attrib.items() if _local(key) == "id"]
            target = targets.get(ids[0], []) if len(ids) == 1 else []
            part = "" if len(target) != 1 else (target[0][1:] if target[0].startswith("/") else f"xl/{target[0]}")
            titles.setdefault(element.get("name", ""), []).append(part.lower())
        book = self._calamine_book()
        if book is None:
            return {}
        calamine_titles = list(book.sheet_names)
        return {
            title: parts[0]
            for title, parts in titles.items()
            if len(parts) == 1 and parts[0] and calamine_titles.count(title) == 1
        }


def _calamine_failure(exc: BaseException) -> bool:
    """An error of calamine's, or its panic: pyo3 raises a panic as PanicException, a BaseException (so that
    `except Exception` does not swallow it) with no importable home. Interrupts and exits go on."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"
