"""Every kind of bad input: the import fails, the error says where (sheet, row, column) and what
was expected (in Indonesian), and nothing at all is written."""

from __future__ import annotations

import pytest

from tests.workbook.helpers import (
    as_file,
    assert_nothing_written,
    assert_rejected,
    build_workbook,
    excel_row,
    find_issue,
    instansi_row,
    minimal_data,
)
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db


def rejected(data=None, **options):
    """Import and check the all-or-nothing part: failure, errors listed, nothing written."""
    report = workbook_import(source=as_file(build_workbook(data, **options)))
    assert report.ok is False
    assert report.errors
    assert report.counts == {}
    assert_nothing_written()
    return report


def test_the_baseline_workbook_is_valid():
    """Guards every test below: each breaks exactly one thing in an otherwise valid file."""
    report = workbook_import(source=as_file(build_workbook()))
    assert report.ok, [str(e) for e in report.errors]


# ---- structure ----


@pytest.mark.parametrize("sheet", ["Instansi", "Renstra", "Indikator", "Target", "Realisasi", "Anggaran"])
def test_missing_required_sheet(sheet):
    report = rejected(remove_sheets=[sheet])
    issue = assert_rejected(report, sheet, None, "", "sheet wajib ada")
    assert str(issue).startswith(f"Sheet {sheet}")


@pytest.mark.parametrize(
    ("sheet", "column"),
    [
        ("Renstra", "jenis"),
        ("Renstra", "kode"),
        ("Indikator", "satuan"),
        ("Indikator", "polaritas"),
        ("Target", "target"),
        ("Target", "dokumen"),
        ("Realisasi", "kode_indikator"),
        ("Realisasi", "tahun"),
        ("Anggaran", "tahun"),
        ("Anggaran", "uraian"),
        ("Pegawai", "jumlah"),
        ("Pembanding", "lingkup"),
    ],
)
def test_missing_required_column(sheet, column):
    report = rejected(remove_columns={sheet: [column]})
    assert_rejected(report, sheet, 1, column, "kolom wajib ada di baris judul")


def test_instansi_without_kunci_nilai_headers():
    report = rejected(rename_headers={("Instansi", "nilai"): "isi"})
    assert_rejected(report, "Instansi", 1, "kunci/nilai", "kunci dan nilai")


# ---- required values ----


@pytest.mark.parametrize(
    ("sheet", "index", "column"),
    [
        ("Renstra", 1, "uraian"),
        ("Indikator", 2, "nama"),
        ("Indikator", 0, "pemilik"),
        ("Target", 1, "target"),
        ("Target", 3, "tahun"),
        ("Realisasi", 2, "kode_indikator"),
        ("Anggaran", 3, "jenis"),
        ("Pegawai", 0, "status"),
        ("Narasi", 0, "teks"),
    ],
)
def test_missing_required_value(sheet, index, column):
    data = minimal_data()
    data[sheet][index][column] = None
    report = rejected(data)
    issue = assert_rejected(report, sheet, excel_row(index), column, "wajib diisi")
    assert issue.value == ""
    assert "kosong" in str(issue)


@pytest.mark.parametrize("key", ["kode_instansi", "nama_instansi", "pemda", "jenis_pemda", "tahun_laporan",
                                 "periode_renstra"])
def test_missing_required_instansi_key(key):
    data = minimal_data()
    del data["Instansi"][key]
    report = rejected(data)
    assert_rejected(report, "Instansi", None, f"nilai ({key})", "wajib diisi")


def test_blank_required_instansi_value_points_at_its_row():
    data = minimal_data()
    data["Instansi"]["nama_instansi"] = "  "
    report = rejected(data)
    assert_rejected(report, "Instansi", instansi_row(data, "nama_instansi"), "nilai (nama_instansi)", "wajib diisi")


# ---- numbers ----


