"""Reading evaluations: one agency's, with everything `evaluation_data` needs in a fixed number
of queries, and `evaluation_data` itself, the plain-dict form the LKjIP snapshot, the pages and
the REST API share (decimals as full-precision strings, nothing rounded, no ORM objects)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet

from agencies.models import Agency
from lkjip.numbers import as_stored

from . import calculations as calc
from .models import Evaluation, EvaluationBand, EvaluationComponent, EvaluationScore


def evaluations_of(*, agency: Agency, years: Iterable[int] | None = None) -> QuerySet[Evaluation]:
    """The agency's evaluations (of the evaluated years given), newest first, prefetched: four
    queries however many evaluations, components and bands."""
    found = Evaluation.objects.filter(agency=agency)
    if years is not None:
        found = found.filter(evaluated_year__in=list(years))
    return with_details(found).order_by("-evaluated_year")


def with_details(queryset: QuerySet[Evaluation]) -> QuerySet[Evaluation]:
    """What `evaluation_data` reads, prefetched: four queries however many rows."""
    return queryset.select_related("agency", "framework").prefetch_related(
        Prefetch("framework__components", queryset=EvaluationComponent.objects.order_by("order", "code")),
        Prefetch("framework__bands", queryset=EvaluationBand.objects.order_by("order")),
        Prefetch("scores", queryset=EvaluationScore.objects.select_related("component")),
    )


def evaluation_data(evaluation: Evaluation) -> dict[str, Any]:
    """The evaluation as data: header, components (weight, value), the computed total and
    predikat, what the source printed and whether it differs. Use with `evaluations_of` so the
    related rows are prefetched."""
    framework = evaluation.framework
    components = list(framework.components.all()) if framework else []
    bands = list(framework.bands.all()) if framework else []
    values = {s.component.code: s.value for s in evaluation.scores.all()}
    total = calc.total(values)
    band = calc.predikat(total, [b.as_band() for b in bands])
    meaning = next((b.meaning for b in bands if band and b.label == band.label), "")
    predikat = {"label": band.label, "meaning": meaning, "range": band.describe()} if band else None
    printed_predikat = evaluation.printed_predikat
    return {
        "agency": evaluation.agency.code,
        "evaluated_year": evaluation.evaluated_year,
        "follow_up_year": evaluation.follow_up_year,
        "evaluator": evaluation.evaluator,
        "lhe_number": evaluation.lhe_number,
        "lhe_date": evaluation.lhe_date.isoformat() if evaluation.lhe_date else None,
        "framework": {"name": framework.name, "valid_from": framework.valid_from} if framework else None,
        "components": [
            {"code": c.code, "name": c.name, "weight": as_stored(c.weight), "value": as_stored(values.get(c.code))}
            for c in components
        ],
        "bands": [{"label": b.label, "meaning": b.meaning, "range": b.as_band().describe()} for b in bands],
        "scored": bool(values),
        "total": as_stored(total),
        "predikat": predikat,
        "printed_total": as_stored(evaluation.printed_total),
        "printed_predikat": printed_predikat,
        "printed_source": evaluation.printed_source,
        "total_differs": calc.differs(evaluation.printed_total, total),
        "predikat_differs": bool(printed_predikat and predikat and printed_predikat != predikat["label"]),
        "note": evaluation.note,
    }
