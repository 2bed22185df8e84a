"""The quarterly realisasi pages: entry, live capaian preview, verification.

Thin: the permission module says who may do what, performance.entry reads the sheet,
performance.forms parses, performance.services writes (with the audit trail).
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from agencies.permissions import Access, agency_for_user
from audit.models import Channel
from audit.services import AuditContext
from lkjip.http import HttpResponseSeeOther

from . import services
from .entry import QuarterSheet, quarter_sheet
from .forms import EntryForm, initial_for
from .measurement import plan_for
from .narrative_figures import narrative_figures_for
from .narrative_views import placeholder_rows
from .rules import RuleViolation, explanation_required

ENTRY_FORM_ID = "entry"
REVIEW_FORM_ID = "review"


def _sheet_for(request: HttpRequest, code: str, year: int, quarter: int) -> tuple[QuarterSheet, Access]:
    agency, access = agency_for_user(user=request.user, code=code)
    if quarter not in (1, 2, 3, 4) or not 2000 <= year <= 2100:
        raise Http404("Triwulan tidak dikenal.")
    if plan_for(agency, year) is None:
        raise Http404("Belum ada Renstra yang mencakup tahun ini.")
    return quarter_sheet(agency=agency, year=year, quarter=quarter), access


def _ctx(request: HttpRequest, reason: str = "") -> AuditContext:
    return AuditContext(user=request.user, channel=Channel.FORM, reason=reason)


def _entry_url(sheet: QuarterSheet, anchor: str = "") -> str:
    url = reverse("performance:entry", args=[sheet.agency.code, sheet.year, sheet.quarter])
    return f"{url}#{anchor}" if anchor else url


@login_required
@require_safe
def entry_index(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The quarter to work on: the first one still open, else TW IV."""
    agency, _ = agency_for_user(user=request.user, code=code)
    if plan_for(agency, year) is None:
        raise Http404("Belum ada Renstra yang mencakup tahun ini.")
    from periods.locks import agency_periods

    periods = agency_periods(agency=agency, year=year)
    quarter = next((q for q in (1, 2, 3, 4) if not periods[q].locked), 4)
    return redirect("performance:entry", code=agency.code, year=year, quarter=quarter)


def _row_editable(row: object, sheet: QuarterSheet, access: Access) -> bool:
    entry = row.entry  # type: ignore[attr-defined]
    return access.enter_realizations and not sheet.period.locked and (entry is None or entry.editable_state)


def _forms(sheet: QuarterSheet, access: Access, data: object = None) -> dict[int, EntryForm]:
    forms = {}
    preview_url = reverse("performance:entry_preview", args=[sheet.agency.code, sheet.year, sheet.quarter])
    for row in sheet.rows:
        if not _row_editable(row, sheet, access):
            continue
        form = EntryForm(
            data, prefix=f"r{row.indicator.pk}", initial=initial_for(row), indicator_label=row.indicator.code,
        )
        for field in form.fields.values():
            field.widget.attrs["form"] = ENTRY_FORM_ID
        # The live preview (htmx): the row's numbers go to the preview view as they are typed.
        for name in ("value", "numerator", "denominator"):
            form.fields[name].widget.attrs.update({
                "hx-post": preview_url,
                "hx-trigger": "input changed delay:300ms, change",
                "hx-target": f"#cap-{row.indicator.pk}",
                "hx-swap": "outerHTML",
                "hx-include": f"[name^='r{row.indicator.pk}-']",
                "hx-vals": f'{{"indicator": "{row.indicator.pk}"}}',
                "inputmode": "decimal",
                "autocomplete": "off",
            })
        forms[row.indicator.pk] = form
    return forms


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def entry(request: HttpRequest, code: str, year: int, quarter: int) -> HttpResponse:
    sheet, access = _sheet_for(request, code, year, quarter)
    if request.method != "POST":
        return _render(request, sheet, access, _forms(sheet, access))
    if not access.enter_realizations:
        raise PermissionDenied("Hanya operator dan perencana perangkat daerah yang dapat mengisi realisasi.")
    if sheet.period.locked:
        messages.error(request, f"Tidak ada yang disimpan: {sheet.period.lock.message}")
        return _redirect(sheet)
    data = request.POST.copy()
    forms = _forms(sheet, access, data)
    if not all(form.is_valid() for form in forms.values()):
        return _render(request, sheet, access, forms, status=400)
    inputs = [form.entry_input(indicator_id) for indicator_id, form in forms.items() if form.edited()]
    try:
        saved = services.entries_save(
            agency=sheet.agency, year=year, quarter=quarter, entries=inputs, ctx=_ctx(request)
        )
    except RuleViolation as exc:
        return _refused(request, sheet, access, data, exc)
    submit = request.POST.get("action") == "submit"
    if saved.saved:
        messages.success(request, f"{len(saved.saved)} realisasi disimpan sebagai draf.")
    elif not submit:
        messages.info(request, "Tidak ada perubahan untuk disimpan.")
    if submit:
        _submit_all(request, sheet)
    return _redirect(sheet)


