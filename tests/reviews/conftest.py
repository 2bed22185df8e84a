from __future__ import annotations

import pytest

from agencies.models import Agency, Government, GovernmentRole
from lkjip.celery import app as celery_app
from reports.models import LkjipDocument
from reports.services import document_request
from tests import factories
from tests.workbook.helpers import as_file, build_workbook, minimal_data
from workbook.services import workbook_import

YEAR = 2025


@pytest.fixture
def render_inline(settings):
    settings.LKJIP_RENDER_IN_THREAD = False
    settings.CELERY_TASK_ALWAYS_EAGER = True
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def agency(db) -> Agency:
    report = workbook_import(source=as_file(build_workbook(minimal_data())), file_name="uji.xlsx")
    assert report.ok, [str(e) for e in report.errors]
    return Agency.objects.get(code="uji-disnaker")


def make_document(agency: Agency, django_capture_on_commit_callbacks) -> LkjipDocument:
    with django_capture_on_commit_callbacks(execute=True):
        document, _ = document_request(agency=agency, year=YEAR, user=None)
    document.refresh_from_db()
    assert document.status == LkjipDocument.Status.DONE, document.error
    return document


@pytest.fixture
def document(agency, render_inline, django_capture_on_commit_callbacks) -> LkjipDocument:
    return make_document(agency, django_capture_on_commit_callbacks)


@pytest.fixture
def inspektur(agency):
    user = factories.user("inspektur", government=agency.government, gov_role="inspector")
    user.full_name, user.nip = "Drs. Inspektur Uji, M.Si.", "196801011990031002"
    user.save()
    GovernmentRole.objects.filter(user=user).update(head=True, position="Inspektur Kota Uji")
    return user


@pytest.fixture
def auditor(agency):
    return factories.user("auditor", government=agency.government, gov_role="inspector")


@pytest.fixture
def planner(agency):
    return factories.user("perencana", agency=agency, role="planner")


@pytest.fixture
def operator(agency):
    return factories.user("operator", agency=agency, role="staff")


@pytest.fixture
def outsider(db):
    other = Government.objects.create(name="Pemerintah Kota Lain", kind="kota")
    return factories.user("inspektur-lain", government=other, gov_role="inspector")
