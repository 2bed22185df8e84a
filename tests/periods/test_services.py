"""periods.services: the calendar, quarter locks and reopenings, with their audit entries and
their refusals (Indonesian messages, nothing written)."""

from __future__ import annotations

import datetime

import pytest

from audit.models import AuditEntry
from performance.rules import RuleViolation
from periods import services
from periods.locks import DEADLINE, QUARTER_LOCKED, period_lock
from periods.models import QuarterLock, Reopening, ReportingCalendar, default_deadlines
from tests import factories
from tests.periods.helpers import FUTURE, PAST, calendar, ctx, entry, planned_agency, today

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def gov():
    return factories.government("Pemerintah Kota Uji")


@pytest.fixture
def planner(gov):
    agency, indicators = planned_agency("dinas-uji", gov)
    user = factories.user("perencana", agency=agency, role="planner")
    user.full_name = "Rina Perencana"
    user.save()
    return agency, indicators, user


def messages_of(exc: pytest.ExceptionInfo) -> list[str]:
    return [v.message for v in exc.value.violations]


# ---- calendar_set ----


def test_calendar_set_creates_then_changes_with_audit_entries(gov):
    user = factories.user("bappeda", government=gov, gov_role="planner")
    deadlines = default_deadlines(FUTURE)
    calendar = services.calendar_set(government=gov, year=FUTURE, deadlines=deadlines, ctx=ctx(user))
    assert calendar.q1_deadline == datetime.date(FUTURE, 4, 15)
    created = AuditEntry.objects.get(object_type="reportingcalendar", action="create")
    assert created.government_id == gov.pk and created.year == FUTURE and created.user_label == "bappeda"
    assert created.changes["q2_deadline"] == [None, f"{FUTURE}-07-15"]

    later = {**deadlines, "q2_deadline": datetime.date(FUTURE, 7, 20)}
    services.calendar_set(government=gov, year=FUTURE, deadlines=later, ctx=ctx(user, "libur panjang"))
    updated = AuditEntry.objects.get(object_type="reportingcalendar", action="update")
    assert updated.changes == {"q2_deadline": [f"{FUTURE}-07-15", f"{FUTURE}-07-20"]}
    assert updated.reason == "libur panjang"
    assert ReportingCalendar.objects.get().q2_deadline == datetime.date(FUTURE, 7, 20)

    services.calendar_set(government=gov, year=FUTURE, deadlines=later, ctx=ctx(user))  # unchanged: no entry
    assert AuditEntry.objects.filter(object_type="reportingcalendar").count() == 2


@pytest.mark.parametrize(
    ("changed", "field", "words"),
    [
        ({"q1_deadline": datetime.date(FUTURE, 3, 31)}, "q1_deadline", "harus setelah triwulan itu berakhir (31 Maret"),
        ({"q3_deadline": datetime.date(FUTURE, 9, 30)}, "q3_deadline", "harus setelah triwulan itu berakhir (30 September"),
        ({"q2_deadline": datetime.date(FUTURE, 12, 20)}, "q3_deadline", "batas TW III harus setelah batas TW II"),
        ({"annual_deadline": datetime.date(FUTURE + 1, 1, 10)}, "annual_deadline",
         "batas laporan tahunan tidak boleh sebelum batas TW IV"),
        ({"q4_deadline": None}, "q4_deadline", "batas TW IV wajib diisi"),
    ],
)
def test_calendar_set_refuses_deadlines_out_of_order(gov, changed, field, words):
    deadlines = {**default_deadlines(FUTURE), **changed}
    with pytest.raises(RuleViolation) as exc:
        services.calendar_set(government=gov, year=FUTURE, deadlines=deadlines, ctx=ctx())
    assert field in [v.key for v in exc.value.violations]
    assert any(words in m for m in messages_of(exc)), messages_of(exc)
    assert not ReportingCalendar.objects.exists() and not AuditEntry.objects.exists()


def test_annual_deadline_may_equal_tw4(gov):
    deadlines = {**default_deadlines(FUTURE), "annual_deadline": datetime.date(FUTURE + 1, 1, 15)}
    assert services.calendar_set(government=gov, year=FUTURE, deadlines=deadlines, ctx=ctx()).pk


# ---- quarter_lock / quarter_unlock ----