@pytest.mark.parametrize(
    ("sheet", "index", "column", "value"),
    [
        ("Realisasi", 0, "realisasi", "7.33"),  # 733 or 7,33? never guessed
        ("Target", 0, "target", "7.33"),
        ("Target", 1, "tw2", "1,234.5"),
        ("Indikator", 0, "baseline", "7.82"),
        ("Realisasi", 4, "pembilang", "delapan"),
        ("Pembanding", 0, "nilai", "4.76"),
        ("Skala", 1, "min", "70.5"),
        ("Anggaran", 2, "pagu_murni", "18,113,307,758"),
        ("Anggaran", 2, "realisasi_tw1", "Rp 1.000.00"),
    ],
)
def test_ambiguous_or_invalid_number_notation(sheet, index, column, value):
    data = minimal_data()
    data[sheet][index][column] = value
    report = rejected(data)
    issue = assert_rejected(report, sheet, excel_row(index), column, "notasi Indonesia")
    assert issue.value == value
    assert "7,33" in issue.expected  # shows the right way to write it


def test_too_many_decimals():
    data = minimal_data()
    data["Target"][0]["target"] = "7,123456"
    report = rejected(data)
    assert_rejected(report, "Target", 2, "target", "4 desimal")


def test_money_with_fractions_of_a_sen():
    data = minimal_data()
    data["Anggaran"][2]["pagu_murni"] = "1.000,555"
    report = rejected(data)
    assert_rejected(report, "Anggaran", 4, "pagu_murni", "2 angka desimal")


def test_money_too_large_for_the_database():
    data = minimal_data()
    data["Anggaran"][2]["pagu_murni"] = "Rp 100.000.000.000.000.000"
    report = rejected(data)
    assert_rejected(report, "Anggaran", 4, "pagu_murni", "16 digit")


def test_integer_too_large_for_the_database():
    data = minimal_data()
    data["Pegawai"][0]["jumlah"] = "99999999999999999999"
    report = rejected(data)
    assert_rejected(report, "Pegawai", 2, "jumlah", "bilangan bulat paling besar")


@pytest.mark.parametrize("value", [-5, "-5", "-Rp 1.000"])
def test_negative_money(value):
    data = minimal_data()
    data["Anggaran"][2]["realisasi_tw1"] = value
    report = rejected(data)
    assert_rejected(report, "Anggaran", 4, "realisasi_tw1", "tidak negatif")


def test_negative_headcount():
    data = minimal_data()
    data["Pegawai"][1]["jumlah"] = -3
    report = rejected(data)
    assert_rejected(report, "Pegawai", 3, "jumlah", "tidak negatif")


def test_fractional_quarter():
    data = minimal_data()
    data["Realisasi"][2]["triwulan"] = 1.5
    report = rejected(data)
    assert_rejected(report, "Realisasi", 4, "triwulan", "bilangan bulat")


# ---- choices ----


@pytest.mark.parametrize(
    ("sheet", "index", "column", "value", "listed"),
    [
        ("Indikator", 0, "polaritas", "naik", "positif, negatif"),
        ("Indikator", 1, "agregasi", "jumlah", "kumulatif"),
        ("Target", 0, "dokumen", "rpjmd", "renstra_perubahan"),
        ("Renstra", 1, "jenis", "visi", "misi, tujuan, sasaran"),
        ("Realisasi", 0, "status", "selesai", "belum_tersedia"),
        ("Realisasi", 2, "triwulan", 5, "1, 2, 3, 4"),
        ("Pembanding", 0, "lingkup", "dunia", "kabupaten_kota"),
        ("Pegawai", 0, "dimensi", "umur", "pendidikan"),
        ("Pegawai", 0, "status", "honorer", "Non-ASN"),
        ("Narasi", 0, "bagian", "pendahuluan", "kata_pengantar"),
        ("Anggaran", 3, "jenis", "proyek", "subkegiatan"),
        ("Skala", 0, "min_inklusif", "mungkin", "ya atau tidak"),
    ],
)
def test_unknown_choice(sheet, index, column, value, listed):
    data = minimal_data()
    data[sheet][index][column] = value
    report = rejected(data)
    issue = assert_rejected(report, sheet, excel_row(index), column, listed)
    assert issue.value == str(value)


def test_unknown_indicator_tag():
    data = minimal_data()
    data["Indikator"][0]["jenis"] = "IKU, XYZ"
    report = rejected(data)
    assert_rejected(report, "Indikator", 2, "jenis", "IKU, IKD, IKK, PK")


def test_unknown_jenis_pemda():
    data = minimal_data()
    data["Instansi"]["jenis_pemda"] = "desa"
    report = rejected(data)
    assert_rejected(report, "Instansi", instansi_row(data, "jenis_pemda"), "nilai (jenis_pemda)", "kota, kabupaten")


