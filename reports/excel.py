"""The BAB III tables of a document as an Excel workbook, from the document's own snapshot.

Rows go through lkjip.spreadsheets.append_row, never sheet.append: names, units and notes are
typed by users and must not turn into formulas in the file every evaluator opens.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from lkjip.numbers import as_decimal
from lkjip.spreadsheets import append_row, header_sheet

GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
PERCENT = '#,##0.00" %"'
VALUE = "#,##0.####"
MONEY = '"Rp "#,##0'


def _cell(value: Decimal | None) -> Any:
    # openpyxl writes Decimal as a number; a spreadsheet holds ~15 significant digits, which
    # is more than any figure of the report shows.
    return None if value is None else float(value)


def bab3_workbook(snapshot: dict[str, Any]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    year = snapshot["year"]

    measurement = header_sheet(
        book,
        "Pengukuran kinerja",
        ["Kode", "Sasaran / indikator", "Satuan", "Target", "Dokumen target", "TW I", "TW II", "TW III", "TW IV",
         f"Realisasi {year}", "Capaian (%)", "Predikat", "Keterangan"],
        [12, 60, 10, 12, 16, 10, 10, 10, 10, 12, 12, 16, 40],
    )
    for group in snapshot["measurement"]["groups"]:
        append_row(measurement, [group["code"], f"{group['kind']}: {group['label']}", None, None, None, None, None,
                                 None, None, None, _cell(as_decimal(group["achievement"]["value"])), group["rating"],
                                 group["achievement"]["reason"] or None])
        for cell in measurement[measurement.max_row]:
            cell.fill = GROUP_FILL
            cell.font = Font(bold=True)
        for ind in group["indicators"]:
            note = ind["not_available_reason"] or ("Realisasi sementara" if ind["provisional"] else None)
            append_row(
                measurement,
                [ind["code"], ind["name"], ind["unit"], _cell(as_decimal(ind["target"])), ind["target_document"],
                 *[_cell(as_decimal(q)) for q in ind["quarters"]], _cell(as_decimal(ind["actual"])),
                 _cell(as_decimal(ind["achievement"]["value"])), ind["rating"], note]
            )
    for row in measurement.iter_rows(min_row=2):
        for cell in row[3:10]:
            cell.number_format = VALUE
        row[10].number_format = PERCENT

    budget = header_sheet(
        book,
        "Realisasi anggaran",
        ["Kode", "Program / kegiatan / sub kegiatan", "Pagu murni (Rp)", "Pagu berlaku (Rp)", "Realisasi (Rp)",
         "Serapan (%)", "Sumber dana"],
        [22, 70, 20, 20, 20, 12, 16],
    )
    for row in snapshot["budget"]["rows"]:
        append_row(budget, [row["code"], "    " * row["depth"] + row["name"], _cell(as_decimal(row["ceiling_original"])),
                            _cell(as_decimal(row["ceiling"])), _cell(as_decimal(row["spent"])), _cell(as_decimal(row["absorption"]["value"])),
                            ", ".join(row["funding"]) or None])
    totals = snapshot["budget"]
    append_row(budget, [None, "JUMLAH", _cell(as_decimal(totals["ceiling_original"])), _cell(as_decimal(totals["ceiling"])),
                        _cell(as_decimal(totals["spent"])), _cell(as_decimal(totals["absorption"]["value"])), None])
    for cell in budget[budget.max_row]:
        cell.font = Font(bold=True)
    for row in budget.iter_rows(min_row=2):
        for cell in row[2:5]:
            cell.number_format = MONEY
        row[5].number_format = PERCENT

    efficiency = header_sheet(
        book,
        "Efisiensi",
        ["Kode", "Sasaran", "Capaian kinerja (%)", "Serapan anggaran (%)", "Selisih (poin persen)"],
        [12, 70, 18, 18, 18],
    )
    for row in snapshot["efficiency"]:
        append_row(efficiency, [row["code"], row["label"], _cell(as_decimal(row["achievement"]["value"])),
                                _cell(as_decimal(row["absorption"]["value"])), _cell(as_decimal(row["gap"]))])
    for row in efficiency.iter_rows(min_row=2):
        for cell in row[2:5]:
            cell.number_format = "#,##0.00"
    append_row(efficiency, [])
    append_row(efficiency, [None, "Selisih = capaian kinerja − serapan anggaran; positif berarti kinerja "
                                  "melampaui penggunaan anggaran."])

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
