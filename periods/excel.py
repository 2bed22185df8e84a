"""The Pemda's completeness dashboard as an Excel workbook: one row per quarter and agency,
and the missing and returned items. Every row goes through lkjip.spreadsheets.append_row, so
agency and indicator names typed by users stay text; counts, percentages and dates are numbers
and dates."""

from __future__ import annotations

import io
from collections.abc import Iterable

from openpyxl import Workbook

from agencies.models import Government
from lkjip.spreadsheets import append_row, header_sheet

from .completeness import PeriodCompleteness
from .models import ROMAN

PERCENT = '#,##0.00" %"'
DATE = "DD-MM-YYYY"


def dashboard_workbook(*, government: Government, year: int, periods: Iterable[PeriodCompleteness]) -> bytes:
    periods = list(periods)
    book = Workbook()
    book.remove(book.active)
    summary = header_sheet(
        book, "Kelengkapan",
        ["Triwulan", "Kode instansi", "Perangkat daerah", "Indikator", "Diisi", "Draf", "Diajukan", "Terverifikasi",
         "Dikembalikan", "Belum diisi", "Bukti dukung (%)", "Batas waktu", "Dibuka s.d.", "Sisa hari", "Status",
         "Keterangan"],
        [10, 20, 40, 10, 8, 8, 10, 12, 12, 11, 14, 13, 13, 10, 18, 60],
    )
    for p in periods:
        coverage = p.evidence_coverage
        append_row(summary, [
            f"TW {ROMAN[p.quarter]}", p.agency.code, p.agency.name, p.expected, p.entered, p.draft, p.submitted,
            p.verified, p.returned, p.missing, None if coverage is None else float(coverage), p.deadline,
            p.state.reopening.until if p.reopened else None, p.days_left, p.status_label,
            p.lock.message if p.lock else None,
        ])
        row = summary[summary.max_row]
        row[10].number_format = PERCENT
        row[11].number_format = DATE
        row[12].number_format = DATE

    items = header_sheet(
        book, "Rincian",
        ["Triwulan", "Kode instansi", "Perangkat daerah", "Kode indikator", "Indikator", "Masalah", "Catatan"],
        [10, 20, 40, 14, 60, 14, 60],
    )
    for p in periods:
        for item in p.items:
            append_row(items, [f"TW {ROMAN[p.quarter]}", p.agency.code, p.agency.name, item.code, item.name,
                               item.problem, item.note or None])

    about = book.create_sheet("Keterangan")
    for line in (
        [f"Kelengkapan pengisian realisasi {government.name} {year}"],
        ["Indikator = indikator Renstra yang berlaku dengan target tahun ini (dokumen apa pun)."],
        ["Diisi = indikator yang sudah memiliki realisasi triwulan itu (status apa pun); Belum diisi = sisanya."],
        ["Bukti dukung = realisasi dengan sedikitnya satu berkas bukti ÷ realisasi yang diisi × 100."],
        ["Sisa hari dihitung sampai batas waktu, atau sampai akhir pembukaan kembali bila ada."],
    ):
        append_row(about, line)
    about.column_dimensions["A"].width = 100

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
