"""Every service writes exactly the audit entries it should, and none for unchanged data."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from agencies.models import Agency, AgencyMembership, StaffCount, User
from agencies.services import membership_grant
from audit.models import AppendOnlyError, AuditEntry, ImportBatch
from audit.services import AuditContext
from budget.models import BudgetLine
from performance.models import PerformanceAgreement, RatingBand, Realization, Target
from performance.services import agreement_save, agreement_transition, realizations_upsert
from tests.factories import SIGNATORIES, agreement_rows, approve_agreement
from tests.workbook.helpers import as_file, build_workbook, db_counts, minimal_data
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db


def import_data(data=None, **kwargs):
    content = build_workbook(data)
    report = workbook_import(source=as_file(content), file_name="uji.xlsx", **kwargs)
    assert report.ok, [str(e) for e in report.errors]
    return report, content


def entries_of(report):
    return list(AuditEntry.objects.filter(batch_id=report.batch_id).order_by("pk"))


def test_first_import_records_one_create_entry_per_record_and_its_batch():
    report, content = import_data()
    entries = entries_of(report)
    # A fresh database: every record there now was created by this import, and has one entry.
    assert len(entries) == sum(db_counts().values()) == report.audit_entries
    assert len({(e.object_type, e.object_id) for e in entries}) == len(entries)
    assert {e.action for e in entries} == {"create"}
    batch = ImportBatch.objects.get(pk=report.batch_id)
    assert batch.file_name == "uji.xlsx"
    assert batch.file_sha256 == hashlib.sha256(content).hexdigest()
    assert (batch.agency_code, batch.year, batch.channel, batch.user_label) == ("uji-disnaker", 2025, "command", "sistem")
    tpt = next(e for e in entries if e.object_type == "realization" and e.indicator_code == "IKU1" and e.year == 2025)
    assert tpt.changes["value"] == [None, "7.33"]
    assert tpt.agency_code == "uji-disnaker" and tpt.quarter is None
    assert tpt.agency_id == Agency.objects.get(code="uji-disnaker").pk
    assert tpt.channel == "command" and tpt.user_id is None


def test_unchanged_reimport_records_only_the_batch():
    import_data()
    before = AuditEntry.objects.count()
    report, _ = import_data()
    assert AuditEntry.objects.count() == before
    assert report.audit_entries == 0
    assert ImportBatch.objects.count() == 2 and report.batch_id is not None


def test_changed_value_records_old_and_new_with_who_and_channel():
    import_data()
    planner = User.objects.create_user("perencana", password="x")
    AgencyMembership.objects.create(user=planner, agency=Agency.objects.get(), role="planner")
    data = minimal_data()
    data["Realisasi"][0]["realisasi"] = "6,12"
    report, _ = import_data(data, user=planner)
    [entry] = entries_of(report)
    assert (entry.object_type, entry.action, entry.indicator_code, entry.year) == ("realization", "update", "IKU1", 2025)
    assert entry.changes == {"value": ["7.33", "6.12"]}
    assert (entry.user, entry.user_label, entry.channel) == (planner, "perencana", "import")
    assert entry.object_id == Realization.objects.get(indicator__code="IKU1", year=2025, quarter=None).pk


def test_rows_a_reimport_removes_are_recorded_as_deleted():
    import_data()
    data = minimal_data()
    removed = data["Pegawai"].pop()
    report, _ = import_data(data)
    [entry] = entries_of(report)
    assert entry.action == "delete" and entry.object_type == "staffcount"
    assert entry.changes["count"] == [str(removed["jumlah"]), None]
    assert not StaffCount.objects.filter(pk=entry.object_id).exists()


def test_a_replaced_scale_records_each_band():
    import_data()
    data = minimal_data()
    data["Skala"][0]["label"] = "Istimewa"
    report, _ = import_data(data)
    entries = entries_of(report)
    bands = len(data["Skala"])
    assert sum(1 for e in entries if e.object_type == "ratingband" and e.action == "delete") == bands
    assert sum(1 for e in entries if e.object_type == "ratingband" and e.action == "create") == bands
    assert RatingBand.objects.filter(label="Istimewa").exists()


def test_budget_line_of_a_row_that_gets_children_is_deleted_with_an_entry():
    import_data()
    data = minimal_data()
    leaf = next(row for row in data["Anggaran"] if row["kode"] == "2.07.03.2.02")  # a kegiatan holding money
    child = {**leaf, "kode": "2.07.03.2.02.0001", "jenis": "subkegiatan", "uraian": "Sub baru"}
    leaf.pop("pagu_murni"), leaf.pop("realisasi_tw4")  # the money moves down to the new sub kegiatan
    data["Anggaran"].append(child)
    report, _ = import_data(data)
    kinds = {(e.object_type, e.action) for e in entries_of(report)}
    assert ("budgetline", "delete") in kinds and ("budgetline", "create") in kinds and ("budgetitem", "create") in kinds


def test_a_rejected_import_writes_no_entry_and_no_batch():
    import_data()
    approve_agreement(PerformanceAgreement.objects.get(year=2025, version="murni"))
    entries, batches = AuditEntry.objects.count(), ImportBatch.objects.count()
    data = minimal_data()
    data["Target"][1]["target"] = "7,4"
    report = workbook_import(source=as_file(build_workbook(data)))
    assert not report.ok
    assert (AuditEntry.objects.count(), ImportBatch.objects.count()) == (entries, batches)


def test_a_dry_run_writes_no_entry_and_no_batch():
    report = workbook_import(source=as_file(build_workbook()), dry_run=True)
    assert report.ok and report.batch_id is None
    assert not AuditEntry.objects.exists() and not ImportBatch.objects.exists()


def test_transitions_are_recorded_with_the_reason():
    import_data()
    user = User.objects.create_user("bappeda", password="x")
    agreement = PerformanceAgreement.objects.get(year=2025, version="murni")
    rows, programs = agreement_rows(agreement)
    agreement_save(agreement=agreement, header=SIGNATORIES, rows=rows, programs=programs, revision=None,
                   ctx=AuditContext(user=user, channel="form"))
    agreement_transition(agreement=agreement, transition="submit", ctx=AuditContext(user=user, channel="form"))
    reviewer = User.objects.create_user("bappeda-2", password="x")
    agreement_transition(
        agreement=agreement, transition="send_back", ctx=AuditContext(user=reviewer, channel="form", reason="Target TW II")
    )
    entries = list(AuditEntry.objects.filter(action="transition").order_by("pk"))
    assert [e.changes["status"] for e in entries] == [["draft", "submitted"], ["submitted", "returned"]]
    assert entries[1].reason == "Target TW II" and entries[1].user == reviewer and entries[1].year == 2025


def test_membership_grant_is_recorded_once():
    import_data()
    user = User.objects.create_user("op", password="x")
    agency = Agency.objects.get()
    ctx = AuditContext()
    membership_grant(user=user, agency=agency, role="staff", ctx=ctx)
    membership_grant(user=user, agency=agency, role="staff", ctx=ctx)
    membership_grant(user=user, agency=agency, role="planner", ctx=ctx)
    entries = AuditEntry.objects.filter(object_type="agencymembership").order_by("pk")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].changes == {"role": ["staff", "planner"]}


def test_bulk_service_entries_cost_a_fixed_number_of_queries():
    import_data()
    plan = Agency.objects.get().strategic_plans.get()
    indicator = plan.indicators.get(code="IKU1")

    def upsert(count, value):
        rows = {
            (indicator.pk, 2000 + n, None): {"value": Decimal(value), "status": "final", "numerator": None,
                                             "denominator": None, "note": "", "source": ""}
            for n in range(count)
        }
        with CaptureQueriesContext(connection) as captured:
            result = realizations_upsert(plan=plan, rows=rows, ctx=AuditContext())
        return len(captured), result

    small, _ = upsert(5, "1")
    large, result = upsert(20, "1")  # 5 updated (none: same value), 15 created
    assert result.created == 15 and result.entries == 15
    assert large == small
    changed, result = upsert(20, "2")
    assert result.updated == 20 and result.entries == 20


def test_the_trail_is_append_only():
    import_data()
    entry = AuditEntry.objects.first()
    entry.reason = "diubah"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        ImportBatch.objects.all().delete()


def test_postgresql_refuses_raw_updates_of_the_trail():
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's extra safety net; SQLite relies on the model")
    import_data()
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET reason = 'x'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")


def test_history_survives_deleting_the_records_it_describes():
    report, _ = import_data()
    before = AuditEntry.objects.count()
    BudgetLine.objects.all().delete()  # a raw ORM delete (no service): the trail itself must not be touched
    Target.objects.all().delete()
    assert AuditEntry.objects.count() == before


def test_a_collision_on_a_shared_record_is_a_message_not_a_crash(monkeypatch):
    from performance import services

    def collide(**kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(services, "realizations_upsert", collide)
    report = workbook_import(source=as_file(build_workbook()))
    assert not report.ok
    assert "pengguna lain pada saat yang sama" in report.errors[0].expected
    assert not Agency.objects.exists()
