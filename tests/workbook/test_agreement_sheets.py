"""The app's optional Perjanjian Kinerja sheets (README, "The standard workbook"): PK (header and
signatories of each PK document), PK_Anggaran (its program budget) and PK_Alasan (why a PK target
differs from the Renstra). Imported through the performance services, exported back, the same
values again; a submitted or approved version refuses every change and accepts an unchanged file."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from agencies.models import Agency
from audit.models import AuditEntry
from audit.services import AuditContext
from performance.models import AgreementProgram, PerformanceAgreement, Target
from performance.services import agreement_transition, amendment_start
from tests.workbook.helpers import (
    as_file,
    assert_nothing_written,
    assert_rejected,
    build_workbook,
    db_counts,
    minimal_data,
    sheet_values,
)
from workbook.exporter import workbook_export
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db

SIGNATORIES = {
    "pihak_pertama_nama": "Siti", "pihak_pertama_nip": "197001012000031001",
    "pihak_pertama_jabatan": "Kepala Dinas Tenaga Kerja Kota Uji",
    "pihak_kedua_nama": "Budi", "pihak_kedua_jabatan": "Wali Kota Uji",
    "tempat_ttd": "Uji",
}


def pk_data() -> dict:
    """minimal_data() with a PK Perubahan and the three PK sheets. The pagu in force of program
    2.07.03 is Rp 18.500.000.000 (18.000.000.000 perubahan + 500.000.000)."""
    data = minimal_data()
    data["Target"].append({"kode_indikator": "IKU1", "tahun": 2025, "dokumen": "pk_perubahan", "target": "7,73"})
    data["PK"] = [
        {"dokumen": "pk", "tahun": 2025, **SIGNATORIES, "pihak_pertama_kedudukan": "plt",
         "sk_nomor": "800/12/BKPSDM/2025", "sk_tanggal": "2025-01-02", "tanggal_ttd": "31 Januari 2025"},
        {"dokumen": "pk_perubahan", "tahun": 2025, "sebab": "koreksi",
         "uraian_sebab": "Target TPT PK murni salah ketik; dikembalikan ke target Renstra",
         "berlaku_mulai": "2025-07-01", **SIGNATORIES, "pihak_kedua_kedudukan": "pj",
         "tanggal_ttd": datetime.datetime(2025, 6, 30)},
    ]
    data["PK_Anggaran"] = [
        {"dokumen": "pk", "tahun": 2025, "kode_program": "2.07.03", "anggaran": "Rp 18.500.000.000"},
        {"dokumen": "pk_perubahan", "tahun": 2025, "kode_program": "2.07.03", "anggaran": "18.000.000.000,50",
         "alasan": "Efisiensi anggaran setelah APBD Perubahan"},
    ]
    data["PK_Alasan"] = [
        {"dokumen": "pk", "tahun": 2025, "kode_indikator": "IKU1", "alasan": "Target dipercepat sesuai RKPD"},
    ]
    return data


def import_ok(data=None, **options):
    report = workbook_import(source=as_file(build_workbook(data if data is not None else pk_data(), **options)))
    assert report.ok, [str(e) for e in report.errors]
    return report


def rejected(data, before=None):
    report = workbook_import(source=as_file(build_workbook(data)))
    assert report.ok is False and report.errors and report.counts == {}
    assert_nothing_written(before)
    return report


def changes(report) -> dict[str, tuple[int, int, int]]:
    return {k: (c.created, c.updated, c.deleted) for k, c in report.counts.items() if c.created or c.updated or c.deleted}


def murni() -> PerformanceAgreement:
    return PerformanceAgreement.objects.get(year=2025, number=0)


def perubahan() -> PerformanceAgreement:
    return PerformanceAgreement.objects.get(year=2025, number=1)


def export() -> bytes:
    return workbook_export(agency=Agency.objects.get(code="uji-disnaker"), year=2025)


def rows_of(data: bytes, sheet: str) -> list[dict]:
    values = sheet_values(data)[sheet]
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


# ---- import ----


def test_the_pk_sheets_set_header_programs_and_reasons():
    report = import_ok()
    assert changes(report)["agreement"] == (2, 0, 0)  # created by the targets, not counted again
    assert changes(report)["agreement_program"] == (2, 0, 0)
    assert changes(report)["agreement_reason"] == (1, 0, 0)
    first, amended = murni(), perubahan()
    assert (first.first_name, first.first_capacity, first.first_decree_number) == ("Siti", "plt", "800/12/BKPSDM/2025")
    assert first.first_decree_date == datetime.date(2025, 1, 2) and first.signed_on == datetime.date(2025, 1, 31)
    assert (first.second_name, first.second_position, first.second_capacity) == ("Budi", "Wali Kota Uji", "definitif")
    assert first.cause == "" and first.effective_from is None and first.status == "draft"
    assert (amended.cause, amended.effective_from, amended.amends) == ("koreksi", datetime.date(2025, 7, 1), first)
    assert amended.second_capacity == "pj" and amended.signed_on == datetime.date(2025, 6, 30)
    programs = {(p.agreement.number, p.item.code): p for p in AgreementProgram.objects.select_related("agreement", "item")}
    assert programs[(0, "2.07.03")].amount == Decimal("18500000000") and programs[(0, "2.07.03")].reason == ""
    assert programs[(1, "2.07.03")].amount == Decimal("18000000000.50")
    assert Target.objects.get(agreement=first, indicator__code="IKU1").reason == "Target dipercepat sesuai RKPD"
    assert Target.objects.get(agreement=first, indicator__code="IKU2").reason == ""
    # Written through the services: audit entries of this import's batch.
    batch_types = set(AuditEntry.objects.filter(batch_id=report.batch_id).values_list("object_type", flat=True))
    assert {"performanceagreement", "agreementprogram", "target"} <= batch_types
    assert any("Program dalam PK: 2 baru" in line for line in report.summary_lines())


def test_reimport_changes_nothing_and_an_edit_updates_in_place():
    import_ok()
    before = db_counts()
    assert changes(import_ok()) == {}
    data = pk_data()
    data["PK"][0]["tempat_ttd"] = "Kota Uji"
    data["PK_Anggaran"][1]["anggaran"] = 17_000_000_000
    data["PK_Alasan"][0]["alasan"] = "Target dipercepat (RKPD 2025)"
    report = import_ok(data)
    assert changes(report) == {"agreement": (0, 1, 0), "agreement_program": (0, 1, 0), "agreement_reason": (0, 1, 0)}
    assert db_counts() == before
    assert murni().signed_place == "Kota Uji"
    assert AgreementProgram.objects.get(agreement=perubahan()).amount == Decimal("17000000000")


def test_pk_anggaran_replaces_the_programs_of_the_documents_it_names_only():
    data = pk_data()
    data["Anggaran"].append({"kode": "2.07.04", "jenis": "program", "uraian": "Program lain", "tahun": 2025})
    data["PK_Anggaran"].append({"dokumen": "pk", "tahun": 2025, "kode_program": "2.07.04", "anggaran": 5,
                                "alasan": "tidak ada pagu"})
    import_ok(data)
    data = pk_data()
    del data["PK_Anggaran"][1]  # pk_perubahan not named: its program stays
    report = import_ok(data)
    assert changes(report) == {"agreement_program": (0, 0, 1)}
    assert list(AgreementProgram.objects.filter(agreement=murni()).values_list("item__code", flat=True)) == ["2.07.03"]
    assert AgreementProgram.objects.filter(agreement=perubahan()).count() == 1


def test_pk_alasan_covers_every_target_of_the_documents_it_names():
    import_ok()
    data = pk_data()
    data["PK_Alasan"] = [{"dokumen": "pk", "tahun": 2025, "kode_indikator": "IKU2", "alasan": "Target baru"}]
    report = import_ok(data)
    assert changes(report) == {"agreement_reason": (1, 0, 1)}  # IKU2 given, IKU1's taken away
    assert Target.objects.get(agreement=murni(), indicator__code="IKU1").reason == ""
    assert Target.objects.get(agreement=murni(), indicator__code="IKU2").reason == "Target baru"
    # Without the sheet the reasons stay as they are.
    assert changes(import_ok(minimal_data())) == {}
    assert Target.objects.get(agreement=murni(), indicator__code="IKU2").reason == "Target baru"


def test_a_status_column_is_ignored_with_a_warning():
    data = pk_data()
    data["PK"][0]["status"] = "approved"
    report = import_ok(data)
    warning = next(w for w in report.warnings if w.sheet == "PK" and w.column == "status")
    assert "hanya di aplikasi" in warning.expected
    assert murni().status == "draft"


# ---- bad input: nothing written, the error names sheet, row, column ----


def _set(sheet: str, index: int, **values):
    def edit(data):
        data[sheet][index].update(values)
    return edit


def _drop(sheet: str, index: int, column: str):
    def edit(data):
        del data[sheet][index][column]
    return edit


def _append(sheet: str, **values):
    def edit(data):
        data[sheet].append(values)
    return edit


def _repeat(sheet: str, index: int):
    def edit(data):
        data[sheet].append(dict(data[sheet][index]))
    return edit


BAD = [
    # sheet PK
    ("dokumen renstra", _set("PK", 0, dokumen="renstra"), "PK", 2, "dokumen", ["pk, pk_perubahan"]),
    ("tahun as text", _set("PK", 0, tahun="dua ribu"), "PK", 2, "tahun", ["tahun"]),
    ("no such document", _set("PK", 0, tahun=2024), "PK", 2, "dokumen", ["sheet Target"]),
    ("twice", _repeat("PK", 0), "PK", 4, "tahun", ["tidak boleh ganda", "baris 2"]),
    ("cause on murni", _set("PK", 0, sebab="koreksi"), "PK", 2, "sebab", ["kosong", "pk_perubahan"]),
    ("effective date on murni", _set("PK", 0, berlaku_mulai="2025-02-01"), "PK", 2, "berlaku_mulai", ["kosong"]),
    ("amendment without cause", _drop("PK", 1, "sebab"), "PK", 3, "sebab", ["koreksi"]),
    ("unknown cause", _set("PK", 1, sebab="lainnya"), "PK", 3, "sebab", ["pejabat", "strategi", "koreksi"]),
    ("without cause note", _set("PK", 1, uraian_sebab="  "), "PK", 3, "uraian_sebab", ["uraian sebab"]),
    ("without effective date", _drop("PK", 1, "berlaku_mulai"), "PK", 3, "berlaku_mulai", ["dalam tahun 2025"]),
    ("effective date in another year", _set("PK", 1, berlaku_mulai="2024-12-31"), "PK", 3, "berlaku_mulai",
     ["dalam tahun 2025"]),
    ("bad effective date", _set("PK", 1, berlaku_mulai="31/02/2025"), "PK", 3, "berlaku_mulai", ["tanggal"]),
    ("pj as first party", _set("PK", 0, pihak_pertama_kedudukan="pj"), "PK", 2, "pihak_pertama_kedudukan",
     ["definitif, plt, plh"]),
    ("unknown second capacity", _set("PK", 0, pihak_kedua_kedudukan="wakil"), "PK", 2, "pihak_kedua_kedudukan",
     ["pj"]),
    ("acting without SK number", _drop("PK", 0, "sk_nomor"), "PK", 2, "sk_nomor", ["plt", "SK"]),
    ("acting without SK date", _drop("PK", 0, "sk_tanggal"), "PK", 2, "sk_tanggal", ["plt", "SK"]),
    ("bad signing date", _set("PK", 0, tanggal_ttd="awal tahun"), "PK", 2, "tanggal_ttd", ["2026-01-31"]),
    ("name too long", _set("PK", 0, pihak_pertama_nama="x" * 201), "PK", 2, "pihak_pertama_nama", ["200"]),
    # sheet PK_Anggaran
    ("unknown program", _set("PK_Anggaran", 0, kode_program="9.99.99"), "PK_Anggaran", 2, "kode_program",
     ["sheet Anggaran"]),
    ("a kegiatan", _set("PK_Anggaran", 0, kode_program="2.07.03.2.01"), "PK_Anggaran", 2, "kode_program",
     ["jenis program"]),
    ("amount in English notation", _set("PK_Anggaran", 0, anggaran="18500000000.5"), "PK_Anggaran", 2, "anggaran",
     ["notasi Indonesia"]),
    ("negative amount", _set("PK_Anggaran", 0, anggaran=-5), "PK_Anggaran", 2, "anggaran", ["tidak negatif"]),
    ("three decimals", _set("PK_Anggaran", 0, anggaran="1.000,505"), "PK_Anggaran", 2, "anggaran", ["2 angka desimal"]),
    ("no amount", _drop("PK_Anggaran", 0, "anggaran"), "PK_Anggaran", 2, "anggaran", ["wajib diisi"]),
    ("program twice", _repeat("PK_Anggaran", 0), "PK_Anggaran", 4, "kode_program", ["tidak boleh ganda"]),
    ("document without targets", _set("PK_Anggaran", 0, tahun=2026), "PK_Anggaran", 2, "dokumen", ["sheet Target"]),
    ("bad document", _set("PK_Anggaran", 1, dokumen="renja"), "PK_Anggaran", 3, "dokumen", ["pk_perubahan"]),
    # sheet PK_Alasan
    ("unknown indicator", _set("PK_Alasan", 0, kode_indikator="IKU9"), "PK_Alasan", 2, "kode_indikator",
     ["sheet Indikator"]),
    ("indicator without PK target", _set("PK_Alasan", 0, kode_indikator="IKK1"), "PK_Alasan", 2, "kode_indikator",
     ["target pk tahun 2025"]),
    ("reason for another document", _set("PK_Alasan", 0, dokumen="pk_perubahan", kode_indikator="IKU2"),
     "PK_Alasan", 2, "kode_indikator", ["pk_perubahan"]),
    ("no reason", _set("PK_Alasan", 0, alasan=None), "PK_Alasan", 2, "alasan", ["wajib diisi"]),
    ("reason twice", _repeat("PK_Alasan", 0), "PK_Alasan", 3, "kode_indikator", ["tidak boleh ganda"]),
    ("year out of range", _append("PK_Alasan", dokumen="pk", tahun=1999, kode_indikator="IKU1", alasan="x"),
     "PK_Alasan", 3, "tahun", ["2000"]),
]


@pytest.mark.parametrize(("edit", "sheet", "row", "column", "words"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_writes_nothing_and_names_the_cell(edit, sheet, row, column, words):
    data = pk_data()
    edit(data)
    report = rejected(data)
    assert_rejected(report, sheet, row, column, *words)


@pytest.mark.parametrize(("sheet", "column"), [("PK", "dokumen"), ("PK", "tahun"), ("PK_Anggaran", "anggaran"),
                                                ("PK_Anggaran", "kode_program"), ("PK_Alasan", "alasan")])
def test_missing_required_column(sheet, column):
    report = workbook_import(source=as_file(build_workbook(pk_data(), remove_columns={sheet: [column]})))
    assert_rejected(report, sheet, 1, column, "kolom wajib ada di baris judul")
    assert_nothing_written()


def test_a_formula_in_a_pk_sheet_is_refused():
    data = pk_data()
    data["PK_Anggaran"][0]["anggaran"] = "=1+1"
    report = workbook_import(source=as_file(build_workbook(data)))
    assert_rejected(report, "PK_Anggaran", 2, "anggaran", "rumus")
    assert_nothing_written()


# ---- submitted and approved versions ----


def submit_and_approve(agreement: PerformanceAgreement) -> PerformanceAgreement:
    ctx = AuditContext(reason="uji")
    agreement = agreement_transition(agreement=agreement, transition="submit", ctx=ctx)
    return agreement_transition(agreement=agreement, transition="approve", ctx=ctx)


def test_the_imported_pk_is_complete_enough_to_submit_and_approve():
    import_ok()
    first = submit_and_approve(murni())
    assert first.frozen["signed_on"] == "2025-01-31" and first.frozen["first"]["decree_number"] == "800/12/BKPSDM/2025"
    assert first.frozen["programs"][0]["amount"] == "18500000000.00"
    assert next(r for r in first.frozen["rows"] if r["indicator"] == "IKU1")["reason"] == "Target dipercepat sesuai RKPD"
    second = submit_and_approve(perubahan())
    assert second.frozen["cause"] == "koreksi" and second.frozen["total"] == "18000000000.50"


def test_an_approved_version_accepts_the_same_workbook_again():
    import_ok()
    submit_and_approve(murni())
    before = db_counts()
    assert changes(import_ok()) == {}
    assert db_counts() == before
    # Its own export too (export → import writes nothing).
    assert changes(workbook_import(source=as_file(export()))) == {}


APPROVED_EDITS = [
    ("header", _set("PK", 0, tempat_ttd="Kota Uji"), "PK", 2, "tempat_ttd"),
    ("signatory", _set("PK", 0, pihak_kedua_nama="Andi"), "PK", 2, "pihak_kedua_nama"),
    ("capacity", _set("PK", 0, pihak_pertama_kedudukan="definitif"), "PK", 2, "pihak_pertama_kedudukan"),
    ("program amount", _set("PK_Anggaran", 0, anggaran=1), "PK_Anggaran", 2, "anggaran"),
    ("program reason", _set("PK_Anggaran", 0, alasan="baru"), "PK_Anggaran", 2, "alasan"),
    ("program added", _append("PK_Anggaran", dokumen="pk", tahun=2025, kode_program="2.07.04", anggaran=1,
                              alasan="x"), "PK_Anggaran", 4, "anggaran"),
    ("target reason", _set("PK_Alasan", 0, alasan="Alasan lain"), "PK_Alasan", 2, "alasan"),
    ("reason added", _append("PK_Alasan", dokumen="pk", tahun=2025, kode_indikator="IKU2", alasan="x"),
     "PK_Alasan", 3, "alasan"),
]


@pytest.mark.parametrize(("edit", "sheet", "row", "column"), [e[1:] for e in APPROVED_EDITS],
                         ids=[e[0] for e in APPROVED_EDITS])
def test_an_approved_version_refuses_a_change(edit, sheet, row, column):
    base = pk_data()
    base["Anggaran"].append({"kode": "2.07.04", "jenis": "program", "uraian": "Program lain", "tahun": 2025})
    import_ok(base)
    submit_and_approve(murni())
    before = db_counts()
    data = pk_data()
    data["Anggaran"].append({"kode": "2.07.04", "jenis": "program", "uraian": "Program lain", "tahun": 2025})
    edit(data)
    data["Realisasi"][0]["realisasi"] = "6,95"  # a valid edit elsewhere is not written either
    report = rejected(data, before)
    issue = assert_rejected(report, sheet, row, column, "sudah disetujui", "PK perubahan")
    assert "PK Murni" in issue.expected


def test_an_approved_version_refuses_a_program_taken_out():
    data = pk_data()
    data["Anggaran"].append({"kode": "2.07.04", "jenis": "program", "uraian": "Program lain", "tahun": 2025})
    data["PK_Anggaran"].append({"dokumen": "pk", "tahun": 2025, "kode_program": "2.07.04", "anggaran": 1,
                                "alasan": "tidak ada pagu"})
    import_ok(data)
    submit_and_approve(murni())
    before = db_counts()
    del data["PK_Anggaran"][0]  # 2.07.03 out of the PK murni
    report = rejected(data, before)
    issue = assert_rejected(report, "PK_Anggaran", None, "kode_program", "sudah disetujui")
    assert issue.value == "pk 2025: 2.07.03"


def test_a_submitted_version_refuses_a_change_until_withdrawn():
    import_ok()
    agreement_transition(agreement=murni(), transition="submit", ctx=AuditContext(reason="uji"))
    before = db_counts()
    data = pk_data()
    data["PK"][0]["tanggal_ttd"] = "2025-02-01"
    report = rejected(data, before)
    assert_rejected(report, "PK", 2, "tanggal_ttd", "sedang diajukan", "tarik kembali")
    assert changes(import_ok()) == {}  # the same values are fine


# ---- export and the round trip ----


def test_export_writes_the_pk_sheets_and_the_round_trip_is_exact():
    import_ok()
    first = export()
    pk_rows = rows_of(first, "PK")
    assert [(r["dokumen"], r["tahun"]) for r in pk_rows] == [("pk", 2025), ("pk_perubahan", 2025)]
    assert pk_rows[0]["tanggal_ttd"] == "2025-01-31" and pk_rows[0]["pihak_pertama_kedudukan"] == "plt"
    assert "status" not in pk_rows[0]
    assert pk_rows[1]["sebab"] == "koreksi" and pk_rows[1]["berlaku_mulai"] == "2025-07-01"
    programs = rows_of(first, "PK_Anggaran")
    assert [(p["dokumen"], p["kode_program"], p["anggaran"]) for p in programs] == [
        ("pk", "2.07.03", 18500000000), ("pk_perubahan", "2.07.03", 18000000000.5)]
    assert rows_of(first, "PK_Alasan") == [
        {"dokumen": "pk", "tahun": 2025, "kode_indikator": "IKU1", "alasan": "Target dipercepat sesuai RKPD"}]
    from tests.workbook.test_round_trip import assert_same_workbook, delete_everything, snapshot

    imported = snapshot()
    assert changes(workbook_import(source=as_file(first))) == {}
    delete_everything()
    assert workbook_import(source=as_file(first)).ok
    assert snapshot() == imported
    assert_same_workbook(first, export())


def test_export_names_the_latest_amendment_pk_perubahan():
    import_ok()
    submit_and_approve(murni())
    submit_and_approve(perubahan())
    second = amendment_start(agreement=perubahan(), cause="anggaran", cause_note="APBD Perubahan",
                             effective_from=datetime.date(2025, 10, 1), ctx=AuditContext(reason="uji"))
    Target.objects.filter(agreement=second, indicator__code="IKU1").update(value=Decimal("7.6"))
    exported = export()
    targets = [r for r in rows_of(exported, "Target") if r["dokumen"] == "pk_perubahan"]
    assert [(r["kode_indikator"], r["target"]) for r in targets] == [("IKU1", 7.6)]
    pk_rows = rows_of(exported, "PK")
    assert [(r["dokumen"], r["sebab"]) for r in pk_rows] == [("pk", None), ("pk_perubahan", "anggaran")]
    # Importing it again addresses version 2 and changes nothing.
    assert changes(workbook_import(source=as_file(exported))) == {}


def test_a_pk_without_header_programs_or_reasons_exports_no_pk_sheets():
    import_ok(minimal_data())
    sheets = sheet_values(export())
    assert not {"PK", "PK_Anggaran", "PK_Alasan"} & set(sheets)


def test_a_program_amount_other_than_the_pagu_without_a_reason_is_imported_with_a_warning():
    data = pk_data()
    data["PK_Anggaran"][1]["alasan"] = None
    report = import_ok(data)
    warning = next(w for w in report.warnings if w.sheet == "PK_Anggaran")
    assert (warning.row, warning.column) == (3, "alasan")
    assert "Rp 18.500.000.000" in warning.expected and "tidak dapat diajukan" in warning.expected
    assert [w for w in report.warnings if w.sheet == "PK_Anggaran"] == [warning]  # row 2 equals the pagu


def test_the_unchanged_reimport_of_an_approved_version_is_reported_unchanged():
    import_ok()
    submit_and_approve(murni())
    report = import_ok()
    assert (report.counts["agreement"].unchanged, report.counts["agreement_program"].unchanged) == (2, 2)
    assert report.counts["agreement_reason"].unchanged == 2  # IKU1's reason and IKU2's none
