"""Everything one LKjIP document shows, gathered from the records into one JSON-able dict.

The document is rendered from this snapshot only, never from live queries, so a stored
snapshot reproduces its PDF and two versions can be compared figure by figure. Numbers
are strings with full precision (Decimal → str); nothing is rounded here.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from agencies.locks import agency_lock
from agencies.models import Agency, AgencyYear, StaffCount
from agencies.staff import staff_figures
from budget.derived import budget_figures
from budget.spending import SpendingSummary, spending_summary
from budget.summary import BudgetSummary, Completeness, budget_summary, completeness
from evaluations.selectors import evaluation_data, evaluations_of
from lkjip.numbers import as_stored
from performance import calculations as calc
from performance.agreements import shown_contents
from performance.derived import best_and_weakest, measurement_figures
from performance.measurement import (
    EfficiencyLine,
    IndicatorFigures,
    Measurement,
    ProgramRun,
    efficiency_lines,
    measure,
    report_counts,
    trend_table,
)
from performance.models import Benchmark, Narrative, PerformanceAgreement, PlanNode, Recommendation, Target
from performance.narrative_figures import narrative_figures_for
from performance.placeholders import Values, resolve

from .findings import agency_findings
from .variants import variant_for

# 2: history targets, pembilang/penyebut, group kind codes
# 3: agreements are the PK versions the document prints (performance.agreements.shown_contents:
#    frozen contents of approved versions, own program budget), with approval; agreement_notice
# 4: "derived": the figures the document states that are derived from the measurement and the
#    budget (performance.derived, budget.derived: trends, below target, counts, remaining budget),
#    computed here so the renderer only formats; a snapshot without it gets them from derived_part
SNAPSHOT_FORMAT = 4
# Also new with format 4 (absent in older snapshots, which render as before): "counts",
#    "benchmarks", "trends", budget_previous["completeness"]; scale default/source/cap_source/
#    cap_statement; per indicator state/state_label/end_remaining/end_direction/end_reached and
#    history complete/missing; per efficiency row difference/verdict/verdict_label and program lines.
# The data part of a snapshot: what `capaian --format json` prints. A reviu's statement names the
# hash of the reviewed version's data part; a later version says whether its own differs.
DATA_KEYS = ("year", "agency", "scale", "measurement", "budget", "efficiency")
# What an Inspektorat reviu covers: the report's content, not only its figures — the plan, the PK,
# the narratives (agency-level here, per indicator inside "measurement"), the recommendations and
# LHE, the signatory and staff, and the agency's identity without its contact details. A
# statement says whether a later version differs from the reviewed one by this hash
# (reviewed_hash), computed from the two stored snapshots; DATA_KEYS stays what the API serves.
REVIEWED_KEYS = ("year", "agency", "scale", "measurement", "budget", "efficiency", "plan", "agreements",
                 "narratives", "recommendations", "evaluations", "signatory", "staff")
# The report's own sections added later (belanja per jenis, the agency's statistics tables, the logo
# and organisation chart): covered by a reviu too, hashed only when present, so the reviewed hash of
# a snapshot without them is the one it always had.
REVIEWED_OPTIONAL_KEYS = ("spending_by_type", "statistics_tables", "images")
CONTACT_FIELDS = ("address", "phone", "email", "website")
# The optional key "evaluations" (present only when there is an LHE to print) needs no new format:
# a snapshot without it renders as before.
EVALUATION_YEARS = 5  # how many earlier LKjIP years of LHE results the document's trend shows


def _result(result: calc.Result) -> dict[str, Any]:
    return {"value": as_stored(result.value), "reason": result.reason}


def snapshot_hash(snapshot: dict[str, Any]) -> str:
    """sha256 of the canonical JSON: equal data gives an equal hash, whatever the key order."""
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def data_hash(snapshot: dict[str, Any]) -> str:
    """sha256 of the snapshot's measurement and budget data (DATA_KEYS), not of its wording."""
    return snapshot_hash({key: snapshot.get(key) for key in DATA_KEYS})