def _redirect(sheet: QuarterSheet, anchor: str = "") -> HttpResponse:
    return HttpResponseSeeOther(_entry_url(sheet, anchor))


def _submit_all(request: HttpRequest, sheet: QuarterSheet) -> None:
    """Submit every complete draft and returned entry; the incomplete ones stay and are named."""
    kwargs = dict(agency=sheet.agency, year=sheet.year, quarter=sheet.quarter, transition="submit", ctx=_ctx(request))
    try:
        done = services.entries_transition(indicator_ids=None, **kwargs)
    except RuleViolation as exc:
        messages.error(request, "Belum diajukan: " + _violations_text(sheet, exc))
        held = {v.key for v in exc.violations}
        fresh = quarter_sheet(agency=sheet.agency, year=sheet.year, quarter=sheet.quarter)
        ready = [r.indicator.pk for r in fresh.rows if r.entry and r.entry.editable_state and r.indicator.pk not in held]
        if not ready or None in held:
            return
        try:
            done = services.entries_transition(indicator_ids=ready, **kwargs)
        except RuleViolation as again:
            messages.error(request, "Belum diajukan: " + _violations_text(sheet, again))
            return
    if done:
        messages.success(request, f"{len(done)} realisasi diajukan untuk diverifikasi.")
    else:
        messages.info(request, "Tidak ada realisasi berstatus draf atau dikembalikan untuk diajukan.")


def _violations_text(sheet: QuarterSheet, exc: RuleViolation) -> str:
    parts = []
    for violation in exc.violations:
        row = sheet.row(violation.key) if isinstance(violation.key, int) else None
        message = violation.message.rstrip(".")
        parts.append(f"{row.indicator.code}: {message}" if row else message)
    return "; ".join(parts) + "."


FIELD_OF = {"value": "value", "numerator": "numerator", "denominator": "denominator", "note": "note",
            "analisis": "analisis", "penghambat": "penghambat", "upaya": "upaya"}


def _refused(request: HttpRequest, sheet: QuarterSheet, access: Access, data: object, exc: RuleViolation) -> HttpResponse:
    """Nothing was written: show each violation at its field, keep what the user typed. A row
    someone else saved meanwhile takes that save's revision, so saving again is a deliberate
    overwrite of a value the user has now seen."""
    for violation in exc.violations:
        if violation.field == "conflict":
            current = sheet.row(violation.key)
            if current is not None and current.entry is not None:
                data[f"r{violation.key}-revision"] = str(current.entry.revision)  # type: ignore[index]
    forms = _forms(sheet, access, data)
    general = []
    for violation in exc.violations:
        form = forms.get(violation.key) if isinstance(violation.key, int) else None
        if form is not None and form.is_valid():
            form.add_error(FIELD_OF.get(violation.field), violation.message)
        else:
            general.append(violation)
    if general:
        messages.error(request, "Tidak ada yang disimpan: " + _violations_text(sheet, RuleViolation(general)))
    return _render(request, sheet, access, forms, status=409 if _only_conflicts(exc) else 400)


def _only_conflicts(exc: RuleViolation) -> bool:
    return all(v.field == "conflict" for v in exc.violations)


def _render(
    request: HttpRequest, sheet: QuarterSheet, access: Access, forms: dict[int, EntryForm], status: int = 200
) -> HttpResponse:
    rows = [(row, forms.get(row.indicator.pk)) for row in sheet.rows]
    # The placeholders next to each explanation field, with this indicator's current values.
    values = narrative_figures_for(agency=sheet.agency, year=sheet.year, measurement=sheet.measurement).values
    for row in sheet.rows:
        row.placeholders = placeholder_rows(values, row.indicator.code)  # type: ignore[attr-defined]
    errors = [
        (row.indicator.code, label, message)
        for row, form in rows if form is not None and form.is_bound
        for label, message in form.error_list()
    ]
    context = {
        "sheet": sheet,
        "access": access,
        "groups": [(group, [(row, forms.get(row.indicator.pk)) for row in group.rows]) for group in sheet.groups],
        "errors": errors,
        "entry_form_id": ENTRY_FORM_ID,
        "review_form_id": REVIEW_FORM_ID,
        "can_enter": access.enter_realizations and not sheet.period.locked,
        "can_verify": access.verify_realizations and not sheet.period.locked,
        "quarters": [(q, sheet.periods[q]) for q in (1, 2, 3, 4)],
        "here": request.get_full_path(),
    }
    return render(request, "performance/entry.html", context, status=status)


