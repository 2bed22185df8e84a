from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from agencies.permissions import agencies_visible_to, agency_for_user, agency_get_visible
from periods.completeness import action_periods, agency_completeness
from periods.selectors import agencies_acted_for, governments_with_years

from .selectors import agency_overview, agency_years, default_year, official_document, years_by_agency


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    agencies = list(
        agencies_visible_to(user=request.user).select_related("government").order_by("government__name", "name")
    )
    years = years_by_agency(agencies=agencies)
    rows = [(agency, years[agency.pk]) for agency in agencies]
    context = {
        "rows": rows,
        # "Perlu tindakan": the open periods of the user's own agencies (operator, planner) with
        # entries missing or returned; the same list the reminder e-mails send.
        "actions": action_periods(agencies=list(agencies_acted_for(user=request.user))),
        "governments": governments_with_years(user=request.user),
    }
    return render(request, "reports/home.html", context)


@login_required
@require_safe
def agency_latest(request: HttpRequest, code: str) -> HttpResponse:
    agency = agency_get_visible(user=request.user, code=code)
    year = default_year(agency=agency)
    if year is None:
        raise Http404("Perangkat daerah ini belum memiliki data tahun mana pun.")
    return redirect("reports:overview", code=agency.code, year=year)


@login_required
@require_safe
def overview(request: HttpRequest, code: str, year: int) -> HttpResponse:
    agency, access = agency_for_user(user=request.user, code=code)
    years = agency_years(agency=agency)
    if year not in years:
        raise Http404("Tidak ada data untuk tahun ini.")
    context = {
        "overview": agency_overview(agency=agency, year=year),
        "years": years,
        "completeness": agency_completeness(agency=agency, year=year),
        "may_lock": access.verify_realizations,
        "official": official_document(agency=agency, year=year),
    }
    return render(request, "reports/overview.html", context)
