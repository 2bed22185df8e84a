"""The LKjIP prints the Perjanjian Kinerja that was approved: each version's own rows and
program budget (never the pagu of the budget records), as frozen at approval, with its label,
amendment cause and approval; a year whose PK is not approved says so and the findings list it.

The budget figures are Kota Tangerang 2025's (seeds 000, L517–554): the signed PK murni totals
Rp 27.929.947.878 and the PK Perubahan Rp 33.417.070.609,32, while the budget records hold only
two programs for Rp 7.196.240.559 (document review M2).
"""

from __future__ import annotations

import copy
import datetime
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from pypdf import PdfReader

from audit.services import AuditContext
from budget.models import BudgetItem, BudgetLine
from performance import agreements as pk
from performance.models import Indicator, PerformanceAgreement, PlanNode, Realization, StrategicPlan, Target
from performance.services import (
    AgreementProgramInput,
    AgreementRowInput,
    agreement_save,
    agreement_start,
    agreement_transition,
    amendment_start,
)
from reports.document import document_html, render_document, tanggal
from reports.findings import findings_for
from reports.snapshot import SNAPSHOT_FORMAT, build_snapshot
from tests import factories

pytestmark = pytest.mark.django_db

GENERATED = datetime.datetime(2026, 3, 2, 2, 30, tzinfo=datetime.UTC)
YEAR = 2025
# code: (name, pagu in the budget records or None, PK murni, PK Perubahan)
PROGRAMS = {
    "2.07.01": ("Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota", None, "20073754278", "21271429122.00"),
    "2.07.02": ("Perencanaan Tenaga Kerja", None, "126155600", "104435000.00"),
    "2.07.03": ("Pelatihan Kerja dan Produktivitas Tenaga Kerja", "4868720000", "4217861700", "8462848728.32"),
    "2.07.04": ("Penempatan Tenaga Kerja", "2327520559", "2250209500", "2327520559.00"),
    "2.07.05": ("Hubungan Industrial", None, "1261966800", "1250837200.00"),
}
PAGU_TOTAL = "7.196.240.559"
MURNI_TOTAL, PERUBAHAN_TOTAL = "27.929.947.878", "33.417.070.609,32"
TPT_REASON = "Disesuaikan dengan target RKPD 2025"


def html_of(snapshot: dict, *, draft: bool = True) -> str:
    """A draft by default: the PK's approval and status notes are printed for its drafter only."""
    return document_html(snapshot, verify_url="https://lkjip.example.go.id/v/x", code="x", number=1,
                         generated_at=GENERATED, draft=draft)


def pk_section(html: str) -> str:
    """BAB II 2.4 Perjanjian Kinerja, up to BAB III."""
    start = html.index('id="s-bab2-2-4-perjanjian-kinerja')
    return html[start:html.index('id="bab-bab3"', start)]


def pk_appendix(html: str) -> str:
    """The PK documents of the lampiran (every one before the Formulir Pengukuran Kinerja)."""
    start = html.index('class="appendix pk-doc"')
    return html[start:html.index('id="lampiran-formulir"', start)]


