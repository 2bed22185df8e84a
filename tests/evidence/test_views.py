"""The evidence pages: who may upload, download and delete, what a refusal looks like, the
download's headers, and that no public URL serves a stored file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.checks import run_checks
from django.urls import Resolver404, resolve, reverse

from evidence.models import Evidence
from evidence.services import evidence_attach
from tests import factories
from tests.audit.helpers import without_csrf
from tests.evidence import files
from tests.evidence.helpers import quarter_entry, upload, verified

pytestmark = pytest.mark.django_db

CODE = "uji-bukti"


@pytest.fixture
def agency():
    return factories.agency(CODE)


@pytest.fixture
def people(agency):
    other = factories.agency("lain-bukti", factories.government("Pemerintah Kota Lain"))
    return {
        "operator": factories.user("operator", agency=agency),
        "planner": factories.user("perencana", agency=agency, role="planner"),
        "head": factories.user("kepala", agency=agency, role="head"),
        "gov_planner": factories.user("bappeda", government=agency.government, gov_role="planner"),
        "evaluator": factories.user("evaluator", government=agency.government, gov_role="evaluator"),
        "outsider": factories.user("orang-lain", agency=other),
        "outsider_gov": factories.user("bappeda-lain", government=other.government, gov_role="planner"),
    }


@pytest.fixture
def entry(agency):
    return quarter_entry(agency)


@pytest.fixture
def evidence(entry):
    from audit.services import AuditContext

    return evidence_attach(realization=entry, upload=upload(files.pdf("awal"), "Surat Keterangan Ø.pdf"),
                           ctx=AuditContext())


def upload_url(quarter: int = 1, code: str = CODE, year: int = 2025) -> str:
    return reverse("evidence:upload", args=[code, year, quarter])


def post_upload(client, entry, data: bytes = b"", name: str = "bukti.pdf", **extra):
    body = {"indicator": entry.indicator_id, "file": upload(data or files.pdf("baru"), name), **extra}
    return client.post(upload_url(entry.quarter), body)


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def overview() -> str:
    return reverse("reports:overview", args=[CODE, 2025])


# ---- upload ----


@pytest.mark.parametrize("role", ["operator", "planner"])
def test_the_agency_operator_and_planner_upload(client, people, entry, role):
    client.force_login(people[role])
    response = post_upload(client, entry, files.image("PNG"), "foto kegiatan.png")
    assert response.status_code == 303 and response["Location"] == overview()
    stored = Evidence.objects.get()
    assert (stored.realization, stored.content_type, stored.uploaded_by) == (entry, "image/png", people[role])
    assert flash(response) == ["Bukti dukung “foto kegiatan.png” dilampirkan pada TPT TW I 2025."]


def test_upload_returns_to_a_safe_next_only(client, people, entry):
    client.force_login(people["operator"])
    here = "/instansi/uji-bukti/2025/realisasi/tw1/?tab=bukti"
    assert post_upload(client, entry, next=here)["Location"] == here
    for unsafe in ("https://jahat.example/curi", "//jahat.example/", "javascript:alert(1)"):
        response = post_upload(client, entry, files.pdf(unsafe), next=unsafe)
        assert response["Location"] == overview(), unsafe


@pytest.mark.parametrize("role", ["head", "gov_planner", "evaluator"])
def test_roles_that_see_but_may_not_enter_get_403(client, people, entry, role):
    client.force_login(people[role])
    assert post_upload(client, entry).status_code == 403
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"indicator": "x"}, "indikator tidak termasuk Renstra perangkat daerah ini untuk tahun 2025"),
        ({"indicator": "99999999999999999999999"}, "indikator tidak termasuk Renstra"),
        ({"indicator": None}, "indikator tidak termasuk Renstra"),
        ({"file": None}, "pilih berkas bukti dukung untuk diunggah"),
        ({"file": upload(b"bukan pdf", "bukti.pdf")}, "jenis berkas tidak diterima"),
        ({"file": upload(b"", "kosong.pdf")}, "berkas kosong"),
    ],
    ids=["indicator-not-a-number", "indicator-huge", "no-indicator", "no-file", "text-as-pdf", "empty"],
)
def test_bad_input_is_a_message_and_writes_nothing(client, people, entry, body, message):
    client.force_login(people["operator"])
    form = {"indicator": entry.indicator_id, "file": upload(files.pdf()), **body}
    form = {k: v for k, v in form.items() if v is not None}
    response = client.post(upload_url(), form)
    assert response.status_code == 303 and response["Location"] == overview()
    [shown] = flash(response)
    assert shown.startswith("Bukti dukung tidak dilampirkan: ") and message in shown
    assert not Evidence.objects.exists()


def test_an_indicator_of_another_agency(client, people, entry):
    stranger = quarter_entry(people["outsider"].memberships.get().agency, code="LAIN")
    client.force_login(people["operator"])
    response = client.post(upload_url(), {"indicator": stranger.indicator_id, "file": upload(files.pdf())})
    assert "indikator tidak termasuk Renstra" in flash(response)[0]
    assert not Evidence.objects.exists()


def test_no_entry_for_the_quarter_yet(client, people, entry):
    client.force_login(people["operator"])
    response = client.post(upload_url(quarter=2), {"indicator": entry.indicator_id, "file": upload(files.pdf())})
    assert flash(response) == [
        "Bukti dukung tidak dilampirkan: TPT TW II 2025: simpan realisasi triwulan ini dulu sebelum melampirkan bukti."
    ]


def test_unknown_quarter_is_404(client, people, entry):
    client.force_login(people["operator"])
    assert client.post(upload_url(quarter=5), {"indicator": entry.indicator_id}).status_code == 404


def test_oversized_upload_is_refused_from_its_declared_size(client, people, entry, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    client.force_login(people["operator"])
    big = files.pdf("x" * 200_000)
    response = client.post(upload_url() + "?next=/kembali/", {"indicator": entry.indicator_id,
                                                             "file": upload(big)})
    assert response.status_code == 303 and response["Location"] == "/kembali/"
    assert flash(response) == ["Bukti dukung tidak dilampirkan: berkas bukti dukung paling besar 1 KB."]
    # Just over the limit but within the form's framing allowance: the per-file check refuses it.
    response = client.post(upload_url(), {"indicator": entry.indicator_id, "file": upload(files.pdf("x" * 2000))})
    assert "paling besar 1 KB" in flash(response)[0]
    assert not Evidence.objects.exists()


def test_verified_entry_refuses_upload_with_the_reason(client, people, entry):
    done = verified(entry, people["planner"])
    client.force_login(people["operator"])
    [shown] = flash(post_upload(client, done))
    assert "sudah diverifikasi oleh" in shown and "membukanya kembali" in shown


def test_get_is_not_allowed(client, people, entry, evidence):
    client.force_login(people["operator"])
    assert client.get(upload_url()).status_code == 405
    assert client.get(reverse("evidence:delete", args=[evidence.pk])).status_code == 405
    assert client.post(reverse("evidence:download", args=[evidence.pk])).status_code == 405


# ---- download ----


@pytest.mark.parametrize("role", ["operator", "planner", "head", "gov_planner", "evaluator"])
def test_everyone_who_sees_the_agency_downloads(client, people, evidence, role):
    client.force_login(people[role])
    response = client.get(reverse("evidence:download", args=[evidence.pk]))
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == evidence.sha256


def test_download_headers(client, people, evidence):
    client.force_login(people["operator"])
    response = client.get(reverse("evidence:download", args=[evidence.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Surat Keterangan .pdf\"; filename*=UTF-8''Surat%20Keterangan%20%C3%98.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "sandbox"
    assert int(response["Content-Length"]) == evidence.size


def test_download_names_the_real_type(client, people, entry):
    from audit.services import AuditContext

    disguised = evidence_attach(realization=entry, upload=upload(files.pdf(), 'scan "asli".png', "image/png"),
                                ctx=AuditContext())
    client.force_login(people["operator"])
    response = client.get(reverse("evidence:download", args=[disguised.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="scan _asli_.pdf"; ')


def test_a_file_missing_from_storage_is_404_not_500(client, people, evidence):
    Path(evidence.file.path).unlink()
    client.force_login(people["operator"])
    assert client.get(reverse("evidence:download", args=[evidence.pk])).status_code == 404


# ---- delete ----


@pytest.mark.parametrize("role", ["operator", "planner"])
def test_operator_and_planner_delete(client, people, evidence, role, django_capture_on_commit_callbacks):
    client.force_login(people[role])
    path = Path(evidence.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evidence:delete", args=[evidence.pk]), {"next": "/instansi/uji-bukti/"})
    assert response.status_code == 303 and response["Location"] == "/instansi/uji-bukti/"
    assert flash(response) == ["Bukti dukung “Surat Keterangan Ø.pdf” dihapus."]
    assert not Evidence.objects.exists() and not path.exists()


@pytest.mark.parametrize("role", ["head", "gov_planner", "evaluator"])
def test_roles_that_may_not_enter_cannot_delete(client, people, evidence, role):
    client.force_login(people[role])
    assert client.post(reverse("evidence:delete", args=[evidence.pk])).status_code == 403
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_a_verified_entrys_evidence_stays(client, people, entry, evidence):
    verified(entry, people["planner"])
    client.force_login(people["operator"])
    response = client.post(reverse("evidence:delete", args=[evidence.pk]))
    assert response.status_code == 303 and response["Location"] == overview()
    assert flash(response)[0].startswith("Bukti dukung tidak dihapus: realisasi ini sudah diverifikasi")
    assert Evidence.objects.filter(pk=evidence.pk).exists()


# ---- outsiders, anonymous ----


def page(response, code: str) -> str:
    return without_csrf(response.content.decode()).replace(code, "<kode>")


def _requests(evidence, entry, code: str = CODE, pk: int | None = None):
    pk = evidence.pk if pk is None else pk
    return [
        ("post", reverse("evidence:upload", args=[code, 2025, 1]),
         {"indicator": entry.indicator_id, "file": upload(files.pdf("luar"))}),
        ("get", reverse("evidence:download", args=[pk]), {}),
        ("post", reverse("evidence:delete", args=[pk]), {}),
    ]


@pytest.mark.parametrize("role", ["outsider", "outsider_gov"])
def test_outsiders_get_the_404_of_something_that_does_not_exist(client, people, entry, evidence, role):
    client.force_login(people[role])
    real = _requests(evidence, entry)
    missing = _requests(evidence, entry, code="tidak-ada", pk=evidence.pk + 1000)
    for (method, url, body), (_, missing_url, missing_body) in zip(real, missing, strict=True):
        response = getattr(client, method)(url, body)
        absent = getattr(client, method)(missing_url, missing_body)
        assert response.status_code == absent.status_code == 404, url
        assert page(response, CODE) == page(absent, "tidak-ada"), url
    assert Evidence.objects.count() == 1


def test_anonymous_is_sent_to_log_in(client, entry, evidence):
    for method, url, body in _requests(evidence, entry):
        response = getattr(client, method)(url, body)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login") + "?next="), url
    assert Evidence.objects.count() == 1


# ---- no public URL ----


def test_stored_files_have_no_public_url(client, people, evidence, settings):
    public = "/" + settings.MEDIA_URL.strip("/") + "/" + evidence.file.name
    assert Path(settings.MEDIA_ROOT, evidence.file.name).is_file()
    client.force_login(people["operator"])
    for url in (public, evidence.file.url, "/static/../" + settings.MEDIA_URL.strip("/") + "/" + evidence.file.name):
        assert client.get(url).status_code == 404, url
    with pytest.raises(Resolver404):
        resolve(public)


def test_media_root_inside_a_static_folder_is_a_system_error(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.MEDIA_ROOT = tmp_path / "static" / "media"
    assert "evidence.E001" in [error.id for error in run_checks()]
    settings.MEDIA_ROOT = tmp_path / "media"
    assert "evidence.E001" not in [error.id for error in run_checks()]


def test_a_file_spooled_to_disk_is_stored_whole(client, people, entry, settings):
    # Above FILE_UPLOAD_MAX_MEMORY_SIZE Django spools the upload to a temporary file.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    data = files.pdf("x" * 50_000)
    client.force_login(people["operator"])
    assert "dilampirkan" in flash(post_upload(client, entry, data, "besar.pdf"))[0]
    stored = Evidence.objects.get()
    assert Path(stored.file.path).read_bytes() == data
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