# ---- years ----


@pytest.mark.parametrize(
    ("sheet", "index", "column", "value"),
    [
        ("Target", 0, "tahun", 1999),
        ("Realisasi", 1, "tahun", 2101),
        ("Anggaran", 2, "tahun", 25),
        ("Indikator", 0, "baseline_tahun", 3024),
        ("Rekomendasi", 0, "tahun", 1900),
    ],
)
def test_year_out_of_range(sheet, index, column, value):
    data = minimal_data()
    data[sheet][index][column] = value
    report = rejected(data)
    assert_rejected(report, sheet, excel_row(index), column, "tahun antara 2000 dan 2100")


def test_year_not_a_number():
    data = minimal_data()
    data["Target"][0]["tahun"] = "dua ribu"
    report = rejected(data)
    assert_rejected(report, "Target", 2, "tahun", "tahun empat angka")


def test_report_year_out_of_range():
    data = minimal_data()
    data["Instansi"]["tahun_laporan"] = 2200
    report = rejected(data)
    assert_rejected(report, "Instansi", instansi_row(data, "tahun_laporan"), "nilai (tahun_laporan)", "2000 dan 2100")


def test_report_year_outside_the_renstra_period():
    data = minimal_data()
    data["Instansi"]["tahun_laporan"] = 2031
    report = rejected(data)
    assert_rejected(report, "Instansi", instansi_row(data, "tahun_laporan"), "nilai (tahun_laporan)",
                    "periode_renstra 2025-2029")


# ---- duplicates ----


def test_duplicate_renstra_kode():
    data = minimal_data()
    data["Renstra"].append({"kode": "T1", "jenis": "tujuan", "induk": "M1", "uraian": "Lagi"})
    report = rejected(data)
    assert_rejected(report, "Renstra", 5, "kode", "tidak boleh ganda", "baris 3")


def test_duplicate_indikator_kode():
    data = minimal_data()
    data["Indikator"].append({**data["Indikator"][1], "nama": "Salinan"})
    report = rejected(data)
    assert_rejected(report, "Indikator", 5, "kode", "tidak boleh ganda", "baris 3")


def test_duplicate_target_for_indicator_year_document():
    data = minimal_data()
    data["Target"].append({"kode_indikator": "IKU1", "tahun": 2025, "dokumen": "pk", "target": 8})
    report = rejected(data)
    issue = assert_rejected(report, "Target", 6, "dokumen", "tidak boleh ganda", "baris 3")
    assert issue.value == "IKU1 / 2025 / pk"


@pytest.mark.parametrize(("quarter", "first_row"), [(1, 4), (None, 2)])
def test_duplicate_realisasi_for_the_same_period(quarter, first_row):
    data = minimal_data()
    code = "IKU2" if quarter else "IKU1"
    data["Realisasi"].append({"kode_indikator": code, "tahun": 2025, "triwulan": quarter, "realisasi": 99})
    report = rejected(data)
    assert_rejected(report, "Realisasi", 7, "triwulan", "tidak boleh ganda", f"baris {first_row}")


def test_duplicate_budget_code_in_one_year():
    data = minimal_data()
    data["Anggaran"].append({**data["Anggaran"][3]})
    report = rejected(data)
    assert_rejected(report, "Anggaran", 6, "tahun", "kode per tahun tidak boleh ganda")


def test_duplicate_instansi_key():
    pairs = list(minimal_data()["Instansi"].items())
    pairs.append(("pemda", "Pemerintah Kota Lain"))
    data = minimal_data()
    data["Instansi"] = pairs
    report = rejected(data)
    assert_rejected(report, "Instansi", len(pairs) + 1, "kunci", "tidak boleh ganda", "baris 5")


def test_duplicate_pembanding_and_report_narrative():
    data = minimal_data()
    data["Pembanding"].append({"kode_indikator": "IKU1", "tahun": 2025, "lingkup": "nasional", "nilai": 5})
    data["Narasi"].append({"bagian": "kata_pengantar", "teks": "Kedua"})
    report = rejected(data)
    assert_rejected(report, "Pembanding", 4, "lingkup", "tidak boleh ganda")
    assert_rejected(report, "Narasi", 4, "bagian", "satu teks per bagian")


# ---- Renstra tree and references ----