def test_quarter_lock_refused_until_fully_verified_naming_the_counts(planner):
    agency, (a, b, c), user = planner
    entry(a, FUTURE, 1, "terverifikasi")
    entry(b, FUTURE, 1, "diajukan")
    with pytest.raises(RuleViolation) as exc:
        services.quarter_lock(agency=agency, year=FUTURE, quarter=1, ctx=ctx(user))
    assert messages_of(exc) == [
        f"TW I {FUTURE} belum dapat dikunci: 1 indikator belum diisi dan 1 realisasi belum diverifikasi."
    ]
    entry(c, FUTURE, 1, "dikembalikan", note="angka salah")
    with pytest.raises(RuleViolation) as exc:
        services.quarter_lock(agency=agency, year=FUTURE, quarter=1, ctx=ctx(user))
    assert messages_of(exc) == [f"TW I {FUTURE} belum dapat dikunci: 2 realisasi belum diverifikasi."]
    assert not QuarterLock.objects.exists() and not AuditEntry.objects.exists()


def test_an_unverified_entry_without_a_target_blocks_the_lock_too(planner):
    agency, indicators, user = planner
    for indicator in indicators:
        entry(indicator, FUTURE, 2, "terverifikasi")
    extra = indicators[0].__class__.objects.create(
        plan=indicators[0].plan, code="TANPA", name="Tanpa target", unit="orang", owner_node=indicators[0].owner_node
    )
    entry(extra, FUTURE, 2, "draf")
    with pytest.raises(RuleViolation) as exc:
        services.quarter_lock(agency=agency, year=FUTURE, quarter=2, ctx=ctx(user))
    assert "1 realisasi belum diverifikasi" in messages_of(exc)[0]


def test_quarter_lock_with_nothing_expected_is_refused(gov):
    agency, _ = planned_agency("dinas-kosong", gov, indicators=0)
    with pytest.raises(RuleViolation) as exc:
        services.quarter_lock(agency=agency, year=FUTURE, quarter=1, ctx=ctx())
    assert "belum ada indikator dengan target" in messages_of(exc)[0]


def test_quarter_lock_and_unlock_are_audited_and_named(planner):
    agency, indicators, user = planner
    for indicator in indicators:
        entry(indicator, FUTURE, 3, "terverifikasi")
    lock = services.quarter_lock(agency=agency, year=FUTURE, quarter=3, ctx=ctx(user))
    assert (lock.locked_by, lock.locked_by_label) == (user, "Rina Perencana")
    created = AuditEntry.objects.get(object_type="quarterlock", action="create")
    assert (created.agency_id, created.year, created.quarter, created.user_label) == (agency.pk, FUTURE, 3, "perencana")
    found = period_lock(agency=agency, year=FUTURE, quarter=3)
    assert found.cause == QUARTER_LOCKED
    assert found.message.startswith(f"TW III {FUTURE} sudah dikunci oleh Rina Perencana pada ")

    with pytest.raises(RuleViolation) as exc:  # locked twice
        services.quarter_lock(agency=agency, year=FUTURE, quarter=3, ctx=ctx(user))
    assert "sudah dikunci oleh Rina Perencana" in messages_of(exc)[0]

    with pytest.raises(RuleViolation) as exc:
        services.quarter_unlock(agency=agency, year=FUTURE, quarter=3, ctx=ctx(user, "  "))
    assert messages_of(exc) == ["alasan wajib diisi"]
    assert QuarterLock.objects.count() == 1

    services.quarter_unlock(agency=agency, year=FUTURE, quarter=3, ctx=ctx(user, "koreksi data BPS"))
    assert not QuarterLock.objects.exists()
    deleted = AuditEntry.objects.get(object_type="quarterlock", action="delete")
    assert deleted.reason == "koreksi data BPS" and deleted.quarter == 3
    assert period_lock(agency=agency, year=FUTURE, quarter=3) is None

    with pytest.raises(RuleViolation) as exc:
        services.quarter_unlock(agency=agency, year=FUTURE, quarter=3, ctx=ctx(user, "lagi"))
    assert messages_of(exc) == [f"TW III {FUTURE} tidak sedang dikunci"]


def test_label_falls_back_to_the_username(planner):
    agency, indicators, _ = planner
    plain = factories.user("perencana2", agency=agency, role="planner")
    for indicator in indicators:
        entry(indicator, FUTURE, 4, "terverifikasi")
    assert services.quarter_lock(agency=agency, year=FUTURE, quarter=4, ctx=ctx(plain)).locked_by_label == "perencana2"


def test_quarter_out_of_range_is_refused(planner):
    agency, _, user = planner
    with pytest.raises(RuleViolation):
        services.quarter_lock(agency=agency, year=FUTURE, quarter=5, ctx=ctx(user))


