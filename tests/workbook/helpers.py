"""Build small standard workbooks (WORKBOOK.md) in memory for the import/export tests.

A workbook is described as plain Python data: ``{"Instansi": {kunci: nilai, ...} (or a list of
(kunci, nilai) pairs),
"Renstra": [{column: value, ...}, ...], ...}``. ``minimal_data()`` returns a small but
complete VALID workbook that touches every sheet; tests edit a copy of it and turn it into
.xlsx bytes with ``build_workbook()``, which can also drop sheets or columns, set single
cells and rename headers.

Row numbers: the first data row of a table sheet is Excel row 2, so ``data[sheet][i]`` is
row ``excel_row(i)``. On the Instansi sheet the keys appear in dict order from row 2.
"""

from __future__ import annotations

import copy
import io
import posixpath
import re
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from openpyxl import Workbook, load_workbook

from agencies.models import Agency, AgencyYear, Government, StaffCount
from budget.models import BudgetItem, BudgetLine
from performance.models import (
    AgreementProgram,
    Benchmark,
    Indicator,
    Narrative,
    PerformanceAgreement,
    PlanNode,
    RatingBand,
    RatingScale,
    Realization,
    Recommendation,
    StrategicPlan,
    Target,
)

DEMO_DIR = Path(settings.BASE_DIR) / "demo" / "workbooks"
BEKASI = DEMO_DIR / "bekasi-disnaker.xlsx"
DEMO_WORKBOOKS = sorted(DEMO_DIR.glob("*.xlsx"))

# Every model the importer writes to.
WRITTEN_MODELS = (
    Government,
    Agency,
    AgencyYear,
    StrategicPlan,
    PlanNode,
    BudgetItem,
    BudgetLine,
    Indicator,
    PerformanceAgreement,
    AgreementProgram,
    Target,
    Realization,
    Benchmark,
    Narrative,
    StaffCount,
    Recommendation,
    RatingScale,
    RatingBand,
)

SHEET_ORDER = ("Instansi", "Renstra", "Indikator", "Target", "Realisasi", "Anggaran", "Skala", "Pembanding",
               "Narasi", "Pegawai", "Rekomendasi")


def excel_row(index: int) -> int:
    """Excel row number of data row ``index`` (0-based) of a table sheet."""
    return index + 2


def instansi_row(data: Mapping[str, Any], key: str) -> int:
    """Excel row number of ``key`` on the Instansi sheet built from ``data``."""
    return list(data["Instansi"]).index(key) + 2


