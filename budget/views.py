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
from .forms import SpendingForm, SpendingTypeForm
from .models import SPENDING_PARENT, SpendingByType, SpendingType
from .spending import spending_differences, spending_summary
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


# ---- belanja per jenis: the year's table, one form ----

SPENDING_LABELS = {"ceiling_original": "pagu murni", "ceiling_amended": "pagu perubahan", "spent": "realisasi"}


def _revisions_text(records: dict[str, SpendingByType]) -> str:
    return ",".join(f"{kind}:{record.revision}" for kind, record in sorted(records.items()))


def _revisions(text: str) -> dict[str, int] | None:
    try:
        return {kind: int(number) for kind, number in (part.split(":") for part in text.split(",") if part)}
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def spending_types(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Belanja per jenis of the year: pagu murni, pagu perubahan and realisasi of each jenis; a group
    (operasi, transfer) is typed only when none of its kinds is, otherwise summed from them."""
    agency, access = agency_for_user(user=request.user, code=code)
    if not 2000 <= year <= 2100:
        raise Http404("Tahun tidak dikenal.")
    records = {r.kind: r for r in SpendingByType.objects.filter(agency=agency, year=year)}

    def forms_for(data: object = None) -> dict[str, SpendingTypeForm]:
        forms = {}
        for kind in SpendingType.values:
            record = records.get(kind)
            initial = {name: format_id(getattr(record, name), empty="") for name in SPENDING_LABELS} if record else {}
            form = SpendingTypeForm(data, prefix=kind, initial=initial)
            for field in form.fields.values():
                field.widget.attrs.update(inputmode="decimal", autocomplete="off")
            forms[kind] = form
        return forms

    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if not access.edit_report_sections:
            raise PermissionDenied("Hanya operator dan perencana perangkat daerah yang dapat mengisi belanja per jenis.")
        forms = forms_for(request.POST)
        if all(form.is_valid() for form in forms.values()):
            rows = {
                kind: services.SpendingTypeInput(**{name: form.cleaned_data[name] for name in SPENDING_LABELS})
                for kind, form in forms.items() if form.recorded()
            }
            try:
                result = services.spending_by_type_replace(
                    agency=agency, year=year, rows=rows, revisions=_revisions(request.POST.get("revisions", "")),
                    ctx=AuditContext(user=request.user, channel=Channel.FORM),
                )
            except RuleViolation as exc:
                for violation in exc.violations:
                    form = forms.get(violation.key)
                    if form is not None:
                        form.add_error(violation.field if violation.field in SPENDING_LABELS else None, violation.message)
                    else:
                        errors.append(violation.message)
                status = 409 if all(v.field == "conflict" for v in exc.violations) else 400
            else:
                changed = result.created + result.updated + result.deleted
                if changed:
                    messages.success(request, f"Belanja per jenis tahun {year} disimpan ({changed} jenis berubah).")
                else:
                    messages.info(request, "Tidak ada perubahan untuk disimpan.")
                return HttpResponseSeeOther(request.path)
        else:
            status = 400
        errors += [
            f"{SpendingType(kind).label} · {SPENDING_LABELS.get(name, '')}: {message}".replace(" · :", ":")
            for kind, form in forms.items() for name, messages_ in form.errors.items() for message in messages_
        ]
    else:
        forms = forms_for()
    spending = spending_summary(agency=agency, year=year)
    budget = budget_summary(agency=agency, year=year)
    rows = [
        {"kind": kind, "label": SpendingType(kind).label, "depth": 1 if kind in SPENDING_PARENT else 0,
         "form": forms[kind], "computed": next((r for r in spending.rows if r.kind == kind and r.computed), None),
         "figures": next((r for r in spending.rows if r.kind == kind), None)}
        for kind in _display_order()
    ]
    return render(request, "budget/spending_types.html", {
        "agency": agency, "year": year, "access": access, "rows": rows, "spending": spending, "budget": budget,
        "differences": spending_differences(spending, budget), "errors": errors,
        "revisions": _revisions_text(records), "editable": access.edit_report_sections,
    }, status=status)


def _display_order() -> list[str]:
    """Each group, then its kinds, in SpendingType's order."""
    order = []
    for kind in SpendingType.values:
        if kind in SPENDING_PARENT:
            continue
        order.append(kind)
        order += [k for k in SpendingType.values if SPENDING_PARENT.get(k) == kind]
    return order
