"""The evaluation page of one agency's LKjIP year: the LHE (components, weights, values, the
computed total and predikat, what the source printed), its recommendations with the agency's
tindak lanjut; the evaluator's form and the agency's tindak-lanjut form.

`<year>` is the LKjIP year that was evaluated; the LHE is issued in year + 1 and its tindak
lanjut is printed in the LKjIP of year + 1. Thin: agencies.permissions decides, selectors read,
forms parse, services write. Outsiders get 404; a reader without the right gets 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from agencies.models import Agency
from agencies.permissions import Access, agency_for_user
from audit.models import Channel
from audit.services import AuditContext
from lkjip.http import HttpResponseSeeOther
from performance.models import Recommendation

from . import services
from .forms import STATUS_CHOICES, EvaluationForm, FollowUpForm, RecommendationForm
from .rules import YEARS, RuleViolation
from .selectors import evaluation_data, evaluations_of

LABELS = {
    "evaluator": "Evaluator", "lhe_number": "Nomor LHE", "lhe_date": "Tanggal LHE",
    "printed_total": "Nilai sebagaimana tercetak", "printed_predikat": "Predikat sebagaimana tercetak",
    "printed_source": "Sumber kutipan", "note": "Catatan", "scores": "Nilai komponen", "revision": "Perubahan lain",
    "evaluated_year": "Tahun", "text": "Rekomendasi", "component": "Komponen", "follow_up": "Tindak lanjut",
    "status": "Status", "id": "Rekomendasi",
}


def _ctx(request: HttpRequest) -> AuditContext:
    return AuditContext(user=request.user, channel=Channel.FORM)


def _agency(request: HttpRequest, code: str, year: int) -> tuple[Agency, Access]:
    agency, access = agency_for_user(user=request.user, code=code)
    if year not in YEARS:
        raise Http404("Tahun tidak dikenal.")
    return agency, access


def _url(agency: Agency, year: int) -> str:
    return reverse("evaluations:detail", args=[agency.code, year])


def _lines(exc: RuleViolation, names: dict[Any, str] | None = None) -> list[str]:
    lines = []
    for v in exc.violations:
        if isinstance(v.key, tuple) and v.key[0] == "score":
            lines.append(f"Nilai komponen {v.key[1]}: {v.message}")
        elif names and v.key in names:
            lines.append(f"{names[v.key]} · {LABELS.get(v.field, v.field)}: {v.message}")
        else:
            lines.append(f"{LABELS.get(v.field, v.field)}: {v.message}")
    return list(dict.fromkeys(lines))


def _mark_fields(form: Any, exc: RuleViolation) -> None:
    """Put a refusal's messages on the inputs they are about (a component's value, the LHE date),
    as a parse error is: the input is then marked invalid and described by its message."""
    for v in exc.violations:
        name = f"c_{v.key[1]}" if isinstance(v.key, tuple) and v.key[0] == "score" else v.field
        if name in form.fields and name not in form.errors:
            form.add_error(name, v.message)


def _form_lines(form: Any, prefix: str = "") -> list[str]:
    return [f"{prefix}{form.fields[n].label if n in form.fields else ''}: {' '.join(e)}" for n, e in form.errors.items()]


def _page(request: HttpRequest, agency: Agency, access: Access, year: int, *, follow_forms: list | None = None,
          errors: list[str] | None = None, status: int = 200) -> HttpResponse:
    evaluation = evaluations_of(agency=agency, years=[year]).first()
    data = evaluation_data(evaluation) if evaluation else None
    recommendations = list(Recommendation.objects.filter(agency=agency, year=year + 1).order_by("order"))
    if follow_forms is None:
        follow_forms = [FollowUpForm(prefix=f"t{r.pk}", initial={"follow_up": r.follow_up, "status": r.status,
                                                                  "revision": r.revision})
                        for r in recommendations]
    framework = evaluation.framework if evaluation else services.framework_for(government=agency.government, year=year)
    problems = [v.message for v in services.framework_problems(framework)] if framework else []
    return render(request, "evaluations/detail.html", {
        "agency": agency, "year": year, "access": access, "evaluation": evaluation, "data": data,
        "rows": list(zip(recommendations, follow_forms, strict=True)), "recommendation_form": RecommendationForm(),
        "framework_problems": problems, "errors": errors or [], "status_choices": STATUS_CHOICES,
    }, status=status)


@login_required
@require_safe
def detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    agency, access = _agency(request, code, year)
    return _page(request, agency, access, year)


def _components(agency: Agency, year: int) -> tuple[Any, dict[str, Any] | None, list[dict[str, Any]]]:
    evaluation = evaluations_of(agency=agency, years=[year]).first()
    data = evaluation_data(evaluation) if evaluation else None
    if data is not None and data["framework"] is not None:
        return evaluation, data, data["components"]
    framework = services.framework_for(government=agency.government, year=year)
    components = [{"code": c.code, "name": c.name, "weight": str(c.weight)}
                  for c in (framework.components.order_by("order", "code") if framework else [])]
    return evaluation, data, components


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, code: str, year: int) -> HttpResponse:
    agency, access = _agency(request, code, year)
    if not access.record_evaluations:
        raise PermissionDenied("Hanya evaluator dan inspektorat Pemda yang mencatat hasil evaluasi.")
    evaluation, data, components = _components(agency, year)
    errors: list[str] = []
    if request.method == "POST":
        form = EvaluationForm(request.POST, components=components)
        revision = request.POST.get("revision")
        if form.is_valid():
            try:
                services.evaluation_save(
                    agency=agency, evaluated_year=year, scores=form.scores(), ctx=_ctx(request),
                    revision=int(revision) if revision and revision.isdigit() else None, **form.header(),
                )
            except RuleViolation as exc:
                errors = _lines(exc)
                _mark_fields(form, exc)
            else:
                messages.success(request, f"Hasil evaluasi atas LKjIP {year} disimpan.")
                return HttpResponseSeeOther(_url(agency, year))
        else:
            errors = _form_lines(form)
    else:
        form = EvaluationForm(initial=EvaluationForm.initial_from(data), components=components)
    framework = evaluation.framework if evaluation else services.framework_for(government=agency.government, year=year)
    return render(request, "evaluations/edit.html", {
        "agency": agency, "year": year, "access": access, "form": form, "errors": errors,
        "revision": evaluation.revision if evaluation else "", "framework": framework, "components": components,
        "framework_problems": [v.message for v in services.framework_problems(framework)],
    }, status=400 if errors else 200)


@login_required
@require_POST
def recommendation_add(request: HttpRequest, code: str, year: int) -> HttpResponse:
    agency, access = _agency(request, code, year)
    if not access.record_evaluations:
        raise PermissionDenied("Hanya evaluator dan inspektorat Pemda yang mencatat rekomendasi.")
    form = RecommendationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Rekomendasi belum ditambahkan: " + "; ".join(_form_lines(form)) + ".")
        return HttpResponseSeeOther(_url(agency, year))
    try:
        services.recommendation_add(agency=agency, year=year + 1, component=form.cleaned_data["component"],
                                    text=form.cleaned_data["text"], ctx=_ctx(request))
    except RuleViolation as exc:
        messages.error(request, "Rekomendasi belum ditambahkan: " + "; ".join(_lines(exc)) + ".")
    else:
        messages.success(request, "Rekomendasi ditambahkan.")
    return HttpResponseSeeOther(_url(agency, year))


@login_required
@require_POST
def follow_up(request: HttpRequest, code: str, year: int) -> HttpResponse:
    agency, access = _agency(request, code, year)
    if not access.answer_recommendations:
        raise PermissionDenied("Hanya perencana dan kepala perangkat daerah yang menuliskan tindak lanjut.")
    recommendations = list(Recommendation.objects.filter(agency=agency, year=year + 1).order_by("order"))
    forms = [FollowUpForm(request.POST, prefix=f"t{r.pk}") for r in recommendations]
    names = {r.pk: f"Rekomendasi {i}" for i, r in enumerate(recommendations, 1)}
    if not all([f.is_valid() for f in forms]):
        errors = [line for r, f in zip(recommendations, forms, strict=True) for line in _form_lines(f, f"{names[r.pk]} · ")]
        return _page(request, agency, access, year, follow_forms=forms, errors=errors, status=400)
    rows = {r.pk: f.as_input() for r, f in zip(recommendations, forms, strict=True)}
    try:
        changed = services.follow_ups_save(agency=agency, year=year + 1, rows=rows, ctx=_ctx(request))
    except RuleViolation as exc:
        return _page(request, agency, access, year, follow_forms=forms, errors=_lines(exc, names), status=400)
    messages.success(request, f"Tindak lanjut disimpan ({changed} berubah)." if changed else "Tidak ada perubahan.")
    return HttpResponseSeeOther(_url(agency, year))
