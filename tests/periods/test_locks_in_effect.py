"""A locked period is read-only in every write path: the entry services (forms), the workbook
import (a row error naming the lock) and the admin. A reopening lifts a passed deadline; a
quarter lock holds even then."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency
from audit.services import AuditContext
from performance import services as performance_services
from performance.models import Realization
from performance.rules import RuleViolation
from performance.services import EntryInput
from periods import services
from periods.models import QuarterLock
from tests import factories
from tests.periods.helpers import PAST, calendar, ctx, entry, planned_agency, today
from tests.workbook.helpers import as_file, build_workbook, excel_row, minimal_data
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db

DEADLINE_TW2 = f"Batas waktu pengisian TW II {PAST} telah lewat pada 15 Juli {PAST}."


@pytest.fixture
def world():
    gov = factories.government("Pemerintah Kota Uji")
    agency, indicators = planned_agency("dinas-uji", gov)
    calendar(gov, PAST)
    operator = factories.user("operator", agency=agency)
    planner = factories.user("perencana", agency=agency, role="planner")
    planner.full_name = "Rina"
    planner.save()
    bappeda = factories.user("bappeda", government=gov, gov_role="planner")
    return {"gov": gov, "agency": agency, "indicators": indicators, "operator": operator, "planner": planner,
            "bappeda": bappeda}


def save(world, value="12"):
    # The entry services join the caller's transaction (savepoint=False): a refusal must not
    # break the test's own.
    with transaction.atomic():
        return performance_services.entries_save(
            agency=world["agency"], year=PAST, quarter=2,
            entries=[EntryInput(indicator_id=world["indicators"][0].pk, status="final", value=Decimal(value))],
            ctx=ctx(world["operator"]),
        )


def reopen(world, quarter=2, days=5):
    return services.reopening_grant(agency=world["agency"], year=PAST, quarter=quarter,
                                    until=today() + datetime.timedelta(days=days), ctx=ctx(world["bappeda"], "banjir"))


def test_a_passed_deadline_refuses_the_entry_form_with_its_message(world):
    with pytest.raises(RuleViolation) as exc:
        save(world)
    assert [v.message for v in exc.value.violations] == [DEADLINE_TW2]
    assert not Realization.objects.exists()


def test_a_reopening_lifts_it_and_its_early_end_restores_it(world):
    reopening = reopen(world)
    assert save(world).saved == [world["indicators"][0].pk]
    services.reopening_end(reopening=reopening, ctx=ctx(world["bappeda"], "selesai"))
    with pytest.raises(RuleViolation) as exc:
        save(world, "13")
    assert [v.message for v in exc.value.violations] == [DEADLINE_TW2]


def test_a_quarter_lock_refuses_even_with_a_reopening(world):
    reopen(world)
    QuarterLock.objects.create(agency=world["agency"], year=PAST, quarter=2, locked_by=world["planner"],
                               locked_by_label="Rina", locked_at=timezone.now())
    with pytest.raises(RuleViolation) as exc:
        save(world)
    message = exc.value.violations[0].message
    assert message.startswith(f"TW II {PAST} sudah dikunci oleh Rina pada ")
    with pytest.raises(RuleViolation) as exc, transaction.atomic():
        performance_services.entries_transition(agency=world["agency"], year=PAST, quarter=2, transition="submit",
                                                indicator_ids=None, ctx=ctx(world["operator"]))
    assert exc.value.violations[0].message == message


def test_the_admin_refuses_a_change_or_deletion_in_a_locked_period(world, client):
    reopen(world)
    stored = entry(world["indicators"][0], PAST, 2, value="10")
    reopened_fine = performance_services.instance_violations(instance=stored)
    assert reopened_fine == []
    QuarterLock.objects.create(agency=world["agency"], year=PAST, quarter=2, locked_by_label="Rina",
                               locked_at=timezone.now())
    stored.value = Decimal("11")
    [refused] = performance_services.instance_violations(instance=stored)
    assert refused.message.startswith(f"TW II {PAST} sudah dikunci oleh Rina pada ")
    assert performance_services.instance_violations(instance=stored, deleting=True)
    moved = Realization.objects.get(pk=stored.pk)
    moved.quarter = 3  # out of a locked period into an open-by-default one: refused too
    assert performance_services.instance_violations(instance=moved)
    with pytest.raises(RuleViolation), transaction.atomic():
        performance_services.instance_save(instance=stored, ctx=AuditContext(channel="admin"))

    client.force_login(factories.user("root"))
    root = world["operator"].__class__.objects.get(username="root")
    root.is_superuser = root.is_staff = True
    root.save()
    response = client.post(reverse("admin:performance_realization_change", args=[stored.pk]), {
        "indicator": world["indicators"][0].pk, "year": PAST, "quarter": 2, "value": "99", "status": "final",
        "note": "", "source": "", "audit_reason": "",
    })
    assert response.status_code == 200
    assert f"TW II {PAST} sudah dikunci oleh Rina" in response.content.decode()
    assert Realization.objects.get(pk=stored.pk).value == Decimal("10")


# ---- the workbook ----


def _import(data, user=None):
    return workbook_import(source=as_file(build_workbook(data)), file_name="uji.xlsx", user=user)


def test_the_workbook_import_names_the_lock_as_a_row_error():
    data = minimal_data()  # tahun_laporan 2025: the default calendar's deadlines have all passed
    assert _import(data).ok
    agency = Agency.objects.get(code="uji-disnaker")
    calendar(agency.government, 2025)
    assert _import(data).ok  # unchanged rows are not changes

    data["Realisasi"][2]["realisasi"] = "1.300"  # IKU2, TW I
    report = _import(data)
    assert not report.ok
    [issue] = report.errors
    assert (issue.sheet, issue.row) == ("Realisasi", excel_row(2))
    assert issue.expected == "Batas waktu pengisian TW I 2025 telah lewat pada 15 April 2025."
    assert f"baris {excel_row(2)}" in str(issue)
    assert Realization.objects.get(indicator__code="IKU2", quarter=1).value == Decimal("1234")

    bappeda = factories.user("bappeda", government=agency.government, gov_role="planner")
    reopening = services.reopening_grant(agency=agency, year=2025, quarter=1, until=today(),
                                         ctx=ctx(bappeda, "koreksi"))
    assert _import(data).ok
    assert Realization.objects.get(indicator__code="IKU2", quarter=1).value == Decimal("1300")

    QuarterLock.objects.create(agency=agency, year=2025, quarter=1, locked_by_label="Rina", locked_at=timezone.now())
    data["Realisasi"][2]["realisasi"] = "1.400"
    report = _import(data)
    assert not report.ok and report.errors[0].expected.startswith("TW I 2025 sudah dikunci oleh Rina pada ")
    assert reopening.until == today()
