"""The Perjanjian Kinerja in the browser: drafting from the Renstra, approval, amendments."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from lkjip.numbers import format_id
from performance.measurement import measure
from performance.models import AgreementProgram, PerformanceAgreement, Target

from .conftest import NEXT

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def url(name, agency, *args):
    return reverse(f"performance:{name}", args=[agency.code, NEXT, *args])


def start(client, agency) -> PerformanceAgreement:
    response = client.post(url("agreement_start", agency))
    assert response.status_code == 303, response.content.decode()[:500]
    assert response["Location"] == url("agreement_edit", agency, 0)
    return PerformanceAgreement.objects.get(agency=agency, year=NEXT)


def edit_data(client, agreement, **changes) -> dict:
    """The edit form as the browser sends it: every field with its initial value, then `changes`."""
    page = client.get(url("agreement_edit", agreement.agency, agreement.number))
    assert page.status_code == 200
    data = {"revision": page.context["agreement"].revision}
    header = page.context["header"]
    for name, field in header.fields.items():
        value = header.initial.get(name, field.initial)
        data[name] = value.isoformat() if isinstance(value, datetime.date) else ("" if value is None else value)
    for _, form in page.context["row_forms"] + page.context["program_forms"]:
        for name in form.fields:
            value = form.initial.get(name)
            if name == "included":
                if value:
                    data[form.add_prefix(name)] = "on"
            else:
                data[form.add_prefix(name)] = value or ""
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


SIGNED = {"first_name": "Dr. Andi", "first_position": "Kepala Dinas Tenaga Kerja", "second_name": "Budi",
          "second_position": "Wali Kota Uji", "signed_place": "Kota Uji", "signed_on": "2026-01-15"}


def iku(agency, code):
    return agency.strategic_plans.get().indicators.get(code=code)


def test_the_planner_drafts_from_the_renstra(client, agency, planner):
    agreement = start(login(client, planner), agency)
    targets = {t.indicator.code: t.value for t in agreement.targets.select_related("indicator")}
    assert targets == {"IKU1": Decimal("7.5"), "IKU2": Decimal("1300")}
    assert agreement.status == "draft" and agreement.number == 0
    assert agreement.second_position == "Wali Kota Uji"  # prefilled from the Pemda
    programs = list(agreement.programs.all())
    assert programs and all(p.amount > 0 and p.reason == "" for p in programs)
    assert AuditEntry.objects.filter(object_type="performanceagreement", action="create", user=planner).exists()
    # A second start is refused, not a duplicate.
    response = client.post(url("agreement_start", agency), follow=True)
    assert "sudah ada" in response.content.decode()
    assert PerformanceAgreement.objects.filter(agency=agency, year=NEXT).count() == 1


def test_a_target_that_differs_from_the_renstra_needs_a_reason(client, agency, planner):
    agreement = start(login(client, planner), agency)
    prefix = f"r{iku(agency, 'IKU1').pk}"
    before = AuditEntry.objects.count()
    response = client.post(url("agreement_edit", agency, 0), edit_data(client, agreement, **{f"{prefix}-value": "7,2"}))
    assert response.status_code == 400
    assert "target berbeda dari Renstra (7,5): tuliskan alasannya" in response.content.decode()
    assert AuditEntry.objects.count() == before
    assert Target.objects.get(agreement=agreement, indicator__code="IKU1").value == Decimal("7.5")
    response = client.post(url("agreement_edit", agency, 0), edit_data(
        client, agreement, **{f"{prefix}-value": "7,2", f"{prefix}-reason": "Proyeksi BPS menurunkan target"}))
    assert response.status_code == 303
    target = Target.objects.get(agreement=agreement, indicator__code="IKU1")
    assert (target.value, target.reason) == (Decimal("7.2"), "Proyeksi BPS menurunkan target")
    entry = AuditEntry.objects.filter(object_type="target", object_id=target.pk, action="update").get()
    assert entry.changes["value"] == ["7.5", "7.2"] and entry.user == planner and entry.channel == "form"


def test_bad_numbers_are_named_and_write_nothing(client, agency, planner):
    agreement = start(login(client, planner), agency)
    prefix = f"r{iku(agency, 'IKU1').pk}"
    before = AuditEntry.objects.count()
    response = client.post(url("agreement_edit", agency, 0), edit_data(client, agreement, **{f"{prefix}-value": "7.2.1"}))
    assert response.status_code == 400
    assert "IKU1 · Target: “7.2.1” bukan angka" in response.content.decode()
    assert AuditEntry.objects.count() == before


def test_rencana_aksi_that_does_not_add_up_warns_but_saves(client, agency, planner):
    agreement = start(login(client, planner), agency)
    prefix = f"r{iku(agency, 'IKU1').pk}"
    data = edit_data(client, agreement, **{f"{prefix}-q1": "7,9", f"{prefix}-q2": "7,8", f"{prefix}-q3": "7,7",
                                           f"{prefix}-q4": "7,6"})
    response = client.post(url("agreement_edit", agency, 0), data, follow=True)
    assert "IKU1: Target triwulan tidak sesuai target tahunan: target TW IV = 7,6, target tahunan 7,5" in response.content.decode()
    assert Target.objects.get(agreement=agreement, indicator__code="IKU1").q4 == Decimal("7.6")


def test_plt_signatory_needs_the_decree(client, agency, planner):
    agreement = start(login(client, planner), agency)
    response = client.post(url("agreement_edit", agency, 0), edit_data(client, agreement, first_capacity="plt"))
    assert response.status_code == 400
    assert "isi nomor SK penunjukan" in response.content.decode()
    response = client.post(url("agreement_edit", agency, 0), edit_data(
        client, agreement, first_capacity="plt", first_decree_number="800/12/BKPSDM", first_decree_date="2025-12-20"))
    assert response.status_code == 303
    agreement.refresh_from_db()
    assert (agreement.first_capacity, agreement.first_decree_number) == ("plt", "800/12/BKPSDM")


def submit(client, agreement):
    return client.post(url("agreement_act", agreement.agency, agreement.number), {"act": "submit"}, follow=True)


def test_the_approval_chain(client, agency, planner, bappeda, operator):
    agreement = start(login(client, planner), agency)
    response = submit(client, agreement)
    assert "nama pihak pertama wajib diisi sebelum diajukan" in response.content.decode()
    client.post(url("agreement_edit", agency, 0), edit_data(client, agreement, **SIGNED))
    assert "diajukan untuk persetujuan" in submit(client, agreement).content.decode()
    agreement.refresh_from_db()
    assert agreement.status == "submitted"
    # The agency cannot approve its own PK; an operator cannot submit or act at all.
    assert client.post(url("agreement_act", agency, 0), {"act": "approve"}).status_code == 403
    login(client, operator)
    assert client.post(url("agreement_act", agency, 0), {"act": "withdraw"}).status_code == 403
    assert client.post(url("agreement_edit", agency, 0), {}).status_code == 403
    # The Pemda's planner returns it: a reason is required.
    login(client, bappeda)
    response = client.post(url("agreement_act", agency, 0), {"act": "send_back", "reason": " "}, follow=True)
    assert "tuliskan alasan pengembalian" in response.content.decode()
    client.post(url("agreement_act", agency, 0), {"act": "send_back", "reason": "Lengkapi Rencana Aksi IKU1"})
    agreement.refresh_from_db()
    assert (agreement.status, agreement.status_note) == ("returned", "Lengkapi Rencana Aksi IKU1")
    # The planner sees why, fixes and resubmits; the Pemda approves.
    login(client, planner)
    page = client.get(url("agreement_detail", agency, 0)).content.decode()
    assert "Lengkapi Rencana Aksi IKU1" in page
    prefix = f"r{iku(agency, 'IKU1').pk}"
    client.post(url("agreement_edit", agency, 0), edit_data(client, agreement, **{f"{prefix}-q4": "7,5", f"{prefix}-q1": "7,9",
                                                                                 f"{prefix}-q2": "7,8", f"{prefix}-q3": "7,6"}))
    submit(client, agreement)
    login(client, bappeda)
    client.post(url("agreement_act", agency, 0), {"act": "approve"})
    agreement.refresh_from_db()
    assert agreement.status == "approved" and Decimal(agreement.frozen["rows"][0]["quarters"][3]) == Decimal("7.5")
    chain = [("created" if e.action == "create" else e.changes["status"][1], e.user_label, e.reason) for e in
             AuditEntry.objects.filter(object_type="performanceagreement", object_id=agreement.pk,
                                       action__in=["create", "transition"]).order_by("pk")]
    assert chain == [("created", "perencana", ""), ("submitted", "perencana", ""),
                     ("returned", "bappeda", "Lengkapi Rencana Aksi IKU1"), ("submitted", "perencana", ""),
                     ("approved", "bappeda", "")]
    page = client.get(url("agreement_index", agency)).content.decode()
    assert "Lengkapi Rencana Aksi IKU1" in page and "bappeda" in page


def approved(client, agency, planner, bappeda) -> PerformanceAgreement:
    agreement = start(login(client, planner), agency)
    client.post(url("agreement_edit", agency, 0), edit_data(client, agreement, **SIGNED))
    submit(client, agreement)
    login(client, bappeda)
    client.post(url("agreement_act", agency, 0), {"act": "approve"})
    agreement.refresh_from_db()
    assert agreement.is_locked
    return agreement


def test_an_approved_pk_cannot_be_edited(client, agency, planner, bappeda):
    agreement = approved(client, agency, planner, bappeda)
    login(client, planner)
    before = AuditEntry.objects.count()
    response = client.get(url("agreement_edit", agency, 0), follow=True)
    assert "Buat PK perubahan untuk mengubahnya" in response.content.decode()
    prefix = f"r{iku(agency, 'IKU1').pk}"
    response = client.post(url("agreement_edit", agency, 0), {f"{prefix}-included": "on", f"{prefix}-value": "9"})
    assert response.status_code == 303
    assert AuditEntry.objects.count() == before
    assert Target.objects.get(agreement=agreement, indicator__code="IKU1").value == Decimal("7.5")
    # Nor through the service directly, nor the admin's single-record path.
    from performance import services
    from performance.rules import RuleViolation

    with pytest.raises(RuleViolation, match="sudah disetujui"):
        services.agreement_save(agreement=agreement, header={}, rows={}, programs={}, revision=None,
                                ctx=services.AuditContext())
    program = AgreementProgram.objects.filter(agreement=agreement).first()
    program.amount = Decimal(1)
    assert services.instance_violations(instance=program)
    agreement.first_name = "Orang Lain"
    assert services.instance_violations(instance=agreement)


def test_an_amendment_goes_through_and_the_diff_shows_the_changed_row(client, agency, planner, bappeda):
    murni = approved(client, agency, planner, bappeda)
    login(client, planner)
    response = client.post(url("agreement_amend", agency), {"cause": "koreksi", "cause_note": "Salah ketik target IKU1",
                                                            "effective_from": f"{NEXT}-07-01"})
    assert response.status_code == 303
    amendment = PerformanceAgreement.objects.get(agency=agency, year=NEXT, number=1)
    assert (amendment.version, amendment.amends, amendment.status) == ("perubahan", murni, "draft")
    prefix = f"r{iku(agency, 'IKU1').pk}"
    client.post(url("agreement_edit", agency, 1), edit_data(
        client, amendment, **{f"{prefix}-value": "7,1", f"{prefix}-reason": "Koreksi: target RPJMD 7,1"}))
    # Until it is approved the capaian stays against the approved murni.
    assert measure(agency=agency, year=NEXT).agreement_state.counting == murni
    submit(client, amendment)
    login(client, bappeda)
    client.post(url("agreement_act", agency, 1), {"act": "approve"})
    amendment.refresh_from_db()
    assert amendment.is_locked
    state = measure(agency=agency, year=NEXT).agreement_state
    assert state.counting == amendment and state.notice == ""
    figures = measure(agency=agency, year=NEXT).get("IKU1")
    assert (figures.target.value, figures.target.label) == (Decimal("7.1"), "PK Perubahan")
    page = client.get(reverse("performance:agreement_diff", args=[agency.code, NEXT]) + "?a=0&b=1").content.decode()
    assert "IKU1" in page and "7,5" in page and "7,1" in page and "diubah" in page
    assert client.get(reverse("performance:agreement_diff", args=[agency.code, NEXT]) + "?a=0&b=7").status_code == 404
    # The murni stays readable as it was approved.
    page = client.get(url("agreement_detail", agency, 0)).content.decode()
    assert "7,5" in page


def test_an_amendment_needs_an_approved_version_a_cause_and_a_date_in_the_year(client, agency, planner, bappeda):
    start(login(client, planner), agency)
    response = client.post(url("agreement_amend", agency), {"cause": "koreksi", "cause_note": "x",
                                                            "effective_from": f"{NEXT}-07-01"}, follow=True)
    assert "belum disetujui" in response.content.decode()
    PerformanceAgreement.objects.filter(agency=agency).delete()
    approved(client, agency, planner, bappeda)
    login(client, planner)
    response = client.post(url("agreement_amend", agency), {"cause": "koreksi", "cause_note": "x",
                                                            "effective_from": f"{NEXT + 1}-01-01"}, follow=True)
    assert f"harus dalam tahun {NEXT}" in response.content.decode()
    response = client.post(url("agreement_amend", agency), {"cause": "bukan", "cause_note": "",
                                                            "effective_from": "kemarin"}, follow=True)
    assert "Sebab perubahan" in response.content.decode()
    assert PerformanceAgreement.objects.filter(agency=agency, year=NEXT).count() == 1


def test_a_stale_page_cannot_overwrite_a_newer_save(client, agency, planner):
    agreement = start(login(client, planner), agency)
    stale = edit_data(client, agreement, first_name="Dari halaman lama")
    client.post(url("agreement_edit", agency, 0), edit_data(client, agreement, first_name="Terbaru"))
    response = client.post(url("agreement_edit", agency, 0), stale)
    assert response.status_code == 400 and "muat ulang halaman" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.first_name == "Terbaru"


def test_the_pemda_overview_shows_every_agency_and_acts(client, agency, planner, bappeda, outsider):
    agreement = start(login(client, planner), agency)
    client.post(url("agreement_edit", agency, 0), edit_data(client, agreement, **SIGNED))
    submit(client, agreement)
    overview = reverse("performance:agreement_overview", args=[agency.government_id, NEXT])
    login(client, bappeda)
    page = client.get(overview).content.decode()
    assert agency.name in page and "Pemda (persetujuan)" in page and "Diajukan" in page
    response = client.post(url("agreement_act", agency, 0), {"act": "approve", "next": overview})
    assert response.status_code == 303 and response["Location"] == overview
    assert "Disetujui" in client.get(overview).content.decode()
    login(client, outsider)
    assert client.get(overview).status_code == 404
    assert client.get(url("agreement_index", agency)).status_code == 404
    assert client.post(url("agreement_act", agency, 0), {"act": "send_back", "reason": "x"}).status_code == 404


def test_every_page_of_an_unapproved_year_says_so(client, agency, planner, bappeda):
    login(client, planner)
    pages = [reverse("reports:overview", args=[agency.code, 2025]),
             reverse("performance:entry", args=[agency.code, 2025, 1]),
             reverse("budget:entry", args=[agency.code, 2025, 1]),
             reverse("reports:documents", args=[agency.code, 2025]),
             reverse("performance:agreement_index", args=[agency.code, 2025])]
    for page in pages:
        assert "Perjanjian Kinerja tahun 2025 belum disetujui" in client.get(page).content.decode(), page
    from tests.factories import approve_agreement

    approve_agreement(PerformanceAgreement.objects.get(agency=agency, year=2025))
    for page in pages:
        assert "belum disetujui" not in client.get(page).content.decode(), page


def test_a_draft_amendment_can_be_discarded_with_a_reason(client, agency, planner, bappeda):
    approved(client, agency, planner, bappeda)
    login(client, planner)
    client.post(url("agreement_amend", agency), {"cause": "anggaran", "cause_note": "Pergeseran",
                                                 "effective_from": f"{NEXT}-09-01"})
    amendment = PerformanceAgreement.objects.get(agency=agency, year=NEXT, number=1)
    response = client.post(url("agreement_discard", agency, 1), {"reason": ""}, follow=True)
    assert "tuliskan alasan membuang versi ini" in response.content.decode()
    response = client.post(url("agreement_discard", agency, 1), {"reason": "Pergeseran dibatalkan"})
    assert response.status_code == 303 and response["Location"] == url("agreement_index", agency)
    assert not PerformanceAgreement.objects.filter(pk=amendment.pk).exists()
    entry = AuditEntry.objects.get(object_type="performanceagreement", object_id=amendment.pk, action="delete")
    assert (entry.user, entry.reason) == (planner, "Pergeseran dibatalkan")
    assert AuditEntry.objects.filter(object_type="target", action="delete", reason="Pergeseran dibatalkan").exists()
    # The approved murni cannot be discarded.
    response = client.post(url("agreement_discard", agency, 0), {"reason": "x"}, follow=True)
    assert "sudah disetujui" in response.content.decode()
    assert PerformanceAgreement.objects.filter(agency=agency, year=NEXT, number=0).exists()


def test_signing_dates_stay_near_the_pk_year_and_omitted_programs_are_named(client, agency, planner):
    agreement = start(login(client, planner), agency)
    response = client.post(url("agreement_edit", agency, 0), edit_data(client, agreement, signed_on="1900-01-01"))
    assert response.status_code == 400 and f"harus pada tahun {NEXT - 1} atau {NEXT}" in response.content.decode()
    program = agreement.programs.get()
    data = edit_data(client, agreement)
    data.pop(f"p{program.item_id}-included")
    assert client.post(url("agreement_edit", agency, 0), data).status_code == 303
    page = client.get(url("agreement_detail", agency, 0)).content.decode()
    assert f"Program {program.item.code} (pagu Rp {format_id(program.amount)}) tidak dimuat dalam PK ini." in page
