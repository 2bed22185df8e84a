from __future__ import annotations

import datetime

import pytest

from agencies.models import Agency
from audit.services import AuditContext
from performance.models import Indicator
from periods.models import ReportingCalendar, default_deadlines
from tests import factories
from tests.workbook.helpers import as_file, build_workbook, minimal_data
from workbook.services import workbook_import

YEAR = 2025


@pytest.fixture
def agency(db) -> Agency:
    report = workbook_import(source=as_file(build_workbook(minimal_data())), file_name="uji.xlsx")
    assert report.ok, [str(e) for e in report.errors]
    return Agency.objects.get(code="uji-disnaker")


@pytest.fixture
def iku1(agency) -> Indicator:
    return Indicator.objects.get(plan__agency=agency, code="IKU1")


@pytest.fixture
def iku2(agency) -> Indicator:
    return Indicator.objects.get(plan__agency=agency, code="IKU2")


@pytest.fixture
def operator(agency):
    user = factories.user("operator", agency=agency, role="staff")
    user.first_name, user.last_name = "Ani", "Operator"
    user.save()
    return user


@pytest.fixture
def planner(agency):
    user = factories.user("perencana", agency=agency, role="planner")
    user.first_name, user.last_name = "Bima", "Perencana"
    user.save()
    return user


@pytest.fixture
def op_ctx(operator) -> AuditContext:
    return AuditContext(user=operator, channel="form")


@pytest.fixture
def pln_ctx(planner) -> AuditContext:
    return AuditContext(user=planner, channel="form")


def calendar(agency: Agency, **deadlines: datetime.date) -> ReportingCalendar:
    return ReportingCalendar.objects.create(
        government=agency.government, year=YEAR, **{**default_deadlines(YEAR), **deadlines}
    )
