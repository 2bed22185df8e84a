"""The Perjanjian Kinerja pages: the year's versions, one version, drafting, approval,
amendments, the diff of two versions, and the Pemda's overview.

Thin: agencies.permissions decides, performance.agreements reads, agreement_forms parse,
performance.services writes (with the audit trail). Outsiders get 404; a member without the
right gets 403.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from agencies.models import Agency
from agencies.permissions import Access, agency_for_user, government_for_user
from audit.models import Channel
from audit.services import AuditContext
from evidence.selectors import scans_for
from lkjip.http import HttpResponseSeeOther, back_to_next
from lkjip.numbers import format_id

from . import agreements as pk
from . import services
from .agreement_forms import (
    AgreementHeaderForm,
    AgreementProgramForm,
    AgreementRowForm,
    AmendmentForm,
    DiffForm,
    TransitionForm,
)
from .models import PerformanceAgreement
from .rules import RuleViolation

YEARS = range(2000, 2101)


def _ctx(request: HttpRequest, reason: str = "") -> AuditContext:
    return AuditContext(user=request.user, channel=Channel.FORM, reason=reason)


def _agency(request: HttpRequest, code: str, year: int) -> tuple[Agency, Access]:
    agency, access = agency_for_user(user=request.user, code=code)
    if year not in YEARS:
        raise Http404("Tahun tidak dikenal.")
    return agency, access


def _version(request: HttpRequest, code: str, year: int, number: int) -> tuple[PerformanceAgreement, Access]:
    agency, access = _agency(request, code, year)
    agreement = (
        PerformanceAgreement.objects.select_related("agency", "agency__government", "amends")
        .filter(agency=agency, year=year, number=number).first()
    )
    if agreement is None:
        raise Http404("Versi PK tidak ditemukan.")
    return agreement, access


def _index_url(agency: Agency, year: int) -> str:
    return reverse("performance:agreement_index", args=[agency.code, year])


def _detail_url(agreement: PerformanceAgreement) -> str:
    return reverse("performance:agreement_detail", args=[agreement.agency.code, agreement.year, agreement.number])


def _text(value: Decimal | None) -> str:
    return format_id(value, empty="")


def _refusal(exc: RuleViolation) -> str:
    return "; ".join(dict.fromkeys(v.message for v in exc.violations))


@login_required
@require_safe
def agreement_index(request: HttpRequest, code: str, year: int) -> HttpResponse:
    agency, access = _agency(request, code, year)
    versions = list(PerformanceAgreement.objects.filter(agency=agency, year=year).order_by("number"))
    state = pk.year_state(agency=agency, year=year, agreements=versions)
    latest = state.latest
    return render(request, "performance/agreement_index.html", {
        "agency": agency, "year": year, "access": access, "state": state, "versions": versions,
        "chain": pk.chain(versions),
        "may_start": access.draft_agreements and not versions,
        "may_amend": access.draft_agreements and latest is not None and latest.is_locked,
        "amendment_form": AmendmentForm(),
    })


@login_required
@require_POST
def agreement_start(request: HttpRequest, code: str, year: int) -> HttpResponse:
    agency, access = _agency(request, code, year)
    if not access.draft_agreements:
        raise PermissionDenied("Hanya perencana perangkat daerah yang menyusun PK.")
    try:
        agreement = services.agreement_start(agency=agency, year=year, ctx=_ctx(request))
    except RuleViolation as exc:
        messages.error(request, f"PK belum dapat disusun: {_refusal(exc)}.")
        return HttpResponseSeeOther(_index_url(agency, year))
    messages.success(request, f"PK {year} disusun dari Renstra. Periksa target, anggaran dan penandatangan, lalu ajukan.")
    return HttpResponseSeeOther(reverse("performance:agreement_edit", args=[agency.code, year, agreement.number]))


@login_required
@require_POST
def agreement_amend(request: HttpRequest, code: str, year: int) -> HttpResponse:
    agency, access = _agency(request, code, year)
    if not access.draft_agreements:
        raise PermissionDenied("Hanya perencana perangkat daerah yang membuat PK perubahan.")
    latest = PerformanceAgreement.objects.filter(agency=agency, year=year).order_by("-number").first()
    if latest is None:
        raise Http404("Belum ada PK tahun ini.")
    form = AmendmentForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(f"{form.fields[n].label}: {' '.join(e)}" for n, e in form.errors.items())
        messages.error(request, f"PK perubahan belum dibuat: {problems}.")
        return HttpResponseSeeOther(_index_url(agency, year))
    try:
        amendment = services.amendment_start(agreement=latest, ctx=_ctx(request, form.cleaned_data["cause_note"]),
                                             **form.cleaned_data)
    except RuleViolation as exc:
        messages.error(request, f"PK perubahan belum dibuat: {_refusal(exc)}.")
        return HttpResponseSeeOther(_index_url(agency, year))
    messages.success(request, f"PK {amendment.version_label} dibuat dari PK {latest.version_label}. Ubah baris yang berubah, lalu ajukan.")
    return HttpResponseSeeOther(reverse("performance:agreement_edit", args=[agency.code, year, amendment.number]))


@login_required
@require_safe
def agreement_detail(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    agreement, access = _version(request, code, year, number)
    versions = list(PerformanceAgreement.objects.filter(agency=agreement.agency, year=year).order_by("number"))
    contents = pk.shown_contents(agreement)
    previous = next((v for v in reversed(versions) if v.number < agreement.number), None)
    changes = pk.diff(pk.shown_contents(previous), contents) if previous else []
    scans = scans_for(agreement)
    return render(request, "performance/agreement_detail.html", {
        "agreement": agreement, "agency": agreement.agency, "year": year, "access": access,
        "contents": contents, "versions": versions, "previous": previous, "changes": changes,
        "chain": pk.chain([agreement]), "state": pk.year_state(agency=agreement.agency, year=year, agreements=versions),
        "warnings": [
            f"{row['indicator']}: {w}" for row in contents["rows"]
            if (w := pk.quarter_targets_warning(
                value=Decimal(row["target"]), aggregation=row.get("aggregation") or "akhir",
                quarters=[Decimal(q) if q is not None else None for q in row["quarters"]]))
        ] + ([] if agreement.is_locked else pk.programs_left_out(agreement, contents)),
        "scans": scans,
        "here": request.get_full_path(),
    })


def _edit_forms(agreement: PerformanceAgreement, data: object = None):
    indicators, programs = pk.edit_choices(agreement)
    row_forms = []
    for choice in indicators:
        target = choice.target
        initial = {"included": target is not None,
                   "value": _text(target.value if target else choice.renstra)}
        if target is not None:
            initial.update({f"q{i}": _text(q) for i, q in enumerate(target.quarters, 1)})
            initial["reason"] = target.reason
        row_forms.append((choice, AgreementRowForm(data, prefix=f"r{choice.indicator.pk}", initial=initial)))
    program_forms = []
    for choice in programs:
        row = choice.row
        initial = {"included": row is not None, "amount": _text(row.amount if row else choice.pagu),
                   "reason": row.reason if row else ""}
        program_forms.append((choice, AgreementProgramForm(data, prefix=f"p{choice.item.pk}", initial=initial)))
    header = AgreementHeaderForm(
        data, amendment=agreement.number > 0,
        initial={name: getattr(agreement, name) for name in services.AGREEMENT_HEADER_FIELDS},
    )
    return header, row_forms, program_forms


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def agreement_edit(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    agreement, access = _version(request, code, year, number)
    if not access.draft_agreements:
        raise PermissionDenied("Hanya perencana perangkat daerah yang mengubah PK.")
    if not agreement.editable:
        messages.error(request, f"PK {agreement.version_label} berstatus {agreement.get_status_display().lower()}: "
                                "tidak dapat diubah." + (" Buat PK perubahan untuk mengubahnya." if agreement.is_locked else ""))
        return HttpResponseSeeOther(_detail_url(agreement))
    errors: list[str] = []
    if request.method == "POST":
        header, row_forms, program_forms = _edit_forms(agreement, request.POST)
        valid = header.is_valid() & all([f.is_valid() for _, f in row_forms]) & all([f.is_valid() for _, f in program_forms])
        if valid:
            rows = {c.indicator.pk: r for c, f in row_forms if (r := f.as_input()) is not None}
            programs = {c.item.pk: p for c, f in program_forms if (p := f.as_input()) is not None}
            revision = request.POST.get("revision")
            try:
                warnings = services.agreement_save(
                    agreement=agreement, header=header.cleaned_data, rows=rows, programs=programs,
                    revision=int(revision) if revision and revision.isdigit() else None, ctx=_ctx(request),
                )
            except RuleViolation as exc:
                errors = _violation_lines(exc, row_forms, program_forms, header)
            else:
                messages.success(request, f"PK {agreement.version_label} disimpan.")
                # The version page lists every warning; the message only says there are some.
                for warning in warnings[:3]:
                    messages.warning(request, warning)
                if len(warnings) > 3:
                    messages.warning(request, f"… dan {len(warnings) - 3} peringatan target triwulan lainnya "
                                              "(lihat daftar di halaman PK).")
                if request.POST.get("action") == "submit":
                    return _transition(request, agreement, "submit", "", None)
                return HttpResponseSeeOther(_detail_url(agreement))
        else:
            errors = _form_errors(row_forms, program_forms, header)
    else:
        header, row_forms, program_forms = _edit_forms(agreement)
    return render(request, "performance/agreement_edit.html", {
        "agreement": agreement, "agency": agreement.agency, "year": year, "access": access,
        "header": header, "row_forms": row_forms, "program_forms": program_forms, "errors": errors,
    }, status=400 if errors else 200)


def _form_errors(row_forms, program_forms, header) -> list[str]:
    lines = []
    for name, problems in header.errors.items():
        label = header.fields[name].label if name in header.fields else ""
        lines.append(f"{label}: {' '.join(problems)}")
    for choice, form in row_forms:
        for name, problems in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            lines.append(f"{choice.indicator.code} · {label}: {' '.join(problems)}")
    for choice, form in program_forms:
        for name, problems in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            lines.append(f"Program {choice.item.code} · {label}: {' '.join(problems)}")
    return lines


def _violation_lines(exc: RuleViolation, row_forms, program_forms, header) -> list[str]:
    indicators = {c.indicator.pk: (c.indicator.code, f) for c, f in row_forms}
    items = {c.item.pk: (c.item.code, f) for c, f in program_forms}
    lines = []
    for v in exc.violations:
        if isinstance(v.key, tuple) and v.key[0] == "row" and v.key[1] in indicators:
            code, form = indicators[v.key[1]]
            form.add_error("reason" if v.field == "reason" else None, v.message)
            lines.append(f"{code}: {v.message}")
        elif isinstance(v.key, tuple) and v.key[0] == "program" and v.key[1] in items:
            code, form = items[v.key[1]]
            form.add_error("reason" if v.field == "reason" else None, v.message)
            lines.append(f"Program {code}: {v.message}")
        else:
            if v.field in header.fields:
                header.add_error(v.field, v.message)
            lines.append(v.message)
    return lines


def _transition(request: HttpRequest, agreement: PerformanceAgreement, act: str, reason: str,
                revision: int | None) -> HttpResponse:
    done = {"submit": "diajukan untuk persetujuan", "withdraw": "ditarik kembali menjadi draf",
            "send_back": "dikembalikan kepada perangkat daerah", "approve": "disetujui"}[act]
    try:
        agreement = services.agreement_transition(agreement=agreement, transition=act, ctx=_ctx(request, reason),
                                                  revision=revision)
    except RuleViolation as exc:
        messages.error(request, f"PK {agreement.version_label} belum {done}: {_refusal(exc)}.")
    else:
        messages.success(request, f"PK {agreement.version_label} {agreement.year} {done}.")
    return back_to_next(request, _detail_url(agreement))


@login_required
@require_POST
def agreement_act(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    agreement, access = _version(request, code, year, number)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Tindakan tidak dikenal.")
        return HttpResponseSeeOther(_detail_url(agreement))
    act = form.cleaned_data["act"]
    allowed = access.approve_agreements if act in ("send_back", "approve") else access.submit_agreements
    if not allowed:
        raise PermissionDenied("Anda tidak berwenang untuk tindakan ini.")
    return _transition(request, agreement, act, form.cleaned_data["reason"] or "", form.cleaned_data["revision"])


@login_required
@require_POST
def agreement_discard(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    agreement, access = _version(request, code, year, number)
    if not access.draft_agreements:
        raise PermissionDenied("Hanya perencana perangkat daerah yang membuang versi PK.")
    try:
        services.agreement_discard(agreement=agreement, ctx=_ctx(request, request.POST.get("reason", "")[:2000]))
    except RuleViolation as exc:
        messages.error(request, f"PK {agreement.version_label} belum dibuang: {_refusal(exc)}.")
        return HttpResponseSeeOther(_detail_url(agreement))
    messages.success(request, f"PK {agreement.version_label} {year} dibuang.")
    return HttpResponseSeeOther(_index_url(agreement.agency, year))


@login_required
@require_safe
def agreement_diff(request: HttpRequest, code: str, year: int) -> HttpResponse:
    agency, access = _agency(request, code, year)
    versions = {v.number: v for v in PerformanceAgreement.objects.filter(agency=agency, year=year)}
    form = DiffForm(request.GET)
    if not form.is_valid() or form.cleaned_data["a"] not in versions or form.cleaned_data["b"] not in versions:
        raise Http404("Versi PK yang dibandingkan tidak ditemukan.")
    old, new = versions[form.cleaned_data["a"]], versions[form.cleaned_data["b"]]
    return render(request, "performance/agreement_diff.html", {
        "agency": agency, "year": year, "access": access, "old": old, "new": new,
        "versions": sorted(versions.values(), key=lambda v: v.number),
        "changes": pk.diff(pk.shown_contents(old), pk.shown_contents(new)),
    })


@login_required
@require_safe
def agreement_overview(request: HttpRequest, government_id: int, year: int) -> HttpResponse:
    government, gaccess = government_for_user(user=request.user, government_id=government_id)
    if not gaccess.view_dashboard or year not in YEARS:
        raise Http404("Halaman tidak ditemukan.")
    return render(request, "performance/agreement_overview.html", {
        "government": government, "year": year, "gaccess": gaccess,
        "rows": pk.government_overview(government=government, year=year),
        "here": request.get_full_path(),
    })