def minimal_data() -> dict[str, Any]:
    """A small, valid workbook covering every sheet. Numbers arrive both as numeric cells and
    as Indonesian-notation text."""
    return copy.deepcopy(
        {
            "Instansi": {
                "kode_instansi": "uji-disnaker",
                "nama_instansi": "Dinas Tenaga Kerja Kota Uji",
                "singkatan": "Disnaker",
                "pemda": "Pemerintah Kota Uji",
                "jenis_pemda": "kota",
                "provinsi": "Jawa Barat",
                "email": "disnaker@ujikota.go.id",
                "tahun_laporan": 2025,
                "periode_renstra": "2025-2029",
                "visi": "Kota Uji yang sejahtera",
                "kepala_daerah_jabatan": "Wali Kota Uji",
                "kepala_daerah_nama": "Budi",
                "kepala_jabatan": "Plt. Kepala Dinas",
                "kepala_nama": "Siti",
                "kepala_nip": "197001012000031001",
                "tempat_ttd": "Uji",
                "tanggal_ttd": "2026-01-31",
            },
            "Renstra": [
                {"kode": "M1", "jenis": "misi", "induk": None, "uraian": "Misi satu"},
                {"kode": "T1", "jenis": "tujuan", "induk": "M1", "uraian": "Meningkatnya penyerapan tenaga kerja"},
                {"kode": "T1.S1", "jenis": "sasaran", "induk": "T1", "uraian": "Meningkatnya partisipasi kerja"},
            ],
            "Indikator": [
                {"kode": "IKU1", "pemilik": "T1", "nama": "Tingkat Pengangguran Terbuka", "satuan": "%",
                 "polaritas": "negatif", "agregasi": "akhir", "jenis": "IKU, PK",
                 "definisi": "Penganggur / angkatan kerja × 100%", "sumber_data": "BPS",
                 "baseline_tahun": 2024, "baseline": "7,82"},
                {"kode": "IKU2", "pemilik": "T1.S1", "nama": "Pencari kerja yang ditempatkan", "satuan": "orang",
                 "polaritas": "positif", "agregasi": "kumulatif", "jenis": "PK"},
                {"kode": "IKK1", "pemilik": "2.07.03.2.01", "nama": "Indeks kepuasan", "satuan": "nilai",
                 "polaritas": "positif"},
            ],
            "Target": [
                {"kode_indikator": "IKU1", "tahun": 2025, "dokumen": "renstra", "target": "7,73",
                 "target_akhir": "6,98"},
                {"kode_indikator": "IKU1", "tahun": 2025, "dokumen": "pk", "target": 7.5,
                 "tw1": 7.9, "tw2": "7,8", "tw3": "7,6", "tw4": "7,5"},
                {"kode_indikator": "IKU2", "tahun": 2025, "dokumen": "pk", "target": "1.200"},
                {"kode_indikator": "IKK1", "tahun": 2025, "dokumen": "renja", "target": 80},
            ],
            "Realisasi": [
                {"kode_indikator": "IKU1", "tahun": 2025, "triwulan": None, "realisasi": "7,33", "sumber": "BPS"},
                {"kode_indikator": "IKU1", "tahun": 2024, "triwulan": None, "realisasi": 8.55},
                {"kode_indikator": "IKU2", "tahun": 2025, "triwulan": 1, "realisasi": "1.234"},
                {"kode_indikator": "IKU2", "tahun": 2025, "triwulan": 2, "status": "belum_tersedia",
                 "keterangan": "Data belum dirilis"},
                {"kode_indikator": "IKK1", "tahun": 2025, "triwulan": None, "realisasi": "105,17 %",
                 "status": "sementara", "pembilang": 85, "penyebut": "100"},
            ],
            "Anggaran": [
                {"kode": "2.07.03", "jenis": "program", "uraian": "Program Penempatan Tenaga Kerja",
                 "sasaran": "T1.S1", "tahun": 2025},
                {"kode": "2.07.03.2.01", "jenis": "kegiatan", "uraian": "Pelayanan Antarkerja", "tahun": 2025},
                {"kode": "2.07.03.2.01.0001", "jenis": "subkegiatan", "uraian": "Job fair", "tahun": 2025,
                 "sumber_dana": "DAU", "pagu_murni": "Rp 18.113.307.758", "pagu_perubahan": 18000000000,
                 "realisasi_tw1": "Rp 1.000.000", "realisasi_tw2": 2500000.5, "realisasi_tw3": 0,
                 "realisasi_tw4": "3.000.000,25", "penanggung_jawab": "Bidang Penempatan"},
                {"kode": "2.07.03.2.02", "jenis": "kegiatan", "uraian": "Perluasan Kesempatan Kerja", "tahun": 2025,
                 "pagu_murni": 500000000, "realisasi_tw4": 450000000},
            ],
            "Skala": [
                {"label": "Sangat Baik", "min": 90, "min_inklusif": "ya", "max": None, "max_inklusif": None,
                 "urutan": 1},
                {"label": "Baik", "min": "70", "min_inklusif": "ya", "max": 90, "max_inklusif": "tidak", "urutan": 2},
                {"label": "Kurang", "min": None, "min_inklusif": None, "max": 70, "max_inklusif": "tidak",
                 "urutan": 3},
            ],
            "Pembanding": [
                {"kode_indikator": "IKU1", "tahun": 2025, "lingkup": "nasional", "nilai": "4,76", "sumber": "BPS"},
                {"kode_indikator": "IKU1", "tahun": 2025, "lingkup": "provinsi", "nilai": None,
                 "keterangan": "belum rilis"},
            ],
            "Narasi": [
                {"bagian": "kata_pengantar", "kode_indikator": None, "teks": "Puji syukur."},
                {"bagian": "analisis", "kode_indikator": "IKU1", "teks": "TPT turun."},
            ],
            "Pegawai": [
                {"dimensi": "jabatan", "kategori": "Kepala Dinas", "status": "PNS", "jumlah": 1},
                {"dimensi": "golongan", "kategori": "III", "status": "PNS", "jumlah": "12"},
            ],
            "Rekomendasi": [
                {"tahun": 2024, "komponen": "Perencanaan", "rekomendasi": "Perbaiki indikator",
                 "tindak_lanjut": "Sudah", "status": "selesai"},
            ],
        }
    )


def _headers(rows: list[Mapping[str, Any]]) -> list[str]:
    headers: list[str] = []
    for row in rows:
        headers += [key for key in row if key not in headers]
    return headers


