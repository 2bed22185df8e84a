"""The demo agencies' Perjanjian Kinerja in different states, made through the services as people
would: the agency's planner submits, the Pemda's planner (bappeda) approves or returns, each with
the reason a reader would give. The workbooks carry each PK's targets, header, program budget and
reasons as the seeds print them (demo/README.md); only the workflow happens here.

- Tangerang: the PK murni approved, then the PK Perubahan (version 1, cause strategi: the RPJMD
  2025-2029, 000:L499-509) approved: approved, then amended.
- Bekasi: the PK murni approved as signed (TPT 7,32, the Renstra's 2026 value), then a correction
  (cause koreksi) back to the Renstra's 7,73 submitted and waiting for the Pemda: until it is
  approved the capaian is measured against the approved murni (99,86 %).
- Banjar: submitted and returned: its 24 targets have no Rencana Aksi, which its own LHE AKIP
  recommends (001:L2371-2373).
- Pontianak: submitted, waiting for the Pemda.
- Serang: approved.

Running again changes nothing: a step is taken only from the state before it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from agencies.models import Agency, User
from audit.models import Channel
from audit.services import AuditContext
from performance.models import PerformanceAgreement
from performance.services import (
    AgreementProgramInput,
    AgreementRowInput,
    agreement_reasons_set,
    agreement_save,
    agreement_transition,
    amendment_start,
)

APPROVER = "bappeda"


@dataclass(frozen=True)
class Step:
    number: int  # the PK version
    goal: str  # "submitted", "approved" or "returned"
    submit: str  # the planner's note when submitting
    decide: str = ""  # the Pemda's reason for approving or returning
    # Reasons the planner records before submitting, by indicator code: what the seed does not
    # print but a submission needs (the workbook keeps the PK as printed, so the import still
    # finds the unexplained difference).
    reasons: tuple[tuple[str, str], ...] = ()


PLANS: dict[str, list[Step]] = {
    "tangerang-disnaker": [
        Step(0, "approved",
             "PK murni 2025 sesuai dokumen yang ditandatangani (Tabel 2.2): 4 indikator dan anggaran 5 program.",
             "Sesuai dokumen PK murni yang ditandatangani. Anggaran program dari tabel PK; data anggaran hanya "
             "memuat sub kegiatan pendukung PK, dan setiap selisih beralasan."),
        Step(1, "approved",
             "PK Perubahan 2025 menyesuaikan tujuan, sasaran, indikator dan target dengan RPJMD Kota Tangerang "
             "2025–2029 (Tabel 2.3).",
             "Perubahan sesuai RPJMD 2025–2029 dan program unggulan Gampang Kerja; disetujui. Jumlah anggaran "
             "dihitung dari baris program: Rp 33.417.070.609,32 (tabel PK mencetak Rp 33.417.071.209,32)."),
    ],
    "bekasi-disnaker": [
        Step(0, "approved",
             "PK 2025 sebagaimana ditandatangani (Tabel 2.3), termasuk target TPT 7,32 %.",
             "Disetujui sebagaimana ditandatangani. Catatan: target TPT 7,32 % adalah target Renstra untuk 2026; "
             "Renstra 2025 menetapkan 7,73 %. Perangkat daerah diminta mengoreksinya dengan PK Perubahan.",
             reasons=(("TPT", "PK yang ditandatangani mencetak target TPT 2025 sebesar 7,32 %, yaitu target Renstra "
                              "2025–2029 untuk tahun 2026; target Renstra tahun 2025 adalah 7,73 % (002:L391, L406). "
                              "LKIP tidak mencatat alasan perbedaan ini; target dicatat sebagaimana tercetak."),)),
    ],
    "banjar-disnakertrans": [
        Step(0, "returned",
             "PK 2025 berjenjang eselon II–IV (24 indikator, Tabel 2.3) diajukan untuk persetujuan.",
             "Rencana Aksi belum ada: ke-24 indikator PK belum memuat target triwulan (TW I–IV), padahal "
             "rekomendasi LHE AKIP 2025 no. 1 dan 2 meminta target kinerja triwulanan sebagai dasar pengukuran "
             "berkala (Tabel 3.8). Lengkapi target triwulan, lalu ajukan kembali."),
    ],
    "pontianak-disnaker": [
        Step(0, "submitted", "PK 2023 (3 indikator, Tabel 2.3; 3 program, Tabel 2.4) diajukan untuk persetujuan."),
    ],
    "serang-disnakertrans": [
        Step(0, "approved",
             "PK 2021 sesuai dokumen yang ditandatangani: 5 indikator sasaran.",
             "Sesuai dokumen PK yang ditandatangani; disetujui."),
    ],
}

# Bekasi's correction, a PK Perubahan the seed does not print: the demo's way of showing an
# amendment under way. The value is the Renstra's (002:L391), the one BAB III measured (002:L476).
CORRECTION_AGENCY = "bekasi-disnaker"
CORRECTION_CAUSE_NOTE = (
    "Target TPT 2025 pada PK murni (7,32 %) adalah target Renstra 2025–2029 untuk tahun 2026. Dikoreksi ke target "
    "Renstra tahun 2025, 7,73 %, yang juga dipakai BAB III LKIP untuk mengukur capaian."
)
# A correction of what the PK should have said from the start applies to the whole year.
CORRECTION_EFFECTIVE = datetime.date(2025, 1, 1)
CORRECTION_SIGNED = datetime.date(2025, 7, 1)
CORRECTION_TARGETS = {"TPT": Decimal("7.73")}
CORRECTION_SUBMIT = "Koreksi target TPT 2025 ke 7,73 % sesuai Renstra; menunggu persetujuan Pemda."


def _ctx(user: User | None, reason: str) -> AuditContext:
    return AuditContext(user=user, channel=Channel.COMMAND, reason=reason)


def _take(agreement: PerformanceAgreement, step: Step, planner: User, approver: User | None) -> PerformanceAgreement:
    """From a draft to the step's goal; any other state means the step was taken already."""
    if agreement.status != PerformanceAgreement.Status.DRAFT:
        return agreement
    if step.reasons:
        wanted = dict(step.reasons)
        targets = agreement.targets.select_related("indicator").filter(indicator__code__in=wanted)
        agreement_reasons_set(agency=agreement.agency, ctx=_ctx(planner, step.submit),
                              reasons={(agreement.pk, t.indicator_id): wanted[t.indicator.code] for t in targets})
    agreement = agreement_transition(agreement=agreement, transition="submit", ctx=_ctx(planner, step.submit))
    if step.goal == "approved":
        agreement = agreement_transition(agreement=agreement, transition="approve", ctx=_ctx(approver, step.decide))
    elif step.goal == "returned":
        agreement = agreement_transition(agreement=agreement, transition="send_back", ctx=_ctx(approver, step.decide))
    return agreement