def ikhtisar(html: str) -> str:
    start = html.index('<section class="front" id="ikhtisar">')
    return html[start:html.index("</section>", start)]


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def world():
    """A Renstra with one sasaran (TPT, Renstra 7,73), a program indicator, five programs of
    which the budget records carry two, and a PK murni started from the Renstra."""
    agency = factories.agency("dinas-pk")
    plan = StrategicPlan.objects.create(agency=agency, start_year=2025, end_year=2029)
    goal = PlanNode.objects.create(plan=plan, code="T1", kind="tujuan", text="Tujuan ketenagakerjaan")
    objective = PlanNode.objects.create(plan=plan, code="T1.S1", kind="sasaran", parent=goal, order=1,
                                        text="Meningkatnya Tingkat Partisipasi Tenaga Kerja")
    tpt = Indicator.objects.create(plan=plan, code="TPT", name="Tingkat Pengangguran Terbuka", unit="%",
                                   polarity="negatif", owner_node=objective)
    Target.objects.create(indicator=tpt, year=YEAR, document="renstra", value=Decimal("7.73"))
    Realization.objects.create(indicator=tpt, year=YEAR, value=Decimal("7.33"), source="BPS")
    items = {}
    for code, (name, pagu, _murni, _perubahan) in PROGRAMS.items():
        items[code] = BudgetItem.objects.create(agency=agency, code=code, kind="program", name=name)
        if pagu is not None:
            activity = BudgetItem.objects.create(agency=agency, code=f"{code}.2.01", kind="kegiatan",
                                                 name=f"Kegiatan {name}", parent=items[code])
            BudgetLine.objects.create(item=activity, year=YEAR, ceiling_original=Decimal(pagu),
                                      spent_q4=Decimal(pagu) * Decimal("0.9"))
    placement = Indicator.objects.create(plan=plan, code="PTD", unit="%", owner_budget_item=items["2.07.04"],
                                         name="Persentase tenaga kerja yang ditempatkan")
    Realization.objects.create(indicator=placement, year=YEAR, value=Decimal("88"), source="Disnaker")
    approver = factories.user("bappeda", government=agency.government, gov_role="planner")
    approver.full_name = "Siti Perencana Bappeda"
    approver.save()
    ctx = AuditContext(user=approver, reason="uji")
    murni = agreement_start(agency=agency, year=YEAR, ctx=ctx)
    save_rows(murni, column=2, tpt="7.32", ptd="87")
    return {"agency": agency, "tpt": tpt, "ptd": placement, "items": items, "murni": murni, "approver": approver,
            "ctx": ctx}


def save_rows(agreement: PerformanceAgreement, *, column: int, tpt: str, ptd: str, header: dict | None = None):
    """The version's targets and its own program budget (column 2 murni, 3 perubahan), with reasons."""
    tpt_indicator = Indicator.objects.get(plan__agency=agreement.agency, code="TPT")
    ptd_indicator = Indicator.objects.get(plan__agency=agreement.agency, code="PTD")
    rows = {
        tpt_indicator.pk: AgreementRowInput(Decimal(tpt), reason=TPT_REASON),
        ptd_indicator.pk: AgreementRowInput(Decimal(ptd)),
    }
    programs = {
        BudgetItem.objects.get(agency=agreement.agency, code=code).pk:
            AgreementProgramInput(Decimal(values[column]), reason="Sesuai DPA yang ditandatangani")
        for code, values in PROGRAMS.items()
    }
    agreement_save(agreement=agreement, header={**factories.SIGNATORIES, **(header or {})}, rows=rows,
                   programs=programs, revision=None, ctx=AuditContext(reason="uji"))


def amend(world, *, approve: bool) -> PerformanceAgreement:
    amendment = amendment_start(agreement=world["murni"], cause="anggaran", cause_note="Perubahan APBD 2025.",
                                effective_from=datetime.date(2025, 10, 1), ctx=world["ctx"])
    save_rows(amendment, column=3, tpt="7.10", ptd="90")
    if approve:
        amendment = factories.approve_agreement(amendment, user=world["approver"])
    return amendment


@pytest.fixture
def approved(world):
    """The murni and the PK Perubahan, both approved."""
    world["murni"] = factories.approve_agreement(world["murni"], user=world["approver"])
    world["perubahan"] = amend(world, approve=True)
    return world


def test_snapshot_holds_each_approved_version_with_its_own_budget(approved):
    snapshot = build_snapshot(agency=approved["agency"], year=YEAR)
    assert snapshot["format"] == SNAPSHOT_FORMAT == 4
    assert snapshot["budget"]["ceiling"] == "7196240559.00"  # what the budget records hold
    murni, perubahan = snapshot["agreements"]
    assert [murni["label"], perubahan["label"]] == ["PK Murni", "PK Perubahan"]
    assert [murni["number"], perubahan["number"]] == [0, 1]
    assert murni["total"] == "27929947878.00" and perubahan["total"] == "33417070609.32"
    amounts = {p["code"]: p["amount"] for p in perubahan["programs"]}
    assert amounts["2.07.03"] == "8462848728.32" and amounts["2.07.01"] == "21271429122.00"
    pagu = {p["code"]: p["pagu"] for p in murni["programs"]}
    assert pagu["2.07.03"] == "4868720000.00" and pagu["2.07.01"] is None
    for entry, agreement in ((murni, approved["murni"]), (perubahan, approved["perubahan"])):
        agreement.refresh_from_db()
        assert entry["approved"] is True and entry["status"] == "approved" and entry["status_label"] == "Disetujui"
        assert entry["approved_by"] == "Siti Perencana Bappeda"
        assert entry["approved_on"] == timezone.localdate().isoformat()
        assert entry["frozen_sha256"] == agreement.frozen_sha256 and len(entry["frozen_sha256"]) == 64
        assert pk.contents_hash({k: entry[k] for k in agreement.frozen}) == agreement.frozen_sha256
    assert [r["level"] for r in murni["rows"]] == ["strategic", "program"]
    assert murni["rows"][0]["reason"] == TPT_REASON and murni["rows"][0]["renstra"] == "7.7300"
    assert perubahan["cause"] == "anggaran" and perubahan["effective_from"] == "2025-10-01"
    assert snapshot["agreement_notice"] == ""
    codes = {f["code"] for f in snapshot["findings"]}
    assert not codes & {"pk_belum_disetujui", "pk_perubahan_belum_disetujui", "target_pk_beda_renstra"}