def reviewed_hash(snapshot: dict[str, Any]) -> str:
    """sha256 of what a reviu covers (REVIEWED_KEYS; the agency without its contact fields): a new
    phone number is not a change of the reviewed report, a rewritten analysis is."""
    part = {key: snapshot.get(key) for key in REVIEWED_KEYS}
    part |= {key: snapshot[key] for key in REVIEWED_OPTIONAL_KEYS if key in snapshot}
    if isinstance(part["agency"], dict):
        part["agency"] = {k: v for k, v in part["agency"].items() if k not in CONTACT_FIELDS}
    return snapshot_hash(part)


def build_snapshot(*, agency: Agency, year: int) -> dict[str, Any]:
    """Everything the document shows, read in one transaction under the agency's shared lock:
    a write in progress (an import) finishes first, so a version never mixes two states."""
    with transaction.atomic():
        agency_lock(agency.code, shared=True)
        return _build_snapshot(agency=agency, year=year)


def _build_snapshot(*, agency: Agency, year: int) -> dict[str, Any]:
    snapshot = _base_snapshot(agency=agency, year=year)
    evaluations = _evaluations(agency, year)
    if evaluations:
        # Only when there is one: a document without any LHE keeps the snapshot (and the hash) it
        # had before evaluations were recorded, and older snapshots render as they did.
        snapshot["evaluations"] = evaluations
    # The sections below are printed only when the agency recorded them: an absent key is "nothing
    # to print", so a snapshot without them (and every older one) renders and hashes as before.
    spending = spending_by_type_data(spending_summary(agency=agency, year=year))
    if spending is not None:
        snapshot["spending_by_type"] = spending
    tables = statistics_tables_data(agency=agency, year=year)
    if tables:
        snapshot["statistics_tables"] = tables
    images = _images(agency, year)
    if images:
        snapshot["images"] = images
    # The latest Pernyataan Telah Direviu of the agency and year, printed after BAB IV. Only when
    # there is one: a snapshot without the key is "no statement", so earlier versions (and years
    # without a reviu) keep their hash and render byte for byte as before. Last, so that whether
    # the reviewed content changed is judged on everything else the snapshot holds.
    from reviews.selectors import statement_for_snapshot

    review = statement_for_snapshot(agency=agency, year=year, snapshot=snapshot)
    if review is not None:
        snapshot["review"] = review
    return snapshot


def spending_by_type_data(spending: SpendingSummary) -> dict[str, Any] | None:
    """Belanja per jenis as the document prints it (budget.spending), None when not recorded."""
    if spending.is_empty:
        return None
    return {
        "year": spending.year,
        "rows": [
            {
                "kind": row.kind, "label": row.label, "depth": row.depth, "computed": row.computed,
                "ceiling_original": as_stored(row.ceiling_original), "ceiling_amended": as_stored(row.ceiling_amended),
                "ceiling": as_stored(row.ceiling), "change": as_stored(row.change), "change_percent": _result(row.change_percent),
                "spent": as_stored(row.spent), "absorption": _result(row.absorption), "share": _result(row.share),
            }
            for row in spending.rows
        ],
        "ceiling_original": as_stored(spending.ceiling_original),
        "ceiling": as_stored(spending.ceiling),
        "revised": spending.revised,
        "change": as_stored(spending.change),
        "spent": as_stored(spending.spent),
        "absorption": _result(spending.absorption),
    }


def statistics_tables_data(*, agency: Agency, year: int) -> list[dict[str, Any]]:
    """The agency's statistics tables of the year, in their order, each with the section (and the
    indicator, by code) it belongs to; a cell is its text as written and its number (or None)."""
    from sectorstats.models import StatisticsTable
    from sectorstats.services import table_contents

    tables = (StatisticsTable.objects.filter(agency=agency, year=year).select_related("indicator")
              .prefetch_related("columns", "cells").order_by("order", "pk"))
    result = []
    for table in tables:
        columns, rows = table_contents(table)
        result.append({
            "code": table.code, "title": table.title, "section": table.section,
            "section_label": table.get_section_display(),
            "indicator": table.indicator.code if table.indicator else None,
            "source": table.source, "note": table.note,
            "columns": [{"group": group, "label": label} for group, label in columns],
            "rows": [[None if cell is None else {"text": cell.text, "number": as_stored(cell.number)} for cell in row]
                     for row in rows],
        })
    return result