def _correction(agreement: PerformanceAgreement, planner: User, on: datetime.date) -> PerformanceAgreement:
    """Bekasi's PK Perubahan (koreksi), submitted; nothing when the approved murni has one already."""
    amendment = PerformanceAgreement.objects.filter(agency=agreement.agency, year=agreement.year, number__gt=0).first()
    if amendment is not None or not agreement.is_locked:
        return amendment
    ctx = _ctx(planner, "Koreksi target TPT 2025 ke target Renstra")
    amendment = amendment_start(agreement=agreement, cause="koreksi", cause_note=CORRECTION_CAUSE_NOTE,
                                effective_from=CORRECTION_EFFECTIVE, ctx=ctx)
    rows = {
        t.indicator_id: AgreementRowInput(
            CORRECTION_TARGETS.get(t.indicator.code, t.value), tuple(t.quarters),
            "" if t.indicator.code in CORRECTION_TARGETS else t.reason,
        )
        for t in amendment.targets.select_related("indicator")
    }
    programs = {p.item_id: AgreementProgramInput(p.amount, p.reason) for p in amendment.programs.order_by("order")}
    # A PK of 2025 is signed in 2025: the demo's correction is dated 1 July 2025 (an assumption;
    # the seed prints no such document), or the load day while that is still 2025.
    signed = min(on, CORRECTION_SIGNED)
    agreement_save(agreement=amendment, header={"signed_on": signed}, rows=rows, programs=programs, revision=None,
                   ctx=ctx)
    amendment.refresh_from_db()
    return agreement_transition(agreement=amendment, transition="submit", ctx=_ctx(planner, CORRECTION_SUBMIT))


def agreements_in_progress(*, agency: Agency, year: int, on: datetime.date | None = None) -> list[str]:
    """Move the demo agency's PK of `year` to its demo state; returns "PK Murni: Disetujui", … per
    version (empty for an agency without a plan or without a PK that year)."""
    steps = PLANS.get(agency.code, [])
    versions = {a.number: a for a in PerformanceAgreement.objects.filter(agency=agency, year=year)}
    if not steps or not versions:
        return []
    planner = User.objects.get(username=f"{agency.code}-perencana")
    approver = User.objects.filter(username=APPROVER).first()
    for step in steps:
        if step.number in versions:
            versions[step.number] = _take(versions[step.number], step, planner, approver)
    if agency.code == CORRECTION_AGENCY and 0 in versions:
        amendment = _correction(versions[0], planner, on or timezone.localdate())
        if amendment is not None:
            versions[amendment.number] = amendment
    return [f"PK {a.version_label}: {a.get_status_display()}" for _, a in sorted(versions.items())]
