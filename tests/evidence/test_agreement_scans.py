"""The scan of a signed PK version as its evidence: who may upload, download and delete it, what
the files may be, the audit trail, the partial and the selector."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from agencies.permissions import access_for
from audit.models import AuditEntry
from audit.services import AuditContext
from evidence.models import Evidence
from evidence.selectors import scans_for
from evidence.services import evidence_attach, scan_attach, scan_remove
from performance.models import PerformanceAgreement, Realization
from performance.rules import RuleViolation
from tests import factories
from tests.audit.helpers import without_csrf
from tests.evidence import files
from tests.evidence.helpers import upload

pytestmark = pytest.mark.django_db

CODE = "uji-disnaker"
YEAR = 2025
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"This program cannot be run in DOS"


@pytest.fixture
def agreement():
    """A PK murni 2025 (a draft) of one indicator with an annual realisasi, and another Pemda's
    agency with its own."""
    own = factories.agency(CODE)
    factories.measured_indicator(own, code="IKU2")
    factories.measured_indicator(factories.agency("lain-disnaker", factories.government("Pemerintah Kota Lain")))
    return PerformanceAgreement.objects.select_related("agency").get(agency__code=CODE, number=0)


def entry_of_the_agency() -> Realization:
    return Realization.objects.get(indicator__plan__agency__code=CODE, indicator__code="IKU2")


@pytest.fixture
def people(agreement):
    own = agreement.agency
    foreign = PerformanceAgreement.objects.get(agency__code="lain-disnaker").agency
    return {
        "operator": factories.user("operator", agency=own),
        "planner": factories.user("perencana", agency=own, role="planner"),
        "head": factories.user("kepala", agency=own, role="head"),
        "gov_planner": factories.user("bappeda", government=own.government, gov_role="planner"),
        "evaluator": factories.user("evaluator", government=own.government, gov_role="evaluator"),
        "outsider": factories.user("orang-lain", agency=foreign, role="planner"),
        "outsider_gov": factories.user("bappeda-lain", government=foreign.government, gov_role="planner"),
    }


@pytest.fixture
def scan(agreement, people):
    return scan_attach(agreement=agreement, upload=upload(files.pdf("ttd"), "PK murni ditandatangani.pdf"),
                       ctx=AuditContext(user=people["head"]))


def upload_url(code: str = CODE, number: int = 0) -> str:
    return reverse("evidence:agreement_upload", args=[code, YEAR, number])


def download_url(pk: int, code: str = CODE, number: int = 0) -> str:
    return reverse("evidence:agreement_download", args=[code, YEAR, number, pk])


def delete_url(pk: int, code: str = CODE, number: int = 0) -> str:
    return reverse("evidence:agreement_delete", args=[code, YEAR, number, pk])


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def fallback() -> str:
    from evidence.views import agreement_page

    return agreement_page(PerformanceAgreement.objects.select_related("agency").get(agency__code=CODE, number=0))


def post_upload(client, data: bytes, name: str = "pk.pdf", **extra):
    return client.post(upload_url(), {"file": upload(data, name), **extra})


# ---- upload ----


@pytest.mark.parametrize("role", ["planner", "head"])
def test_the_agency_planner_and_head_upload_a_scan(client, people, agreement, role):
    client.force_login(people[role])
    data = files.pdf("ditandatangani")
    response = post_upload(client, data, "PK 2025 (ttd).pdf", next="/kembali/")
    assert response.status_code == 303 and response["Location"] == "/kembali/"
    assert flash(response) == ["Pindaian “PK 2025 (ttd).pdf” diunggah sebagai bukti PK Murni 2025."]
    stored = Evidence.objects.get()
    assert (stored.agreement, stored.realization, stored.content_type, stored.uploaded_by) == (
        agreement, None, "application/pdf", people[role])
    assert stored.sha256 == hashlib.sha256(data).hexdigest() and stored.size == len(data)
    assert Path(stored.file.path).read_bytes() == data
    assert stored.file.name.startswith("evidence/2025/") and "PK" not in stored.file.name  # a random name
    log = AuditEntry.objects.get(object_type="evidence", action="create")
    assert (log.agency_code, log.year, log.quarter, log.user, log.object_label) == (
        CODE, YEAR, None, people[role], "PK 2025 (ttd).pdf")
    assert log.changes["agreement_id"] == [None, str(agreement.pk)]


def test_without_next_it_returns_to_the_version_page(client, people, agreement):
    client.force_login(people["planner"])
    response = post_upload(client, files.image("JPEG"), "foto.jpg")
    assert response.status_code == 303 and response["Location"] == fallback()
    assert Evidence.objects.get().content_type == "image/jpeg"


@pytest.mark.parametrize("role", ["operator", "gov_planner", "evaluator"])
def test_roles_that_see_but_may_not_submit_get_403(client, people, agreement, role):
    client.force_login(people[role])
    assert post_upload(client, files.pdf()).status_code == 403
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (EXE, "pk.pdf", "berkas ini berisi EXE, bukan PDF, JPG, PNG atau XLSX"),
        (b"Perjanjian Kinerja, diketik ulang\n", "pk.pdf", "jenis berkas tidak diterima"),
        (files.xlsx(), "pk.xlsx", "berkas ini berisi XLSX; pindaian PK yang ditandatangani harus berupa PDF, JPG atau PNG"),
        (b"", "kosong.pdf", "berkas kosong"),
    ],
    ids=["renamed-exe", "text-as-pdf", "workbook", "empty"],
)
def test_a_file_that_is_not_a_scan_is_refused_in_indonesian(client, people, agreement, data, name, message):
    client.force_login(people["planner"])
    response = post_upload(client, data, name)
    assert response.status_code == 303 and response["Location"] == fallback()
    [shown] = flash(response)
    assert shown.startswith("Pindaian PK tidak diunggah: ") and message in shown
    assert not Evidence.objects.exists()


def test_no_file_chosen(client, people, agreement):
    client.force_login(people["planner"])
    response = client.post(upload_url(), {})
    assert flash(response) == ["Pindaian PK tidak diunggah: pilih berkas pindaian PK yang sudah ditandatangani."]


def test_the_size_limit(client, people, agreement, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    client.force_login(people["planner"])
    response = client.post(upload_url() + "?next=/kembali/", {"file": upload(files.pdf("x" * 200_000))})
    assert response.status_code == 303 and response["Location"] == "/kembali/"
    assert flash(response) == ["Pindaian PK tidak diunggah: berkas bukti dukung paling besar 1 KB."]
    response = post_upload(client, files.pdf("x" * 2000))
    assert "paling besar 1 KB" in flash(response)[0]
    with pytest.raises(RuleViolation, match="paling besar 1 KB"):
        scan_attach(agreement=agreement, upload=upload(files.pdf("y" * 2000)), ctx=AuditContext())
    assert not Evidence.objects.exists()


def test_the_same_file_twice_is_refused(client, people, agreement, scan):
    client.force_login(people["planner"])
    [shown] = flash(post_upload(client, files.pdf("ttd"), "salinan.pdf"))
    assert "berkas yang sama sudah dilampirkan pada PK Murni ini sebagai “PK murni ditandatangani.pdf”" in shown
    assert Evidence.objects.count() == 1


def test_the_same_file_may_be_evidence_of_a_realisasi_and_of_the_pk(agreement, scan):
    entry = entry_of_the_agency()
    twin = evidence_attach(realization=entry, upload=upload(files.pdf("ttd")), ctx=AuditContext())
    assert twin.sha256 == scan.sha256 and Evidence.objects.count() == 2


def test_an_approved_version_takes_its_scan(client, people, agreement):
    factories.approve_agreement(agreement)
    client.force_login(people["head"])
    assert "diunggah sebagai bukti PK Murni 2025" in flash(post_upload(client, files.pdf("setelah")))[0]
    assert Evidence.objects.get().agreement_id == agreement.pk


def test_a_missing_version_is_404(client, people, agreement):
    client.force_login(people["planner"])
    for number in (1, 2**15, 2**40):
        assert client.post(upload_url(number=number), {"file": upload(files.pdf())}).status_code == 404
    assert not Evidence.objects.exists()


def test_get_is_not_allowed(client, people, scan):
    client.force_login(people["planner"])
    assert client.get(upload_url()).status_code == 405
    assert client.get(delete_url(scan.pk)).status_code == 405
    assert client.post(download_url(scan.pk)).status_code == 405


# ---- download ----


@pytest.mark.parametrize("role", ["operator", "planner", "head", "gov_planner", "evaluator"])
def test_everyone_who_sees_the_agency_downloads(client, people, scan, role):
    client.force_login(people[role])
    response = client.get(download_url(scan.pk))
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == scan.sha256


def test_download_headers_are_those_of_realisasi_evidence(client, people, scan):
    client.force_login(people["operator"])
    response = client.get(download_url(scan.pk))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"PK murni ditandatangani.pdf\"; filename*=UTF-8''PK%20murni%20ditandatangani.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert int(response["Content-Length"]) == scan.size


def test_a_scan_is_found_only_under_its_own_version(client, people, agreement, scan):
    entry = entry_of_the_agency()
    realisasi = evidence_attach(realization=entry, upload=upload(files.pdf("realisasi")), ctx=AuditContext())
    client.force_login(people["planner"])
    assert client.get(download_url(scan.pk, number=1)).status_code == 404  # no such version
    assert client.get(download_url(realisasi.pk)).status_code == 404  # a realisasi's evidence
    assert client.post(delete_url(realisasi.pk)).status_code == 404
    assert client.get(reverse("evidence:download", args=[scan.pk])).status_code == 404  # not a realisasi's
    assert client.post(reverse("evidence:delete", args=[scan.pk])).status_code == 404
    assert Evidence.objects.count() == 2


def test_a_file_missing_from_storage_is_404(client, people, scan):
    Path(scan.file.path).unlink()
    client.force_login(people["planner"])
    assert client.get(download_url(scan.pk)).status_code == 404


# ---- delete ----


@pytest.mark.parametrize("role", ["planner", "head"])
def test_a_draft_versions_scan_is_deleted_with_an_audit_entry(client, people, scan, role,
                                                              django_capture_on_commit_callbacks):
    client.force_login(people[role])
    path = Path(scan.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete_url(scan.pk), {"next": "/kembali/"})
    assert response.status_code == 303 and response["Location"] == "/kembali/"
    assert flash(response) == ["Pindaian “PK murni ditandatangani.pdf” dihapus dari PK Murni 2025."]
    assert not Evidence.objects.exists() and not path.exists()
    log = AuditEntry.objects.get(object_type="evidence", action="delete")
    assert (log.agency_code, log.year, log.user, log.changes["sha256"][0]) == (CODE, YEAR, people[role], scan.sha256)


@pytest.mark.parametrize("role", ["operator", "gov_planner", "evaluator"])
def test_roles_that_may_not_submit_cannot_delete(client, people, scan, role):
    client.force_login(people[role])
    assert client.post(delete_url(scan.pk), {"reason": "salah"}).status_code == 403
    assert Evidence.objects.filter(pk=scan.pk).exists()


def test_an_approved_versions_scan_goes_only_with_a_reason(client, people, agreement, scan,
                                                           django_capture_on_commit_callbacks):
    factories.approve_agreement(agreement)
    client.force_login(people["planner"])
    response = client.post(delete_url(scan.pk), {"reason": "  "})
    assert response.status_code == 303 and response["Location"] == fallback()
    assert flash(response) == [
        "Pindaian PK tidak dihapus: tuliskan alasan menghapus pindaian dari PK yang sudah disetujui."
    ]
    assert Evidence.objects.filter(pk=scan.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete_url(scan.pk), {"reason": "salah berkas: halaman 2 tidak terpindai"})
    assert "Pindaian “PK murni ditandatangani.pdf” dihapus dari PK Murni 2025." in flash(response)
    assert not Evidence.objects.exists() and not Path(scan.file.path).exists()
    log = AuditEntry.objects.get(object_type="evidence", action="delete")
    assert log.reason == "salah berkas: halaman 2 tidak terpindai" and log.user == people["planner"]


def test_the_service_refuses_an_approved_versions_scan_without_a_reason(agreement, scan):
    factories.approve_agreement(agreement)
    with pytest.raises(RuleViolation, match="tuliskan alasan"):
        scan_remove(evidence=scan, ctx=AuditContext())
    scan_remove(evidence=scan, ctx=AuditContext(reason="diganti pindaian yang lebih jelas"))
    assert not Evidence.objects.exists()


# ---- outsiders, anonymous ----


def page(response, code: str) -> str:
    return without_csrf(response.content.decode()).replace(code, "<kode>")


@pytest.mark.parametrize("role", ["outsider", "outsider_gov"])
def test_outsiders_get_the_404_of_something_that_does_not_exist(client, people, scan, role):
    client.force_login(people[role])
    for method, real, missing in [
        ("post", upload_url(), upload_url(code="tidak-ada")),
        ("get", download_url(scan.pk), download_url(scan.pk, code="tidak-ada")),
        ("post", delete_url(scan.pk), delete_url(scan.pk, code="tidak-ada")),
    ]:
        response = getattr(client, method)(real, {"reason": "x"} if "hapus" in real else {})
        absent = getattr(client, method)(missing, {"reason": "x"} if "hapus" in real else {})
        assert response.status_code == absent.status_code == 404, real
        assert page(response, CODE) == page(absent, "tidak-ada"), real
    assert Evidence.objects.count() == 1


def test_anonymous_is_sent_to_log_in(client, scan):
    for method, url in (("post", upload_url()), ("get", download_url(scan.pk)), ("post", delete_url(scan.pk))):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login") + "?next="), url


# ---- the model, the selector, the partial, the admin ----


def test_evidence_has_exactly_one_owner(agreement, scan):
    entry = entry_of_the_agency()
    for owners in ({"realization": entry, "agreement": agreement}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Evidence.objects.create(**owners, file="evidence/2025/x", original_name="x.pdf",
                                    content_type="application/pdf", size=1, sha256="0" * 64,
                                    uploaded_by_label="sistem", uploaded_at=scan.uploaded_at)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(agreement=agreement, file="evidence/2025/y", original_name="y.pdf",
                                content_type="application/pdf", size=1, sha256=scan.sha256,
                                uploaded_by_label="sistem", uploaded_at=scan.uploaded_at)


def test_scans_for_lists_the_versions_scans_oldest_first(agreement, scan, django_assert_num_queries):
    later = scan_attach(agreement=agreement, upload=upload(files.image("PNG"), "hal2.png"), ctx=AuditContext())
    with django_assert_num_queries(1):
        assert scans_for(agreement) == [scan, later]
    assert scans_for(PerformanceAgreement.objects.get(agency__code="lain-disnaker")) == []


def render(agreement, user, scans) -> str:
    request = RequestFactory().get("/instansi/uji-disnaker/2025/pk/v0/?tab=bukti")
    request.user = user
    context = {"agreement": agreement, "scans": scans, "access": access_for(user=user, agency=agreement.agency)}
    return render_to_string("evidence/_agreement_scans.html", context, request=request)


def forms(html: str) -> list[str]:
    return re.findall(r'<form[^>]*action="([^"]*)"', html)


def test_the_partial_for_those_who_may_submit(agreement, people, scan):
    html = render(agreement, people["planner"], [scan])
    assert f'href="{download_url(scan.pk)}"' in html
    assert "PK murni ditandatangani.pdf" in html and "PDF · " in html and "diunggah oleh kepala, " in html
    assert forms(html) == [delete_url(scan.pk), upload_url() + "?next=/instansi/uji-disnaker/2025/pk/v0/%3Ftab%3Dbukti"]
    assert 'name="next" value="/instansi/uji-disnaker/2025/pk/v0/?tab=bukti"' in html
    assert 'name="reason"' not in html  # a draft's scan goes without a reason
    approved = factories.approve_agreement(agreement)
    assert 'name="reason" required' in render(approved, people["planner"], [scan])


def test_the_partial_for_those_who_only_see(agreement, people, scan):
    html = render(agreement, people["operator"], [scan])
    assert f'href="{download_url(scan.pk)}"' in html and forms(html) == []
    assert "Belum ada pindaian PK Murni" in render(agreement, people["evaluator"], [])


@pytest.fixture
def admin_client(client):
    from agencies.models import User

    client.force_login(User.objects.create_superuser("root", password="x"))
    return client


def test_the_admin_links_the_checked_download_and_keeps_an_approved_versions_scan(admin_client, agreement, scan):
    change = admin_client.get(reverse("admin:evidence_evidence_change", args=[scan.pk])).content.decode()
    assert f'href="{download_url(scan.pk)}"' in change and "/media/" not in change
    factories.approve_agreement(agreement)
    assert admin_client.get(reverse("admin:evidence_evidence_delete", args=[scan.pk])).status_code == 403
    assert Evidence.objects.filter(pk=scan.pk).exists()