def _images(agency: Agency, year: int) -> dict[str, Any]:
    """References (sha256, storage name, type, pixels), not bytes: images.services.image_bytes
    returns the bytes of a reference for the renderer."""
    from images.selectors import chart_for, logo_for
    from images.services import image_reference

    found = {"logo": logo_for(agency=agency), "org_chart": chart_for(agency=agency, year=year)}
    return {key: image_reference(image) for key, image in found.items() if image is not None}


def _evaluations(agency: Agency, year: int) -> list[dict[str, Any]]:
    """The LHE AKIP of the agency's earlier LKjIP (evaluated year < year), newest first: the one of
    year - 1 is the document's follow-up table, the others its trend."""
    return [
        evaluation_data(e)
        for e in evaluations_of(agency=agency, years=range(year - EVALUATION_YEARS, year))
    ]


def build_measurement(*, agency: Agency, year: int) -> tuple[dict[str, Any], Measurement]:
    """Only the data part (DATA_KEYS: what `capaian --format json` prints and the API serves),
    built by the same functions as the document's snapshot, under the same shared lock, without
    the parts a document adds (plan tree, PK contents, narratives, staff, findings)."""
    with transaction.atomic():
        agency_lock(agency.code, shared=True)
        measurement = measure(agency=agency, year=year)
        return _data_part(agency, year, measurement, budget_summary(agency=agency, year=year)), measurement


def _data_part(agency: Agency, year: int, measurement: Measurement, budget: BudgetSummary) -> dict[str, Any]:
    return {
        "year": year,
        "agency": _agency_part(agency),
        "scale": _scale_part(measurement),
        "measurement": _measurement(measurement, report_counts(measurement, budget)),
        "budget": _budget(budget),
        "efficiency": _efficiency(measurement, budget),
    }


def _agency_part(agency: Agency) -> dict[str, Any]:
    government = agency.government
    return {
        "code": agency.code,
        "name": agency.name,
        "short_name": agency.short_name,
        "address": agency.address,
        "phone": agency.phone,
        "email": agency.email,
        "website": agency.website,
        "government": government.name,
        "government_kind": government.kind,
        "province": government.province,
        "government_head_title": government.head_title,
        "government_head_name": government.head_name,
    }


def _scale_part(measurement: Measurement) -> dict[str, Any]:
    """The rating scale and the averaging rule.

    default (bool): no scale of the agency or its Pemda, so the bands are the Permendagri 86/2017
        criteria (calculations.DEFAULT_BANDS); name and source say so.
    source: where the scale comes from, one Indonesian phrase ("" for a Pemda's own scale).
    objective_cap: the cap each indicator's capaian has in a group average (None: no cap);
    cap_source: "bawaan" (the default 120), "skala" (set on the scale), "tanpa" (no cap, chosen);
    cap_statement: the sentence a document prints about it, e.g. "Capaian indikator di atas 120 %
        dihitung 120 % dalam rata-rata."
    """
    return {
        "name": measurement.scale_name or None,
        "default": measurement.scale_default,
        "source": calc.DEFAULT_SCALE_SOURCE if measurement.scale_default else "",
        "bands": [
            {"label": b.label, "range": b.describe(), "lower": as_stored(b.lower), "upper": as_stored(b.upper)}
            for b in measurement.bands
        ],
        "objective_method": measurement.method,
        "objective_cap": as_stored(measurement.cap),
        "cap_source": measurement.cap_source,
        "cap_statement": calc.cap_statement(measurement.cap),
    }


