"""Draft and final versions: the gate (which findings block, configured per Pemda and agency),
the checklist of a version, and the head's signature (one signed version per agency and year)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from agencies.models import Agency
from audit.models import AuditEntry
from audit.services import AuditContext
from lkjip.celery import app as celery_app
from performance.rules import RuleViolation
from reports import gate
from reports.models import LkjipDocument, ReportVariant
from reports.services import FinalBlocked, document_request, document_sign
from tests import factories
from tests.reports.final_world import CODE, YEAR, clean_agency
from tests.workbook.helpers import as_file, build_workbook, minimal_data
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def render_inline(settings):
    settings.LKJIP_RENDER_IN_THREAD = False
    settings.CELERY_TASK_ALWAYS_EAGER = True
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def clean():
    return clean_agency()


@pytest.fixture
def blocked():
    """The minimal workbook as it is: a draft PK and an empty fourth quarter."""
    report = workbook_import(source=as_file(build_workbook(minimal_data())), file_name="uji.xlsx")
    assert report.ok
    return Agency.objects.select_related("government").get(code=CODE)


def made(django_capture_on_commit_callbacks, **kwargs) -> LkjipDocument:
    with django_capture_on_commit_callbacks(execute=True):
        document, _ = document_request(user=None, year=YEAR, **kwargs)
    document.refresh_from_db()
    return document


# ---- the gate ----


def test_every_finding_code_written_in_reports_is_known():
    """A new finding code must be listed (with its label) before a Pemda can configure it."""
    import re
    from pathlib import Path

    from reports import findings

    source = "\n".join(p.read_text() for p in Path(gate.__file__).parent.rglob("*.py"))
    written = set(re.findall(r'Finding\(\s*(?:code=)?"([a-z0-9_]+)"', source))
    # Codes kept in constants of reports.findings (NARRATIVE_CONTRADICTS = "narasi_…").
    written |= {value for name, value in vars(findings).items()
                if name.isupper() and isinstance(value, str) and re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", value)}
    assert written and not written - set(gate.FINDINGS), written - set(gate.FINDINGS)
    assert set(gate.DEFAULT_BLOCKING) <= set(gate.FINDINGS)
    assert "narasi_angka_bertentangan" in gate.DEFAULT_BLOCKING


def test_a_final_is_refused_while_blocking_findings_remain_and_nothing_is_written(blocked):
    with pytest.raises(FinalBlocked) as refused:
        document_request(agency=blocked, year=YEAR, user=None, final=True)
    codes = [item.code for item in refused.value.items]
    assert sorted(set(codes)) == ["pk_belum_disetujui", "tw4_kosong"]
    assert "Versi final belum dapat dibuat: masih ada 2 temuan yang menghalangi" in refused.value.summary
    assert "Perjanjian Kinerja belum disetujui (1)" in refused.value.summary
    assert any("PK Murni tahun 2025 belum disetujui" in v.message for v in refused.value.violations)
    assert not LkjipDocument.objects.exists()
    # A draft of the same data is always possible.
    draft, created = document_request(agency=blocked, year=YEAR, user=None)
    assert created and not draft.final and draft.blocking_codes == list(gate.DEFAULT_BLOCKING)


def test_which_findings_block_is_configured_per_pemda_and_overridden_per_agency(blocked):
    sibling = factories.agency("dinas-lain", blocked.government)
    assert gate.blocking_codes_for(agency=blocked) == list(gate.DEFAULT_BLOCKING)
    ReportVariant.objects.create(government=blocked.government, blocking_findings=["tw4_kosong"])
    assert gate.blocking_codes_for(agency=blocked) == ["tw4_kosong"]
    assert gate.blocking_codes_for(agency=sibling) == ["tw4_kosong"]
    with pytest.raises(FinalBlocked) as refused:
        document_request(agency=blocked, year=YEAR, user=None, final=True)
    assert [item.code for item in refused.value.items] == ["tw4_kosong"]
    # The agency's own variant without a list inherits the Pemda's; with [] nothing blocks.
    own = ReportVariant.objects.create(agency=blocked, five_chapters=True)
    assert gate.blocking_codes_for(agency=blocked) == ["tw4_kosong"]
    own.blocking_findings = []
    own.save()
    assert gate.blocking_codes_for(agency=blocked) == []
    assert gate.blocking_codes_for(agency=sibling) == ["tw4_kosong"]
    document, created = document_request(agency=blocked, year=YEAR, user=None, final=True)
    assert created and document.final and document.blocking_codes == []


@pytest.mark.parametrize(("value", "message"), [
    (["tw4_kosong", "tidak_ada"], "Kode temuan tidak dikenal: tidak_ada. Yang tersedia: narasi_angka_bertentangan"),
    ("tw4_kosong", "Isi berupa daftar kode temuan dalam JSON"),
    ([1], "Isi berupa daftar kode temuan dalam JSON"),
    (["tw4_kosong", "tw4_kosong"], "cukup disebut sekali"),
])
def test_an_unknown_or_malformed_code_list_is_refused_in_indonesian(value, message):
    variant = ReportVariant(government=factories.government(), blocking_findings=value)
    with pytest.raises(ValidationError) as refused:
        variant.full_clean()
    assert message in " ".join(refused.value.message_dict["blocking_findings"])


def test_the_admin_form_refuses_an_unknown_code_and_names_the_known_ones(admin_client):
    government = factories.government()
    url = reverse("admin:reports_reportvariant_add")
    page = admin_client.get(url).content.decode()
    assert "pk_belum_disetujui (Perjanjian Kinerja belum disetujui)" in page
    response = admin_client.post(url, {"government": government.pk, "title": "LKjIP", "sections": "{}",
                                       "blocking_findings": '["pk_belum_disetujui", "salah_ketik"]'})
    assert response.status_code == 200
    assert "Kode temuan tidak dikenal: salah_ketik" in response.content.decode()
    assert not ReportVariant.objects.exists()
    response = admin_client.post(url, {"government": government.pk, "title": "LKjIP", "sections": "{}",
                                       "blocking_findings": '["pk_belum_disetujui"]'})
    assert response.status_code == 302
    assert ReportVariant.objects.get().blocking_findings == ["pk_belum_disetujui"]
    assert AuditEntry.objects.filter(object_type="reportvariant").exists()


def test_a_draft_and_a_final_of_the_same_data_are_two_versions_asked_again_each_is_reused(clean):
    draft, created = document_request(agency=clean, year=YEAR, user=None)
    final, created_final = document_request(agency=clean, year=YEAR, user=None, final=True)
    assert created and created_final and (draft.number, final.number) == (1, 2)
    assert draft.snapshot_sha256 == final.snapshot_sha256 and final.final and not draft.final
    assert document_request(agency=clean, year=YEAR, user=None, final=True) == (final, False)
    assert document_request(agency=clean, year=YEAR, user=None) == (draft, False)


def test_the_command_refuses_a_final_listing_the_blockers(blocked):
    with pytest.raises(CommandError) as refused:
        call_command("render_lkjip", "--agency", CODE, "--year", str(YEAR), "--queue", "--final")
    text = str(refused.value)
    assert text.startswith("Versi final belum dapat dibuat: masih ada 2 temuan")
    assert "- [pk_belum_disetujui] PK Murni tahun 2025 belum disetujui" in text and "- [tw4_kosong] IKU2" in text
    with pytest.raises(CommandError, match="--final hanya bersama --queue"):
        call_command("render_lkjip", "--agency", CODE, "--year", str(YEAR), "--output", "/tmp/s6-x.pdf", "--final")


def test_the_command_makes_a_final_when_nothing_blocks(clean, render_inline, monkeypatch):
    # The test's transaction never commits: hand the version to the (eager) queue at once.
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
    out = StringIO()
    call_command("render_lkjip", "--agency", CODE, "--year", str(YEAR), "--queue", "--final", "--timeout", "60",
                 stdout=out)
    document = LkjipDocument.objects.get()
    assert document.final and document.status == "done"
    assert f"Versi 1 final (baru), kode {document.code}" in out.getvalue()


# ---- the pages: request, refusal, checklist ----


def test_the_documents_page_lists_the_blockers_and_refuses_a_final(client, blocked, django_capture_on_commit_callbacks):
    client.force_login(factories.user("perencana", agency=blocked, role="planner"))
    url = reverse("reports:documents", args=[CODE, YEAR])
    page = client.get(url).content.decode()
    assert "Temuan yang menghalangi versi final (2)" in page
    assert "Perjanjian Kinerja belum disetujui</strong>: PK Murni tahun 2025 belum disetujui" in page
    response = client.post(reverse("reports:document_create", args=[CODE, YEAR]), {"final": "1"}, follow=True)
    page = response.content.decode()
    assert "Versi final belum dapat dibuat: masih ada 2 temuan yang menghalangi" in page
    assert "Realisasi triwulan IV belum diisi (1)" in page
    assert not LkjipDocument.objects.exists()


def test_the_checklist_marks_each_finding_blocking_or_not(client, blocked, render_inline,
                                                          django_capture_on_commit_callbacks):
    document = made(django_capture_on_commit_callbacks, agency=blocked)
    client.force_login(factories.user("operator", agency=blocked, role="staff"))
    page = client.get(reverse("reports:document_checklist", args=[document.code])).content.decode()
    assert "Daftar periksa versi 1 (draf)" in page and "2 temuan menghalangi versi final." in page
    rows = {code: page.split(f"<code>{code}</code>")[1].split("</tr>")[0]
            for code in ("pk_belum_disetujui", "tw4_kosong", "target_pk_beda_renstra", "tanpa_bukti")}
    assert all(">Ya<" in rows[c] for c in ("pk_belum_disetujui", "tw4_kosong"))
    assert all(">Tidak<" in rows[c] and ">Ya<" not in rows[c] for c in ("target_pk_beda_renstra", "tanpa_bukti"))
    assert "Setiap capaian di bawah target sudah dijelaskan." in page
    # The list stays the version's: a later change of the Pemda's list does not rewrite it.
    ReportVariant.objects.create(government=blocked.government, blocking_findings=[])
    page = client.get(reverse("reports:document_checklist", args=[document.code])).content.decode()
    assert "2 temuan menghalangi versi final." in page


def test_a_missing_explanation_is_listed_on_its_own(client, blocked, render_inline, django_capture_on_commit_callbacks):
    from performance.models import Realization

    # IKU2: target 1.200 orang, realisasi 1.234 in TW I; cut it to 600 (capaian 50 %), no narrative.
    Realization.objects.filter(indicator__code="IKU2", year=YEAR, quarter=1).update(value=600)
    document = made(django_capture_on_commit_callbacks, agency=blocked)
    client.force_login(factories.user("operator", agency=blocked, role="staff"))
    page = client.get(reverse("reports:document_checklist", args=[document.code])).content.decode()
    section = page.split("Penjelasan capaian yang belum ada (1)")[1]
    assert "IKU2 Pencari kerja yang ditempatkan: capaian 50,00 % di bawah 100 %" in section
    assert ">Ya<" in section


# ---- signing ----


def final_of(agency, django_capture_on_commit_callbacks) -> LkjipDocument:
    return made(django_capture_on_commit_callbacks, agency=agency, final=True)


def test_the_head_signs_a_final_version_recorded_with_an_audit_entry(
    client, clean, render_inline, django_capture_on_commit_callbacks
):
    head = factories.user("kepala", agency=clean, role="head")
    document = final_of(clean, django_capture_on_commit_callbacks)
    client.force_login(head)
    response = client.post(reverse("reports:document_sign", args=[document.code]), follow=True)
    assert "Versi 1 tercatat ditandatangani" in response.content.decode()
    document.refresh_from_db()
    assert document.signed_by == head and document.signed_at is not None and document.official
    entry = AuditEntry.objects.get(object_type="lkjipdocument", object_id=document.pk)
    assert entry.user_label == "kepala" and entry.channel == "form" and entry.agency_code == CODE
    assert entry.year == YEAR and entry.changes["signed_by"] == [None, str(head.pk)]
    page = client.get(reverse("reports:documents", args=[CODE, YEAR])).content.decode()
    assert f"LKjIP {clean.name} tahun {YEAR}: versi 1</strong>, ditandatangani" in page
    overview = client.get(reverse("reports:overview", args=[CODE, YEAR])).content.decode()
    assert f"LKjIP {YEAR}: versi 1</strong>, versi final yang ditandatangani" in overview
    verify = client.get(reverse("reports:verify", args=[document.code])).content.decode()
    assert "versi yang ditandatangani" in verify


@pytest.mark.parametrize("role", ["planner", "staff"])
def test_only_the_head_may_sign(client, clean, role, render_inline, django_capture_on_commit_callbacks):
    document = final_of(clean, django_capture_on_commit_callbacks)
    client.force_login(factories.user("orang", agency=clean, role=role))
    assert client.post(reverse("reports:document_sign", args=[document.code])).status_code == 403
    client.force_login(factories.user("bappeda", government=clean.government, gov_role="planner"))
    assert client.post(reverse("reports:document_sign", args=[document.code])).status_code == 403
    other = factories.agency("dinas-lain", clean.government)
    client.force_login(factories.user("kepala-lain", agency=other, role="head"))
    assert client.post(reverse("reports:document_sign", args=[document.code])).status_code == 404
    document.refresh_from_db()
    assert document.signed_at is None


def test_a_draft_or_unfinished_version_cannot_be_signed(clean, render_inline, django_capture_on_commit_callbacks):
    head = factories.user("kepala", agency=clean, role="head")
    draft = made(django_capture_on_commit_callbacks, agency=clean)
    with pytest.raises(RuleViolation, match="versi 1 adalah draf: yang ditandatangani hanya versi final"):
        document_sign(document=draft, ctx=AuditContext(user=head))
    queued, _ = document_request(agency=clean, year=YEAR, user=None, final=True)  # not rendered: no on_commit run
    with pytest.raises(RuleViolation, match="versi 2 belum selesai dibuat"):
        document_sign(document=queued, ctx=AuditContext(user=head))
    assert not LkjipDocument.objects.filter(signed_at__isnull=False).exists()
    assert not AuditEntry.objects.filter(object_type="lkjipdocument").exists()


def test_one_signed_version_a_year_a_second_replaces_it_only_with_a_reason(
    clean, render_inline, django_capture_on_commit_callbacks
):
    from performance.models import Realization

    head = factories.user("kepala", agency=clean, role="head")
    first = final_of(clean, django_capture_on_commit_callbacks)
    document_sign(document=first, ctx=AuditContext(user=head))
    with pytest.raises(RuleViolation, match="versi 1 sudah tercatat ditandatangani"):
        document_sign(document=first, ctx=AuditContext(user=head))
    Realization.objects.filter(indicator__code="IKU1", year=YEAR, quarter=None).update(value="7.30")
    second = final_of(clean, django_capture_on_commit_callbacks)
    assert second.number == 2
    with pytest.raises(RuleViolation, match="versi 1 sudah ditandatangani sebagai LKjIP tahun 2025; tuliskan alasan"):
        document_sign(document=second, ctx=AuditContext(user=head))
    first.refresh_from_db()
    assert first.official
    document_sign(document=second, ctx=AuditContext(user=head, reason="Koreksi realisasi TPT setelah reviu"))
    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.official and second.official
    entries = AuditEntry.objects.filter(object_type="lkjipdocument").order_by("pk")
    assert [(e.object_id, e.reason) for e in entries] == [
        (first.pk, ""), (first.pk, "Koreksi realisasi TPT setelah reviu"),
        (second.pk, "Koreksi realisasi TPT setelah reviu")]
    assert entries[1].changes["signed_at"][1] is None


def test_the_database_holds_one_signed_version_per_agency_and_year(
    clean, render_inline, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    first = final_of(clean, django_capture_on_commit_callbacks)
    LkjipDocument.objects.filter(pk=first.pk).update(signed_at=timezone.now())
    second = LkjipDocument.objects.create(
        agency=clean, year=YEAR, number=9, snapshot={}, snapshot_sha256="x" * 64, final=True, status="done",
        pdf_sha256="y" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        LkjipDocument.objects.filter(pk=second.pk).update(signed_at=timezone.now() + timedelta(minutes=1))
    draft = LkjipDocument.objects.create(agency=clean, year=YEAR - 1, number=1, snapshot={}, snapshot_sha256="z" * 64,
                                         status="done", pdf_sha256="y" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        LkjipDocument.objects.filter(pk=draft.pk).update(signed_at=timezone.now())


def test_the_api_lists_the_official_version_and_filters_on_it(
    client, clean, render_inline, django_capture_on_commit_callbacks
):
    from api.services import token_create

    head = factories.user("kepala", agency=clean, role="head")
    draft = made(django_capture_on_commit_callbacks, agency=clean)
    final = final_of(clean, django_capture_on_commit_callbacks)
    document_sign(document=final, ctx=AuditContext(user=head))
    _, secret = token_create(context=AuditContext(), user=head, name="uji")
    headers = {"HTTP_AUTHORIZATION": f"Token {secret}"}
    url = reverse("api:document_list")
    rows = client.get(url, **headers).json()["results"]
    by_number = {row["number"]: row for row in rows}
    assert by_number[draft.number]["final"] is False and by_number[draft.number]["official"] is False
    assert by_number[final.number]["official"] is True and by_number[final.number]["signed_by"] == "kepala"
    assert by_number[final.number]["signed_at"] is not None and by_number[draft.number]["signed_at"] is None
    assert [r["number"] for r in client.get(url + "?official=true", **headers).json()["results"]] == [final.number]
    assert [r["number"] for r in client.get(url + "?official=false", **headers).json()["results"]] == [draft.number]
    assert [r["number"] for r in client.get(url + "?final=false", **headers).json()["results"]] == [draft.number]
    bad = client.get(url + "?official=mungkin", **headers)
    assert bad.status_code == 400 and "official" in bad.json()["errors"]


def test_the_pemda_dashboard_names_each_agency_lkjip(client, clean, render_inline, django_capture_on_commit_callbacks):
    head = factories.user("kepala", agency=clean, role="head")
    final = final_of(clean, django_capture_on_commit_callbacks)
    client.force_login(factories.user("bappeda", government=clean.government, gov_role="planner"))
    url = reverse("periods:dashboard", args=[clean.government_id, YEAR])
    section = client.get(url).content.decode().split('id="lkjip-resmi"')[1]
    assert "belum ditandatangani" in section
    document_sign(document=final, ctx=AuditContext(user=head))
    section = client.get(url).content.decode().split('id="lkjip-resmi"')[1]
    assert f'href="{reverse("reports:document_pdf", args=[final.code])}">Versi 1</a>, ditandatangani' in section