# ---- reopenings ----


def test_reopening_needs_a_reason_a_calendar_and_a_sensible_end(gov, planner):
    agency, _, _ = planner
    bappeda = factories.user("bappeda", government=gov, gov_role="planner")
    with pytest.raises(RuleViolation) as exc:
        services.reopening_grant(agency=agency, year=PAST, quarter=1, until=today() + DAY, ctx=ctx(bappeda, ""))
    assert messages_of(exc) == ["alasan wajib diisi"]
    with pytest.raises(RuleViolation) as exc:
        services.reopening_grant(agency=agency, year=PAST, quarter=1, until=today() + DAY, ctx=ctx(bappeda, "banjir"))
    assert "belum menetapkan kalender pelaporan" in messages_of(exc)[0]
    calendar(gov, PAST)
    calendar(gov, FUTURE)
    with pytest.raises(RuleViolation) as exc:
        services.reopening_grant(agency=agency, year=PAST, quarter=1, until=today() - DAY, ctx=ctx(bappeda, "banjir"))
    assert "tidak boleh sebelum hari ini" in messages_of(exc)[0]
    with pytest.raises(RuleViolation) as exc:  # ends before the deadline it should extend
        services.reopening_grant(agency=agency, year=FUTURE, quarter=1, until=datetime.date(FUTURE, 4, 15),
                                 ctx=ctx(bappeda, "banjir"))
    assert f"harus setelah batas waktu TW I {FUTURE} (15 April {FUTURE})" in messages_of(exc)[0]
    assert not Reopening.objects.exists() and not AuditEntry.objects.exists()


def test_reopening_lifts_the_deadline_lock_and_is_logged(gov, planner):
    agency, _, _ = planner
    bappeda = factories.user("bappeda", government=gov, gov_role="planner")
    bappeda.first_name, bappeda.last_name = "Budi", "Bappeda"
    bappeda.save()
    calendar(gov, PAST)
    lock = period_lock(agency=agency, year=PAST, quarter=2)
    assert lock.cause == DEADLINE
    assert lock.message == f"Batas waktu pengisian TW II {PAST} telah lewat pada 15 Juli {PAST}."

    reopening = services.reopening_grant(agency=agency, year=PAST, quarter=2, until=today() + 3 * DAY,
                                         ctx=ctx(bappeda, "server mati"))
    assert (reopening.granted_by, reopening.granted_by_label, reopening.reason) == (bappeda, "Budi Bappeda", "server mati")
    logged = AuditEntry.objects.get(object_type="reopening", action="create")
    assert (logged.agency_id, logged.year, logged.quarter, logged.reason) == (agency.pk, PAST, 2, "server mati")
    assert period_lock(agency=agency, year=PAST, quarter=2) is None
    assert period_lock(agency=agency, year=PAST, quarter=1).cause == DEADLINE  # only that quarter

    annual = services.reopening_grant(agency=agency, year=PAST, quarter=None, until=today(), ctx=ctx(bappeda, "reviu"))
    assert annual.quarter is None and period_lock(agency=agency, year=PAST, quarter=None) is None


def test_reopening_end_closes_it_from_today_with_a_reason(gov, planner):
    agency, _, _ = planner
    bappeda = factories.user("bappeda", government=gov, gov_role="planner")
    calendar(gov, PAST)
    reopening = services.reopening_grant(agency=agency, year=PAST, quarter=2, until=today() + 3 * DAY,
                                         ctx=ctx(bappeda, "server mati"))
    with pytest.raises(RuleViolation) as exc:
        services.reopening_end(reopening=reopening, ctx=ctx(bappeda))
    assert messages_of(exc) == ["alasan wajib diisi"]

    ended = services.reopening_end(reopening=reopening, ctx=ctx(bappeda, "sudah lengkap"))
    assert ended.until == today() - DAY
    assert (ended.ended_by, ended.ended_by_label, ended.end_reason) == (bappeda, "bappeda", "sudah lengkap")
    change = AuditEntry.objects.get(object_type="reopening", action="update")
    assert change.changes["until"] == [(today() + 3 * DAY).isoformat(), (today() - DAY).isoformat()]
    assert change.reason == "sudah lengkap"
    assert period_lock(agency=agency, year=PAST, quarter=2).cause == DEADLINE

    with pytest.raises(RuleViolation) as exc:
        services.reopening_end(reopening=ended, ctx=ctx(bappeda, "lagi"))
    assert "sudah berakhir" in messages_of(exc)[0]