def test_sasaran_under_misi():
    data = minimal_data()
    data["Renstra"].append({"kode": "S9", "jenis": "sasaran", "induk": "M1", "uraian": "Salah tempat"})
    report = rejected(data)
    issue = assert_rejected(report, "Renstra", 5, "induk", "kode sebuah tujuan")
    assert issue.value == "M1"


def test_sasaran_at_the_top():
    data = minimal_data()
    data["Renstra"][2]["induk"] = None
    report = rejected(data)
    assert_rejected(report, "Renstra", 4, "induk", "kode sebuah tujuan")


def test_misi_with_a_parent():
    data = minimal_data()
    data["Renstra"].append({"kode": "M2", "jenis": "misi", "induk": "T1", "uraian": "Misi dua"})
    report = rejected(data)
    assert_rejected(report, "Renstra", 5, "induk", "misi berada di puncak")


def test_unknown_induk():
    data = minimal_data()
    data["Renstra"].append({"kode": "T2", "jenis": "tujuan", "induk": "M9", "uraian": "Yatim"})
    report = rejected(data)
    issue = assert_rejected(report, "Renstra", 5, "induk", "kode yang ada di sheet Renstra")
    assert issue.value == "M9"


@pytest.mark.parametrize("owner", ["T9", "M1", "2.07.09"])
def test_indicator_owner_that_does_not_exist(owner):
    data = minimal_data()
    data["Indikator"][0]["pemilik"] = owner
    report = rejected(data)
    assert_rejected(report, "Indikator", 2, "pemilik", "sheet Renstra", "sheet Anggaran")


@pytest.mark.parametrize(
    ("sheet", "index", "column"),
    [("Target", 2, "kode_indikator"), ("Realisasi", 4, "kode_indikator"), ("Pembanding", 0, "kode_indikator"),
     ("Narasi", 1, "kode_indikator")],
)
def test_reference_to_unknown_indicator(sheet, index, column):
    data = minimal_data()
    data[sheet][index][column] = "IKU9"
    report = rejected(data)
    issue = assert_rejected(report, sheet, excel_row(index), column, "sheet Indikator")
    assert issue.value == "IKU9"


def test_anggaran_sasaran_must_be_a_renstra_goal_or_objective():
    data = minimal_data()
    data["Anggaran"][0]["sasaran"] = "M1"
    report = rejected(data)
    assert_rejected(report, "Anggaran", 2, "sasaran", "tujuan atau sasaran di sheet Renstra")


# ---- Target rules ----


@pytest.mark.parametrize("quarter", ["tw1", "tw4"])
def test_quarterly_target_on_a_renstra_row(quarter):
    data = minimal_data()
    data["Target"][0][quarter] = 5
    report = rejected(data)
    assert_rejected(report, "Target", 2, quarter, "hanya untuk dokumen pk atau pk_perubahan")


def test_quarterly_target_on_a_renja_row():
    data = minimal_data()
    data["Target"][3]["tw2"] = "40"
    report = rejected(data)
    assert_rejected(report, "Target", 5, "tw2", "pk atau pk_perubahan")


def test_target_akhir_on_a_pk_row():
    data = minimal_data()
    data["Target"][1]["target_akhir"] = 7
    report = rejected(data)
    assert_rejected(report, "Target", 3, "target_akhir", "hanya untuk dokumen renstra")


# ---- Realisasi rules ----


def test_belum_tersedia_with_a_value():
    data = minimal_data()
    data["Realisasi"][3]["realisasi"] = 5
    report = rejected(data)
    assert_rejected(report, "Realisasi", 5, "realisasi", "kosong bila status belum_tersedia")


def test_belum_tersedia_without_keterangan():
    data = minimal_data()
    data["Realisasi"][3]["keterangan"] = None
    report = rejected(data)
    assert_rejected(report, "Realisasi", 5, "keterangan", "alasan")


@pytest.mark.parametrize("status", [None, "final", "sementara"])
def test_final_or_provisional_status_without_value(status):
    data = minimal_data()
    data["Realisasi"][0]["realisasi"] = None
    data["Realisasi"][0]["status"] = status
    report = rejected(data)
    assert_rejected(report, "Realisasi", 2, "realisasi", "angka realisasi", "belum_tersedia")