def _base_snapshot(*, agency: Agency, year: int) -> dict[str, Any]:
    measurement = measure(agency=agency, year=year)
    budget = budget_summary(agency=agency, year=year)
    data = _data_part(agency, year, measurement, budget)
    plan = measurement.plan
    figures = narrative_figures_for(agency=agency, year=year, measurement=measurement, budget=budget)
    profile = AgencyYear.objects.filter(agency=agency, year=year).first() or AgencyYear(agency=agency, year=year)
    previous = budget_summary(agency=agency, year=year - 1)
    previous_completeness = completeness(previous, budget, period=measurement.periods.get(year - 1))
    counts = report_counts(measurement, budget)
    snapshot = {
        "format": SNAPSHOT_FORMAT,
        "year": year,
        "variant": variant_for(agency=agency),
        "agency": data["agency"],
        "signatory": {
            "title": profile.head_title,
            "name": profile.head_name,
            "rank": profile.head_rank,
            "nip": profile.head_nip,
            "acting": profile.head_is_acting,
            "place": profile.signature_place,
            "date": profile.signature_date.isoformat() if profile.signature_date else None,
        },
        "plan": _plan(measurement),
        "agreements": _agreements(agency, year),
        "agreement_notice": measurement.agreement_state.notice if measurement.agreement_state else "",
        "scale": data["scale"],
        "measurement": data["measurement"],
        "budget": data["budget"],
        "budget_previous": {**_budget_totals(previous), "completeness": _completeness(previous_completeness)},
        "efficiency": data["efficiency"],
        "staff": _staff(agency, year),
        "narratives": {
            n.section: n.text for n in Narrative.objects.filter(agency=agency, year=year, indicator__isnull=True)
        },
        "recommendations": [
            {"year": r.year, "component": r.component, "text": r.text, "follow_up": r.follow_up, "status": r.status}
            for r in Recommendation.objects.filter(agency=agency, year__lt=year + 1).order_by("-year", "order")
            if r.year >= year - 1
        ],
        "findings": [
            {"code": f.code, "severity": f.severity, "message": f.message}
            for f in agency_findings(measurement=measurement, budget=budget, previous=previous_completeness,
                                     narrative_figures=figures)
        ],
        "has_plan": plan is not None,
        # Every count the document states (performance.measurement.report_counts): "budget" (programs,
        # kegiatan, sub kegiatan in the year's budget tree), "with_indicators" (those owning an
        # indicator), "supporting" (programs linked to a tujuan/sasaran), "groups", "indicators". The
        # renderer prints these and computes none.
        "counts": counts,
        "benchmarks": _benchmarks(measurement),
        # Realisasi N-2, N-1, N per indicator with capaian, the Renstra end target, capaian against it
        # and what remains to it (performance.measurement.trend_table): {"years": [...], "rows": [...]}.
        "trends": trend_table(measurement),
    }
    _resolve_narratives(snapshot, figures.values)
    snapshot["derived"] = derived_part(snapshot)
    return snapshot


def _resolve_narratives(snapshot: dict[str, Any], values: Values) -> None:
    """The narratives as printed: placeholders replaced by the computed figures (the records keep
    what was written; a problem is a finding). New dicts: the measurement's own stay as read."""
    snapshot["narratives"] = {
        section: resolve(text, values=values).text for section, text in snapshot["narratives"].items()
    }
    for group in snapshot["measurement"]["groups"]:
        for row in group["indicators"]:
            row["narratives"] = {
                section: resolve(text, values=values, indicator=row["code"]).text
                for section, text in row["narratives"].items()
            }


def _completeness(found: Completeness) -> dict[str, Any]:
    """budget_previous["completeness"]: whether the earlier year's budget stands beside the report
    year's. available: the year has any budget; complete; absent / empty: lines of the report year
    with no line, or a line of pagu and realisasi 0, in the earlier year ({code, kind, name});
    months: {"from", "to"} the records cover; period: "Oktober–Desember 2022" ("" = whole year);
    period_note: why (AgencyYear.data_note)."""
    return {
        "available": found.available,
        "complete": found.complete,
        "absent": [{"code": c, "kind": k, "name": n} for c, k, n in found.absent],
        "empty": [{"code": c, "kind": k, "name": n} for c, k, n in found.empty],
        "months": {"from": found.from_month, "to": found.to_month},
        "period": calc.period_label(found.from_month, found.to_month, found.year),
        "period_note": found.period_note,
    }