def test_document_prints_the_pk_amounts_and_total_not_the_pagu(approved, django_assert_num_queries):
    snapshot = build_snapshot(agency=approved["agency"], year=YEAR)
    with django_assert_num_queries(0):
        html = html_of(snapshot)
    for part in (text(pk_section(html)), text(pk_appendix(html))):
        assert MURNI_TOTAL in part and PERUBAHAN_TOTAL in part
        assert "8.462.848.728,32" in part and "4.217.861.700" in part and "20.073.754.278" in part
        assert PAGU_TOTAL not in part  # the budget records' total is not the PK's
        assert "Anggaran program = pagu" not in part
        assert "Anggaran program sebagaimana tercantum dalam PK Perubahan yang disetujui." in part
        assert "dihitung dari baris" not in part
        # Each version's label, approval and the amendment's cause and effective date.
        approved_on = tanggal(timezone.localdate())
        assert f"PK Murni · Disetujui {approved_on} oleh Siti Perencana Bappeda" in part
        assert "BELUM DISETUJUI" not in part
        assert "Sebab perubahan: Perubahan anggaran – Perubahan APBD 2025. Berlaku mulai 1 Oktober 2025." in part
        # The reason beside a target that differs from the Renstra; the program indicator row.
        assert f"Target Renstra 7,73; alasan: {TPT_REASON}" in part
        assert "Persentase tenaga kerja yang ditempatkan" in part and "Indikator kinerja program" in part
        # The pagu beside a PK budget that differs from it.
        assert "Pagu anggaran Rp 4.868.720.000; alasan: Sesuai DPA yang ditandatangani" in part
    section = text(pk_section(html))
    assert "Perjanjian Kinerja Murni Tahun 2025" in section and "Perjanjian Kinerja Perubahan Tahun 2025" in section
    assert "2 Perjanjian Kinerja yang disetujui (PK Murni dan PK Perubahan)" in section
    appendix = text(pk_appendix(html))
    assert "Dr. Contoh Kepala" in appendix and "Contoh Wali Kota" in appendix  # the PK's own signatories
    assert "Kota Contoh, 31 Januari 2025" in appendix
    assert "Perjanjian Kinerja tahun" not in text(ikhtisar(html))  # no notice: everything is approved

    # The final prints the PK itself: no approval record (who approved it in the app, the
    # fingerprint), which is the version's own business, not the agency's report.
    final = html_of(snapshot, draft=False)
    for part in (text(pk_section(final)), text(pk_appendix(final))):
        assert MURNI_TOTAL in part and PERUBAHAN_TOTAL in part
        assert "Disetujui" not in part and "SHA-256" not in part and "Siti Perencana" not in part
        assert "Sebab perubahan: Perubahan anggaran – Perubahan APBD 2025. Berlaku mulai 1 Oktober 2025." in part
        assert f"Target Renstra 7,73; alasan: {TPT_REASON}" in part


def test_pdf_prints_the_pk_totals(approved):
    snapshot = build_snapshot(agency=approved["agency"], year=YEAR)
    pdf = render_document(snapshot, verify_url="https://lkjip.example.go.id/v/x", code="x", number=1,
                          generated_at=GENERATED).pdf
    whole = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages))
    assert whole.count(PERUBAHAN_TOTAL) >= 2 and whole.count(MURNI_TOTAL) >= 2  # BAB II and the lampiran
    assert "PERJANJIAN KINERJA PERUBAHAN TAHUN 2025" in whole  # the lampiran's heading
    assert "Sidik isi" not in whole  # a final: the approval record is not the report's text


