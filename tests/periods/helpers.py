"""Records for the calendar, lock and completeness tests.

Years are relative to today, so the tests mean the same on any day: PAST's deadlines (the
defaults) have all gone by, FUTURE's are all ahead; one Renstra covers both.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from agencies.models import Agency, Government
from audit.services import AuditContext
from evidence.models import Evidence
from performance.models import Indicator, PlanNode, Realization, StrategicPlan, Target
from periods.models import ReportingCalendar, default_deadlines
from tests import factories


def today():
    """Asked at each use: a module-level date goes stale when a run crosses midnight (WIB)."""
    return timezone.localdate()


PAST = today().year - 2
FUTURE = today().year + 1


def ctx(user=None, reason: str = "", channel: str = "form") -> AuditContext:
    return AuditContext(user=user, channel=channel if user is not None else "command", reason=reason)


def planned_agency(code: str, gov: Government, *, indicators: int = 3, years=(PAST, FUTURE)) -> tuple[Agency, list[Indicator]]:
    """An agency whose Renstra covers PAST … FUTURE, with `indicators` indicators that have a
    Renstra target in each of `years` (the expected indicators)."""
    agency = Agency.objects.create(government=gov, code=code, name=f"Dinas {code}")
    plan = StrategicPlan.objects.create(agency=agency, start_year=PAST - 1, end_year=FUTURE + 1)
    goal = PlanNode.objects.create(plan=plan, code="T1", kind="tujuan", text="Tujuan")
    made = []
    for number in range(1, indicators + 1):
        indicator = Indicator.objects.create(plan=plan, code=f"IK{number}", name=f"Indikator {number} {code}",
                                             unit="orang", owner_node=goal, order=number)
        for year in years:
            Target.objects.create(indicator=indicator, year=year, document="renstra", value=Decimal("100"))
        made.append(indicator)
    return agency, made


def entry(indicator: Indicator, year: int, quarter: int | None, review: str = "draf", *, note: str = "",
          value: str = "10") -> Realization:
    return Realization.objects.create(indicator=indicator, year=year, quarter=quarter, value=Decimal(value),
                                      review=review, review_note=note)


def evidence(realization: Realization, name: str = "bukti.pdf") -> Evidence:
    return Evidence.objects.create(
        realization=realization, file=f"evidence/{name}", original_name=name, content_type="application/pdf",
        size=10, sha256="0" * 64, uploaded_by_label="uji", uploaded_at=timezone.now(),
    )


def calendar(gov: Government, year: int, **deadlines: datetime.date) -> ReportingCalendar:
    return ReportingCalendar.objects.create(government=gov, year=year, **{**default_deadlines(year), **deadlines})


def pemda(name: str = "Pemerintah Kota Uji") -> Government:
    return factories.government(name)
