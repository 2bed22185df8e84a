"""A statistics table's contents as plain values: cells, column headers, a pasted grid. Pure: no ORM.

A cell keeps the text the agency wrote; when that text (or a numeric spreadsheet cell) is a number
in Indonesian notation it also gets the number. "7.33" is no Indonesian number, so it stays text:
the table prints it as written and nothing computes with it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from lkjip.numbers import NotationError, decimal_from_cell, format_id

MAX_COLUMNS = 20
MAX_ROWS = 300
MAX_CELL_CHARS = 500
GROUP_SEPARATOR = " / "
NUMBER_LIMIT = Decimal(10) ** 20


@dataclass(frozen=True)
class Cell:
    text: str
    number: Decimal | None


def parse_cell(value: object) -> Cell | None:
    """None for a blank cell; a too long text is the caller's to refuse (len(text))."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        try:
            number = decimal_from_cell(value)
        except NotationError:
            return Cell(str(value), None)
        return Cell(format_id(number), _bounded(number))
    text = " ".join(str(value).split())
    try:
        number = decimal_from_cell(text)
    except NotationError:
        return Cell(text, None)
    return Cell(text, _bounded(number))


def _bounded(number: Decimal) -> Decimal | None:
    # What does not fit the column (more than 20 integer digits or 4 decimals) is kept as text only.
    if abs(number) >= NUMBER_LIMIT or number != number.quantize(Decimal("0.0001")):
        return None
    return number


def parse_header(text: str) -> tuple[str, str]:
    """'Semester I / Laki-laki' → ('Semester I', 'Laki-laki'); without ' / ' no group."""
    cleaned = " ".join(text.split())
    if GROUP_SEPARATOR in cleaned:
        group, label = cleaned.split(GROUP_SEPARATOR, 1)
        return group.strip(), label.strip()
    return "", cleaned


def header_text(group: str, label: str) -> str:
    return f"{group}{GROUP_SEPARATOR}{label}" if group else label


def content_sha256(columns: list[tuple[str, str]], rows: list[list[Cell | None]]) -> str:
    data = {
        "columns": [list(c) for c in columns],
        "rows": [[None if c is None else [c.text, None if c.number is None else str(c.number)] for c in row]
                 for row in rows],
    }
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


@dataclass
class Grid:
    columns: list[tuple[str, str]]
    rows: list[list[Cell | None]]
    problems: list[str]


def grid_from_values(header: list[object], rows: list[list[object]]) -> Grid:
    """Headers and raw rows (cells as typed or read from a sheet) → columns and cells, with every
    problem in Indonesian naming its row and column (1-based, as the user counts them)."""
    problems: list[str] = []
    columns = [parse_header(str(h or "")) for h in header]
    while columns and not columns[-1][1]:
        columns.pop()
    if not columns:
        problems.append("tabel belum punya kolom: baris pertama berisi judul kolom")
    if len(columns) > MAX_COLUMNS:
        problems.append(f"paling banyak {MAX_COLUMNS} kolom (ada {len(columns)})")
    for index, (_group, label) in enumerate(columns, start=1):
        if not label:
            problems.append(f"judul kolom {index} kosong")
        elif len(label) > 200:
            problems.append(f"judul kolom {index} paling panjang 200 karakter")
    cells: list[list[Cell | None]] = []
    for number, raw in enumerate(rows, start=1):
        row = [parse_cell(value) for value in raw]
        while row and row[-1] is None:
            row.pop()
        if not row:
            continue  # a blank row is not a row of the table
        if len(row) > len(columns):
            problems.append(f"baris {number}: {len(row)} isian, tabel hanya punya {len(columns)} kolom")
        for column, cell in enumerate(row, start=1):
            if cell is not None and len(cell.text) > MAX_CELL_CHARS:
                problems.append(f"baris {number}, kolom {column}: isi paling panjang {MAX_CELL_CHARS} karakter")
        cells.append(row)
    if len(cells) > MAX_ROWS:
        problems.append(f"paling banyak {MAX_ROWS} baris isi (ada {len(cells)})")
    return Grid(columns, cells, problems)


def grid_from_paste(text: str) -> Grid:
    """Text pasted from a spreadsheet (tab between cells) or typed with '|' between cells; the first
    line holds the column headers."""
    lines = [line for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return Grid([], [], ["isi tabel kosong: baris pertama berisi judul kolom, baris berikutnya isinya"])
    separator = "\t" if any("\t" in line for line in lines) else "|"
    split = [line.split(separator) for line in lines]
    return grid_from_values(split[0], split[1:])


def grid_to_paste(columns: list[tuple[str, str]], rows: list[list[Cell | None]]) -> str:
    """The form's text for a stored table (tab-separated, as a spreadsheet copies it)."""
    lines = ["\t".join(header_text(g, label) for g, label in columns)]
    lines += ["\t".join("" if cell is None else cell.text for cell in row) for row in rows]
    return "\n".join(lines)
