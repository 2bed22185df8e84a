"""The measurement table (pengukuran kinerja) of one agency and year, from records.

Reads everything it needs in a fixed number of queries, then hands the numbers to the
pure engine in calculations.py. Nothing here rounds; display code does.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, F, OuterRef

from agencies.models import Agency
from evidence.models import Evidence
from lkjip.numbers import as_shown

from . import calculations as calc
from .agreements import YearState, counting_versions, year_state
from .models import (
    Benchmark,
    Indicator,
    Narrative,
    PerformanceAgreement,
    PlanNode,
    RatingScale,
    Realization,
    StrategicPlan,
    Target,
)

DOCUMENT_LABEL = {
    ("pk", "perubahan"): "PK Perubahan",
    ("pk", "murni"): "PK",
    ("renstra", "perubahan"): "Renstra Perubahan",
    ("renstra", "murni"): "Renstra",
    ("iku", "murni"): "IKU",
    ("renja", "murni"): "Renja",
}


@dataclass
class TargetFigure:
    document: str
    version: str
    value: Decimal
    achievement: calc.Result
    quarters: list[Decimal | None]
    number: int = 0  # the PK version, for an amendment after the first
    reason: str = ""  # why this (PK) target differs from the Renstra, as recorded
    superseded: bool = False  # an earlier approved PK version's: shown, never the one that counts

    @property
    def label(self) -> str:
        if self.document == "pk" and self.number > 1:
            return f"PK Perubahan ke-{self.number}"
        return DOCUMENT_LABEL[(self.document, self.version)]

    @property
    def key(self) -> tuple[str, str]:
        return (self.document, self.version)


@dataclass(frozen=True)
class HistoryPoint:
    """An earlier year's realisasi with the target that counted that year, if any."""

    year: int
    value: Decimal | None
    target: TargetFigure | None


@dataclass
class IndicatorFigures:
    indicator: Indicator
    target: TargetFigure | None  # the authoritative one
    other_targets: list[TargetFigure]
    end_target: Decimal | None
    quarters: list[Realization | None]
    annual: Realization | None
    year_value: calc.QuarterTotal
    achievement: calc.Result
    rating: str | None
    history: list[HistoryPoint]  # earlier years, oldest first
    benchmarks: list[Benchmark]
    narratives: dict[str, str]

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def provisional(self) -> bool:
        entries = [self.annual] if self.annual else [q for q in self.quarters if q]
        return any(e.status == Realization.Status.PROVISIONAL for e in entries)

    @property
    def not_available_reason(self) -> str:
        entries = [self.annual] if self.annual else [q for q in self.quarters if q]
        notes = [e.note for e in entries if e.status == Realization.Status.NOT_AVAILABLE and e.note]
        return notes[-1] if notes else self.achievement.reason

    @property
    def met(self) -> bool:
        """Target met (capaian ≥ 100 % as printed)."""
        shown = as_shown(self.achievement.value)
        return shown is not None and shown >= 100

    @property
    def end_achievement(self) -> calc.Result:
        """Progress toward the Renstra end target."""
        return calc.achievement(self.end_target, self.year_value.value, self.indicator.polarity)


@dataclass
class GroupFigures:
    """A tujuan/sasaran (or a program, kegiatan, sub kegiatan) with its indicators."""

    label: str
    kind: str  # display label, e.g. "Sasaran"
    code: str
    indicators: list[IndicatorFigures]
    achievement: calc.Result
    rating: str | None
    kind_code: str = ""  # misi/tujuan/sasaran or program/kegiatan/subkegiatan

    @property
    def is_strategic(self) -> bool:
        """A tujuan or sasaran of the Renstra, as opposed to a program, kegiatan or sub kegiatan."""
        return self.kind_code in ("tujuan", "sasaran")


@dataclass
class Measurement:
    agency: Agency
    year: int
    plan: StrategicPlan | None
    scale: RatingScale | None
    bands: list[calc.Band]
    method: str
    cap: Decimal | None
    groups: list[GroupFigures] = field(default_factory=list)
    agreement_state: YearState | None = None  # the year's PK: which version counts, approved or not

    @property
    def indicators(self) -> list[IndicatorFigures]:
        return [figure for group in self.groups for figure in group.indicators]

    def get(self, code: str) -> IndicatorFigures:
        return next(f for f in self.indicators if f.code == code)

    def rating_counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for figure in self.indicators:
            counts[figure.rating or "Belum dapat dinilai"] += 1
        return dict(counts)


def scale_for(agency: Agency, year: int) -> RatingScale | None:
    """The agency's own scale in force that year, else its Pemda's."""
    own = RatingScale.objects.filter(agency=agency, valid_from__lte=year).order_by("-valid_from").first()
    if own is not None:
        return own
    return (
        RatingScale.objects.filter(government_id=agency.government_id, valid_from__lte=year)
        .order_by("-valid_from")
        .first()
    )


def plan_for(agency: Agency, year: int) -> StrategicPlan | None:
    return (
        StrategicPlan.objects.filter(agency=agency, start_year__lte=year, end_year__gte=year)
        .order_by("-start_year")
        .first()
    )


