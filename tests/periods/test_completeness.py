"""periods.completeness: the counts per agency and period, the expected indicators, and a
fixed number of queries however many agencies."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from performance.models import Indicator, StrategicPlan, Target
from periods import services
from periods.completeness import (
    MISSING,
    RETURNED,
    action_periods,
    agency_completeness,
    completeness,
    expected_indicator_ids,
)
from periods.locks import DEADLINE, QUARTER_LOCKED
from tests import factories
from tests.periods.helpers import FUTURE, PAST, calendar, ctx, entry, evidence, planned_agency, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def gov():
    return factories.government("Pemerintah Kota Uji")


def test_expected_indicators_are_those_of_the_plan_with_a_target_that_year(gov):
    agency, (a, b, c) = planned_agency("dinas-uji", gov)
    Target.objects.filter(indicator=c, year=FUTURE).delete()
    pk_only = Indicator.objects.create(plan=a.plan, code="PK1", name="PK saja", unit="%", owner_node=a.owner_node)
    agreement = agency.agreements.create(year=FUTURE, version="murni")
    Target.objects.create(indicator=pk_only, year=FUTURE, document="pk", agreement=agreement, value=Decimal("1"))
    # An older Renstra's indicator with a target that year does not count: the covering plan does.
    old = StrategicPlan.objects.create(agency=agency, start_year=PAST - 5, end_year=FUTURE)
    stale = Indicator.objects.create(plan=old, code="LAMA", name="Lama", unit="%", owner_node=None,
                                     owner_budget_item=factories.budget_leaf(agency).item)
    Target.objects.create(indicator=stale, year=FUTURE, document="renstra", value=Decimal("1"))
    assert expected_indicator_ids(agency=agency, year=FUTURE) == {a.pk, b.pk, pk_only.pk}
    assert expected_indicator_ids(agency=agency, year=FUTURE + 5) == set()  # no plan covers it
    counts = completeness(agencies=[agency], year=FUTURE, quarters=[1])[(agency.pk, 1)]
    assert counts.expected == 3


def test_counts_items_and_evidence_coverage(gov):
    agency, (a, b, c, d) = planned_agency("dinas-uji", gov, indicators=4)
    evidence(entry(a, FUTURE, 1, "terverifikasi"))
    evidence(entry(b, FUTURE, 1, "dikembalikan", note="angka tidak sesuai BPS"))
    entry(c, FUTURE, 1, "diajukan")
    entry(a, FUTURE, 2, "draf")
    period = completeness(agencies=[agency], year=FUTURE, quarters=[1, 2])[(agency.pk, 1)]
    assert (period.expected, period.entered, period.missing) == (4, 3, 1)
    assert (period.draft, period.submitted, period.verified, period.returned) == (0, 1, 1, 1)
    assert period.evidence_coverage == Decimal(2) * 100 / Decimal(3)
    assert [(i.code, i.problem) for i in period.missing_items] == [("IK4", MISSING)]
    assert [(i.code, i.problem, i.note) for i in period.returned_items] == [("IK2", RETURNED, "angka tidak sesuai BPS")]
    assert period.needs_action and not period.fully_verified
    second = completeness(agencies=[agency], year=FUTURE, quarters=[2])[(agency.pk, 2)]
    assert (second.entered, second.draft, second.missing, second.evidence_coverage) == (1, 1, 3, Decimal(0))
    empty = completeness(agencies=[agency], year=FUTURE, quarters=[3])[(agency.pk, 3)]
    assert empty.evidence_coverage is None and empty.entered == 0


def test_lock_state_says_which_cause(gov):
    agency, indicators = planned_agency("dinas-uji", gov)
    calendar(gov, PAST)
    for indicator in indicators:
        entry(indicator, FUTURE, 1, "terverifikasi")
    services.quarter_lock(agency=agency, year=FUTURE, quarter=1, ctx=ctx())
    future = agency_completeness(agency=agency, year=FUTURE)
    assert [p.lock_cause for p in future] == [QUARTER_LOCKED, None, None, None]
    assert future[0].fully_verified and future[0].quarter_locked
    past = agency_completeness(agency=agency, year=PAST)
    assert [p.lock_cause for p in past] == [DEADLINE] * 4
    assert past[0].deadline == datetime.date(PAST, 4, 15) and past[0].days_left < 0
    services.reopening_grant(agency=agency, year=PAST, quarter=4, until=today() + datetime.timedelta(days=5),
                             ctx=ctx(reason="izin"))
    past = agency_completeness(agency=agency, year=PAST)
    assert past[3].lock is None and past[3].reopened
    assert past[3].open_until == today() + datetime.timedelta(days=5) and past[3].days_left == 5


def test_annual_period_counts_any_realisasi_of_the_year(gov):
    agency, (a, b, c) = planned_agency("dinas-uji", gov)
    entry(a, FUTURE, None, "dikembalikan", note="pakai angka final")
    entry(b, FUTURE, 3)
    period = completeness(agencies=[agency], year=FUTURE, quarters=[None])[(agency.pk, None)]
    assert (period.expected, period.entered, period.missing, period.returned) == (3, 2, 1, 1)
    assert [i.code for i in period.items] == ["IK3", "IK1"]


def test_action_periods_are_over_open_and_incomplete(gov):
    agency, (a, b, c) = planned_agency("dinas-uji", gov)
    calendar(gov, PAST)
    for indicator in (a, b, c):
        entry(indicator, PAST, 1, "terverifikasi")
        entry(indicator, FUTURE, 1, "draf")
    entry(a, PAST, 2, "dikembalikan", note="cek")
    # PAST's periods are over but past their deadlines; FUTURE's have not ended yet.
    assert action_periods(agencies=[agency], years=[PAST, FUTURE]) == []
    services.reopening_grant(agency=agency, year=PAST, quarter=2, until=today() + datetime.timedelta(days=10),
                             ctx=ctx(reason="izin"))
    services.reopening_grant(agency=agency, year=PAST, quarter=1, until=today() + datetime.timedelta(days=2),
                             ctx=ctx(reason="izin"))  # open, but complete
    found = action_periods(agencies=[agency], years=[PAST, FUTURE])
    assert [(p.year, p.quarter, p.missing, p.returned, p.days_left) for p in found] == [(PAST, 2, 2, 1, 10)]
    # Without a calendar nothing is locked: every period that is over and incomplete shows, soonest first.
    on = datetime.date(FUTURE, 8, 1)
    found = action_periods(agencies=[agency], years=[FUTURE], on=on)
    assert [(p.quarter, p.deadline, p.missing) for p in found] == [(2, None, 3)]  # TW I: drafts, none missing


def test_a_fixed_number_of_queries_however_many_agencies(gov):
    def measure(count: int) -> int:
        agencies = []
        for index in range(count):
            agency, indicators = planned_agency(f"dinas-{count}-{index}", gov, indicators=3)
            entry(indicators[0], FUTURE, 1, "dikembalikan", note="x")
            evidence(entry(indicators[1], FUTURE, 2, "terverifikasi"))
            agencies.append(agency)
        with CaptureQueriesContext(connection) as queries:
            result = completeness(agencies=agencies, year=FUTURE, quarters=(1, 2, 3, 4, None))
            assert sum(p.returned for p in result.values()) == count
        return len(queries)

    one, five = measure(1), measure(5)
    assert one == five <= 7
