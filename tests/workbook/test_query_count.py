"""The importer's query count depends on the tables, not on the number of rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from performance.models import Indicator, Realization, Target
from tests.workbook.helpers import as_file, build_workbook, minimal_data
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db


def generated(count: int, code: str, value: str = "7,33") -> bytes:
    """A valid workbook with `count` indicators, each with targets, realisasi, a benchmark, a
    narrative and its own sub kegiatan with money."""
    data = minimal_data()
    data["Instansi"]["kode_instansi"] = code
    data["Instansi"]["pemda"] = f"Pemerintah {code}"
    data["Anggaran"] = [
        {"kode": "2.07.03", "jenis": "program", "uraian": "Program", "tahun": 2025},
        {"kode": "2.07.03.2.01", "jenis": "kegiatan", "uraian": "Kegiatan", "tahun": 2025},
    ]
    data["Indikator"], data["Target"], data["Realisasi"] = [], [], []
    data["Pembanding"], data["Narasi"] = [], []
    for n in range(1, count + 1):
        kode = f"IK{n}"
        sub = f"2.07.03.2.01.{n:04d}"
        data["Anggaran"].append({"kode": sub, "jenis": "subkegiatan", "uraian": f"Sub {n}", "tahun": 2025,
                                 "pagu_murni": f"Rp {n}.000.000", "realisasi_tw4": n * 900_000})
        data["Indikator"].append({"kode": kode, "pemilik": "T1.S1" if n % 2 else sub, "nama": f"Indikator {n}",
                                  "satuan": "%", "polaritas": "positif", "jenis": "IKU" if n % 3 == 0 else None})
        data["Target"] += [
            {"kode_indikator": kode, "tahun": 2025, "dokumen": "renstra", "target": "80", "target_akhir": "90"},
            {"kode_indikator": kode, "tahun": 2025, "dokumen": "pk", "target": 80, "tw1": 20, "tw2": 40,
             "tw3": 60, "tw4": 80},
        ]
        data["Realisasi"] += [
            {"kode_indikator": kode, "tahun": 2025, "triwulan": None, "realisasi": value},
            {"kode_indikator": kode, "tahun": 2025, "triwulan": 1, "realisasi": "20"},
            {"kode_indikator": kode, "tahun": 2024, "triwulan": None, "realisasi": 70},
        ]
        data["Pembanding"].append({"kode_indikator": kode, "tahun": 2025, "lingkup": "nasional", "nilai": "75,5"})
        data["Narasi"].append({"bagian": "analisis", "kode_indikator": kode, "teks": f"Analisis {n}"})
    return build_workbook(data)


def queries_for(data: bytes) -> tuple[int, int]:
    """(all queries, SELECTs) of one import."""
    with CaptureQueriesContext(connection) as captured:
        report = workbook_import(source=as_file(data))
    assert report.ok, [str(e) for e in report.errors][:5]
    sql = [q["sql"].lstrip().upper() for q in captured.captured_queries]
    return len(sql), sum(1 for q in sql if q.startswith("SELECT"))


# 20x the rows. Row-by-row writing would add hundreds of queries; set-based writing adds none,
# except that the database backend splits a bulk INSERT/UPDATE into batches by its limit on
# query parameters (SQLite: 999, i.e. ~100 rows of a 9-column table per INSERT).
ALLOWED_EXTRA = 25


def test_query_count_does_not_grow_with_rows():
    small, small_selects = queries_for(generated(10, "kecil"))
    large, large_selects = queries_for(generated(200, "besar"))
    assert Indicator.objects.filter(plan__agency__code="besar").count() == 200
    assert Target.objects.filter(indicator__plan__agency__code="besar").count() == 400
    assert Realization.objects.filter(indicator__plan__agency__code="besar").count() == 600
    assert large_selects == small_selects  # reads: one per table, whatever the size
    assert large <= small + ALLOWED_EXTRA, (small, large)
    assert large < 2 * small


def test_update_query_count_does_not_grow_with_rows():
    queries_for(generated(10, "kecil"))
    queries_for(generated(200, "besar"))
    # Re-import with every realisasi changed: the update path is set-based too.
    small, small_selects = queries_for(generated(10, "kecil", value="8,1"))
    large, large_selects = queries_for(generated(200, "besar", value="8,1"))
    assert Realization.objects.filter(indicator__plan__agency__code="besar", value="8.1").count() == 200
    assert large_selects == small_selects
    assert large <= small + ALLOWED_EXTRA, (small, large)
    # An unchanged re-import only reads.
    unchanged_small, _ = queries_for(generated(10, "kecil", value="8,1"))
    unchanged_large, _ = queries_for(generated(200, "besar", value="8,1"))
    assert unchanged_large == unchanged_small


def test_large_import_stays_under_a_fixed_query_budget(django_assert_max_num_queries):
    data = generated(200, "anggaran-besar")
    with django_assert_max_num_queries(80):
        report = workbook_import(source=as_file(data))
    assert report.ok


def with_pk_sheets(count: int, code: str, reason: str = "alasan") -> bytes:
    """generated() plus the PK sheets: a header, the program's budget and a reason per PK target."""
    from tests.workbook.helpers import sheet_values

    base = sheet_values(generated(count, code))
    data = {name: [dict(zip(rows[0], row, strict=True)) for row in rows[1:]] for name, rows in base.items()
            if name != "Instansi"}
    data["Instansi"] = dict(base["Instansi"][1:])
    data["PK"] = [{"dokumen": "pk", "tahun": 2025, "pihak_pertama_nama": "Siti", "pihak_pertama_jabatan": "Kepala",
                   "pihak_kedua_nama": "Budi", "pihak_kedua_jabatan": "Wali Kota", "tempat_ttd": "Uji",
                   "tanggal_ttd": "2025-01-31"}]
    data["PK_Anggaran"] = [{"dokumen": "pk", "tahun": 2025, "kode_program": "2.07.03", "anggaran": 5}]
    data["PK_Alasan"] = [{"dokumen": "pk", "tahun": 2025, "kode_indikator": f"IK{n}", "alasan": f"{reason} {n}"}
                         for n in range(1, count + 1)]
    return build_workbook(data)


def test_pk_sheets_query_count_does_not_grow_with_rows():
    small, small_selects = queries_for(with_pk_sheets(10, "kecil"))
    large, large_selects = queries_for(with_pk_sheets(200, "besar"))
    assert Target.objects.filter(indicator__plan__agency__code="besar").exclude(reason="").count() == 200
    assert large_selects == small_selects
    assert large <= small + ALLOWED_EXTRA, (small, large)
    # Every reason changed, then nothing changed: set-based both ways.
    small, small_selects = queries_for(with_pk_sheets(10, "kecil", reason="baru"))
    large, large_selects = queries_for(with_pk_sheets(200, "besar", reason="baru"))
    assert large_selects == small_selects and large <= small + ALLOWED_EXTRA, (small, large)
    unchanged_small, _ = queries_for(with_pk_sheets(10, "kecil", reason="baru"))
    unchanged_large, _ = queries_for(with_pk_sheets(200, "besar", reason="baru"))
    assert unchanged_large == unchanged_small