def test_approved_version_prints_its_frozen_contents_after_the_records_change(approved):
    Indicator.objects.filter(pk=approved["tpt"].pk).update(name="Nama Indikator Diubah")
    BudgetItem.objects.filter(code="2.07.03").update(name="Program Diubah Setelah Persetujuan")
    BudgetLine.objects.filter(item__code="2.07.03.2.01").update(ceiling_original=Decimal("1"))
    approved["murni"].refresh_from_db()
    live = pk.contents(approved["murni"])
    assert live["rows"][0]["name"] == "Nama Indikator Diubah"  # the records did change

    snapshot = build_snapshot(agency=approved["agency"], year=YEAR)
    assert {r["name"] for a in snapshot["agreements"] for r in a["rows"] if r["indicator"] == "TPT"} == {
        "Tingkat Pengangguran Terbuka"}
    section = text(pk_section(html_of(snapshot)))
    assert "Tingkat Pengangguran Terbuka" in section and "Nama Indikator Diubah" not in section
    assert "Pelatihan Kerja dan Produktivitas Tenaga Kerja" in section and "Program Diubah" not in section
    assert "Pagu anggaran Rp 4.868.720.000" in section  # the pagu as it stood at approval


def test_unapproved_year_prints_the_latest_version_marked_and_the_notice(world):
    snapshot = build_snapshot(agency=world["agency"], year=YEAR)
    (entry,) = snapshot["agreements"]
    assert entry["label"] == "PK Murni" and entry["approved"] is False and entry["status"] == "draft"
    assert entry["frozen_sha256"] == "" and entry["approved_by"] == "" and entry["approved_on"] is None
    assert entry["total"] == "27929947878.00"  # the live records of the draft
    notice = snapshot["agreement_notice"]
    assert notice == ("Perjanjian Kinerja tahun 2025 belum disetujui (PK Murni: Draf); capaian diukur sementara "
                      "terhadap PK yang belum disetujui.")
    findings = [f for f in snapshot["findings"] if f["code"] == "pk_belum_disetujui"]
    assert [f["message"] for f in findings] == [
        "PK Murni tahun 2025 belum disetujui (status: Draf); capaian diukur sementara terhadapnya dan laporan "
        "mencantumkannya sebagai belum disetujui."]

    html = html_of(snapshot)
    section = text(pk_section(html))
    assert notice in section
    assert "BELUM DISETUJUI · PK Murni · Status: Draf" in section
    assert MURNI_TOTAL in section and "Disetujui" not in section
    assert notice in text(ikhtisar(html))
    # Near the headline capaian: right after the paragraph that counts the indicators met.
    summary = ikhtisar(html)
    assert summary.index("mencapai atau melampaui target") < summary.index(notice) < summary.index("caption")
    assert "BELUM DISETUJUI · PK Murni" in text(pk_appendix(html))
    # The findings are the version's checklist, never the document's text.
    assert findings[0]["message"] not in text(html)
    # A final (where the Pemda lets one through with a PK not approved) has no drafter's notes.
    final = html_of(snapshot, draft=False)
    assert notice not in text(final) and "BELUM DISETUJUI" not in final and "Status:" not in text(final)
    assert MURNI_TOTAL in text(pk_section(final))


@pytest.mark.parametrize(("transitions", "label"), [
    (["submit"], "Diajukan"),
    (["submit", "send_back"], "Dikembalikan"),
])
def test_submitted_or_returned_pk_is_not_approved_either(world, transitions, label):
    for transition in transitions:
        # Submitted by the system (the agency), returned by the Pemda's planner.
        agreement_transition(agreement=world["murni"], transition=transition,
                             ctx=AuditContext(user=world["approver"] if transition == "send_back" else None,
                                              reason="Target TW II"))
    snapshot = build_snapshot(agency=world["agency"], year=YEAR)
    assert snapshot["agreements"][0]["status_label"] == label and not snapshot["agreements"][0]["approved"]
    assert f"(PK Murni: {label})" in snapshot["agreement_notice"]
    assert any(f"(status: {label})" in f["message"] for f in snapshot["findings"] if f["code"] == "pk_belum_disetujui")
    assert f"BELUM DISETUJUI · PK Murni · Status: {label}." in text(pk_section(html_of(snapshot)))