def test_zero_denominator():
    data = minimal_data()
    data["Realisasi"][4]["penyebut"] = 0
    report = rejected(data)
    assert_rejected(report, "Realisasi", 6, "penyebut", "bukan nol")


# ---- Anggaran rules ----


@pytest.mark.parametrize(
    ("index", "code", "example"),
    [(0, "2.7.3", "2.07.03"), (3, "2.07.03.2.2", "2.07.03.2.01"), (2, "2.07.03.2.01.1", "2.07.03.2.01.0001"),
     (3, "2.07.03", "2.07.03.2.01")],
)
def test_bad_permendagri_code_shape(index, code, example):
    data = minimal_data()
    data["Anggaran"][index]["kode"] = code
    report = rejected(data)
    issue = assert_rejected(report, "Anggaran", excel_row(index), "kode", "Permendagri 90", example)
    assert issue.value == code


def test_kegiatan_whose_program_row_is_missing():
    data = minimal_data()
    data["Anggaran"].append({"kode": "2.07.04.2.01", "jenis": "kegiatan", "uraian": "Tanpa program", "tahun": 2025,
                             "pagu_murni": 100})
    report = rejected(data)
    assert_rejected(report, "Anggaran", 6, "kode", "program induk 2.07.04 ada di sheet Anggaran")


def test_subkegiatan_whose_kegiatan_row_is_missing():
    data = minimal_data()
    data["Anggaran"].append({"kode": "2.07.03.2.09.0001", "jenis": "subkegiatan", "uraian": "Tanpa kegiatan",
                             "tahun": 2025, "pagu_murni": 100})
    report = rejected(data)
    assert_rejected(report, "Anggaran", 6, "kode", "kegiatan induk 2.07.03.2.09")


@pytest.mark.parametrize(("index", "column"), [(1, "pagu_murni"), (0, "realisasi_tw3")])
def test_money_on_a_parent_row_that_has_children(index, column):
    data = minimal_data()
    data["Anggaran"][index][column] = 1000
    report = rejected(data)
    assert_rejected(report, "Anggaran", excel_row(index), column, "punya rincian", "dihitung")


def test_realisasi_without_pagu():
    data = minimal_data()
    data["Anggaran"][3]["pagu_murni"] = None  # realisasi_tw4 stays
    report = rejected(data)
    assert_rejected(report, "Anggaran", 5, "pagu_murni", "pagu murni wajib diisi")


# ---- Skala ----


def test_rating_scale_with_a_gap():
    data = minimal_data()
    data["Skala"][1]["min"] = 75  # Kurang ends below 70, Baik starts at 75
    report = rejected(data)
    issue = assert_rejected(report, "Skala", None, "min/max", "celah", "Kurang", "Baik")
    assert str(issue).startswith("Sheet Skala")


def test_rating_scale_with_an_overlap():
    data = minimal_data()
    data["Skala"][1]["min"] = 60
    report = rejected(data)
    assert_rejected(report, "Skala", None, "min/max", "tumpang tindih")


def test_rating_scale_boundary_in_two_bands():
    data = minimal_data()
    data["Skala"][1]["max_inklusif"] = "ya"  # 90 in Baik and in Sangat Baik
    report = rejected(data)
    assert_rejected(report, "Skala", None, "min/max", "dua rentang")


def test_rating_scale_bound_too_large_for_the_database():
    data = minimal_data()
    data["Skala"][0]["min"] = 900000
    data["Skala"][1]["max"] = 900000
    report = rejected(data)
    assert_rejected(report, "Skala", 2, "min", "di bawah 100.000")


def test_empty_rating_scale_sheet():
    data = minimal_data()
    data["Skala"] = []
    report = rejected(data, headers={"Skala": ["label", "min", "max"]})
    assert_rejected(report, "Skala", None, "", "paling sedikit satu rentang")


# ---- Instansi values ----


@pytest.mark.parametrize("email", ["bukan-email", "a@b", "disnaker@@kota.go.id"])
def test_invalid_email(email):
    data = minimal_data()
    data["Instansi"]["email"] = email
    report = rejected(data)
    issue = assert_rejected(report, "Instansi", instansi_row(data, "email"), "nilai (email)", "alamat email yang sah")
    assert issue.value == email