def _counting_targets(
    agency: Agency, year: int, on: datetime.date | None
) -> tuple[YearState, set[int], set[int], dict[int, int]]:
    """Which PK versions count in each year up to `year` (the approved ones in force; see
    agreements.counting_versions) and, of those, the latest, which alone is authoritative; the
    state of `year`'s PK; each version's number."""
    by_year: dict[int, list[PerformanceAgreement]] = defaultdict(list)
    for agreement in PerformanceAgreement.objects.filter(agency=agency, year__lte=year):
        by_year[agreement.year].append(agreement)
    counting: set[int] = set()
    latest: set[int] = set()
    for y, versions in by_year.items():
        found = counting_versions(sorted(versions, key=lambda a: a.number),
                                  on if y == year and on else datetime.date(y, 12, 31))
        counting |= {a.pk for a in found}
        latest |= {found[-1].pk} if found else set()
    numbers = {a.pk: a.number for versions in by_year.values() for a in versions}
    state = year_state(agency=agency, year=year, on=on, agreements=by_year.get(year, []))
    return state, counting, latest, numbers


def measure(
    *, agency: Agency, year: int, plan: StrategicPlan | None = None, on: datetime.date | None = None
) -> Measurement:
    """Every indicator measured in the year (it has a target or a realisasi for it), grouped
    by its owner, with capaian against the authoritative target and against every other.

    The plan defaults to the Renstra covering the year; pass the report year's plan to
    measure an earlier year of its indicators (e.g. 2018 values of a 2019-2023 Renstra).
    The PK targets are those of the latest approved version in force on `on` (default: the
    year's end), e.g. a quarter's end for the quarter's page.
    """
    plan = plan or plan_for(agency, year)
    scale = scale_for(agency, year)
    bands = list(scale.band_list()) if scale else []
    method = scale.objective_method if scale else calc.ObjectiveMethod.MEAN.value
    cap = scale.objective_cap if scale else None
    result = Measurement(agency, year, plan, scale, bands, method, cap)
    state, counting, latest, numbers = _counting_targets(agency, year, on)
    result.agreement_state = state
    if plan is None:
        return result

    indicators = list(
        Indicator.objects.filter(plan=plan).select_related("owner_node", "owner_budget_item").order_by("order", "pk")
    )
    targets: dict[int, list[Target]] = defaultdict(list)
    past_targets: dict[int, dict[int, list[Target]]] = defaultdict(lambda: defaultdict(list))
    end_targets: dict[int, dict[str, Decimal]] = defaultdict(dict)
    # A year's PK targets count from its latest version in force; an earlier approved version's
    # are shown beside them (superseded), so an indicator the amendment dropped is measured
    # against its other documents, with the superseded PK target as a reference.
    plan_targets = []
    for target in Target.objects.filter(indicator__plan=plan):
        if target.agreement_id is None:
            plan_targets.append(target)
        elif target.agreement_id in counting:
            target.number = numbers[target.agreement_id]
            target.superseded = target.agreement_id not in latest
            plan_targets.append(target)
    for target in plan_targets:
        if target.year == year:
            targets[target.indicator_id].append(target)
        elif target.year < year:
            past_targets[target.indicator_id][target.year].append(target)
        if target.end_value is not None:
            # The revised Renstra's end target wins over the original's; the latest year row wins.
            end_targets[target.indicator_id][target.version] = target.end_value
    realizations: dict[int, dict[int, dict[int | None, Realization]]] = defaultdict(lambda: defaultdict(dict))
    # Whether an entry has evidence (bukti dukung) rides along in the same query: the findings
    # count an entry with a file as sourced.
    has_evidence = Exists(Evidence.objects.filter(realization=OuterRef("pk")))
    for entry in Realization.objects.filter(indicator__plan=plan, year__lte=year).annotate(has_evidence=has_evidence):
        realizations[entry.indicator_id][entry.year][entry.quarter] = entry
    benchmarks: dict[int, list[Benchmark]] = defaultdict(list)
    for benchmark in Benchmark.objects.filter(indicator__plan=plan, year__lte=year).order_by("year", "scope"):
        benchmarks[benchmark.indicator_id].append(benchmark)
    narratives: dict[int, dict[str, str]] = defaultdict(dict)
    # The year's own text wins; without one, the latest quarter's explanation (entered with the
    # realisasi) is what the report says about the indicator.
    for narrative in Narrative.objects.filter(agency=agency, year=year, indicator__isnull=False).order_by(
        F("quarter").asc(nulls_last=True)
    ):
        narratives[narrative.indicator_id][narrative.section] = narrative.text

    figures = []
    for indicator in indicators:
        this_year = realizations[indicator.pk].get(year, {})
        if not targets[indicator.pk] and not this_year:
            continue
        figures.append(
            _figures(indicator, targets[indicator.pk], end_targets[indicator.pk], realizations[indicator.pk], year,
                     bands, benchmarks[indicator.pk], narratives[indicator.pk], past_targets[indicator.pk])
        )
    result.groups = _group(figures, plan, method, cap, bands)
    return result


