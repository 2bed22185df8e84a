"""Every write of statistics tables: save one (its header, columns and cells), move it up or down
among the year's tables, delete it, and replace a year's tables from a workbook.

As in the other apps: keyword-only, one transaction under the agency's write lock, an audit entry
per changed record (the table, each column, each cell) in the same transaction. A refusal is a
performance.rules.RuleViolation whose messages are Indonesian and meant for the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format

from agencies.locks import agency_lock
from agencies.models import Agency
from audit import services as audit
from audit.services import AuditContext, UpsertResult, last_entries
from performance.models import Indicator
from performance.rules import RuleViolation, Violation

from .grid import MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS, Cell, content_sha256
from .models import SECTIONS, StatisticsCell, StatisticsColumn, StatisticsTable

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
CODE_HINT = "kode pendek dari huruf, angka, titik, garis bawah atau tanda hubung, mis. 3.5 atau pelatihan"
TABLE_FIELDS = ["title", "section", "indicator_id", "source", "note", "order", "content_sha256"]


@dataclass
class TableInput:
    code: str
    title: str
    section: str
    columns: list[tuple[str, str]]  # (group, label) in order
    rows: list[list[Cell | None]]
    indicator_id: int | None = None
    source: str = ""
    note: str = ""
    order: int | None = None  # None: keep (an existing table) or last (a new one)
    extra: dict = field(default_factory=dict)


def indicators_of(*, agency: Agency, year: int) -> dict[str, Indicator]:
    """The indicators of the Renstra covering the year, by code: those a table may sit beside."""
    return {
        i.code: i
        for i in Indicator.objects.filter(plan__agency=agency, plan__start_year__lte=year, plan__end_year__gte=year)
    }


def table_violations(*, agency: Agency, year: int, data: TableInput) -> list[Violation]:
    """Keyed by the table's code; `field` names the input (code, title, section, indicator, isi)."""
    key = data.code
    found = []
    if not CODE_RE.match(data.code or ""):
        found.append(Violation(key, "code", data.code, CODE_HINT))
    if not data.title.strip():
        found.append(Violation(key, "title", "", "judul tabel wajib diisi"))
    elif len(data.title) > 300:
        found.append(Violation(key, "title", data.title[:40], "judul paling panjang 300 karakter"))
    if data.section not in dict(SECTIONS):
        found.append(Violation(key, "section", data.section, "bagian laporan yang dikenal"))
    if len(data.source) > 300:
        found.append(Violation(key, "source", data.source[:40], "sumber paling panjang 300 karakter"))
    if data.indicator_id is not None and data.indicator_id not in {
        i.pk for i in indicators_of(agency=agency, year=year).values()
    }:
        found.append(Violation(key, "indicator", str(data.indicator_id),
                               f"indikator Renstra perangkat daerah ini yang berlaku tahun {year}"))
    if not data.columns:
        found.append(Violation(key, "isi", "", "tabel belum punya kolom"))
    if len(data.columns) > MAX_COLUMNS:
        found.append(Violation(key, "isi", str(len(data.columns)), f"paling banyak {MAX_COLUMNS} kolom"))
    if any(not label for _, label in data.columns):
        found.append(Violation(key, "isi", "", "setiap kolom punya judul"))
    if len(data.rows) > MAX_ROWS:
        found.append(Violation(key, "isi", str(len(data.rows)), f"paling banyak {MAX_ROWS} baris isi"))
    for number, row in enumerate(data.rows, start=1):
        if len(row) > len(data.columns):
            found.append(Violation(key, "isi", str(len(row)),
                                   f"baris {number} berisi {len(row)} isian, tabel hanya punya {len(data.columns)} kolom"))
        for cell in row:
            if cell is not None and len(cell.text) > MAX_CELL_CHARS:
                found.append(Violation(key, "isi", cell.text[:40],
                                       f"baris {number}: isi sel paling panjang {MAX_CELL_CHARS} karakter"))
    return found


def _write_contents(*, table: StatisticsTable, data: TableInput, ctx: AuditContext) -> None:
    columns = {c.position: c for c in StatisticsColumn.objects.filter(table=table)}
    wanted_columns = {
        position: {"table_id": table.pk, "position": position, "group": group, "label": label}
        for position, (group, label) in enumerate(data.columns)
    }
    audit.upsert(model=StatisticsColumn, existing=columns, wanted=wanted_columns, fields=["group", "label"], ctx=ctx)
    audit.objects_delete(objects=[c for p, c in columns.items() if p not in wanted_columns], ctx=ctx)
    cells = {(c.row, c.column): c for c in StatisticsCell.objects.filter(table=table)}
    wanted_cells = {
        (r, c): {"table_id": table.pk, "row": r, "column": c, "text": cell.text, "number": cell.number}
        for r, row in enumerate(data.rows)
        for c, cell in enumerate(row)
        if cell is not None
    }
    audit.upsert(model=StatisticsCell, existing=cells, wanted=wanted_cells, fields=["text", "number"], ctx=ctx)
    audit.objects_delete(objects=[c for k, c in cells.items() if k not in wanted_cells], ctx=ctx)


def _conflict(table: StatisticsTable) -> Violation:
    entry = last_entries(StatisticsTable, [table.pk]).get(table.pk)
    who = f"{entry.user_label} pada {date_format(timezone.localtime(entry.at), 'j F Y H:i')}" if entry else "pengguna lain"
    return Violation(table.code, "conflict", "", (
        f"sementara Anda mengisi, tabel “{table.title}” diubah oleh {who}. Periksa isinya; simpan lagi untuk "
        "menggantinya dengan isian Anda"))