def test_year_without_pk_says_so():
    agency = factories.agency("dinas-tanpa-pk")
    found = {f.code: f.message for f in findings_for(agency_code="dinas-tanpa-pk", year=YEAR)}
    assert found["pk_belum_disetujui"].startswith("Perjanjian Kinerja tahun 2025 belum tercatat")
    snapshot = build_snapshot(agency=agency, year=YEAR)
    assert snapshot["agreements"] == []
    assert snapshot["agreement_notice"].startswith("Belum ada Perjanjian Kinerja tahun 2025")
    section = text(pk_section(html_of(snapshot)))
    assert snapshot["agreement_notice"] in section and "belum tercatat" in section


def test_pending_amendment_keeps_the_approved_version_and_is_a_finding(world):
    world["murni"] = factories.approve_agreement(world["murni"], user=world["approver"])
    amendment = amend(world, approve=False)
    agreement_transition(agreement=amendment, transition="submit", ctx=AuditContext(reason="uji"))
    snapshot = build_snapshot(agency=world["agency"], year=YEAR)
    assert [a["label"] for a in snapshot["agreements"]] == ["PK Murni"]  # the approved one only
    assert snapshot["agreement_notice"] == ("PK Perubahan tahun 2025 berstatus Diajukan; capaian diukur terhadap "
                                            "PK Murni yang disetujui.")
    pending = [f["message"] for f in snapshot["findings"] if f["code"] == "pk_perubahan_belum_disetujui"]
    assert pending == ["PK Perubahan tahun 2025 belum disetujui (status: Diajukan); capaian dan laporan memakai "
                       "PK Murni yang disetujui sampai perubahan tersebut disetujui."]
    assert not any(f["code"] == "pk_belum_disetujui" for f in snapshot["findings"])
    html = html_of(snapshot)
    section = text(pk_section(html))
    assert MURNI_TOTAL in section and PERUBAHAN_TOTAL not in section
    assert snapshot["agreement_notice"] in section and snapshot["agreement_notice"] in text(ikhtisar(html))


def as_format2(snapshot: dict) -> dict:
    """The snapshot as the format-2 builder stored it: agreements with rows only (no programs,
    no approval), no notice."""
    old = copy.deepcopy(snapshot)
    old["format"] = 2
    del old["agreement_notice"]
    del old["derived"]  # format 4
    old["agreements"] = [
        {
            "version": a["version"],
            "label": {"murni": "PK", "perubahan": "PK Perubahan"}[a["version"]],
            "status": a["status"],
            "status_label": a["status_label"],
            "rows": [
                {"indicator": r["indicator"], "name": r["name"], "unit": r["unit"], "owner_code": r["owner_code"],
                 "owner_text": r["owner_text"], "target": r["target"], "quarters": r["quarters"], "responsible": ""}
                for r in a["rows"]
            ],
        }
        for a in snapshot["agreements"]
    ]
    old["findings"] = [f for f in old["findings"] if not f["code"].startswith("pk_")]
    return old


def test_a_stored_format_2_snapshot_still_renders_as_it_did(world, django_assert_num_queries):
    stored = as_format2(build_snapshot(agency=world["agency"], year=YEAR))
    with django_assert_num_queries(0):
        html = html_of(stored)
    section = text(pk_section(html))
    # As format 2 printed it: the pagu murni of the budget records, and (in a draft) the lines
    # saying where the amounts come from and that the PK is a draft.
    assert "Anggaran program = pagu murni program pada data anggaran Tahun 2025." in section
    assert PAGU_TOTAL in section and MURNI_TOTAL not in section
    assert "Status: Draf." in section and "BELUM DISETUJUI" not in section
    final = text(pk_section(html_of(stored, draft=False)))
    assert PAGU_TOTAL in final and "Anggaran program = pagu" not in final and "Status:" not in final
    assert "Tingkat Pengangguran Terbuka" in section
    appendix = text(pk_appendix(html))
    assert "PERJANJIAN KINERJA TAHUN 2025" in appendix and "Budi" in appendix  # the year's head as signatory
    pdf = render_document(stored, verify_url="https://lkjip.example.go.id/v/x", code="x", number=1,
                          generated_at=GENERATED).pdf
    assert pdf.startswith(b"%PDF")
