"""After load_demo every demo agency's Perjanjian Kinerja is in its own state, made through the PK
services by named demo users with reasons (workbook/demo_agreements.py), and running load_demo again
changes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from agencies.models import Agency
from audit.models import AuditEntry
from lkjip.numbers import round2
from performance.agreements import contents, year_state
from performance.measurement import measure
from performance.models import AgreementProgram, PerformanceAgreement, Target

pytestmark = pytest.mark.django_db

EXPECTED = {
    "tangerang-disnaker": (2025, ["approved", "approved"]),
    "bekasi-disnaker": (2025, ["approved", "submitted"]),
    "banjar-disnakertrans": (2025, ["returned"]),
    "pontianak-disnaker": (2023, ["submitted"]),
    "serang-disnakertrans": (2021, ["approved"]),
}


@pytest.fixture
def demo(settings):
    settings.EMBEDDED = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def versions(code: str, year: int) -> list[PerformanceAgreement]:
    return list(PerformanceAgreement.objects.filter(agency__code=code, year=year).order_by("number"))


def program_total(agreement: PerformanceAgreement) -> Decimal:
    return AgreementProgram.objects.filter(agreement=agreement).aggregate(total=Sum("amount"))["total"]


def test_each_demo_agency_has_its_pk_state(demo):
    for code, (year, states) in EXPECTED.items():
        assert [a.status for a in versions(code, year)] == states, code
        assert f"PK {year} {code}:" in demo
    transitions = AuditEntry.objects.filter(object_type="performanceagreement", action="transition")
    # Made as people would, through the services: the agency planner submits, the Pemda's planner decides.
    assert transitions.count() == 12  # Tangerang 2 + 2, Bekasi 2 + 1, Banjar 2, Pontianak 1, Serang 2
    for entry in transitions:
        new = entry.changes["status"][1]
        expected_user = "bappeda" if new in ("approved", "returned") else f"{entry.agency_code}-perencana"
        assert entry.user_label == expected_user, entry
        assert entry.channel == "command" and len(entry.reason) > 30, entry


def test_tangerang_approved_then_amended_with_the_printed_budgets(demo):
    murni, perubahan = versions("tangerang-disnaker", 2025)
    assert perubahan.amends == murni and perubahan.cause == "strategi" and "RPJMD" in perubahan.cause_note
    assert perubahan.effective_from == datetime.date(2025, 1, 1)
    # The totals are computed from the AgreementProgram rows: the murni's as printed, the Perubahan's
    # Rp 600 below the printed 33.417.071.209,32 (000:L552).
    assert program_total(murni) == Decimal("27929947878")
    assert program_total(perubahan) == Decimal("33417070609.32")
    assert Decimal(murni.frozen["total"]) == Decimal("27929947878")
    assert Decimal(perubahan.frozen["total"]) == Decimal("33417070609.32")
    # Every program figure that differs from the budget records says why; the one equal to the pagu needs nothing.
    for program in perubahan.frozen["programs"]:
        assert program["reason"] or Decimal(program["amount"]) == Decimal(program["pagu"] or 0), program
    assert [p["code"] for p in perubahan.frozen["programs"] if not p["reason"]] == ["2.07.04"]
    # Both versions count: the murni's indicators against the murni, the Perubahan's against it.
    state = year_state(agency=murni.agency, year=2025)
    assert state.approved and state.counting == perubahan and state.notice == ""
    assert [t.label for t in [measure(agency=murni.agency, year=2025).get("TPTK").target]] == ["PK Perubahan"]


def test_bekasi_correction_waits_and_capaian_stays_against_the_approved_murni(demo):
    murni, correction = versions("bekasi-disnaker", 2025)
    assert murni.frozen["rows"][0]["target"] == "7.3200"
    assert "7,32" in murni.frozen["rows"][0]["reason"] and "tidak mencatat alasan" in murni.frozen["rows"][0]["reason"]
    assert correction.cause == "koreksi" and correction.effective_from == datetime.date(2025, 1, 1)
    assert Target.objects.get(agreement=correction, indicator__code="TPT").value == Decimal("7.73")
    agency = Agency.objects.get(code="bekasi-disnaker")
    state = year_state(agency=agency, year=2025)
    assert state.counting == murni and state.pending == correction
    assert "Diajukan" in state.notice and "PK Murni" in state.notice
    tpt = measure(agency=agency, year=2025).get("TPT")
    assert tpt.target.value == Decimal("7.32") and round2(tpt.target.achievement.value) == Decimal("99.86")
    renstra = next(t for t in tpt.other_targets if t.document == "renstra")
    assert round2(renstra.achievement.value) == Decimal("105.17")
    # What the correction would give once approved: measured against 7,73.
    assert round2(contents_capaian(correction, "TPT", Decimal("7.33"))) == Decimal("105.17")


def contents_capaian(agreement: PerformanceAgreement, code: str, actual: Decimal) -> Decimal:
    from performance.calculations import achievement

    row = next(r for r in contents(agreement)["rows"] if r["indicator"] == code)
    return achievement(Decimal(row["target"]), actual, "negatif").value


def test_banjar_returned_for_its_missing_rencana_aksi(demo):
    (murni,) = versions("banjar-disnakertrans", 2025)
    assert murni.status == "returned" and "Rencana Aksi" in murni.status_note
    assert murni.status_changed_by.username == "bappeda"
    assert not Target.objects.filter(agreement=murni, q1__isnull=False).exists()  # what the reason says
    assert program_total(murni) == Decimal("12081204858")


def test_load_demo_twice_changes_nothing(demo, settings):
    counts = {model.__name__: model.objects.count() for model in (PerformanceAgreement, AgreementProgram, Target)}
    entries = AuditEntry.objects.filter(object_type__in=["performanceagreement", "agreementprogram"]).count()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert {model.__name__: model.objects.count() for model in (PerformanceAgreement, AgreementProgram, Target)} == counts
    assert AuditEntry.objects.filter(object_type__in=["performanceagreement", "agreementprogram"]).count() == entries
    for code, (year, states) in EXPECTED.items():
        assert [a.status for a in versions(code, year)] == states, code
    assert "PK 2025 bekasi-disnaker: PK Murni: Disetujui; PK Perubahan: Diajukan" in out.getvalue()
