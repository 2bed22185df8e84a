"""The narrative page of one agency and year: report-level sections and each indicator's yearly
analisis, pendukung, penghambat, upaya and efisiensi, with the placeholders (and their current
values) next to every field, a preview of the text as the document prints it, and the numbers the
prose states that match no computed figure.

Thin: agencies.permissions decides, performance.narrative_figures computes, performance.services
writes (with the audit trail). Outsiders get 404; a member who may only read gets 403 on POST.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from agencies.models import Agency
from agencies.permissions import Access, agency_for_user
from audit.models import Channel
from audit.services import AuditContext
from lkjip.http import HttpResponseSeeOther

from . import services
from .measurement import measure
from .models import Indicator, Narrative
from .narrative_figures import NarrativeFigures, narrative_figures_for
from .placeholders import PLACEHOLDERS, Values, resolve
from .prose_numbers import contradictions
from .rules import RuleViolation

YEARS = range(2000, 2101)
MAX_TEXT = 100_000
SECTION_LABELS = dict(Narrative.Section.choices)


@dataclass(frozen=True)
class PlaceholderRow:
    syntax: str  # as written in this field, e.g. "{capaian}" or "{capaian:KODE}"
    meaning: str
    value: str  # the current value ("–": not computable yet; "" for a form that needs a code)


def placeholder_rows(values: Values, indicator: str | None = None) -> list[PlaceholderRow]:
    """The placeholder list shown next to a narrative field, with this agency's current values: in
    an indicator's field its own short forms, in a report-level field the forms with a code."""
    rows = []
    for p in PLACEHOLDERS:
        if p.per_indicator:
            if indicator is None:
                rows.append(PlaceholderRow("{" + p.name + ":KODE}", p.meaning, ""))
                continue
            value = values.indicators.get(indicator, {}).get(p.name)
            rows.append(PlaceholderRow("{" + p.name + "}", p.meaning, value or "–"))
        else:
            rows.append(PlaceholderRow("{" + p.name + "}", p.meaning, values.report.get(p.name) or "–"))
    return rows


@dataclass
class Field:
    """One narrative field of the page."""

    name: str  # the form field's name
    section: str
    label: str
    indicator: Indicator | None
    stored: str
    text: str  # what the field shows: the stored text, or what was typed
    errors: list[str] = field(default_factory=list)
    preview: str | None = None  # the text as printed, when a preview was asked for
    checks: list[str] = field(default_factory=list)  # numbers stated that match no computed figure

    @property
    def seen_name(self) -> str:
        return f"seen-{self.name}"

    @property
    def digest(self) -> str:
        return services.text_digest(self.stored)

    @property
    def key(self) -> tuple[str, int | None]:
        return (self.section, self.indicator.pk if self.indicator else None)


@dataclass
class IndicatorBlock:
    indicator: Indicator
    group: str
    fields: list[Field]
    placeholders: list[PlaceholderRow]


@dataclass
class Page:
    agency: Agency
    year: int
    figures: NarrativeFigures
    report: list[Field]
    indicators: list[IndicatorBlock]

    @property
    def fields(self) -> list[Field]:
        return self.report + [f for block in self.indicators for f in block.fields]


def _page(agency: Agency, year: int) -> Page:
    measurement = measure(agency=agency, year=year)
    figures = narrative_figures_for(agency=agency, year=year, measurement=measurement)
    stored = {
        (n.section, n.indicator_id): n.text
        for n in Narrative.objects.filter(agency=agency, year=year, quarter__isnull=True)
    }
    report = [
        Field(f"n-{section}", section, label, None, stored.get((section, None), ""), stored.get((section, None), ""))
        for section, label in Narrative.Section.choices
    ]
    blocks = []
    for group in measurement.groups:
        for figure in group.indicators:
            indicator = figure.indicator
            fields = [
                Field(f"n-{section}-{indicator.pk}", section, SECTION_LABELS[section], indicator,
                      stored.get((section, indicator.pk), ""), stored.get((section, indicator.pk), ""))
                for section in services.INDICATOR_SECTIONS
            ]
            blocks.append(IndicatorBlock(indicator, f"{group.kind} {group.code}", fields,
                                         placeholder_rows(figures.values, indicator.code)))
    return Page(agency, year, figures, report, blocks)


