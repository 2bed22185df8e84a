"""The quarterly entry services: drafts, values that add up, conflicts, locks, verification."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import AuditContext
from performance.models import Narrative, Realization
from performance.rules import RuleViolation
from performance.services import EntryInput, entries_save, entries_transition, realizations_upsert
from periods.models import QuarterLock, Reopening

from .conftest import YEAR, calendar

pytestmark = pytest.mark.django_db


def value(indicator, text: str | None, *, revision=None, status="final", **more) -> EntryInput:
    return EntryInput(indicator_id=indicator.pk, status=status, value=Decimal(text) if text else None,
                      revision=revision, **more)


def save(agency, quarter, *entries, ctx):
    return entries_save(agency=agency, year=YEAR, quarter=quarter, entries=list(entries), ctx=ctx)


def entry_of(indicator, quarter) -> Realization:
    return Realization.objects.get(indicator=indicator, year=YEAR, quarter=quarter)


def test_a_saved_value_is_a_draft_with_its_audit_entry(agency, iku1, op_ctx):
    result = save(agency, 4, value(iku1, "7.33", source="BPS"), ctx=op_ctx)
    stored = entry_of(iku1, 4)
    assert result.saved == [iku1.pk]
    assert (stored.value, stored.review, stored.revision) == (Decimal("7.33"), "draf", 0)
    audit = AuditEntry.objects.get(object_type="realization", object_id=stored.pk)
    assert (audit.channel, audit.action, audit.user_label, audit.quarter) == ("form", "create", "operator", 4)
    assert audit.changes["value"] == [None, "7.33"]


def test_saving_the_same_again_writes_nothing(agency, iku1, op_ctx):
    save(agency, 4, value(iku1, "7.33"), ctx=op_ctx)
    before = AuditEntry.objects.count()
    result = save(agency, 4, value(iku1, "7.33", revision=0), ctx=op_ctx)
    assert result.saved == [] and AuditEntry.objects.count() == before


def test_a_change_moves_the_revision_and_is_audited_old_to_new(agency, iku1, op_ctx):
    save(agency, 4, value(iku1, "7.33"), ctx=op_ctx)
    save(agency, 4, value(iku1, "7.4", revision=0), ctx=op_ctx)
    stored = entry_of(iku1, 4)
    assert stored.revision == 1
    last = AuditEntry.objects.filter(object_type="realization", object_id=stored.pk).order_by("pk").last()
    assert last.changes == {"value": ["7.33", "7.4"]}


def test_numerator_and_denominator_give_the_value(agency, iku1, op_ctx):
    save(agency, 4, value(iku1, None, numerator=Decimal(733), denominator=Decimal(10000)), ctx=op_ctx)
    assert entry_of(iku1, 4).value == Decimal("7.3300")  # unit "%": × 100


@pytest.mark.parametrize(
    ("entry", "field", "words"),
    [
        (dict(text="7.5", numerator=Decimal(733), denominator=Decimal(10000)), "value", "tidak sama dengan pembilang"),
        (dict(text=None, numerator=Decimal(1), denominator=Decimal(0)), "denominator", "tidak boleh nol"),
        (dict(text=None, numerator=Decimal(1)), "denominator", "pembilang dan penyebut"),
        (dict(text=None, status="belum_tersedia"), "note", "alasan wajib"),
        (dict(text="7", status="belum_tersedia", note="belum rilis"), "value", "tidak disertai nilai"),
        (dict(text=None, source="BPS"), "value", "isi realisasi"),
    ],
)
def test_values_that_do_not_add_up_are_refused_and_nothing_is_written(agency, iku1, op_ctx, entry, field, words):
    before = (Realization.objects.count(), AuditEntry.objects.count())
    text = entry.pop("text")
    with pytest.raises(RuleViolation) as caught:
        save(agency, 4, value(iku1, text, **entry), ctx=op_ctx)
    assert [(v.key, v.field) for v in caught.value.violations][0] == (iku1.pk, field)
    assert words in caught.value.violations[0].message
    assert (Realization.objects.count(), AuditEntry.objects.count()) == before


def test_a_second_save_over_someone_elses_newer_value_is_refused_with_their_value_name_and_time(
    agency, iku1, op_ctx, pln_ctx
):
    save(agency, 4, value(iku1, "7.33"), ctx=op_ctx)
    # Both opened the page at revision 0; the planner saves first.
    save(agency, 4, value(iku1, "7.2", revision=0), ctx=pln_ctx)
    with pytest.raises(RuleViolation) as caught:
        save(agency, 4, value(iku1, "7.5", revision=0), ctx=op_ctx)
    (violation,) = caught.value.violations
    assert violation.field == "conflict"
    assert "perencana" in violation.message and "7,2" in violation.message
    assert timezone.localtime().strftime("%Y") in violation.message
    assert entry_of(iku1, 4).value == Decimal("7.2")
    # Having seen it, saving with the current revision is a deliberate overwrite.
    save(agency, 4, value(iku1, "7.5", revision=1), ctx=op_ctx)
    assert entry_of(iku1, 4).value == Decimal("7.5")


def test_an_import_between_load_and_save_is_a_conflict_too(agency, iku1, op_ctx):
    save(agency, 4, value(iku1, "7.33"), ctx=op_ctx)
    row = {"value": Decimal("7.1"), "status": "final", "numerator": None, "denominator": None, "note": "", "source": ""}
    realizations_upsert(plan=iku1.plan, rows={(iku1.pk, YEAR, 4): row}, ctx=AuditContext(channel="import"))
    with pytest.raises(RuleViolation) as caught:
        save(agency, 4, value(iku1, "7.5", revision=0), ctx=op_ctx)
    assert caught.value.violations[0].field == "conflict"


def test_a_passed_deadline_refuses_every_path_with_its_date(agency, iku1, op_ctx):
    save(agency, 4, value(iku1, "7.33"), ctx=op_ctx)
    calendar(agency, q4_deadline=datetime.date(2026, 1, 15))  # long past
    with pytest.raises(RuleViolation) as caught:
        save(agency, 4, value(iku1, "7.4", revision=0), ctx=op_ctx)
    assert caught.value.violations[0].message == "Batas waktu pengisian TW IV 2025 telah lewat pada 15 Januari 2026."
    row = {"value": Decimal("7.4"), "status": "final", "numerator": None, "denominator": None, "note": "", "source": ""}
    with pytest.raises(RuleViolation):
        realizations_upsert(plan=iku1.plan, rows={(iku1.pk, YEAR, 4): row}, ctx=AuditContext(channel="import"))
    with pytest.raises(RuleViolation):
        entries_transition(agency=agency, year=YEAR, quarter=4, transition="submit", indicator_ids=None, ctx=op_ctx)


def test_a_running_reopening_lifts_the_deadline_and_a_quarter_lock_does_not_yield_to_it(agency, iku1, op_ctx, planner):
    calendar(agency, q4_deadline=datetime.date(2026, 1, 15))
    Reopening.objects.create(agency=agency, year=YEAR, quarter=4, until=timezone.localdate() + datetime.timedelta(days=7),
                             reason="data BPS terlambat", granted_by_label="Bappeda", granted_at=timezone.now())
    save(agency, 4, value(iku1, "7.33"), ctx=op_ctx)
    QuarterLock.objects.create(agency=agency, year=YEAR, quarter=4, locked_by=planner, locked_by_label="Bima Perencana",
                               locked_at=timezone.now())
    with pytest.raises(RuleViolation) as caught:
        save(agency, 4, value(iku1, "7.4", revision=0), ctx=op_ctx)
    message = caught.value.violations[0].message
    assert message.startswith("TW IV 2025 sudah dikunci oleh Bima Perencana pada ")


def test_an_expired_reopening_does_not_count(agency, iku1, op_ctx):
    calendar(agency, q4_deadline=datetime.date(2026, 1, 15))
    Reopening.objects.create(agency=agency, year=YEAR, quarter=4, until=timezone.localdate() - datetime.timedelta(days=1),
                             reason="lama", granted_by_label="Bappeda", granted_at=timezone.now())
    with pytest.raises(RuleViolation):
        save(agency, 4, value(iku1, "7.33"), ctx=op_ctx)


def _explanations(text="x"):
    return {"analisis": text, "penghambat": text, "upaya": text}


def test_submit_below_target_needs_the_explanation(agency, iku1, op_ctx):
    # TW IV target 7,5 (negative polarity): 8 gives (15 − 8) ÷ 7,5 = 93,33 %.
    save(agency, 4, value(iku1, "8"), ctx=op_ctx)
    with pytest.raises(RuleViolation) as caught:
        entries_transition(agency=agency, year=YEAR, quarter=4, transition="submit", indicator_ids=None, ctx=op_ctx)
    assert "93,33 % di bawah target" in caught.value.violations[0].message
    assert entry_of(iku1, 4).review == "draf"
    save(agency, 4, value(iku1, "8", revision=0, explanations=_explanations("Data BPS terlambat")), ctx=op_ctx)
    assert Narrative.objects.filter(indicator=iku1, year=YEAR, quarter=4).count() == 3
    done = entries_transition(agency=agency, year=YEAR, quarter=4, transition="submit", indicator_ids=None, ctx=op_ctx)
    assert [e.review for e in done] == ["diajukan"]


def test_verification_round_trip_with_reasons_in_the_trail(agency, iku1, op_ctx, pln_ctx):
    save(agency, 4, value(iku1, "7.33"), ctx=op_ctx)
    submit = dict(agency=agency, year=YEAR, quarter=4, indicator_ids=[iku1.pk])
    entries_transition(transition="submit", ctx=op_ctx, **submit)
    # A submitted entry is not the operator's to change in the form any more.
    with pytest.raises(RuleViolation) as caught:
        save(agency, 4, value(iku1, "7.4", revision=0), ctx=op_ctx)
    assert "sudah diajukan" in caught.value.violations[0].message
    with pytest.raises(RuleViolation) as caught:
        entries_transition(transition="send_back", ctx=pln_ctx, **submit)
    assert caught.value.violations[0].message == "alasan wajib diisi"
    back = AuditContext(user=pln_ctx.user, channel="form", reason="Sumber data belum dilampirkan")
    entries_transition(transition="send_back", ctx=back, **submit)
    returned = entry_of(iku1, 4)
    assert (returned.review, returned.review_note, returned.review_by_label) == (
        "dikembalikan", "Sumber data belum dilampirkan", "Bima Perencana")
    save(agency, 4, value(iku1, "7.34", revision=0), ctx=op_ctx)
    assert entry_of(iku1, 4).review == "dikembalikan"  # corrected, still to be resubmitted
    entries_transition(transition="submit", ctx=op_ctx, **submit)
    entries_transition(transition="verify", ctx=pln_ctx, **submit)
    with pytest.raises(RuleViolation) as caught:
        save(agency, 4, value(iku1, "7.5", revision=1), ctx=op_ctx)
    assert "sudah diverifikasi oleh Bima Perencana" in caught.value.violations[0].message
    trail = AuditEntry.objects.filter(object_type="realization", action="transition").order_by("pk")
    assert [(e.changes["review"], e.reason) for e in trail] == [
        (["draf", "diajukan"], ""),
        (["diajukan", "dikembalikan"], "Sumber data belum dilampirkan"),
        (["dikembalikan", "diajukan"], ""),
        (["diajukan", "terverifikasi"], ""),
    ]


def test_a_verified_entry_changes_only_after_a_reopening_with_a_reason(agency, iku1, op_ctx, pln_ctx):
    save(agency, 4, value(iku1, "7.33"), ctx=op_ctx)
    ids = dict(agency=agency, year=YEAR, quarter=4, indicator_ids=[iku1.pk])
    entries_transition(transition="submit", ctx=op_ctx, **ids)
    entries_transition(transition="verify", ctx=pln_ctx, **ids)
    row = {"value": Decimal("7.4"), "status": "final", "numerator": None, "denominator": None, "note": "", "source": ""}
    with pytest.raises(RuleViolation) as caught:  # the importer too
        realizations_upsert(plan=iku1.plan, rows={(iku1.pk, YEAR, 4): row}, ctx=AuditContext(channel="import"))
    assert "sudah diverifikasi" in caught.value.violations[0].message
    with pytest.raises(RuleViolation):
        entries_transition(transition="reopen", ctx=pln_ctx, **ids)
    reason = AuditContext(user=pln_ctx.user, channel="form", reason="angka BPS direvisi")
    entries_transition(transition="reopen", ctx=reason, **ids)
    assert entry_of(iku1, 4).review == "dikembalikan"
    save(agency, 4, value(iku1, "7.4", revision=0), ctx=op_ctx)
    assert entry_of(iku1, 4).value == Decimal("7.4")


def test_a_transition_from_the_wrong_state_names_the_entry(agency, iku1, pln_ctx, op_ctx):
    save(agency, 4, value(iku1, "7.33"), ctx=op_ctx)
    with pytest.raises(RuleViolation) as caught:
        entries_transition(agency=agency, year=YEAR, quarter=4, transition="verify", indicator_ids=[iku1.pk], ctx=pln_ctx)
    assert caught.value.violations[0].key == iku1.pk
    assert "berstatus draf" in caught.value.violations[0].message


def test_verify_all_takes_only_submitted_entries(agency, iku1, iku2, op_ctx, pln_ctx):
    save(agency, 4, value(iku1, "7.33"), value(iku2, "300"), ctx=op_ctx)
    entries_transition(agency=agency, year=YEAR, quarter=4, transition="submit", indicator_ids=[iku1.pk], ctx=op_ctx)
    done = entries_transition(agency=agency, year=YEAR, quarter=4, transition="verify", indicator_ids=None, ctx=pln_ctx)
    assert [e.indicator_id for e in done] == [iku1.pk]
    assert entry_of(iku2, 4).review == "draf"


def test_a_blank_input_for_an_indicator_without_entry_is_skipped(agency, iku1, op_ctx):
    result = save(agency, 3, value(iku1, None), ctx=op_ctx)
    assert result.saved == [] and not Realization.objects.filter(indicator=iku1, quarter=3).exists()


def test_submit_and_verify_cost_the_same_queries_for_one_entry_or_many(agency, iku1, iku2, op_ctx, pln_ctx):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from performance.models import Indicator

    ikk1 = Indicator.objects.get(plan__agency=agency, code="IKK1")
    save(agency, 3, value(iku1, "7.33"), ctx=op_ctx)
    save(agency, 4, value(iku1, "7.33"), value(iku2, "300"), value(ikk1, "90"), ctx=op_ctx)
    counts = {}
    for quarter in (3, 4):
        with CaptureQueriesContext(connection) as submit:
            entries_transition(agency=agency, year=YEAR, quarter=quarter, transition="submit", indicator_ids=None,
                               ctx=op_ctx)
        with CaptureQueriesContext(connection) as verify:
            done = entries_transition(agency=agency, year=YEAR, quarter=quarter, transition="verify",
                                      indicator_ids=None, ctx=pln_ctx)
        counts[len(done)] = (len(submit), len(verify))
    assert counts[1] == counts[3], counts


def test_the_admin_path_keeps_budget_spending_of_a_locked_quarter(agency, op_ctx):
    from budget.models import BudgetLine
    from budget.services import instance_delete, instance_save

    calendar(agency, q1_deadline=datetime.date(2025, 4, 15))
    line = BudgetLine.objects.get(item__code="2.07.03.2.01.0001")
    line.spent_q1 = Decimal("5")
    with pytest.raises(RuleViolation) as caught:
        instance_save(instance=line, ctx=op_ctx)
    assert "telah lewat" in caught.value.violations[0].message
    line.refresh_from_db()
    with pytest.raises(RuleViolation):
        instance_delete(instance=line, ctx=op_ctx)
    line.ceiling_original += 1  # the pagu is not a quarter's spending
    instance_save(instance=line, ctx=op_ctx)