@pytest.mark.parametrize("period", ["2025/2029", "2029-2025", "2025", "1990-1994", "dua ribu"])
def test_bad_periode_renstra(period):
    data = minimal_data()
    data["Instansi"]["periode_renstra"] = period
    report = rejected(data)
    assert_rejected(report, "Instansi", instansi_row(data, "periode_renstra"), "nilai (periode_renstra)",
                    "mis. 2025-2029")


@pytest.mark.parametrize("code", ["Bekasi-Disnaker", "bekasi disnaker", "bekasi_disnaker", "-bekasi", "dinas/kota"])
def test_bad_kode_instansi_slug(code):
    data = minimal_data()
    data["Instansi"]["kode_instansi"] = code
    report = rejected(data)
    assert_rejected(report, "Instansi", instansi_row(data, "kode_instansi"), "nilai (kode_instansi)",
                    "huruf kecil, angka dan tanda hubung")


def test_bad_signature_date():
    data = minimal_data()
    data["Instansi"]["tanggal_ttd"] = "31/31/2026"
    report = rejected(data)
    assert_rejected(report, "Instansi", instansi_row(data, "tanggal_ttd"), "nilai (tanggal_ttd)", "tanggal")


def test_text_longer_than_the_column():
    data = minimal_data()
    data["Indikator"][0]["satuan"] = "x" * 61
    report = rejected(data)
    assert_rejected(report, "Indikator", 2, "satuan", "paling panjang 60 karakter")


# ---- every error, not just the first ----


def test_all_errors_of_a_sheet_are_listed():
    data = minimal_data()
    data["Realisasi"][0]["realisasi"] = "7.33"
    data["Realisasi"][1]["tahun"] = 1999
    data["Realisasi"][2]["kode_indikator"] = "IKU9"
    data["Realisasi"][3]["keterangan"] = None
    data["Realisasi"][4]["status"] = "selesai"
    report = rejected(data)
    for row, column in [(2, "realisasi"), (3, "tahun"), (4, "kode_indikator"), (5, "keterangan"), (6, "status")]:
        find_issue(report.errors, "Realisasi", row, column)
    assert len([e for e in report.errors if e.sheet == "Realisasi"]) == 5


def test_errors_on_several_sheets_are_all_listed():
    data = minimal_data()
    data["Instansi"]["email"] = "salah"
    data["Renstra"][2]["induk"] = "M1"
    data["Indikator"][1]["polaritas"] = "naik"
    data["Target"][0]["target"] = "7.73"
    data["Anggaran"][2]["pagu_murni"] = -1
    report = rejected(data)
    sheets = {e.sheet for e in report.errors}
    assert {"Instansi", "Renstra", "Indikator", "Target", "Anggaran"} <= sheets


def test_errors_are_plain_data_for_the_ui():
    data = minimal_data()
    data["Target"][0]["target"] = "7.73"
    report = rejected(data)
    assert report.errors[0].as_dict() == {
        "sheet": "Target",
        "baris": 2,
        "kolom": "target",
        "nilai": "7.73",
        "diharapkan": "angka dalam notasi Indonesia, mis. 7,33 atau 1.234.567",
    }
    assert str(report.errors[0]) == (
        "Sheet Target, baris 2, kolom target: nilai '7.73' — angka dalam notasi Indonesia, mis. 7,33 atau 1.234.567"
    )


@pytest.mark.parametrize(("sheet", "index", "column"), [("Realisasi", 0, "realisasi"), ("Anggaran", 2, "pagu_murni")])
def test_a_bad_cell_is_reported_once_with_its_value(sheet, index, column):
    """Not a second time as "kosong" by a later rule that sees the failed cell as blank."""
    data = minimal_data()
    data[sheet][index][column] = "7.33"
    report = rejected(data)
    at_cell = [e for e in report.errors if (e.sheet, e.row, e.column) == (sheet, excel_row(index), column)]
    assert len(at_cell) == 1, [str(e) for e in at_cell]
    assert at_cell[0].value == "7.33"


@pytest.mark.parametrize("value", [10**30, "1" + ".000" * 10, "1.000.000.000.000.000.000.000.000.000.000,5"])
def test_huge_numbers_are_an_error_not_a_crash(value):
    data = minimal_data()
    data["Anggaran"][-1]["pagu_murni"] = value
    report = rejected(data)
    assert any(e.sheet == "Anggaran" and e.column == "pagu_murni" and "16 digit" in e.expected for e in report.errors)
