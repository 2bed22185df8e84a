"""The quarter's budget realisasi per sub kegiatan, beside the performance entry page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from agencies.permissions import agency_for_user
from audit.models import Channel
from audit.services import AuditContext
from lkjip.http import HttpResponseSeeOther
from lkjip.numbers import format_id
from performance.calculations import absorption
from performance.rules import RuleViolation
from periods.locks import agency_periods

from . import services
from .forms import SpendingForm
from .summary import budget_summary

FORM_ID = "spending"


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def entry(request: HttpRequest, code: str, year: int, quarter: int) -> HttpResponse:
    agency, access = agency_for_user(user=request.user, code=code)
    if quarter not in (1, 2, 3, 4) or not 2000 <= year <= 2100:
        raise Http404("Triwulan tidak dikenal.")
    summary = budget_summary(agency=agency, year=year)
    periods = agency_periods(agency=agency, year=year)
    period = periods[quarter]
    editable = access.enter_realizations and not period.locked
    name = services.SPENT[quarter - 1]
    leaves = [node for _, node in summary.rows() if node.line is not None]

    def forms_for(data: object = None) -> dict[int, SpendingForm]:
        forms = {}
        for node in leaves:
            line = node.line
            initial = {"amount": format_id(getattr(line, name), empty=""), "revision": line.revision}
            form = SpendingForm(data, prefix=f"b{line.item_id}", initial=initial)
            for field in form.fields.values():
                field.widget.attrs["form"] = FORM_ID
            form.fields["amount"].widget.attrs.update(inputmode="decimal", autocomplete="off")
            forms[line.item_id] = form
        return forms

    status = 200
    if request.method == "POST":
        if not access.enter_realizations:
            raise PermissionDenied("Hanya operator dan perencana perangkat daerah yang dapat mengisi realisasi anggaran.")
        if period.locked:
            messages.error(request, f"Tidak ada yang disimpan: {period.lock.message}")
            return HttpResponseSeeOther(request.path)
        data = request.POST.copy()
        forms = forms_for(data)
        if all(form.is_valid() for form in forms.values()):
            rows = [
                services.SpendingInput(item_id=item_id, amount=form.cleaned_data["amount"] or 0,
                                       revision=form.cleaned_data["revision"])
                for item_id, form in forms.items() if form.edited()
            ]
            try:
                result = services.spending_save(
                    agency=agency, year=year, quarter=quarter, rows=rows,
                    ctx=AuditContext(user=request.user, channel=Channel.FORM),
                )
            except RuleViolation as exc:
                for violation in exc.violations:
                    if violation.field == "conflict":
                        line = next(n.line for n in leaves if n.line.item_id == violation.key)
                        data[f"b{violation.key}-revision"] = str(line.revision)
                forms = forms_for(data)
                for violation in exc.violations:
                    form = forms.get(violation.key)
                    if form is not None and form.is_valid():
                        form.add_error("amount", violation.message)
                status = 409 if all(v.field == "conflict" for v in exc.violations) else 400
            else:
                if result.updated:
                    messages.success(request, f"Realisasi anggaran {period.label} disimpan untuk {result.updated} sub kegiatan.")
                else:
                    messages.info(request, "Tidak ada perubahan untuk disimpan.")
                return HttpResponseSeeOther(request.path)
        else:
            status = 400
    else:
        forms = forms_for() if editable else {}

    rows = []
    for depth, node in summary.rows():
        through = sum(node.spent_quarters[:quarter], 0)
        rows.append({
            "depth": depth, "node": node, "form": forms.get(node.line.item_id) if node.line else None,
            "through": through, "through_absorption": absorption(through, node.ceiling),
        })
    errors = [
        (row["node"].code, message)
        for row in rows if row["form"] is not None and row["form"].is_bound
        for messages_ in row["form"].errors.values() for message in messages_
    ]
    through_total = sum(summary.spent_quarters[:quarter], 0)
    context = {
        "agency": agency, "year": year, "quarter": quarter, "period": period, "summary": summary, "rows": rows,
        "editable": editable, "form_id": FORM_ID, "errors": errors,
        "through_total": through_total, "through_absorption": absorption(through_total, summary.ceiling),
        "quarters": [(q, periods[q]) for q in (1, 2, 3, 4)],
        "entry_url": reverse("performance:entry", args=[agency.code, year, quarter]),
    }
    return render(request, "budget/entry.html", context, status=status)
