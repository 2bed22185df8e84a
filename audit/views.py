from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from agencies.models import Agency
from agencies.permissions import agency_for_user

from . import selectors
from .forms import ChangeLogFilterForm


def _agency_with_history(request: HttpRequest, code: str) -> Agency:
    agency, access = agency_for_user(user=request.user, code=code)
    if not access.view_history:
        raise Http404(selectors.NOT_FOUND)
    return agency


def _page(paginator: Paginator, number: str | None) -> Page:
    """The requested page, or the nearest one there is: a bookmarked page 9 of a log that has
    shrunk, or a typed-in "abc", still shows entries rather than an error."""
    try:
        wanted = int(number or 1)
    except ValueError:
        wanted = 1
    return paginator.page(min(max(wanted, 1), paginator.num_pages))


@login_required
@require_safe
def indicator_history(request: HttpRequest, code: str, year: int, indicator_code: str) -> HttpResponse:
    agency = _agency_with_history(request, code)
    indicator = selectors.history_indicator(agency=agency, year=year, code=indicator_code)
    if indicator is None:
        raise Http404(selectors.NOT_FOUND)
    rows = selectors.history_rows(selectors.indicator_entries(agency=agency, year=year, indicator=indicator))
    context = {"agency": agency, "year": year, "indicator": indicator, "rows": rows}
    return render(request, "audit/indicator.html", context)


@login_required
@require_safe
def agency_log(request: HttpRequest, code: str) -> HttpResponse:
    agency = _agency_with_history(request, code)
    users, object_types = selectors.filter_choices(agency=agency)
    form = ChangeLogFilterForm(request.GET or None, users=users, object_types=object_types)
    filters = form.filters()
    paginator = Paginator(selectors.agency_entries(agency=agency, filters=filters), selectors.PAGE_SIZE)
    page = _page(paginator, request.GET.get("page"))
    context = {
        "agency": agency,
        "form": form,
        "filtered": filters != selectors.LogFilters(),
        "page": page,
        "rows": selectors.history_rows(page.object_list),
    }
    return render(request, "audit/agency_log.html", context)


@login_required
@require_safe
def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch, agency = selectors.batch_for_user(user=request.user, batch_id=batch_id)
    counts = selectors.batch_counts(batch=batch)
    object_type = request.GET.get("jenis", "")
    if object_type not in {row.object_type for row in counts.rows}:
        object_type = ""
    paginator = Paginator(selectors.batch_entries(batch=batch, counts=counts, object_type=object_type), selectors.PAGE_SIZE)
    page = _page(paginator, request.GET.get("page"))
    context = {
        "batch": batch,
        "agency": agency,
        "channel": selectors.channel_label(batch.channel),
        "counts": counts,
        "object_type": object_type,
        "page": page,
        "rows": selectors.history_rows(page.object_list),
    }
    return render(request, "audit/batch.html", context)
