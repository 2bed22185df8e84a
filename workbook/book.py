"""An uploaded workbook opened the way the reader has always opened it, with the cells read by calamine.

openpyxl (read_only, data_only) still reads everything around the cells, with its own code and
defusedxml: [Content_Types].xml, the workbook and its relationships, the properties, the styles and
the list of worksheets (including the start of every sheet whose rows are not read). What the
reader used to pay for is the cells, parsed element by element in Python: python-calamine parses
a sheet in Rust about ten times as fast.

calamine does not read every file the way openpyxl does, though. It trims the text of a <t>
without xml:space="preserve", decodes _x000D_ escapes, returns an integer 2025 as the float
2025.0, an error cell (#N/A) as an empty one, recognises dates by its own rules, puts a cell where
its r says (openpyxl: in its <row>), keeps cells right of a row's last one (openpyxl drops them),
takes the last of a cell's <f>, <v> and <is>, joins a shared string's texts in document order,
finds parts by case-insensitive name, and does not check that end tags match. So a sheet is given
to calamine only when byte-level checks of its XML (regular expressions with possessive
quantifiers, in C) show that none of that can matter: <sheetData> and <sst> as Excel, LibreOffice
and openpyxl write them, number texts that say whether they are integers, no date-formatted,
boolean or error cells. Every other sheet is read by openpyxl exactly as before. Before calamine
sees a part, expat parses it with defusedxml's handlers, so a malformed part or one declaring
entities is refused exactly as openpyxl refused it. calamine's values are then turned into
openpyxl's (2025.0 → 2025, "" → None, each row as wide as its last cell), and anything unexpected,
or any error or panic inside calamine, sends the sheet back to openpyxl.

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

# Text calamine reads differently: leading or trailing whitespace (also as a character reference) of a <t> without
# xml:space="preserve" is trimmed, and _xHHHH_ escapes are decoded; openpyxl keeps both (and drops
# "x005F_" from shared strings). CDATA is left to openpyxl too. (Separate patterns, each starting with
# a literal, are several times faster than one alternation.)
TEXT_PATTERNS = (
    re.compile(rb'<t(?:[\t\n\r]| (?!xml:space="preserve">)|>(?:[ \t\r\n]|&#|[^<]*(?:[ \t\r\n]|&#\w{1,8};)</t>))'),
    re.compile(rb"_x[0-9A-Fa-f]{4}_"),
)
TEXT_MARKS = (b"x005F_", b"<![CDATA[")
FORMATTING = (b"<rPr", b"<rPh", b"<phoneticPr")


def _plain_text(xml: bytes) -> bool:
    return not any(mark in xml for mark in TEXT_MARKS) and not any(p.search(xml) for p in TEXT_PATTERNS)


def _plain_namespaces(xml: bytes) -> bool:
    declared = NAMESPACE_DECLARATION.findall(xml)
    return declared.count((b"", MAIN_NS)) == 1 and all(
        prefix and uri != MAIN_NS for prefix, uri in declared if (prefix, uri) != (b"", MAIN_NS)
    )


def _strings_grammar() -> re.Pattern[bytes]:
    """<sst> as Excel writes it: each <si> one plain <t>, or rich-text runs of one <t> each, or nothing, then
    phonetic runs and properties (skipped by both). openpyxl puts a <si>'s plain text before its runs and
    keeps the last of two <t>; calamine joins them in document order."""
    text = rb'(?:<t(?: xml:space="preserve")?>[^<]*+</t>|<t/>)'
    properties = rb"(?:<rPr>(?:[^<]++|<(?!/?(?:rPr|r|t|si|rPh)[\s/>]))*+</rPr>)?"
    runs = rb"(?:\s*+<r>\s*+" + properties + rb"\s*+" + text + rb"\s*+</r>)++"
    phonetic = rb"(?:\s*+(?:<rPh\b[^>]*+>\s*+" + text + rb"\s*+</rPh>|<phoneticPr\b[^>]*+(?<=/)>))*+"
    item = rb"(?:<si/>|<si>(?:\s*+" + text + rb"|" + runs + rb")?" + phonetic + rb"\s*+</si>)"
    return re.compile(
        rb"<sst\b[^>]*+(?:(?<=/)>|>(?:\s*+" + item + rb")*+\s*+(?:<extLst>.*?</extLst>\s*+)?</sst>)", re.S
    )


STRINGS = _strings_grammar()


def plain_strings(xml: bytes) -> bool:
    """A sharedStrings part that calamine reads as openpyxl does, and whose declared `uniqueCount` (calamine
    reserves memory for that many strings up front) is no more than the strings it holds."""
    if not _plain_namespaces(xml) or not _plain_text(xml):
        return False
    start = re.search(rb"<sst\b[^>]*>", xml)
    if start is None:
        return False
    body = STRINGS.match(xml, start.start())
    closing = xml.rfind(b"</sst>")
    if body is None or (closing != -1 and closing + len(b"</sst>") != body.end()):
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


@lru_cache(maxsize=32)
def _sheet_data(max_columns: int, date_styles: frozenset[int]) -> re.Pattern[bytes]:
    """<sheetData> as Excel, LibreOffice and openpyxl write it, and nothing else: only <row> elements,
    numbered 1..9999999, holding only <c> elements numbered in that same row (r first; openpyxl
    puts a cell in its <row> whatever its r says, calamine where its r says), within the column limit, with
    no attribute but s and t, no date-formatted style (openpyxl turns those numbers into datetimes by rules
    of its own), and a type calamine and openpyxl read alike: number, shared string, formula string, inline
    string (booleans, errors, ISO dates and unknown types are left to openpyxl). Possessive quantifiers:
    one pass, no backtracking (0.17 s for an 18 MB sheet)."""
    style = rb'(?: s="\d{1,9}")?'
    if date_styles:
        dates = "|".join(str(style_id) for style_id in sorted(date_styles)).encode()
        style = rb'(?: s="(?!(?:' + dates + rb')")\d{1,9}")?'
    # The content calamine and openpyxl read alike: a formula first (calamine takes the last of <f>, <v> and
    # <is> as the value, openpyxl the <v> or the <is>), then one value: an <is> only in an inline string
    # (calamine reads one in a cell of any type), a shared string's index in digits (calamine reads
    # "0.5" as string 0, openpyxl refuses it).
    formula = rb"(?:<f\b[^>]*+(?:(?<=/)>|>[^<]*+</f>)\s*+)?"
    text = rb'(?:<t(?: xml:space="preserve")?>[^<]*+</t>|<t/>)'
    # Inline text and runs without properties: openpyxl validates run and phonetic properties, calamine not.
    inline = (
        rb"\s*+" + formula + rb"(?:<is>\s*+(?:" + text + rb"|(?:<r>\s*+" + text + rb"\s*+</r>\s*+)++)?\s*+</is>\s*+)?"
    )
    shared = rb"\s*+" + formula + rb"(?:<v>\d{1,10}</v>\s*+)?"
    other = rb"\s*+" + formula + rb"(?:<v>[^<]*+</v>\s*+)?"

    def typed(kind: bytes) -> bytes:  # s and t in either order (Excel writes s first, Numbers t)
        return rb"(?:" + style + kind + rb"|" + kind + style + rb")"

    cell = (
        rb'<c r="(?:' + _column_letters(max_columns) + rb')\1"(?:'
        + typed(rb' t="inlineStr"') + rb"\s*+(?:/>|>" + inline + rb"</c>)"
        + rb"|" + typed(rb' t="s"') + rb"\s*+(?:/>|>" + shared + rb"</c>)"
        + rb"|" + typed(rb'(?: t="(?:n|str)")?') + rb"\s*+(?:/>|>" + other + rb"</c>))"
    )
    # LibreOffice writes r as the last attribute of a <row>; every attribute value in double quotes, so that
    # r=" cannot hide inside another attribute.
    other_attribute = rb'\s++(?!r=)[\w:.-]++="[^"<]*+"'
    row = (
        rb"<row(?:" + other_attribute + rb')*+\s++r="([1-9]\d{0,6})"(?:' + other_attribute + rb")*+\s*+"
        + rb"(?:/>|>(?:\s*+" + cell + rb")*+\s*+</row>)"
    )
    return re.compile(rb"<sheetData\s*+(?:/>|>(?:\s*+" + row + rb")*+\s*+</sheetData>)")


SHEET_PATTERNS = (
    # A <v> with attributes, or whose number does not tell int from float the way openpyxl's
    # `"." in text or "e" in text` does once calamine made it a float (2025.0, 1E+15, 16 digits or
    # more, " 5", "+5"), or that holds other text.
    re.compile(rb"<v(?:[ \t\n\r]|>(?!(?:-?\d{1,15}(?:\.\d*[1-9]\d*)?)?</v>))"),
    re.compile(rb"<is[ \t\n\r/]"),  # an <is> with attributes, or empty
)
ROW_NUMBER = re.compile(rb'<row\b[^>]*?\sr="(\d+)"')
ROW_START = re.compile(rb"<(?:[\w.-]+:)?row[\s/>]")


def sheet_layout(xml: bytes, date_styles: frozenset[int]) -> dict[int, int] | None:
    """For a worksheet calamine reads cell for cell as openpyxl does, within bounds: Excel row number → how
    many values openpyxl gives for that row (up to its last cell, which need not be its rightmost: openpyxl
    drops the cells right of the last one, calamine does not). None for any other sheet.

    Plain: <sheetData> as _sheet_data describes it, rows in increasing order within the row limit, number
    texts that keep int and float apart, inline strings that need no trimming or unescaping. The dense grid
    calamine builds (at most last row × column limit) must be at most 16 times the values openpyxl would give
    plus a million: a file with a cell in A1 and one in BH250001 is read by openpyxl, which stores only the
    cells present.
    """
    start = xml.find(b"<sheetData")
    if start == -1 or not _plain_namespaces(xml):
        return None
    data = _sheet_data(schema.MAX_COLUMNS, date_styles).match(xml, start)
    closing = xml.rfind(b"</sheetData>")
    if data is None or (closing != -1 and closing + len(b"</sheetData>") != data.end()):
        return None  # not plain, or a second <sheetData> (calamine reads the first)
    if ROW_START.search(xml, 0, start) or ROW_START.search(xml, data.end()):
        return None  # openpyxl reads rows wherever they are
    if not _plain_text(xml) or any(pattern.search(xml) for pattern in SHEET_PATTERNS):
        return None
    rows = [int(number) for number in ROW_NUMBER.findall(xml, start, data.end())]
    if any(later <= earlier for earlier, later in zip(rows, rows[1:], strict=False)):
        return None  # openpyxl skips a row numbered below the one before it; calamine would not
    last = rows[-1] if rows else 0
    if last > schema.MAX_ROWS_PER_SHEET + 1:
        return None  # openpyxl refuses the sheet with its row limit
    widths: dict[int, int] = {}
    columns = _column_numbers(schema.MAX_COLUMNS)
    for chunk in xml[start:data.end()].split(b"</row>")[:-1]:
        cell = chunk.rfind(b'<c r="')
        if cell == -1 or cell < chunk.rfind(b"<row "):
            continue  # a row without cells
        reference = chunk[cell + 6:chunk.index(b'"', cell + 6)]
        letters = reference.rstrip(b"0123456789")
        widths[int(reference[len(letters):])] = columns[letters]
    if last * schema.MAX_COLUMNS > 16 * sum(widths.values()) + 1_000_000:
        return None
    return widths


@lru_cache(maxsize=8)
def _column_numbers(limit: int) -> dict[bytes, int]:
    return {get_column_letter(index).encode(): index for index in range(1, limit + 1)}


def openpyxl_values(row: Iterable[Any]) -> tuple[object, ...]:
    """calamine's values as openpyxl gives them: an integer's text became a float (sheet_layout made sure the
    text of every integral float was an integer), and an empty cell is "" rather than None. Any other type
    (a date, a bool) means calamine read something sheet_layout did not foresee."""
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


def _as_wide(values: tuple[object, ...], width: int) -> tuple[object, ...]:
    """A row as wide as openpyxl makes it: to its last cell, even an empty one calamine's grid ends before."""
    return values if len(values) == width else values + (None,) * (width - len(values))


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
        if any(mark in xml for mark in FORMATTING):
            # openpyxl validates the properties of rich-text and phonetic runs (a colour "zz" makes the file
            # unreadable); calamine ignores them. Such tables are read by openpyxl as before.
            self.shared_strings.extend(read_string_table(io.BytesIO(xml)))
            self.strings_loaded = True
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
        """The sheet's rows from Excel row 1 on, each as wide as openpyxl makes it, or None: openpyxl reads it.
        Malformed XML and entity declarations are refused here as openpyxl's parse would refuse them."""
        if not self.strings_plain:
            return None
        path = worksheet._worksheet_path
        xml = self.archive.read(path)
        date_styles = self._date_styles()
        widths = None if date_styles is None else sheet_layout(xml, date_styles)
        if widths is None:
            return None
        check_xml(xml)
        book = self._calamine_book()
        if book is None or self._calamine_parts().get(worksheet.title) != path.lower():
            return None
        try:
            grid = book.get_sheet_by_name(worksheet.title).to_python(skip_empty_area=False)
            return [_as_wide(openpyxl_values(row[:widths.get(number, 0)]), widths.get(number, 0))
                    for number, row in enumerate(grid, start=1)]
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