def _figures(
    indicator: Indicator,
    targets: list[Target],
    end_targets: dict[str, Decimal],
    by_year: dict[int, dict[int | None, Realization]],
    year: int,
    bands: list[calc.Band],
    benchmarks: list[Benchmark],
    narratives: dict[str, str],
    past_targets: dict[int, list[Target]],
) -> IndicatorFigures:
    entries = by_year.get(year, {})
    quarters = [entries.get(q) for q in (1, 2, 3, 4)]
    annual = entries.get(None)
    total = calc.year_value(
        annual.value if annual else None, [q.value if q else None for q in quarters], indicator.aggregation
    )
    main, others = _targets_against(targets, total.value, indicator.polarity)
    achievement = main.achievement if main else calc.Result(None, calc.REASON_NO_TARGET)
    history = []
    for past in sorted(y for y in by_year if y < year):
        past_entries = by_year[past]
        past_annual = past_entries.get(None)
        past_total = calc.year_value(
            past_annual.value if past_annual else None,
            [past_entries[q].value if q in past_entries else None for q in (1, 2, 3, 4)],
            indicator.aggregation,
        )
        past_main, _ = _targets_against(past_targets.get(past, []), past_total.value, indicator.polarity)
        history.append(HistoryPoint(past, past_total.value, past_main))
    return IndicatorFigures(
        indicator=indicator,
        target=main,
        other_targets=others,
        end_target=end_targets.get("perubahan", end_targets.get("murni")),
        quarters=quarters,
        annual=annual,
        year_value=total,
        achievement=achievement,
        rating=calc.rate(as_shown(achievement.value), bands) if bands else None,
        history=history,
        benchmarks=benchmarks,
        narratives=narratives,
    )


def _targets_against(
    targets: list[Target], actual: Decimal | None, polarity: str
) -> tuple[TargetFigure | None, list[TargetFigure]]:
    """The authoritative target's figure and the others', each with its capaian."""
    figures = [
        TargetFigure(t.document, t.version, t.value, calc.achievement(t.value, actual, polarity), t.quarters,
                     getattr(t, "number", 0), t.reason, getattr(t, "superseded", False))
        for t in targets
    ]
    key = calc.authoritative_key(t.key for t in figures if not t.superseded)
    main = next((t for t in figures if t.key == key and not t.superseded), None)
    others = sorted((t for t in figures if t is not main),
                    key=lambda t: (calc.TARGET_PRIORITY.index(t.key), -t.number))
    return main, others


def _group(
    figures: list[IndicatorFigures], plan: StrategicPlan, method: str, cap: Decimal | None, bands: list[calc.Band]
) -> list[GroupFigures]:
    nodes = {node.pk: node for node in PlanNode.objects.filter(plan=plan)}
    by_owner: dict[tuple[str, int], list[IndicatorFigures]] = defaultdict(list)
    for figure in figures:
        indicator = figure.indicator
        owner = ("node", indicator.owner_node_id) if indicator.owner_node_id else ("item", indicator.owner_budget_item_id)
        by_owner[owner].append(figure)

    def sort_key(owner: tuple[str, int]) -> tuple:
        if owner[0] == "node":
            return (0, nodes[owner[1]].order)
        return (1, by_owner[owner][0].indicator.owner_budget_item.code)

    groups = []
    for owner in sorted(by_owner, key=sort_key):
        members = by_owner[owner]
        aggregate = calc.objective_achievement([m.achievement.value for m in members], method, cap)
        if owner[0] == "node":
            node = nodes[owner[1]]
            label, kind, code, kind_code = node.text, node.get_kind_display(), node.code, node.kind
        else:
            item = members[0].indicator.owner_budget_item
            label, kind, code, kind_code = item.name, item.get_kind_display(), item.code, item.kind
        groups.append(
            GroupFigures(label, kind, code, members, aggregate, calc.rate(as_shown(aggregate.value), bands) if bands else None,
                         kind_code)
        )
    return groups


_STORED = object()


def quarter_figures(
    *, figures: IndicatorFigures, quarter: int, value: Decimal | None | object = _STORED
) -> calc.QuarterAchievement:
    """Capaian to date at TW `quarter` of one indicator, from its recorded quarters, or with
    `value` in place of that quarter's (the live preview of a value being typed)."""
    values = [q.value if q else None for q in figures.quarters]
    if value is not _STORED:
        values[quarter - 1] = value  # type: ignore[assignment]
    target = figures.target
    return calc.quarter_achievement(
        quarters=values,
        quarter=quarter,
        method=figures.indicator.aggregation,
        polarity=figures.indicator.polarity,
        annual_target=target.value if target else None,
        quarter_target=_target_to_date(target.quarters, quarter, figures.indicator.aggregation) if target else None,
    )


def _target_to_date(quarters: list[Decimal | None], quarter: int, method: str) -> Decimal | None:
    """The Rencana Aksi target up to TW `quarter`, combined by the indicator's rule like the
    realisasi (a cumulative indicator's quarter targets add up; agreements.quarter_targets_warning)."""
    if quarters[quarter - 1] is None:
        return None
    return calc.quarter_to_date(quarters, quarter, method).value