def _check(page: Page, item: Field) -> None:
    """What the document would print for the field's text, and the numbers it states that match
    no computed figure (the finding narasi_angka_bertentangan, before saving)."""
    code = item.indicator.code if item.indicator else None
    resolution = resolve(item.text, values=page.figures.values, indicator=code)
    item.preview = resolution.text
    item.checks = [p.message for p in resolution.problems]
    for found in contradictions(item.text, page.figures.context(code)):
        computed = f"; {found.nearest.label} yang dihitung {found.nearest.shown}" if found.nearest else ""
        item.checks.append(f"menyebut {found.mention.text}{computed}")


def _ctx(request: HttpRequest) -> AuditContext:
    return AuditContext(user=request.user, channel=Channel.FORM)


def _url(page: Page) -> str:
    return reverse("performance:narratives", args=[page.agency.code, page.year])


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def narratives(request: HttpRequest, code: str, year: int) -> HttpResponse:
    agency, access = agency_for_user(user=request.user, code=code)
    if year not in YEARS:
        raise Http404("Tahun tidak dikenal.")
    page = _page(agency, year)
    if request.method != "POST":
        for item in page.fields:
            if item.text:
                _check(page, item)
        return _render(request, page, access)
    if not access.edit_narratives:
        raise PermissionDenied("Hanya operator dan perencana perangkat daerah yang dapat mengubah narasi.")
    changed = []
    for item in page.fields:
        if item.name not in request.POST:
            continue
        item.text = request.POST.get(item.name, "")[:MAX_TEXT]
        seen = request.POST.get(item.seen_name, "")
        if item.text.replace("\r\n", "\n").strip() != item.stored or seen != item.digest:
            changed.append((item, seen))
    if request.POST.get("action") == "pratinjau":
        for item in page.fields:
            if item.text:
                _check(page, item)
        return _render(request, page, access, preview=True)
    inputs = [services.NarrativeInput(item.section, item.indicator.pk if item.indicator else None, item.text, seen)
              for item, seen in changed]
    try:
        saved = services.narratives_save(agency=agency, year=year, narratives=inputs, ctx=_ctx(request))
    except RuleViolation as exc:
        by_key = {item.key: item for item in page.fields}
        conflict = all(v.field == "conflict" for v in exc.violations)
        for violation in exc.violations:
            item = by_key.get(violation.key)
            if item is not None:
                item.errors.append(violation.message)
                if violation.field == "conflict":
                    # Saving again is a deliberate overwrite of a text the writer has now been told of.
                    item.stored = Narrative.objects.filter(
                        agency=agency, year=year, section=item.section, indicator=item.indicator, quarter__isnull=True
                    ).values_list("text", flat=True).first() or ""
            else:
                messages.error(request, violation.message)
        return _render(request, page, access, status=409 if conflict else 400)
    written = saved.created + saved.updated + saved.deleted
    if written:
        messages.success(request, f"{written} narasi disimpan.")
    else:
        messages.info(request, "Tidak ada perubahan untuk disimpan.")
    return HttpResponseSeeOther(_url(page))


def _render(request: HttpRequest, page: Page, access: Access, *, preview: bool = False,
            status: int = 200) -> HttpResponse:
    errors = [(item, message) for item in page.fields for message in item.errors]
    context = {
        "page": page,
        "access": access,
        "can_edit": access.edit_narratives,
        "report_placeholders": placeholder_rows(page.figures.values),
        "placeholders": PLACEHOLDERS,
        "errors": errors,
        "preview": preview,
        "checked": sum(len(item.checks) for item in page.fields),
    }
    return render(request, "performance/narratives.html", context, status=status)
