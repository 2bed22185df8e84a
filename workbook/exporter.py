"""Write one agency's year back out as the standard workbook.

Numbers are written as numeric cells (Decimal → float is exact for the ≤ 15 significant
digits these values have; the importer reads them back through repr()). Text is written
through lkjip.spreadsheets, so a name like =HYPERLINK(...) stays text in the file and comes
back as the same text. Export followed by import gives the same records.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

from django.db.models import Q
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from agencies.models import Agency, AgencyYear, StaffCount
from budget.models import BudgetItem, BudgetLine, SpendingByType
from lkjip.numbers import format_id
from lkjip.spreadsheets import append_row
from performance import services as performance_services
from performance.measurement import plan_for
from performance.models import (
    AgreementProgram,
    Benchmark,
    Indicator,
    Narrative,
    PerformanceAgreement,
    PlanNode,
    RatingScale,
    Realization,
    Recommendation,
    StrategicPlan,
    Target,
)

from . import schema


class ExportError(Exception):
    pass


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        normal = value.normalize()
        if normal == normal.to_integral_value():
            return int(normal)
        if len(normal.as_tuple().digits) > 15:
            # Beyond what a spreadsheet double holds exactly: Indonesian-notation text instead.
            return format_id(normal)
        return float(normal)
    if value == "":
        return None
    return value


def workbook_export(*, agency: Agency, year: int) -> bytes:
    plan = plan_for(agency, year)
    if plan is None:
        raise ExportError(f"Tidak ada Renstra {agency.code} yang mencakup tahun {year}.")
    agency_year = AgencyYear.objects.filter(agency=agency, year=year).first() or AgencyYear(agency=agency, year=year)
    government = agency.government
    sheets: dict[str, list[list[Any]]] = {}

    sheets["Instansi"] = [
        ["kunci", "nilai"],
        *[
            [key, value]
            for key, value in [
                ("kode_instansi", agency.code),
                ("nama_instansi", agency.name),
                ("singkatan", agency.short_name),
                ("pemda", government.name),
                ("jenis_pemda", government.kind),
                ("provinsi", government.province),
                ("alamat", agency.address),
                ("telepon", agency.phone),
                ("email", agency.email),
                ("situs", agency.website),
                ("tahun_laporan", year),
                ("periode_renstra", f"{plan.start_year}-{plan.end_year}"),
                ("visi", plan.vision),
                ("kepala_daerah_jabatan", government.head_title),
                ("kepala_daerah_nama", government.head_name),
                ("kepala_jabatan", agency_year.head_title),
                ("kepala_nama", agency_year.head_name),
                ("kepala_pangkat", agency_year.head_rank),
                ("kepala_nip", agency_year.head_nip),
                ("tempat_ttd", agency_year.signature_place),
                ("tanggal_ttd", agency_year.signature_date.isoformat() if agency_year.signature_date else ""),
            ]
            if value not in ("", None)
        ],
    ]

    nodes = list(PlanNode.objects.filter(plan=plan).select_related("parent").order_by("order", "pk"))
    sheets["Renstra"] = [
        ["kode", "jenis", "induk", "uraian"],
        *[[n.code, n.kind, n.parent.code if n.parent else "", n.text] for n in nodes],
    ]

    indicators = list(
        Indicator.objects.filter(plan=plan).select_related("owner_node", "owner_budget_item").order_by("order", "pk")
    )
    sheets["Indikator"] = [
        [c.name for c in schema.INDIKATOR.columns],
        *[
            [
                i.code,
                i.owner_node.code if i.owner_node else i.owner_budget_item.code,
                i.name,
                i.unit,
                i.polarity,
                i.aggregation,
                ", ".join(i.tags),
                i.definition,
                i.data_source,
                i.baseline_year,
                i.baseline,
                i.responsible,
            ]
            for i in indicators
        ],
    ]

    # The PK versions the workbook names: each year's murni as `pk`, its latest amendment as
    # `pk_perubahan` (an earlier amendment is kept in the app, as its history).
    agreements = _exported_agreements(agency)
    targets = list(
        Target.objects.filter(indicator__plan=plan)
        .filter(Q(agreement__isnull=True) | Q(agreement__in=list(agreements)))
        .select_related("indicator")
        .order_by("indicator__order", "year", "document", "version")
    )
    sheets["Target"] = [
        [c.name for c in schema.TARGET.columns],
        *[
            [t.indicator.code, t.year, schema.DOCUMENT_NAME[t.key], t.value, t.q1, t.q2, t.q3, t.q4, t.end_value]
            for t in targets
        ],
    ]

    realizations = Realization.objects.filter(indicator__plan=plan).select_related("indicator").order_by(
        "indicator__order", "year", "quarter"
    )
    sheets["Realisasi"] = [
        [c.name for c in schema.REALISASI.columns],
        *[
            [r.indicator.code, r.year, r.quarter, r.value, r.status, r.numerator, r.denominator, r.note, r.source]
            for r in realizations
        ],
    ]

    sheets["Anggaran"] = [[c.name for c in schema.ANGGARAN.columns], *_budget_rows(agency, year, plan)]

    scale = RatingScale.objects.filter(agency=agency, valid_from__lte=year).order_by("-valid_from").first()
    if scale is not None:
        sheets["Skala"] = [
            [c.name for c in schema.SKALA.columns],
            *[
                [b.label, b.lower, "ya" if b.lower_inclusive else "tidak", b.upper,
                 "ya" if b.upper_inclusive else "tidak", b.order]
                for b in scale.bands.order_by("order")
            ],
        ]

    benchmarks = Benchmark.objects.filter(indicator__plan=plan).select_related("indicator").order_by(
        "indicator__order", "year", "scope"
    )
    if benchmarks:
        sheets["Pembanding"] = [
            [c.name for c in schema.PEMBANDING.columns],
            *[[b.indicator.code, b.year, b.scope, b.value, b.source, b.note] for b in benchmarks],
        ]

    narratives = Narrative.objects.filter(agency=agency, year=year, quarter__isnull=True).select_related("indicator").order_by(
        "indicator__order", "section"
    )
    if narratives:
        sheets["Narasi"] = [
            ["bagian", "kode_indikator", "teks"],
            *[[n.section, n.indicator.code if n.indicator else "", n.text] for n in narratives],
        ]

    staff = StaffCount.objects.filter(agency=agency, year=year).order_by("order", "pk")
    if staff:
        sheets["Pegawai"] = [
            ["dimensi", "kategori", "status", "jumlah"],
            *[[s.dimension, s.category, s.status, s.count] for s in staff],
        ]

    recommendations = Recommendation.objects.filter(agency=agency).order_by("year", "order")
    if recommendations:
        sheets["Rekomendasi"] = [
            ["tahun", "komponen", "rekomendasi", "tindak_lanjut", "status"],
            *[[r.year, r.component, r.text, r.follow_up, r.status] for r in recommendations],
        ]

    sheets.update(_agreement_sheets(agreements, targets))
    sheets.update(_section_sheets(agency, year))
    return _to_xlsx(sheets)


def _section_sheets(agency: Agency, year: int) -> dict[str, list[list[Any]]]:
    """Belanja (every year recorded, the kinds as stored: a group summed from its kinds is not
    written), Statistik and Statistik_Isi (the report year's tables, in order; a cell as its number
    when its text is that number as Indonesian notation prints it, else as its text)."""
    from sectorstats.grid import header_text
    from sectorstats.models import StatisticsTable
    from sectorstats.services import table_contents

    sheets: dict[str, list[list[Any]]] = {}
    spending = SpendingByType.objects.filter(agency=agency).order_by("year", "order")
    if spending:
        sheets["Belanja"] = [
            [c.name for c in schema.BELANJA.columns],
            *[[s.year, s.kind, s.ceiling_original, s.ceiling_amended, s.spent] for s in spending],
        ]
    tables = list(StatisticsTable.objects.filter(agency=agency, year=year).select_related("indicator")
                  .prefetch_related("columns", "cells").order_by("order", "pk"))
    if tables:
        width = schema.STATISTICS_COLUMNS
        header, content = [], []
        for table in tables:
            columns, rows = table_contents(table)
            labels = [header_text(group, label) for group, label in columns]
            header.append([table.code, table.title, table.section, table.indicator.code if table.indicator else "",
                           table.source, table.note, *labels, *[""] * (width - len(labels))])
            for cells in rows:
                values = [_statistics_cell(cell) for cell in cells]
                content.append([table.code, *values, *[""] * (width - len(values))])
        sheets["Statistik"] = [[c.name for c in schema.STATISTIK.columns], *header]
        sheets["Statistik_Isi"] = [[c.name for c in schema.STATISTIK_ISI.columns], *content]
    return sheets


def _statistics_cell(cell: Any) -> Any:
    if cell is None:
        return ""
    if cell.number is not None and cell.text == format_id(cell.number):
        return cell.number
    return cell.text


def _exported_agreements(agency: Agency) -> dict[int, PerformanceAgreement]:
    latest: dict[tuple[int, str], PerformanceAgreement] = {}
    for agreement in PerformanceAgreement.objects.filter(agency=agency).order_by("year", "number"):
        latest[(agreement.year, agreement.version)] = agreement  # the highest number wins
    return {a.pk: a for a in sorted(latest.values(), key=lambda a: (a.year, a.number))}


def _document(agreement: PerformanceAgreement) -> str:
    return "pk" if agreement.number == 0 else "pk_perubahan"


def _agreement_sheets(agreements: dict[int, PerformanceAgreement], targets: list[Target]) -> dict[str, list[list[Any]]]:
    """Sheets PK (the header of every version that has one), PK_Anggaran (the program budget) and
    PK_Alasan (the reasons of PK targets that differ from the Renstra). A version's status is not
    exported: approval happens only in the app."""
    sheets: dict[str, list[list[Any]]] = {}
    defaults = performance_services.agreement_header_values({})
    header_rows = []
    for agreement in agreements.values():
        values = {name: getattr(agreement, name) for name in defaults}
        if values == defaults:
            continue  # nothing recorded beyond the targets
        header_rows.append([
            _document(agreement), agreement.year,
            *[values[name].isoformat() if isinstance(values[name], datetime.date) else values[name]
              for _, name in schema.AGREEMENT_HEADER_COLUMNS],
        ])
    if header_rows:
        sheets["PK"] = [[c.name for c in schema.PK.columns], *header_rows]
    programs = (
        AgreementProgram.objects.filter(agreement_id__in=list(agreements))
        .select_related("item")
        .order_by("agreement__year", "agreement__number", "order", "pk")
    )
    if programs:
        sheets["PK_Anggaran"] = [
            [c.name for c in schema.PK_ANGGARAN.columns],
            *[[_document(agreements[p.agreement_id]), agreements[p.agreement_id].year, p.item.code, p.amount, p.reason]
              for p in programs],
        ]
    reasons = [t for t in targets if t.agreement_id and t.reason]
    if reasons:
        reasons.sort(key=lambda t: (t.year, agreements[t.agreement_id].number, t.indicator.order, t.indicator_id))
        sheets["PK_Alasan"] = [
            [c.name for c in schema.PK_ALASAN.columns],
            *[[_document(agreements[t.agreement_id]), t.year, t.indicator.code, t.reason] for t in reasons],
        ]
    return sheets


def _budget_rows(agency: Agency, report_year: int, plan: StrategicPlan) -> list[list[Any]]:
    """Every (item, year) that has money, with its parents for that year, in code order; then
    every item that has no money in any year (an indicator may hang on it), without money."""
    all_items = {item.pk: item for item in BudgetItem.objects.filter(agency=agency).select_related("objective")}
    lines = list(BudgetLine.objects.filter(item__agency=agency))
    by_key = {(all_items[line.item_id].code, line.year): line for line in lines}
    items = {}
    for line in lines:
        item = all_items[line.item_id]
        while item is not None:
            items[(item.code, line.year)] = item
            item = all_items.get(item.parent_id)
    # An item without money in any year still has to be exported, or the indicators it owns no
    # longer resolve on re-import. Its year is not stored: use the report year, unless an ancestor
    # carries money that year (a row with children carries none), then another year that works.
    with_money = {(line.item_id, line.year) for line in lines}
    emitted = {item.pk for item in items.values()}
    other_years = {line.year for line in lines} | set(range(plan.start_year, plan.end_year + 1))
    candidates = [report_year, *sorted(other_years - {report_year}, reverse=True)]
    for item in sorted(all_items.values(), key=lambda i: i.code):
        if item.pk in emitted:
            continue
        chain = [item]
        while chain[-1].parent_id is not None:
            chain.append(all_items[chain[-1].parent_id])
        for candidate in candidates:
            if not any((node.pk, candidate) in with_money for node in chain[1:]):
                for node in chain:
                    items[(node.code, candidate)] = node
                emitted.update(node.pk for node in chain)
                break
    rows = []
    for (code, year), item in sorted(items.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        line = by_key.get((code, year))
        money = (
            [line.ceiling_original, line.ceiling_amended, line.spent_q1, line.spent_q2, line.spent_q3, line.spent_q4]
            if line
            else [None] * 6
        )
        rows.append(
            [
                code,
                item.kind,
                item.name,
                item.objective.code if item.objective else "",
                year,
                line.funding_source if line else "",
                *money,
                line.responsible if line else "",
            ]
        )
    return rows


def _to_xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            append_row(sheet, [_cell(value) for value in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for index, header in enumerate(rows[0], start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(10, min(60, len(str(header)) + 4))
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
