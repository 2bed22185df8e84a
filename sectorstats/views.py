"""The agency's statistics tables of a year: the list (with move up/down and delete) and the form
that creates or changes one. Thin: agencies.permissions decides, the form parses, services write.
Another agency's tables: 404, as for one that does not exist."""

from __future__ import annotations

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
from performance.rules import RuleViolation

from . import services
from .forms import StatisticsTableForm
from .grid import grid_to_paste
from .models import StatisticsTable

MAY_NOT_EDIT = "Hanya operator dan perencana perangkat daerah yang dapat mengubah tabel statistik."
FIELDS = {"code": "code", "title": "title", "section": "section", "indicator": "indicator", "source": "source",
          "isi": "content"}


def _agency(request: HttpRequest, code: str, year: int) -> tuple[Agency, Access]:
    agency, access = agency_for_user(user=request.user, code=code)
    if not 2000 <= year <= 2100:
        raise Http404("Tahun tidak dikenal.")
    return agency, access


def _table(agency: Agency, year: int, pk: int) -> StatisticsTable:
    table = StatisticsTable.objects.filter(agency=agency, year=year, pk=pk).first() if pk < 2**31 else None
    if table is None:
        raise Http404("Tabel statistik tidak ditemukan.")
    table.agency = agency
    return table


def _index(agency: Agency, year: int) -> str:
    return reverse("sectorstats:index", args=[agency.code, year])


def _ctx(request: HttpRequest) -> AuditContext:
    return AuditContext(user=request.user, channel=Channel.FORM)


@login_required
@require_safe
def index(request: HttpRequest, code: str, year: int) -> HttpResponse:
    agency, access = _agency(request, code, year)
    tables = list(StatisticsTable.objects.filter(agency=agency, year=year).select_related("indicator")
                  .prefetch_related("columns", "cells").order_by("order", "pk"))
    shown = [(table, *services.table_contents(table)) for table in tables]
    return render(request, "sectorstats/index.html", {
        "agency": agency, "year": year, "access": access, "tables": shown, "editable": access.edit_report_sections,
    })


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, code: str, year: int, pk: int | None = None) -> HttpResponse:
    agency, access = _agency(request, code, year)
    table = _table(agency, year, pk) if pk is not None else None
    if not access.edit_report_sections:
        raise PermissionDenied(MAY_NOT_EDIT)
    indicators = sorted(services.indicators_of(agency=agency, year=year).values(), key=lambda i: (i.order, i.pk))
    choices = [(i.pk, f"{i.code} · {i.name[:80]}") for i in indicators]
    errors: list[str] = []
    if request.method == "POST":
        form = StatisticsTableForm(request.POST, indicators=choices)
        if form.is_valid():
            grid = form.cleaned_data["content"]
            data = services.TableInput(
                code=form.cleaned_data["code"].strip(), title=form.cleaned_data["title"],
                section=form.cleaned_data["section"], indicator_id=form.cleaned_data["indicator"],
                source=form.cleaned_data["source"], note=form.cleaned_data["note"],
                columns=grid.columns, rows=grid.rows,
            )
            try:
                saved = services.statistics_table_save(agency=agency, year=year, data=data, table=table,
                                                       revision=form.cleaned_data["revision"], ctx=_ctx(request))
            except RuleViolation as exc:
                for violation in exc.violations:
                    name = FIELDS.get(violation.field)
                    if name in form.fields and name not in form.errors:
                        form.add_error(name, violation.message)
                    elif name is None:
                        errors.append(violation.message)
            else:
                messages.success(request, f"Tabel “{saved.title}” disimpan.")
                return HttpResponseSeeOther(_index(agency, year))
        errors += [f"{form.fields[n].label if n in form.fields else 'Tabel'}: {' '.join(e)}" for n, e in form.errors.items()]
    elif table is not None:
        columns, rows = services.table_contents(table)
        form = StatisticsTableForm(indicators=choices, initial={
            "code": table.code, "title": table.title, "section": table.section, "indicator": table.indicator_id,
            "source": table.source, "note": table.note, "content": grid_to_paste(columns, rows),
            "revision": table.revision,
        })
    else:
        form = StatisticsTableForm(indicators=choices, initial={"section": "analisis"})
    return render(request, "sectorstats/edit.html", {
        "agency": agency, "year": year, "access": access, "form": form, "table": table, "errors": errors,
    }, status=400 if errors else 200)


@login_required
@require_POST
def move(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    agency, access = _agency(request, code, year)
    table = _table(agency, year, pk)
    if not access.edit_report_sections:
        raise PermissionDenied(MAY_NOT_EDIT)
    step = {"naik": -1, "turun": 1}.get(request.POST.get("arah", ""))
    if step is None:
        messages.error(request, "Arah pemindahan tidak dikenal (naik atau turun).")
    elif not services.statistics_table_move(table=table, step=step, ctx=_ctx(request)):
        messages.info(request, f"Tabel “{table.title}” sudah di urutan {'pertama' if step < 0 else 'terakhir'}.")
    return HttpResponseSeeOther(_index(agency, year))


@login_required
@require_POST
def delete(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    agency, access = _agency(request, code, year)
    table = _table(agency, year, pk)
    if not access.edit_report_sections:
        raise PermissionDenied(MAY_NOT_EDIT)
    services.statistics_table_delete(table=table, ctx=_ctx(request))
    messages.success(request, f"Tabel “{table.title}” dihapus.")
    return HttpResponseSeeOther(_index(agency, year))
