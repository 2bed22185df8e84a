"""Everything one LKjIP document shows, gathered from the records into one JSON-able dict.

The document is rendered from this snapshot only, never from live queries, so a stored
snapshot reproduces its PDF and two versions can be compared figure by figure. Numbers
are strings with full precision (Decimal → str); nothing is rounded here.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from agencies.locks import agency_lock
from agencies.models import Agency, AgencyYear, StaffCount
from budget.summary import BudgetSummary, budget_summary
from evaluations.selectors import evaluation_data, evaluations_of
from performance import calculations as calc
from performance.agreements import shown_contents
from performance.measurement import IndicatorFigures, Measurement, measure
from performance.models import Narrative, PerformanceAgreement, PlanNode, Recommendation, Target
from performance.narrative_figures import narrative_figures_for
from performance.placeholders import Values, resolve

from .findings import agency_findings
from .variants import variant_for

# 2: history targets, pembilang/penyebut, group kind codes
# 3: agreements are the PK versions the document prints (performance.agreements.shown_contents:
#    frozen contents of approved versions, own program budget), with approval; agreement_notice
SNAPSHOT_FORMAT = 3
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
CONTACT_FIELDS = ("address", "phone", "email", "website")
# The optional key "evaluations" (present only when there is an LHE to print) needs no new format:
# a snapshot without it renders as before.
EVALUATION_YEARS = 5  # how many earlier LKjIP years of LHE results the document's trend shows


def _n(value: Decimal | int | None) -> str | None:
    return None if value is None else str(value)


def _result(result: calc.Result) -> dict[str, Any]:
    return {"value": _n(result.value), "reason": result.reason}


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
    # The latest Pernyataan Telah Direviu of the agency and year, printed after BAB IV. Only when
    # there is one: a snapshot without the key is "no statement", so earlier versions (and years
    # without a reviu) keep their hash and render byte for byte as before. Last, so that whether
    # the reviewed content changed is judged on everything else the snapshot holds.
    from reviews.selectors import statement_for_snapshot

    review = statement_for_snapshot(agency=agency, year=year, snapshot=snapshot)
    if review is not None:
        snapshot["review"] = review
    return snapshot


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
        "measurement": _measurement(measurement),
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
    return {
        "name": measurement.scale.name if measurement.scale else None,
        "bands": [
            {"label": b.label, "range": b.describe(), "lower": _n(b.lower), "upper": _n(b.upper)}
            for b in measurement.bands
        ],
        "objective_method": measurement.method,
        "objective_cap": _n(measurement.cap),
    }


def _base_snapshot(*, agency: Agency, year: int) -> dict[str, Any]:
    measurement = measure(agency=agency, year=year)
    budget = budget_summary(agency=agency, year=year)
    data = _data_part(agency, year, measurement, budget)
    plan = measurement.plan
    figures = narrative_figures_for(agency=agency, year=year, measurement=measurement, budget=budget)
    profile = AgencyYear.objects.filter(agency=agency, year=year).first() or AgencyYear(agency=agency, year=year)
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
        "budget_previous": _budget_totals(budget_summary(agency=agency, year=year - 1)),
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
            for f in agency_findings(measurement=measurement, budget=budget, narrative_figures=figures)
        ],
        "has_plan": plan is not None,
    }
    _resolve_narratives(snapshot, figures.values)
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
                "baseline": _n(indicator.baseline),
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
        "target": _n(figure.target.value) if figure.target else None,
        "target_document": figure.target.label if figure.target else None,
        "target_quarters": [_n(q) for q in figure.target.quarters] if figure.target else [None] * 4,
        "other_targets": [
            {"document": t.label, "value": str(t.value), "achievement": _result(t.achievement)}
            for t in figure.other_targets
        ],
        "quarters": [_n(q.value) if q else None for q in figure.quarters],
        "actual": _n(figure.year_value.value),
        "actual_complete": figure.year_value.complete,
        "provisional": figure.provisional,
        "achievement": _result(figure.achievement),
        "not_available_reason": figure.not_available_reason if figure.achievement.value is None else "",
        "rating": figure.rating,
        "met": figure.met,
        "end_target": _n(figure.end_target),
        "end_achievement": _result(figure.end_achievement),
        "history": [
            {
                "year": point.year,
                "value": _n(point.value),
                "target": _n(point.target.value) if point.target else None,
                "target_document": point.target.label if point.target else None,
                "achievement": _result(point.target.achievement) if point.target else None,
            }
            for point in figure.history
        ],
        "numerator": _n(latest.numerator) if latest else None,
        "denominator": _n(latest.denominator) if latest else None,
        "benchmarks": [
            {"year": b.year, "scope": b.scope, "scope_label": b.get_scope_display(), "value": _n(b.value),
             "source": b.source, "note": b.note}
            for b in figure.benchmarks
        ],
        "narratives": figure.narratives,
    }


def _measurement(measurement: Measurement) -> dict[str, Any]:
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
    available = [f for f in figures if f.achievement.value is not None]
    ranked = sorted(available, key=lambda f: f.achievement.value)
    # With few indicators the best and the weakest would be the same ones: split them instead.
    shown = min(3, len(ranked) // 2)
    return {
        "groups": groups,
        "counts": {
            "objectives": sum(1 for g in measurement.groups if g.is_strategic),
            "indicators": len(figures),
            "measured": len(available),
            "met": sum(1 for f in available if f.met),
            "by_rating": measurement.rating_counts(),
        },
        "weakest": [f.code for f in ranked[:shown]],
        "best": [f.code for f in reversed(ranked[len(ranked) - shown:])],
    }


def _budget_totals(budget: BudgetSummary) -> dict[str, Any]:
    return {
        "year": budget.year,
        "ceiling_original": _n(budget.ceiling_original),
        "ceiling": _n(budget.ceiling),
        "spent": _n(budget.spent),
        "spent_quarters": [_n(q) for q in budget.spent_quarters],
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
                "ceiling_original": _n(node.ceiling_original),
                "ceiling": _n(node.ceiling),
                "revised": node.revised,
                "spent": _n(node.spent),
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
    support it. The rule is capaian − serapan in percentage points (stated in the report)."""
    by_objective: dict[str, list] = defaultdict(list)
    for program in budget.programs:
        if program.item.objective is not None:
            by_objective[program.item.objective.code].append(program)
    rows = []
    for group in measurement.groups:
        programs = by_objective.get(group.code)
        if not programs:
            continue
        ceiling = sum((p.ceiling for p in programs), Decimal(0))
        spent = sum((p.spent for p in programs), Decimal(0))
        absorption = calc.absorption(spent, ceiling)
        rows.append(
            {
                "code": group.code,
                "label": group.label,
                "programs": [{"code": p.code, "name": p.item.name} for p in programs],
                "achievement": _result(group.achievement),
                "ceiling": _n(ceiling),
                "spent": _n(spent),
                "absorption": _result(absorption),
                "gap": _n(calc.efficiency_gap(group.achievement.value, absorption.value)),
            }
        )
    return rows


def _staff(agency: Agency, year: int) -> dict[str, list[dict[str, Any]]]:
    tables: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for count in StaffCount.objects.filter(agency=agency, year=year).order_by("order", "pk"):
        tables[count.dimension][count.category][count.status] = count.count
    return {
        dimension: [{"category": category, "counts": counts} for category, counts in rows.items()]
        for dimension, rows in tables.items()
    }