def _save(*, agency: Agency, year: int, table: StatisticsTable | None, data: TableInput,
          ctx: AuditContext) -> tuple[StatisticsTable, UpsertResult]:
    existing = {table.code: table} if table is not None else {}
    if table is not None and data.code != table.code:
        # A new code for this table: the key the upsert uses follows it.
        existing = {data.code: table}
    order = data.order
    if order is None:
        order = table.order if table is not None else (
            (StatisticsTable.objects.filter(agency=agency, year=year).aggregate(m=Max("order"))["m"] or 0) + 1
        )
    wanted = {data.code: {
        "agency_id": agency.pk, "year": year, "code": data.code, "title": data.title.strip(), "section": data.section,
        "indicator_id": data.indicator_id, "source": data.source.strip(), "note": data.note.strip(), "order": order,
        "content_sha256": content_sha256(data.columns, data.rows),
    }}
    fields = TABLE_FIELDS + (["code"] if table is not None and data.code != table.code else [])
    result = audit.upsert(model=StatisticsTable, existing=existing, wanted=wanted, fields=fields, ctx=ctx)
    saved = result.objects[data.code]
    _write_contents(table=saved, data=data, ctx=ctx)
    return saved, result


# A savepoint: callers catch the RuleViolation and carry on in their own transaction.
@transaction.atomic
def statistics_table_save(*, agency: Agency, year: int, data: TableInput, ctx: AuditContext,
                          table: StatisticsTable | None = None, revision: int | None = None) -> StatisticsTable:
    """Create (table None) or change one table: header, columns and cells as given. RuleViolation
    keyed by the code for a bad input, a code another table of the year has, or (revision given)
    a save over someone else's newer change."""
    agency_lock(agency.code)
    if table is not None:
        table = StatisticsTable.objects.filter(pk=table.pk, agency=agency, year=year).first()
        if table is None:
            raise RuleViolation([Violation(data.code, "table", "", "tabel ini sudah tidak ada")])
    violations = table_violations(agency=agency, year=year, data=data)
    twin = StatisticsTable.objects.filter(agency=agency, year=year, code=data.code).exclude(
        pk=table.pk if table is not None else None).first()
    if twin is not None:
        violations.append(Violation(data.code, "code", data.code,
                                    f"kode ini sudah dipakai tabel “{twin.title}” tahun {year}; pilih kode lain"))
    if table is not None and revision is not None and revision != table.revision:
        violations.append(_conflict(table))
    if violations:
        raise RuleViolation(violations)
    return _save(agency=agency, year=year, table=table, data=data, ctx=ctx)[0]


@transaction.atomic
def statistics_table_delete(*, table: StatisticsTable, ctx: AuditContext) -> None:
    """The table with its columns and cells, each with an entry."""
    agency_lock(table.agency.code)
    audit.objects_delete(objects=[table], ctx=ctx)


@transaction.atomic
def statistics_table_move(*, table: StatisticsTable, step: int, ctx: AuditContext) -> bool:
    """One place up (step -1) or down (+1) among the year's tables; False at the top or bottom.
    The year's order is renumbered 1…n, so equal or missing orders cannot make a move a no-op."""
    agency_lock(table.agency.code)
    tables = list(StatisticsTable.objects.filter(agency_id=table.agency_id, year=table.year).order_by("order", "pk"))
    index = next(i for i, t in enumerate(tables) if t.pk == table.pk)
    target = index + step
    if step not in (-1, 1) or not 0 <= target < len(tables):
        return False
    tables[index], tables[target] = tables[target], tables[index]
    existing = {t.pk: t for t in tables}
    wanted = {t.pk: {"order": position} for position, t in enumerate(tables, start=1)}
    audit.upsert(model=StatisticsTable, existing=existing, wanted=wanted, fields=["order"], ctx=ctx)
    return True


@transaction.atomic(savepoint=False)
def statistics_tables_replace(*, agency: Agency, year: int, tables: list[TableInput],
                              ctx: AuditContext) -> UpsertResult[StatisticsTable]:
    """The year's tables become exactly `tables`, in that order (the workbook's sheet Statistik):
    matched by code, changed in place, the others deleted. RuleViolation keyed by code."""
    agency_lock(agency.code)
    violations = [v for data in tables for v in table_violations(agency=agency, year=year, data=data)]
    if violations:
        raise RuleViolation(violations)
    existing = {t.code: t for t in StatisticsTable.objects.filter(agency=agency, year=year)}
    total = UpsertResult(objects={})
    for position, data in enumerate(tables, start=1):
        data.order = position
        saved, result = _save(agency=agency, year=year, table=existing.get(data.code), data=data, ctx=ctx)
        total.objects[data.code] = saved
        total.created += result.created
        total.updated += result.updated
        total.unchanged += result.unchanged
    wanted = {data.code for data in tables}
    total.deleted = audit.objects_delete(objects=[t for code, t in existing.items() if code not in wanted], ctx=ctx)
    return total


def table_contents(table: StatisticsTable) -> tuple[list[tuple[str, str]], list[list[Cell | None]]]:
    """The stored columns and the rows of cells (None for a blank cell), as TableInput holds them."""
    columns = [(c.group, c.label) for c in table.columns.all()]
    by_place = {(c.row, c.column): Cell(c.text, c.number) for c in table.cells.all()}
    height = max((r for r, _ in by_place), default=-1) + 1
    width = len(columns)
    rows = []
    for r in range(height):
        row = [by_place.get((r, c)) for c in range(max(width, max((c for rr, c in by_place if rr == r), default=-1) + 1))]
        while row and row[-1] is None:
            row.pop()
        rows.append(row)
    return columns, rows
