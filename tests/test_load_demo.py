from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from agencies.models import Agency, AgencyMembership, GovernmentRole, User

pytestmark = pytest.mark.django_db


def test_load_demo_imports_five_agencies_and_one_login_per_role(settings):
    settings.EMBEDDED = True  # the same in both CI runs; production mode is the test below
    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert Agency.objects.count() == 5
    text = out.getvalue()
    assert "demo-lkjip-2025" in text and "bekasi-disnaker" in text
    for username in ("admin", "bappeda", "evaluator", "inspektorat", "bekasi-disnaker-operator"):
        assert username in text
        assert User.objects.get(username=username).check_password("demo-lkjip-2025")
    assert AgencyMembership.objects.filter(role="head").count() == 5
    assert set(GovernmentRole.objects.values_list("role", flat=True)) == {"planner", "evaluator", "inspector"}
    # The demo inspector is each Pemda's Inspektur (who issues the reviu statement); nobody else heads a unit.
    heads = GovernmentRole.objects.filter(head=True)
    assert set(heads.values_list("user__username", "role")) == {("inspektorat", "inspector")} and heads.count() == 5
    assert heads.get(government__name="Pemerintah Kota Bekasi").position == "Inspektur Kota Bekasi"
    # A second run with --if-empty imports nothing and still prints the logins.
    again = StringIO()
    call_command("load_demo", "--if-empty", stdout=again)
    assert "Diimpor" not in again.getvalue() and "demo-lkjip-2025" in again.getvalue()


def test_load_demo_refuses_production_mode_without_the_flag(settings):
    settings.EMBEDDED = False
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("load_demo", stdout=StringIO())
    assert not Agency.objects.exists()


def test_load_demo_leaves_each_agency_a_quarter_in_progress_made_through_the_services(settings):
    settings.EMBEDDED = True
    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    from audit.models import AuditEntry
    from evidence.models import Evidence
    from performance.entry import quarter_sheet
    from periods.locks import agency_periods

    for agency in Agency.objects.all():
        year = agency.years.order_by("-year").first().year
        periods = agency_periods(agency=agency, year=year)
        # The demo years are past: their deadlines have passed, and TW IV is open by a reopening.
        assert periods[1].lock is not None and "telah lewat" in periods[1].lock.message
        assert not periods[4].locked and periods[4].reopening is not None
        assert periods[4].reopening.until > periods[4].today
        counts = quarter_sheet(agency=agency, year=year, quarter=4).counts
        assert counts["terverifikasi"] > 0 and counts["diajukan"] == 1 and counts["dikembalikan"] == 1, counts
        assert counts["kosong"] >= 1, counts
        assert Evidence.objects.filter(realization__indicator__plan__agency=agency).exists()
        assert f"TW IV {year} {agency.code}" in out.getvalue()
    bekasi = Agency.objects.get(code="bekasi-disnaker")
    tpt = quarter_sheet(agency=bekasi, year=2025, quarter=4).row(
        bekasi.strategic_plans.get().indicators.get(code="TPT").pk
    )
    assert tpt.entry is None  # left for the walkthrough to type: 7,33
    returned = AuditEntry.objects.filter(object_type="realization", action="transition",
                                         changes__review=["diajukan", "dikembalikan"])
    assert returned.count() == 5 and all(e.reason and e.user_label.endswith("-perencana") for e in returned)