def _benchmarks(measurement: Measurement) -> list[dict[str, Any]]:
    """The kabupaten/kota, provinsi and nasional comparison, one table per indicator that has
    any benchmark (whatever its state: Tangerang's TPT and TPAK have no target and are listed).

    Each: code, name, unit, polarity, state, scopes (the columns: [{code, label}] in the order
    kabupaten/kota, provinsi, nasional, only those present), rows (one per year, oldest first:
    {year, own (the agency's realisasi that year, None when not recorded), values: {scope:
    {value (None: not published), source, note}}}), sources (distinct, in order)."""
    order = [Benchmark.Scope.CITY.value, Benchmark.Scope.PROVINCE.value, Benchmark.Scope.NATIONAL.value]
    labels = dict(Benchmark.Scope.choices)
    tables = []
    for figure in measurement.indicators:
        if not figure.benchmarks:
            continue
        own = {p.year: p.value for p in figure.history}
        own[measurement.year] = figure.year_value.value
        scopes = sorted({b.scope for b in figure.benchmarks}, key=order.index)
        by_year: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
        for b in figure.benchmarks:
            by_year[b.year][b.scope] = {"value": as_stored(b.value), "source": b.source, "note": b.note}
        sources = list(dict.fromkeys(b.source for b in figure.benchmarks if b.source))
        tables.append({
            "code": figure.code,
            "name": figure.indicator.name,
            "unit": figure.indicator.unit,
            "polarity": figure.indicator.polarity,
            "state": figure.state.value,
            "scopes": [{"code": scope, "label": str(labels[scope])} for scope in scopes],
            "rows": [{"year": y, "own": as_stored(own.get(y)), "values": by_year[y]} for y in sorted(by_year)],
            "sources": sources,
        })
    return tables


