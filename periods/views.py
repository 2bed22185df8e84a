"""The Pemda's reporting calendar (deadlines and reopenings), its completeness dashboard (page
and Excel), and the agency planner's quarter lock.

Access: agencies.permissions. A Pemda page is a 404 for anyone without a role in that Pemda;
seeing it is every government role (GovernmentAccess.view_dashboard), changing the calendar
and reopenings is its planners and admins (manage_calendar; 403 for the other roles). Locking
a quarter is the agency's planner (Access.verify_realizations; 403 for others who can see the
agency, 404 for outsiders). Every POST answers 303 to a page that shows the outcome.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from agencies.models import Agency, Government
from agencies.permissions import GovernmentAccess, agency_for_user, government_for_user
from audit.models import Channel
from audit.services import AuditContext
from lkjip.http import HttpResponseSeeOther, back_to_next
from performance.rules import RuleViolation
from reports.selectors import official_documents

from . import services
from .completeness import PeriodCompleteness, completeness, coverage, period_end
from .excel import dashboard_workbook
from .forms import CalendarForm, ReopeningEndForm, ReopeningForm
from .locks import today
from .models import QUARTERS, ROMAN, Reopening, ReportingCalendar, default_deadlines, period_label
from .selectors import latest_years

YEARS = range(2000, 2101)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _ctx(request: HttpRequest, reason: str = "") -> AuditContext:
    return AuditContext(user=request.user, channel=Channel.FORM, reason=reason.strip())


def _government(request: HttpRequest, government_id: int, year: int) -> tuple[Government, GovernmentAccess]:
    government, access = government_for_user(user=request.user, government_id=government_id)
    if year not in YEARS:
        raise Http404("Tahun di luar jangkauan.")
    return government, access


def _messages(exc: RuleViolation) -> list[str]:
    return [v.message for v in exc.violations]


# ---- the calendar ----


def _calendar_page(
    request: HttpRequest,
    government: Government,
    access: GovernmentAccess,
    year: int,
    *,
    form: CalendarForm | None = None,
    grant_form: ReopeningForm | None = None,
    end_errors: dict[int, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    calendar = ReportingCalendar.objects.filter(government=government, year=year).first()
    defaults = default_deadlines(year)
    on = today()
    reopenings = list(
        Reopening.objects.filter(agency__government=government, year=year)
        .select_related("agency")
        .order_by("agency__name", "quarter", "-granted_at")
    )
    rows = []
    for name, quarter in zip(services.DEADLINE_FIELDS, (*QUARTERS, None), strict=True):
        rows.append({
            "name": name,
            "label": period_label(year, quarter),
            "ends": period_end(year, quarter),
            "deadline": getattr(calendar, name) if calendar else defaults[name],
        })
    if access.manage_calendar:
        form = form or CalendarForm.for_calendar(calendar, defaults)
        for row in rows:
            row["field"] = form[row["name"]]
        grant_form = grant_form or ReopeningForm(government=government)
    context = {
        "government": government,
        "year": year,
        "calendar": calendar,
        "rows": rows,
        "form": form,
        "grant_form": grant_form,
        "may_manage": access.manage_calendar,
        "reopenings": [(r, r.running(on), (end_errors or {}).get(r.pk, [])) for r in reopenings],
        "today": on,
    }
    return render(request, "periods/calendar.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def calendar_page(request: HttpRequest, government_id: int, year: int) -> HttpResponse:
    government, access = _government(request, government_id, year)
    if request.method != "POST":
        return _calendar_page(request, government, access, year)
    if not access.manage_calendar:
        raise PermissionDenied("Hanya perencana dan administrator pemda yang dapat mengubah kalender pelaporan.")
    form = CalendarForm(request.POST)
    if form.is_valid():
        try:
            services.calendar_set(government=government, year=year, deadlines=form.deadlines(),
                                  ctx=_ctx(request, form.cleaned_data["reason"]))
        except RuleViolation as exc:
            for violation in exc.violations:
                form.add_error(violation.key if violation.key in form.fields else None, violation.message)
        else:
            messages.success(request, f"Kalender pelaporan {year} disimpan.")
            return HttpResponseSeeOther(reverse("periods:calendar", args=[government.pk, year]))
    return _calendar_page(request, government, access, year, form=form)


@login_required
@require_POST
def reopening_grant(request: HttpRequest, government_id: int, year: int) -> HttpResponse:
    government, access = _government(request, government_id, year)
    if not access.manage_calendar:
        raise PermissionDenied("Hanya perencana dan administrator pemda yang dapat membuka kembali pengisian.")
    form = ReopeningForm(request.POST, government=government)
    if form.is_valid():
        agency = form.cleaned_data["agency"]
        try:
            reopening = services.reopening_grant(
                agency=agency, year=year, quarter=form.quarter, until=form.cleaned_data["until"],
                ctx=_ctx(request, form.cleaned_data["reason"]),
            )
        except RuleViolation as exc:
            for violation in exc.violations:
                form.add_error("until" if violation.field == "until" else None, violation.message)
        else:
            messages.success(
                request, f"{reopening.label} {agency.name} dibuka kembali sampai {reopening.until:%d-%m-%Y}."
            )
            locked = agency.quarter_locks.filter(year=year, quarter=form.quarter).first() if form.quarter else None
            if locked is not None:
                messages.warning(
                    request, f"{reopening.label} masih dikunci oleh {locked.locked_by_label}: pengisian baru terbuka "
                    "setelah perencana perangkat daerah membuka kuncinya.",
                )
            return HttpResponseSeeOther(reverse("periods:calendar", args=[government.pk, year]))
    return _calendar_page(request, government, access, year, grant_form=form)


@login_required
@require_POST
def reopening_end(request: HttpRequest, government_id: int, year: int, reopening_id: int) -> HttpResponse:
    government, access = _government(request, government_id, year)
    reopening = (
        Reopening.objects.select_related("agency")
        .filter(pk=reopening_id, year=year, agency__government=government)
        .first()
    )
    if reopening is None:
        raise Http404("Pembukaan kembali tidak ditemukan.")
    if not access.manage_calendar:
        raise PermissionDenied("Hanya perencana dan administrator pemda yang dapat mengakhiri pembukaan kembali.")
    form = ReopeningEndForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        try:
            services.reopening_end(reopening=reopening, ctx=_ctx(request, form.cleaned_data["reason"]))
        except RuleViolation as exc:
            errors = _messages(exc)
        else:
            messages.success(request, f"Pembukaan {reopening.label} {reopening.agency.name} diakhiri.")
            return HttpResponseSeeOther(reverse("periods:calendar", args=[government.pk, year]))
    else:
        errors = [error for field_errors in form.errors.values() for error in field_errors]
    return _calendar_page(request, government, access, year, end_errors={reopening.pk: errors})


# ---- the dashboard ----

# ?urut=<key> (or -<key>): column key → (header, value of a row; None sorts last either way)
COLUMNS: dict[str, tuple[str, Any]] = {
    "nama": ("Perangkat daerah", lambda p: p.agency.name.lower()),
    "diharapkan": ("Indikator", lambda p: p.expected),
    "diisi": ("Diisi", lambda p: p.entered),
    "draf": ("Draf", lambda p: p.draft),
    "diajukan": ("Diajukan", lambda p: p.submitted),
    "terverifikasi": ("Terverifikasi", lambda p: p.verified),
    "dikembalikan": ("Dikembalikan", lambda p: p.returned),
    "belum": ("Belum diisi", lambda p: p.missing),
    "bukti": ("Bukti dukung", lambda p: p.evidence_coverage),
    "batas": ("Batas waktu", lambda p: p.open_until),
    "sisa": ("Sisa hari", lambda p: p.days_left),
    "kunci": ("Status", lambda p: (2 if p.quarter_locked else 1 if p.locked else 0)),
}
NUMERIC = {"diharapkan", "diisi", "draf", "diajukan", "terverifikasi", "dikembalikan", "belum", "bukti", "sisa"}


def default_quarter(*, deadlines: dict[str, datetime.date], on: datetime.date) -> int:
    """The earliest quarter whose deadline has not passed, else TW IV."""
    return next((q for q in QUARTERS if deadlines[f"q{q}_deadline"] >= on), 4)


def sort_rows(rows: list[PeriodCompleteness], key: str) -> list[PeriodCompleteness]:
    descending = key.startswith("-")
    column = COLUMNS[key.lstrip("-")][1]
    rows = sorted(rows, key=lambda p: p.agency.name.lower())  # ties stay in name order
    present = [p for p in rows if column(p) is not None]
    absent = [p for p in rows if column(p) is None]
    return sorted(present, key=column, reverse=descending) + absent


def _dashboard_request(request: HttpRequest, government_id: int, year: int):
    government, access = _government(request, government_id, year)
    if not access.view_dashboard:
        raise PermissionDenied("Peran Anda tidak mencakup dasbor kelengkapan pemda ini.")
    agencies = list(Agency.objects.filter(government=government).order_by("name"))
    return government, agencies


def _official_rows(agencies: list[Agency], year: int) -> list[tuple[Agency, Any]]:
    """Each agency with its LKjIP of the year (the signed version) or None."""
    signed = official_documents(agencies=agencies, year=year)
    return [(agency, signed.get(agency.pk)) for agency in agencies]


@login_required
@require_safe
def dashboard(request: HttpRequest, government_id: int, year: int) -> HttpResponse:
    government, agencies = _dashboard_request(request, government_id, year)
    calendar = ReportingCalendar.objects.filter(government=government, year=year).first()
    deadlines = (
        {name: getattr(calendar, name) for name in services.DEADLINE_FIELDS} if calendar else default_deadlines(year)
    )
    on = today()
    try:
        quarter = int(request.GET.get("tw", ""))
    except ValueError:
        quarter = 0
    if quarter not in QUARTERS:
        quarter = default_quarter(deadlines=deadlines, on=on)
    sort = request.GET.get("urut", "nama")
    if sort.lstrip("-") not in COLUMNS:
        sort = "nama"
    found = completeness(agencies=agencies, year=year, quarters=[quarter], on=on)
    rows = sort_rows([found[(a.pk, quarter)] for a in agencies], sort)
    base = reverse("periods:dashboard", args=[government.pk, year])
    headers = []
    for key, (label, _) in COLUMNS.items():
        current = sort.lstrip("-") == key
        target = f"-{key}" if current and not sort.startswith("-") else key
        headers.append({
            "key": key, "label": label, "url": f"{base}?tw={quarter}&urut={target}", "numeric": key in NUMERIC,
            "arrow": ("▼" if sort.startswith("-") else "▲") if current else "",
            "aria": ("descending" if sort.startswith("-") else "ascending") if current else "",
        })
    totals = {
        name: sum(getattr(p, name) for p in rows)
        for name in ("expected", "entered", "draft", "submitted", "verified", "returned", "missing", "with_evidence")
    }
    context = {
        "government": government,
        "year": year,
        "quarter": quarter,
        "quarters": [(q, f"TW {ROMAN[q]}") for q in QUARTERS],
        "label": period_label(year, quarter),
        "deadline": deadlines[f"q{quarter}_deadline"],
        "calendar": calendar,
        "rows": rows,
        "headers": headers,
        "sort": sort,
        "totals": totals,
        "complete": sum(1 for p in rows if p.fully_verified),
        "locked": sum(1 for p in rows if p.locked),
        "coverage": coverage(totals["with_evidence"], totals["entered"]),
        "official": _official_rows(agencies, year),
    }
    return render(request, "periods/dashboard.html", context)


@login_required
@require_safe
def dashboard_xlsx(request: HttpRequest, government_id: int, year: int) -> HttpResponse:
    government, agencies = _dashboard_request(request, government_id, year)
    found = completeness(agencies=agencies, year=year, quarters=QUARTERS)
    data = dashboard_workbook(government=government, year=year,
                              periods=[found[(a.pk, q)] for q in QUARTERS for a in agencies])
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="kelengkapan-pemda-{government.pk}-{year}.xlsx"'
    return response


# ---- the agency planner's quarter lock ----


def _lock_request(request: HttpRequest, code: str, year: int, quarter: int) -> Agency:
    agency, access = agency_for_user(user=request.user, code=code)
    if quarter not in QUARTERS or year not in YEARS:
        raise Http404("Triwulan tidak ditemukan.")
    if not access.verify_realizations:
        raise PermissionDenied("Hanya perencana perangkat daerah yang dapat mengunci atau membuka kunci triwulan.")
    return agency


@login_required
@require_POST
def quarter_lock(request: HttpRequest, code: str, year: int, quarter: int) -> HttpResponse:
    agency = _lock_request(request, code, year, quarter)
    try:
        services.quarter_lock(agency=agency, year=year, quarter=quarter, ctx=_ctx(request, request.POST.get("alasan", "")))
    except RuleViolation as exc:
        messages.error(request, " ".join(_messages(exc)))
    else:
        messages.success(request, f"{period_label(year, quarter)} dikunci: realisasinya kini hanya dapat dibaca.")
    return back_to_next(request, reverse("reports:overview", args=[agency.code, year]))


@login_required
@require_POST
def quarter_unlock(request: HttpRequest, code: str, year: int, quarter: int) -> HttpResponse:
    agency = _lock_request(request, code, year, quarter)
    try:
        services.quarter_unlock(agency=agency, year=year, quarter=quarter,
                                ctx=_ctx(request, request.POST.get("alasan", "")))
    except RuleViolation as exc:
        messages.error(request, f"Kunci {period_label(year, quarter)} tidak dibuka: " + "; ".join(_messages(exc)) + ".")
    else:
        messages.success(request, f"Kunci {period_label(year, quarter)} dibuka.")
    return back_to_next(request, reverse("reports:overview", args=[agency.code, year]))


@login_required
@require_safe
def dashboard_latest(request: HttpRequest, government_id: int) -> HttpResponse:
    """The dashboard of the Pemda's latest year with data (the top bar links here)."""
    government, _ = government_for_user(user=request.user, government_id=government_id)
    year = latest_years(governments=[government])[government.pk]
    return redirect("periods:dashboard", government_id=government.pk, year=year)
