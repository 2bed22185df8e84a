"""Document versions: request, background render, dedupe, failure and retry, downloads, verification."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from agencies.models import Agency
from lkjip.celery import app as celery_app
from performance.models import Realization
from reports.models import LkjipDocument
from reports.services import document_request
from tests import factories
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db
BEKASI = Path(__file__).resolve().parents[2] / "demo" / "workbooks" / "bekasi-disnaker.xlsx"


@pytest.fixture
def render_inline(settings):
    """Run the reports task in the test's own thread, whatever broker the settings name."""
    settings.LKJIP_RENDER_IN_THREAD = False
    settings.CELERY_TASK_ALWAYS_EAGER = True
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def bekasi():
    assert workbook_import(source=BEKASI).ok
    return Agency.objects.get(code="bekasi-disnaker")


@pytest.fixture
def people(bekasi):
    other = factories.agency("dinas-lain", bekasi.government)
    return {
        "planner": factories.user("perencana", agency=bekasi, role="planner"),
        "staff": factories.user("operator", agency=bekasi, role="staff"),
        "outsider": factories.user("orang-lain", agency=other, role="planner"),
        "evaluator": factories.user("evaluator", government=bekasi.government, gov_role="evaluator"),
    }


def request_version(client, user, django_capture_on_commit_callbacks):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:document_create", args=["bekasi-disnaker", 2025]))
    assert response.status_code == 302
    return LkjipDocument.objects.order_by("-pk").first()


def test_request_renders_a_frozen_verifiable_version(client, people, render_inline, django_capture_on_commit_callbacks):
    document = request_version(client, people["planner"], django_capture_on_commit_callbacks)
    assert document.status == "done", document.error
    assert document.number == 1 and document.page_count > 10
    pdf = document.pdf.read()
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == document.pdf_sha256
    assert document.snapshot["budget"]["spent"] == "17745401889.00"
    assert document.requested_by == people["planner"]
    page = client.get(reverse("reports:documents", args=["bekasi-disnaker", 2025])).content.decode()
    assert document.pdf_sha256 in page and "Selesai" in page


