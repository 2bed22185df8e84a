"""Re-import updates in place and never duplicates; dry runs write nothing; approved PKs are locked."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budget.models import BudgetLine
from performance.models import Indicator, PerformanceAgreement, Realization, Target
from tests.factories import approve_agreement
from tests.workbook.helpers import (
    BEKASI,
    as_file,
    assert_nothing_written,
    assert_rejected,
    build_workbook,
    db_counts,
    minimal_data,
)
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db


def import_ok(data=None, **kwargs):
    report = workbook_import(source=as_file(build_workbook(data)), **kwargs)
    assert report.ok, [str(e) for e in report.errors]
    return report


def changes(report) -> dict[str, tuple[int, int, int]]:
    """(created, updated, deleted) per table, only where something changed."""
    return {
        key: (c.created, c.updated, c.deleted)
        for key, c in report.counts.items()
        if c.created or c.updated or c.deleted
    }


# ---- re-import ----


def test_reimporting_the_same_workbook_changes_nothing():
    first = import_ok()
    before = db_counts()
    pks = dict(Realization.objects.values_list("indicator__code", "pk").filter(year=2024))
    second = import_ok()
    assert db_counts() == before
    assert changes(second) == {}
    # Every row the first import created is reported unchanged (agreements are created on demand only).
    created = {key: c.created for key, c in first.counts.items() if key != "agreement"}
    assert {key: second.counts[key].unchanged for key in created} == created
    assert dict(Realization.objects.values_list("indicator__code", "pk").filter(year=2024)) == pks


def test_reimporting_the_demo_workbook_changes_nothing():
    assert workbook_import(source=BEKASI).ok
    before = db_counts()
    for _ in range(2):
        report = workbook_import(source=BEKASI)
        assert report.ok
        assert changes(report) == {}
    assert db_counts() == before


def test_edited_realisasi_is_updated_in_place():
    import_ok()
    original = Realization.objects.get(indicator__code="IKU1", year=2025, quarter=None)
    before = db_counts()
    data = minimal_data()
    data["Realisasi"][0]["realisasi"] = "6,95"
    report = import_ok(data)
    assert changes(report) == {"realization": (0, 1, 0)}
    assert db_counts() == before
    updated = Realization.objects.get(pk=original.pk)
    assert updated.value == Decimal("6.95")
    # Nothing else moved.
    assert Realization.objects.get(indicator__code="IKU1", year=2024).value == Decimal("8.55")


def test_edited_status_and_note_update_in_place():
    import_ok()
    original = Realization.objects.get(indicator__code="IKU2", quarter=2)
    data = minimal_data()
    data["Realisasi"][3].update({"status": "final", "realisasi": 300, "keterangan": None})
    import_ok(data)
    updated = Realization.objects.get(pk=original.pk)
    assert (updated.status, updated.value, updated.note) == ("final", Decimal(300), "")


def test_edited_indicator_and_draft_pk_target_update_in_place():
    import_ok()
    indicator_pk = Indicator.objects.get(code="IKU1").pk
    target_pk = Target.objects.get(indicator__code="IKU1", document="pk").pk
    data = minimal_data()
    data["Indikator"][0]["nama"] = "TPT (diperbarui)"
    data["Target"][1]["target"] = "7,4"
    report = import_ok(data)
    assert changes(report) == {"indicator": (0, 1, 0), "target": (0, 1, 0)}
    assert Indicator.objects.get(pk=indicator_pk).name == "TPT (diperbarui)"
    assert Target.objects.get(pk=target_pk).value == Decimal("7.4")


def test_new_rows_are_added_and_missing_rows_are_kept():
    import_ok()
    data = minimal_data()
    data["Realisasi"].append({"kode_indikator": "IKU2", "tahun": 2025, "triwulan": 3, "realisasi": 400})
    del data["Realisasi"][1]  # IKU1 2024: a re-import never deletes realisasi
    report = import_ok(data)
    assert changes(report) == {"realization": (1, 0, 0)}
    assert Realization.objects.filter(indicator__code="IKU1", year=2024).exists()
    assert Realization.objects.count() == 6


def test_budget_money_moves_down_when_a_leaf_gets_children():
    import_ok()
    data = minimal_data()
    row = data["Anggaran"][3]
    money = {k: row.pop(k) for k in ("pagu_murni", "realisasi_tw4")}
    data["Anggaran"].append({"kode": "2.07.03.2.02.0001", "jenis": "subkegiatan", "uraian": "Pelatihan",
                             "tahun": 2025, **money})
    report = import_ok(data)
    assert report.counts["budget_line"].created == 1
    assert report.counts["budget_line"].deleted == 1
    assert not BudgetLine.objects.filter(item__code="2.07.03.2.02").exists()
    assert BudgetLine.objects.get(item__code="2.07.03.2.02.0001").ceiling_original == Decimal(500000000)


def test_agency_code_registered_under_another_pemda_is_rejected():
    import_ok()
    before = db_counts()
    data = minimal_data()
    data["Instansi"]["pemda"] = "Pemerintah Kota Lain"
    report = workbook_import(source=as_file(build_workbook(data)))
    assert_rejected(report, "Instansi", None, "nilai (pemda)", "Pemerintah Kota Uji", "sudah terdaftar")
    assert_nothing_written(before)


# ---- dry run ----


def test_dry_run_writes_nothing_but_reports_what_it_would_create():
    report = import_ok(dry_run=True)
    assert report.dry_run is True
    assert_nothing_written()
    assert report.counts["indicator"].created == 3
    assert report.counts["target"].created == 4
    assert report.counts["realization"].created == 5
    assert report.counts["budget_line"].created == 2
    assert report.agency_code == "uji-disnaker" and report.year == 2025
    assert any(line.startswith("Indikator: 3 baru") for line in report.summary_lines())


def test_dry_run_of_an_edit_reports_the_update_and_writes_nothing():
    import_ok()
    before = db_counts()
    data = minimal_data()
    data["Realisasi"][0]["realisasi"] = "6,95"
    data["Indikator"].append({"kode": "IKU3", "pemilik": "T1", "nama": "Baru", "satuan": "%", "polaritas": "positif"})
    report = import_ok(data, dry_run=True)
    assert changes(report) == {"realization": (0, 1, 0), "indicator": (1, 0, 0)}
    assert_nothing_written(before)
    assert Realization.objects.get(indicator__code="IKU1", year=2025).value == Decimal("7.33")


def test_dry_run_with_errors_reports_the_errors():
    data = minimal_data()
    data["Target"][0]["target"] = "7.73"
    report = workbook_import(source=as_file(build_workbook(data)), dry_run=True)
    assert_rejected(report, "Target", 2, "target", "notasi Indonesia")
    assert report.dry_run is True
    assert_nothing_written()


# ---- an approved Perjanjian Kinerja is locked ----


def approve_pk() -> PerformanceAgreement:
    agreement = approve_agreement(PerformanceAgreement.objects.get(year=2025, version="murni"))
    assert agreement.is_locked
    return agreement


@pytest.mark.parametrize(("column", "value"), [("target", "7,4"), ("tw2", 7.7), ("tw4", None)])
def test_targets_of_an_approved_pk_cannot_change(column, value):
    import_ok()
    approve_pk()
    before = db_counts()
    data = minimal_data()
    data["Target"][1][column] = value
    data["Realisasi"][0]["realisasi"] = "6,95"  # a valid edit elsewhere is not written either
    report = workbook_import(source=as_file(build_workbook(data)))
    issue = assert_rejected(report, "Target", 3, "target", "sudah disetujui", "pk_perubahan")
    assert "PK Murni" in issue.expected
    assert_nothing_written(before)
    target = Target.objects.get(indicator__code="IKU1", document="pk")
    assert target.value == Decimal("7.5") and target.q2 == Decimal("7.8") and target.q4 == Decimal("7.5")
    assert Realization.objects.get(indicator__code="IKU1", year=2025).value == Decimal("7.33")


def test_no_new_target_in_an_approved_pk():
    import_ok()
    approve_pk()
    before = db_counts()
    data = minimal_data()
    data["Target"].append({"kode_indikator": "IKK1", "tahun": 2025, "dokumen": "pk", "target": 90})
    report = workbook_import(source=as_file(build_workbook(data)))
    assert_rejected(report, "Target", 6, "target", "sudah disetujui")
    assert_nothing_written(before)


def test_approved_pk_unchanged_reimport_and_amendment_are_allowed():
    import_ok()
    murni = approve_pk()
    assert changes(import_ok()) == {}
    data = minimal_data()
    data["Target"].append({"kode_indikator": "IKU1", "tahun": 2025, "dokumen": "pk_perubahan", "target": "7,4"})
    report = import_ok(data)
    assert changes(report) == {"agreement": (1, 0, 0), "target": (1, 0, 0)}
    amended = PerformanceAgreement.objects.get(year=2025, version="perubahan")
    assert amended.amends == murni
    assert Target.objects.get(indicator__code="IKU1", document="pk", version="perubahan").value == Decimal("7.4")
    assert Target.objects.get(indicator__code="IKU1", document="pk", version="murni").value == Decimal("7.5")


def test_targets_of_a_submitted_pk_cannot_change_until_it_is_withdrawn():
    from audit.services import AuditContext
    from performance.services import agreement_save, agreement_transition
    from tests.factories import SIGNATORIES, agreement_rows

    import_ok()
    agreement = PerformanceAgreement.objects.get(year=2025, version="murni")
    rows, programs = agreement_rows(agreement)
    agreement_save(agreement=agreement, header=SIGNATORIES, rows=rows, programs=programs, revision=None,
                   ctx=AuditContext())
    agreement_transition(agreement=agreement, transition="submit", ctx=AuditContext())
    before = db_counts()
    data = minimal_data()
    data["Target"][1]["target"] = "7,4"
    report = workbook_import(source=as_file(build_workbook(data)))
    assert_rejected(report, "Target", 3, "target", "sedang diajukan untuk persetujuan", "tarik kembali")
    assert_nothing_written(before)
    agreement_transition(agreement=agreement, transition="withdraw", ctx=AuditContext())
    assert import_ok(data).ok
    assert Target.objects.get(indicator__code="IKU1", document="pk").value == Decimal("7.4")