def build_workbook(
    data: Mapping[str, Any] | None = None,
    *,
    remove_sheets: Iterable[str] = (),
    remove_columns: Mapping[str, Iterable[str]] | None = None,
    set_cells: Mapping[tuple[str, int, str], Any] | None = None,
    rename_headers: Mapping[tuple[str, str], str] | None = None,
    rename_sheets: Mapping[str, str] | None = None,
    headers: Mapping[str, list[str]] | None = None,
    blank_rows_after: Mapping[str, int] | None = None,
) -> bytes:
    """The .xlsx bytes of ``data`` (default: ``minimal_data()``).

    remove_sheets:   sheet names left out.
    remove_columns:  {sheet: [column, ...]} left out (header and cells).
    set_cells:       {(sheet, data_row_index, column): value}; for Instansi the column is the kunci.
    rename_headers:  {(sheet, column): header text written instead}.
    rename_sheets:   {sheet: title written instead}.
    headers:         {sheet: [column order]}; columns not in ``data`` rows stay empty.
    blank_rows_after:{sheet: n} appends n empty rows after the header (before the data).
    """
    data = copy.deepcopy(dict(data if data is not None else minimal_data()))
    removed = set(remove_sheets)
    remove_columns = {k: set(v) for k, v in (remove_columns or {}).items()}
    rename_headers = dict(rename_headers or {})
    rename_sheets = dict(rename_sheets or {})
    for (sheet, index, column), value in (set_cells or {}).items():
        if sheet == "Instansi":
            data["Instansi"][column] = value
        else:
            data[sheet][index][column] = value

    book = Workbook()
    book.remove(book.active)
    names = [name for name in SHEET_ORDER if name in data] + [name for name in data if name not in SHEET_ORDER]
    for name in names:
        if name in removed:
            continue
        sheet = book.create_sheet(rename_sheets.get(name, name))
        content = data[name]
        if name == "Instansi" and isinstance(content, Mapping):
            sheet.append([rename_headers.get((name, "kunci"), "kunci"), rename_headers.get((name, "nilai"), "nilai")])
            for key, value in content.items():
                sheet.append([key, value])
            continue
        if name == "Instansi":  # raw (kunci, nilai) pairs, e.g. to repeat a key
            sheet.append(["kunci", "nilai"])
            for pair in content:
                sheet.append(list(pair))
            continue
        columns = list((headers or {}).get(name) or _headers(content))
        columns = [c for c in columns if c not in remove_columns.get(name, set())]
        sheet.append([rename_headers.get((name, c), c) for c in columns])
        for _ in range((blank_rows_after or {}).get(name, 0)):
            sheet.append([None] * len(columns))
        for row in content:
            sheet.append([row.get(c) for c in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def as_file(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


def write(tmp_path: Path, data: bytes, name: str = "workbook.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# ---- editing the parts of an .xlsx ----

RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def zip_entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(entries: Mapping[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def sheet_part(data: bytes, title: str) -> str:
    """The zip entry that holds the sheet called ``title`` (via workbook.xml and its relationships)."""
    entries = zip_entries(data)
    workbook = entries["xl/workbook.xml"].decode()
    match = re.search(r'<sheet [^>]*name="%s"[^>]*r:id="([^"]+)"' % re.escape(title), workbook)
    assert match, f"no sheet {title!r} in {workbook}"
    rels = entries["xl/_rels/workbook.xml.rels"].decode()
    target = re.search(r'<Relationship [^>]*Id="%s"[^>]*/>' % match.group(1), rels).group(0)
    path = re.search(r'Target="([^"]+)"', target).group(1)
    return path.lstrip("/") if path.startswith("/") else posixpath.normpath(posixpath.join("xl", path))


def edit_part(data: bytes, name: str, edit: Any) -> bytes:
    """The same .xlsx with entry ``name`` replaced by ``edit(old text)``."""
    entries = zip_entries(data)
    assert name in entries, f"{name} not in {list(entries)}"
    entries[name] = edit(entries[name].decode())
    return rezip(entries)


def set_dimension(data: bytes, title: str, ref: str) -> bytes:
    """Rewrite the <dimension ref> that sheet ``title`` declares, as tools with stale dimensions do."""

    def edit(xml: str) -> str:
        edited, count = re.subn(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>', xml)
        assert count == 1, xml[:300]
        return edited

    return edit_part(data, sheet_part(data, title), edit)


# ---- database state ----


def db_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WRITTEN_MODELS}


def assert_nothing_written(before: Mapping[str, int] | None = None) -> None:
    """Every table the importer writes holds exactly what it held before (default: nothing)."""
    now = db_counts()
    expected = dict(before) if before is not None else {name: 0 for name in now}
    assert now == expected, f"the import wrote rows: before {expected}, after {now}"


# ---- report inspection ----


def find_issue(issues: Iterable[Any], sheet: str, row: int | None, column: str) -> Any:
    """The one issue at (sheet, row, column); fails listing every issue when there is none."""
    issues = list(issues)
    matches = [
        i for i in issues
        if i.sheet.lower() == sheet.lower() and i.row == row and i.column.lower() == column.lower()
    ]
    assert matches, f"no issue at {sheet}/{row}/{column}; issues: {[str(i) for i in issues]}"
    return matches[0]


def assert_rejected(report: Any, sheet: str, row: int | None, column: str, *expected_words: str) -> Any:
    """report is a failure, with an error at (sheet, row, column) whose 'expected' text holds
    every word in ``expected_words`` (case-insensitive)."""
    assert report.ok is False
    assert report.errors, "a failed import must list its errors"
    issue = find_issue(report.errors, sheet, row, column)
    for word in expected_words:
        assert word.lower() in issue.expected.lower(), f"{word!r} not in {issue.expected!r}"
    # The user-facing line names the place.
    text = str(issue)
    assert f"Sheet {issue.sheet}" in text
    if row:
        assert f"baris {row}" in text
    return issue


# ---- comparing exports ----


def sheet_values(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    finally:
        book.close()