@login_required
@require_POST
def entry_preview(request: HttpRequest, code: str, year: int, quarter: int) -> HttpResponse:
    """The capaian and predikat of a value being typed (htmx); writes nothing."""
    sheet, access = _sheet_for(request, code, year, quarter)
    if not access.enter_realizations:
        raise PermissionDenied("Pratinjau hanya untuk yang mengisi realisasi.")
    try:
        indicator_id = int(request.POST.get("indicator", ""))
    except ValueError:
        raise Http404("Indikator tidak dikenal.") from None
    row = sheet.row(indicator_id)
    if row is None:
        raise Http404("Indikator tidak dikenal.")
    form = EntryForm(request.POST, prefix=f"r{indicator_id}", initial=initial_for(row))
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    problem = next((m for f in ("value", "numerator", "denominator") for m in form.errors.get(f, [])), "")
    value = data.get("value")
    if value is None and data.get("numerator") is not None and data.get("denominator"):
        from .rules import computed_value

        value = computed_value(numerator=data["numerator"], denominator=data["denominator"], unit=row.indicator.unit)
    achievement = row.achievement(value)
    context = {"row": row, "achievement": achievement, "rating": row.rating(achievement), "problem": problem,
               "preview": True, "below": explanation_required(achievement)}
    return render(request, "performance/_capaian.html", context)


ID = re.compile(r"[0-9]{1,18}")


def _revisions(request: HttpRequest) -> dict[int, int]:
    """indicator id → the entry's revision as the page showed it (rev-<id> fields)."""
    out = {}
    for name, value in request.POST.items():
        key = name.removeprefix("rev-")
        if key != name and ID.fullmatch(key) and ID.fullmatch(value):
            out[int(key)] = int(value)
    return out


REVIEW_PERMISSION = {
    "submit": "enter_realizations", "withdraw": "enter_realizations",
    "verify": "verify_realizations", "send_back": "verify_realizations", "reopen": "verify_realizations",
}
DONE = {
    "submit": "diajukan", "withdraw": "ditarik kembali menjadi draf", "verify": "diverifikasi",
    "send_back": "dikembalikan ke operator", "reopen": "dibuka kembali",
}


@login_required
@require_POST
def entry_review(request: HttpRequest, code: str, year: int, quarter: int) -> HttpResponse:
    """One verification action: `act` is "<transition>:<indicator id>", "<transition>:all" or
    "<transition>:selected" (the ticked rows)."""
    sheet, access = _sheet_for(request, code, year, quarter)
    transition, _, target = request.POST.get("act", "").partition(":")
    if transition == "none":  # Enter pressed in a field of the review form: nothing chosen
        messages.info(request, "Pilih tindakan dengan menekan tombolnya.")
        return _redirect(sheet)
    if transition not in REVIEW_PERMISSION:
        messages.error(request, "Tindakan verifikasi tidak dikenal.")
        return _redirect(sheet)
    if not getattr(access, REVIEW_PERMISSION[transition]):
        raise PermissionDenied("Peran Anda tidak dapat melakukan tindakan ini.")
    anchor = ""
    if target == "all":
        ids = None
        reason = request.POST.get("reason", "")
    elif target == "selected":
        ids = [int(v) for v in request.POST.getlist("pilih") if ID.fullmatch(v)]
        reason = request.POST.get("reason", "")
        if not ids:
            messages.error(request, "Pilih dulu realisasi yang akan diproses.")
            return _redirect(sheet)
    elif ID.fullmatch(target):
        ids = [int(target)]
        reason = request.POST.get(f"reason-{target}", "") or request.POST.get("reason", "")
        anchor = f"r{target}"
    else:
        messages.error(request, "Tindakan verifikasi tidak dikenal.")
        return _redirect(sheet)
    try:
        done = services.entries_transition(
            agency=sheet.agency, year=year, quarter=quarter, transition=transition, indicator_ids=ids,
            ctx=_ctx(request, reason=reason[:2000]), revisions=_revisions(request) or None,
        )
    except RuleViolation as exc:
        messages.error(request, "Tidak diproses: " + _violations_text(sheet, exc))
        return _redirect(sheet, anchor)
    if done:
        messages.success(request, f"{len(done)} realisasi {DONE[transition]}.")
    else:
        messages.info(request, "Tidak ada realisasi yang dapat diproses dengan tindakan ini.")
    return _redirect(sheet, anchor)
