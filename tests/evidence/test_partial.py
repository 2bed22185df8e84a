"""The per-indicator partial the entry page includes, and the selector that feeds it."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from audit.services import AuditContext
from evidence.selectors import evidence_for
from evidence.services import evidence_attach
from tests import factories
from tests.evidence import files
from tests.evidence.helpers import quarter_entry, upload, verified

pytestmark = pytest.mark.django_db
NEXT = "/instansi/uji-bukti/2025/realisasi/tw1/"


@pytest.fixture
def agency():
    return factories.agency("uji-bukti")


@pytest.fixture
def entry(agency):
    return quarter_entry(agency)


@pytest.fixture
def attached(entry):
    user = factories.user("sari")
    user.first_name = "Sari"
    user.save()
    return evidence_attach(realization=entry, upload=upload(files.xlsx(), "rekap <b>hadir<b>.xlsx", "x/y"),
                           ctx=AuditContext(user=user))


def render(**context) -> str:
    request = RequestFactory().get(NEXT)
    request.user = AnonymousUser()
    return render_to_string("evidence/_evidence.html", {"next": NEXT, **context}, request=request)


def forms(html: str) -> list[str]:
    return re.findall(r'<form[^>]*action="([^"]*)"', html)


def test_lists_each_file_with_type_size_who_and_when(entry, attached):
    html = render(entry=entry, evidence=[attached], can_edit=False)
    assert f'href="{reverse("evidence:download", args=[attached.pk])}"' in html
    assert "rekap &lt;b&gt;hadir&lt;b&gt;.xlsx" in html  # escaped, as every name a user typed
    assert "XLSX · " in html and " KB · diunggah oleh Sari, " in html
    local = attached.uploaded_at.astimezone(ZoneInfo("Asia/Jakarta"))
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
              "November", "Desember"]
    assert f"{local.day} {months[local.month - 1]} {local.year} {local:%H:%M}" in html
    assert forms(html) == []


def test_editable_entry_offers_remove_and_upload(entry, attached):
    html = render(entry=entry, evidence=[attached], can_edit=True)
    upload_url = reverse("evidence:upload", args=["uji-bukti", 2025, 1])
    assert forms(html) == [
        reverse("evidence:delete", args=[attached.pk]),
        f"{upload_url}?next={NEXT}",
    ]
    assert html.count("csrfmiddlewaretoken") == 2
    assert 'enctype="multipart/form-data"' in html
    assert 'accept=".pdf,.jpg,.jpeg,.png,.xlsx"' in html
    assert f'name="indicator" value="{entry.indicator_id}"' in html
    assert html.count(f'name="next" value="{NEXT}"') == 2
    assert "paling besar 10 MB" in html


def test_agency_code_may_be_given(entry):
    html = render(entry=entry, evidence=[], can_edit=True, agency_code="kode-lain")
    assert reverse("evidence:upload", args=["kode-lain", 2025, 1]) in html


def test_verified_entry_shows_files_without_forms(entry, attached, agency):
    done = verified(entry, factories.user("perencana", agency=agency, role="planner"))
    html = render(entry=done, evidence=[attached], can_edit=True)
    assert forms(html) == []
    assert "sudah diverifikasi" in html and "rekap" in html


def test_no_entry_yet(agency):
    html = render(entry=None, evidence=[], can_edit=True)
    assert forms(html) == []
    assert "Belum ada bukti dukung." in html
    assert "Simpan realisasi triwulan ini dulu sebelum melampirkan bukti." in html
    assert "Simpan realisasi" not in render(entry=None, evidence=[], can_edit=False)


def test_selector_one_query_for_all_entries(agency, entry, attached, django_assert_num_queries):
    other = quarter_entry(agency, code="IKU2")
    second = evidence_attach(realization=entry, upload=upload(files.pdf(), "b.pdf"), ctx=AuditContext())
    with django_assert_num_queries(1):
        found = evidence_for(realization_ids=[entry.pk, other.pk])
    assert found == {entry.pk: [attached, second], other.pk: []}
    with django_assert_num_queries(0):
        assert evidence_for(realization_ids=[]) == {}