def test_request_does_not_wait_for_the_render(client, people, settings, django_capture_on_commit_callbacks):
    settings.LKJIP_RENDER_IN_THREAD = False
    client.force_login(people["planner"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("reports:document_create", args=["bekasi-disnaker", 2025]))
    document = LkjipDocument.objects.get()
    assert document.status == "queued" and not document.pdf  # handed to the queue, not rendered
    assert len(callbacks) == 1
    page = client.get(reverse("reports:documents", args=["bekasi-disnaker", 2025])).content.decode()
    assert 'http-equiv="refresh"' in page and "Dalam antrean" in page


def test_unchanged_data_gives_the_stored_version_changed_data_a_new_one(
    client, people, bekasi, render_inline, django_capture_on_commit_callbacks
):
    first = request_version(client, people["planner"], django_capture_on_commit_callbacks)
    again = request_version(client, people["planner"], django_capture_on_commit_callbacks)
    assert again.pk == first.pk and LkjipDocument.objects.count() == 1
    Realization.objects.filter(indicator__code="TPT", year=2025).update(value=Decimal("7.30"))
    second = request_version(client, people["planner"], django_capture_on_commit_callbacks)
    assert second.number == 2 and second.pdf_sha256 != first.pdf_sha256
    url = reverse("reports:document_compare", args=["bekasi-disnaker", 2025]) + "?a=1&b=2"
    page = client.get(url).content.decode()
    assert "Indikator TPT" in page and "7.3300" in page and "7.3000" in page


def test_failure_is_recorded_and_can_be_retried(
    client, people, bekasi, monkeypatch, render_inline, django_capture_on_commit_callbacks
):
    import reports.document

    real = reports.document.render_document

    def broken(*args, **kwargs):
        raise RuntimeError("font hilang")

    monkeypatch.setattr(reports.document, "render_document", broken)
    document = request_version(client, people["planner"], django_capture_on_commit_callbacks)
    assert document.status == "failed" and "font hilang" in document.error
    page = client.get(reverse("reports:documents", args=["bekasi-disnaker", 2025])).content.decode()
    assert "Gagal" in page and "Coba lagi" in page
    monkeypatch.setattr(reports.document, "render_document", real)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:document_retry", args=[document.code]))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == "done" and document.attempts == 2 and document.error == ""


def test_who_may_request_read_and_download(client, people, render_inline, django_capture_on_commit_callbacks):
    document = request_version(client, people["evaluator"], django_capture_on_commit_callbacks)
    assert document.status == "done"
    pdf_url = reverse("reports:document_pdf", args=[document.code])
    xlsx_url = reverse("reports:document_xlsx", args=[document.code])
    create_url = reverse("reports:document_create", args=["bekasi-disnaker", 2025])
    list_url = reverse("reports:documents", args=["bekasi-disnaker", 2025])

    client.force_login(people["staff"])
    assert client.get(list_url).status_code == 200
    assert client.get(pdf_url).status_code == 200 and client.get(xlsx_url).status_code == 200
    assert client.post(create_url).status_code == 403

    client.force_login(people["outsider"])
    for url in (list_url, pdf_url, xlsx_url):
        assert client.get(url).status_code == 404
    assert client.post(create_url).status_code == 404
    assert client.post(reverse("reports:document_retry", args=[document.code])).status_code == 404
    assert client.get(reverse("reports:document_compare", args=["bekasi-disnaker", 2025]) + "?a=1&b=1").status_code == 404

    client.logout()
    assert client.get(pdf_url).status_code == 302


def test_public_verification_page(client, people, render_inline, django_capture_on_commit_callbacks):
    document = request_version(client, people["planner"], django_capture_on_commit_callbacks)
    pdf = document.pdf.read()
    client.logout()
    url = reverse("reports:verify", args=[document.code])
    page = client.get(url).content.decode()
    assert "Dinas Tenaga Kerja Kota Bekasi" in page and document.pdf_sha256 in page
    ok = client.post(url, {"berkas": SimpleUploadedFile("lkjip.pdf", pdf)}).content.decode()
    assert "Cocok." in ok
    tampered = client.post(url, {"berkas": SimpleUploadedFile("lkjip.pdf", pdf + b"%")}).content.decode()
    assert "Tidak cocok." in tampered
    missing = client.post(url, {})
    assert missing.status_code == 400 and "Pilih berkas PDF" in missing.content.decode()
    assert client.get(reverse("reports:verify", args=["tidakada"])).status_code == 404


def test_document_prints_its_verification_address(bekasi, render_inline, django_capture_on_commit_callbacks):
    from pypdf import PdfReader

    with django_capture_on_commit_callbacks(execute=True):
        document, created = document_request(agency=bekasi, year=2025, user=None)
    document.refresh_from_db()
    text = "\n".join(page.extract_text() for page in PdfReader(document.pdf.open("rb")).pages)
    assert f"/v/{document.code}/" in text.replace("\n", "")


def test_render_lkjip_command(bekasi, tmp_path):
    output = tmp_path / "bekasi.pdf"
    out = StringIO()
    call_command("render_lkjip", "--agency", "bekasi-disnaker", "--year", "2025", "--output", str(output), stdout=out)
    assert output.read_bytes().startswith(b"%PDF") and "halaman" in out.getvalue()
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("render_lkjip", "--agency", "tidak-ada", "--year", "2025", "--output", str(output))
    with pytest.raises(CommandError, match="--output"):
        call_command("render_lkjip", "--agency", "bekasi-disnaker", "--year", "2025")
    with pytest.raises(CommandError, match="Renstra"):
        call_command("render_lkjip", "--agency", "bekasi-disnaker", "--year", "2010", "--output", str(output))


def test_a_render_killed_midway_expires_and_can_be_retried(
    client, people, bekasi, settings, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    settings.LKJIP_RENDER_IN_THREAD = False
    client.force_login(people["planner"])
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("reports:document_create", args=["bekasi-disnaker", 2025]))
    document = LkjipDocument.objects.get()
    # A worker claimed it and died: 'rendering' since longer than the task time limit.
    long_ago = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    LkjipDocument.objects.filter(pk=document.pk).update(status="rendering", started_at=long_ago)
    page = client.get(reverse("reports:documents", args=["bekasi-disnaker", 2025])).content.decode()
    document.refresh_from_db()
    assert document.status == "failed" and "terhenti" in document.error
    assert 'form="retry-' in page and 'http-equiv="refresh"' not in page


def test_render_claims_only_queued_documents(bekasi, render_inline, django_capture_on_commit_callbacks):
    from reports.services import document_render

    with django_capture_on_commit_callbacks(execute=True):
        document, _ = document_request(agency=bekasi, year=2025, user=None)
    document.refresh_from_db()
    assert document.status == "done" and document.attempts == 1
    again = document_render(document_id=document.pk)  # a redelivered task
    assert again.attempts == 1 and again.pdf_sha256 == document.pdf_sha256


def test_no_documents_for_a_year_without_a_renstra(client, people):
    Realization.objects.create(indicator=Realization.objects.first().indicator, year=2019, value=Decimal(1))
    client.force_login(people["planner"])
    assert client.get(reverse("reports:documents", args=["bekasi-disnaker", 2019])).status_code == 404
    assert client.post(reverse("reports:document_create", args=["bekasi-disnaker", 2019])).status_code == 404
    assert not LkjipDocument.objects.exists()


def test_verification_refuses_an_oversized_upload_before_reading_it(client, bekasi, settings):
    from reports.document_views import MAX_VERIFY_BYTES

    document = LkjipDocument.objects.create(agency=bekasi, year=2025, number=1, snapshot={}, snapshot_sha256="x")
    response = client.post(
        reverse("reports:verify", args=[document.code]), data=b"", content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(MAX_VERIFY_BYTES + 1),
    )
    assert response.status_code == 400 and "lebih dari 20 MB" in response.content.decode()


@pytest.mark.parametrize("query", ["a=1&b=99999999999999999999", "a=-1&b=1", "a=0&b=1", "a=1&b=abc", "a=1"])
def test_compare_with_a_version_number_that_cannot_exist_is_404_not_500(client, people, query):
    # probe F11: a number beyond SQLite's INTEGER gave an OverflowError (500) in embedded mode.
    client.force_login(people["staff"])
    url = reverse("reports:document_compare", args=["bekasi-disnaker", 2025]) + "?" + query
    assert client.get(url).status_code == 404