def derived_part(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The derived figures of a snapshot (format 4 stores them under "derived"), from its own
    measurement and budget parts: what the renderer uses for an older snapshot too. Not part of
    DATA_KEYS or REVIEWED_KEYS: it follows from them."""
    return {
        "measurement": measurement_figures(snapshot.get("measurement") or {}),
        "budget": budget_figures(snapshot.get("budget") or {}),
        "staff": staff_figures(snapshot.get("staff") or {}),
    }


def _plan(measurement: Measurement) -> dict[str, Any]:
    plan = measurement.plan
    if plan is None:
        return {"start": None, "end": None, "vision": "", "nodes": [], "indicators": []}
    nodes = list(PlanNode.objects.filter(plan=plan).select_related("parent").order_by("order", "pk"))
    targets: dict[int, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    end_values: dict[int, dict[str, str]] = defaultdict(dict)
    for t in Target.objects.filter(indicator__plan=plan, document="renstra").select_related("indicator"):
        targets[t.indicator_id][t.version][str(t.year)] = str(t.value)
        if t.end_value is not None:
            end_values[t.indicator_id][t.version] = str(t.end_value)
    indicators = []
    for indicator in plan.indicators.select_related("owner_node", "owner_budget_item").order_by("order", "pk"):
        owner = indicator.owner_node or indicator.owner_budget_item
        indicators.append(
            {
                "code": indicator.code,
                "name": indicator.name,
                "unit": indicator.unit,
                "polarity": indicator.polarity,
                "aggregation": indicator.aggregation,
                "tags": indicator.tags,
                "definition": indicator.definition,
                "data_source": indicator.data_source,
                "responsible": indicator.responsible,
                "baseline_year": indicator.baseline_year,
                "baseline": as_stored(indicator.baseline),
                "owner_code": owner.code,
                "owner_kind": owner.kind,
                "renstra_targets": dict(targets[indicator.pk].get("murni", {})),
                "renstra_targets_revised": dict(targets[indicator.pk].get("perubahan", {})),
                "end_target": end_values[indicator.pk].get("perubahan", end_values[indicator.pk].get("murni")),
            }
        )
    return {
        "start": plan.start_year,
        "end": plan.end_year,
        "vision": plan.vision,
        "nodes": [
            {"code": n.code, "kind": n.kind, "parent": n.parent.code if n.parent else None, "text": n.text}
            for n in nodes
        ],
        "indicators": indicators,
    }


def _agreements(agency: Agency, year: int) -> list[dict[str, Any]]:
    """The PK versions the document prints: every approved one (the murni and each approved
    perubahan), as frozen at approval; without any, the latest version as it stands, marked
    not approved. Each is the version's own contents (rows, program budget, signatories)."""
    versions = list(
        PerformanceAgreement.objects.filter(agency=agency, year=year)
        .select_related("agency", "status_changed_by")
        .order_by("number")
    )
    approved = [a for a in versions if a.is_locked]
    return [_agreement(a) for a in (approved or versions[-1:])]


def _agreement(agreement: PerformanceAgreement) -> dict[str, Any]:
    approved = agreement.is_locked
    when = agreement.status_changed_at if approved else None
    by = agreement.status_changed_by if approved else None
    return {
        **shown_contents(agreement),
        "number": agreement.number,
        "status": agreement.status,
        "status_label": agreement.get_status_display(),
        "approved": approved,
        "approved_on": timezone.localtime(when).date().isoformat() if when else None,
        "approved_by": (by.full_name or by.get_full_name() or by.get_username()) if by else "",
        "frozen_sha256": agreement.frozen_sha256 if approved else "",
    }


def _indicator(figure: IndicatorFigures) -> dict[str, Any]:
    indicator = figure.indicator
    # The components behind the year's value: the annual entry, else the latest quarter's.
    latest = figure.annual or next((q for q in reversed(figure.quarters) if q is not None), None)
    return {
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "polarity": indicator.polarity,
        "aggregation": indicator.aggregation,
        "definition": indicator.definition,
        "data_source": indicator.data_source,
        "tags": indicator.tags,
        "target": as_stored(figure.target.value) if figure.target else None,
        "target_document": figure.target.label if figure.target else None,
        "target_quarters": [as_stored(q) for q in figure.target.quarters] if figure.target else [None] * 4,
        "other_targets": [
            {"document": t.label, "value": str(t.value), "achievement": _result(t.achievement)}
            for t in figure.other_targets
        ],
        "quarters": [as_stored(q.value) if q else None for q in figure.quarters],
        "actual": as_stored(figure.year_value.value),
        "actual_complete": figure.year_value.complete,
        "provisional": figure.provisional,
        "achievement": _result(figure.achievement),
        # state: terukur, tanpa_target, belum_ada_realisasi, tanpa_target_dan_realisasi,
        # tidak_dapat_dihitung (calculations.IndicatorState); only a measured one enters averages.
        "state": figure.state.value,
        "state_label": calc.STATE_LABEL[figure.state],
        "not_available_reason": figure.not_available_reason if figure.achievement.value is None else "",
        "rating": figure.rating,
        "met": figure.met,
        "end_target": as_stored(figure.end_target),
        "end_achievement": _result(figure.end_achievement),
        # What remains to the end target in the indicator's unit (≥ 0), the direction it has to
        # move ("naik"/"turun": a lower-is-better indicator has to fall), and whether it is reached.
        "end_remaining": as_stored(figure.end_gap.remaining),
        "end_direction": figure.end_gap.direction,
        "end_reached": figure.end_gap.reached,
        "history": [
            {
                "year": point.year,
                "value": as_stored(point.value),
                "target": as_stored(point.target.value) if point.target else None,
                "target_document": point.target.label if point.target else None,
                "achievement": _result(point.target.achievement) if point.target else None,
                # The year's value does not cover the year: what is missing (Indonesian phrases).
                "complete": point.complete,
                "missing": list(point.missing),
            }
            for point in figure.history
        ],
        "numerator": as_stored(latest.numerator) if latest else None,
        "denominator": as_stored(latest.denominator) if latest else None,
        "benchmarks": [
            {"year": b.year, "scope": b.scope, "scope_label": b.get_scope_display(), "value": as_stored(b.value),
             "source": b.source, "note": b.note}
            for b in figure.benchmarks
        ],
        "narratives": figure.narratives,
    }


def _measurement(measurement: Measurement, counts: dict[str, Any]) -> dict[str, Any]:
    groups = [
        {
            "code": group.code,
            "kind": group.kind,
            "kind_code": group.kind_code,
            "strategic": group.is_strategic,
            "label": group.label,
            "achievement": _result(group.achievement),
            "rating": group.rating,
            "indicators": [_indicator(f) for f in group.indicators],
        }
        for group in measurement.groups
    ]
    figures = measurement.indicators
    best, weakest = best_and_weakest((f.code, f.achievement.value) for f in figures)
    return {
        "groups": groups,
        # The same numbers as the snapshot's "counts" (report_counts), kept here for older readers.
        "counts": {
            "objectives": counts["groups"]["strategic"],
            "indicators": counts["indicators"]["total"],
            "measured": counts["indicators"]["measured"],
            "met": counts["indicators"]["met"],
            "by_rating": measurement.rating_counts(),
        },
        "weakest": weakest,
        "best": best,
    }


def _budget_totals(budget: BudgetSummary) -> dict[str, Any]:
    return {
        "year": budget.year,
        "ceiling_original": as_stored(budget.ceiling_original),
        "ceiling": as_stored(budget.ceiling),
        "spent": as_stored(budget.spent),
        "spent_quarters": [as_stored(q) for q in budget.spent_quarters],
        "absorption": _result(budget.absorption),
        "empty": budget.is_empty,
    }


def _budget(budget: BudgetSummary) -> dict[str, Any]:
    return {
        **_budget_totals(budget),
        "rows": [
            {
                "code": node.code,
                "kind": node.item.kind,
                "name": node.item.name,
                "depth": depth,
                "objective": node.item.objective.code if node.item.objective else None,
                "ceiling_original": as_stored(node.ceiling_original),
                "ceiling": as_stored(node.ceiling),
                "revised": node.revised,
                "spent": as_stored(node.spent),
                "absorption": _result(node.absorption),
                "funding": sorted(node.funding_sources),
                "over_ceiling": node.over_ceiling,
            }
            for depth, node in budget.rows()
        ],
    }


def budget_data(budget: BudgetSummary) -> dict[str, Any]:
    """The budget tree with absorption, as the document (and the API) show it."""
    return _budget(budget)


def _efficiency(measurement: Measurement, budget: BudgetSummary) -> list[dict[str, Any]]:
    """Per sasaran (or tujuan): capaian kinerja against the absorption of the programs that
    support it (performance.measurement.efficiency_lines). The rule is capaian − serapan in
    percentage points (stated in the report), and never "efficient" where an activity did not run.

    Per row: difference (capaian − serapan, always computed), gap (the difference the table
    prints; None where a supporting program or kegiatan did not run, since money left unspent by
    an activity that did not happen is no saving), verdict (efisien, tidak_efisien,
    tidak_dilaksanakan, sebagian_tidak_dilaksanakan, belum_dapat_dinilai) with verdict_label,
    and programs: each program's own line (pagu, realisasi, serapan, its indicator capaian, the
    same fields) with not_run (why the whole program did not run, "" if it ran) and
    activities_not_run ([{code, kind, name, reason}] of its kegiatan/sub kegiatan)."""
    return [_efficiency_row(line) for line in efficiency_lines(measurement, budget)]


def _efficiency_row(line: EfficiencyLine) -> dict[str, Any]:
    group = line.group
    return {
        "code": group.code,
        "label": group.label,
        "programs": [_efficiency_program(p) for p in line.programs],
        "achievement": _result(group.achievement),
        "ceiling": as_stored(line.ceiling),
        "spent": as_stored(line.spent),
        "absorption": _result(line.absorption),
        "gap": as_stored(line.gap),
        "difference": as_stored(line.difference),
        "verdict": line.verdict.value,
        "verdict_label": calc.VERDICT_LABEL[line.verdict],
    }


def _efficiency_program(run: ProgramRun) -> dict[str, Any]:
    return {
        "code": run.code,
        "name": run.name,
        "ceiling": as_stored(run.ceiling),
        "spent": as_stored(run.spent),
        "absorption": _result(run.absorption),
        "achievement": _result(run.achievement),
        "difference": as_stored(run.difference),
        "verdict": run.verdict.value,
        "verdict_label": calc.VERDICT_LABEL[run.verdict],
        "not_run": run.not_run,
        "activities_not_run": [
            {"code": n.code, "kind": n.kind, "name": n.name, "reason": n.reason} for n in run.activities_not_run
        ],
    }


def _staff(agency: Agency, year: int) -> dict[str, list[dict[str, Any]]]:
    tables: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for count in StaffCount.objects.filter(agency=agency, year=year).order_by("order", "pk"):
        tables[count.dimension][count.category][count.status] = count.count
    return {
        dimension: [{"category": category, "counts": counts} for category, counts in rows.items()]
        for dimension, rows in tables.items()
    }
