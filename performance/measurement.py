"""The measurement table (pengukuran kinerja) of one agency and year, from records.

Reads everything it needs in a fixed number of queries, then hands the numbers to the
pure engine in calculations.py. Nothing here rounds; display code does.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef

from agencies.models import Agency, AgencyYear
from budget.models import BudgetItem
from budget.summary import BudgetNode, BudgetSummary
from evidence.models import Evidence
from lkjip.numbers import as_shown, format_id

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
    """An earlier year's realisasi with the target that counted that year, if any.

    complete: the year's value covers the year (every quarter its aggregation needs, and the
    agency's records cover all twelve months); missing says what is not there, in Indonesian.
    """

    year: int
    value: Decimal | None
    target: TargetFigure | None
    complete: bool = True
    missing: tuple[str, ...] = ()


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

    @property
    def end_gap(self) -> calc.EndGap:
        """What remains to the Renstra end target, in the indicator's unit and direction."""
        return calc.end_gap(self.end_target, self.year_value.value, self.indicator.polarity)

    @property
    def has_target(self) -> bool:
        return self.target is not None or bool(self.other_targets)

    @property
    def state(self) -> calc.IndicatorState:
        """Measured, or why not (no target, no realisasi, neither): an indicator is listed
        whatever its state, and only a measured one enters an average."""
        return calc.indicator_state(has_target=self.has_target, has_actual=self.year_value.value is not None,
                                    measured=self.achievement.value is not None)


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
    # No scale of the agency or its Pemda: rated on calculations.DEFAULT_BANDS (Permendagri 86/2017).
    scale_default: bool = False
    cap_source: str = calc.CapSource.DEFAULT.value
    # Earlier years whose records cover only part of the year: year -> (from month, to month, note).
    periods: dict[int, tuple[int, int, str]] = field(default_factory=dict)

    @property
    def scale_name(self) -> str:
        if self.scale is not None:
            return self.scale.name
        return calc.DEFAULT_SCALE_NAME if self.scale_default else ""

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
    """Every indicator of the plan, grouped by its owner, with capaian against the
    authoritative target and against every other; one with neither a target nor a realisasi
    for the year is listed with its state (IndicatorFigures.state) and no capaian.

    The plan defaults to the Renstra covering the year; pass the report year's plan to
    measure an earlier year of its indicators (e.g. 2018 values of a 2019-2023 Renstra).
    The PK targets are those of the latest approved version in force on `on` (default: the
    year's end), e.g. a quarter's end for the quarter's page.
    """
    plan = plan or plan_for(agency, year)
    scale = scale_for(agency, year)
    # A Pemda without a scale is rated on the Permendagri 86/2017 bands, said so in the report.
    bands = list(scale.band_list()) if scale else list(calc.DEFAULT_BANDS)
    method = scale.objective_method if scale else calc.ObjectiveMethod.MEAN.value
    cap, cap_source = scale.aggregation_cap() if scale else calc.aggregation_cap(None, False)
    result = Measurement(agency, year, plan, scale, bands, method, cap, scale_default=scale is None,
                         cap_source=cap_source.value)
    result.periods = data_periods(agency=agency, years=range(year - HISTORY_PERIOD_YEARS, year + 1))
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

    # Every indicator of the plan is listed, also one with neither a target nor a realisasi this
    # year (its state says so, its benchmarks come with it): an evaluator reconciles the Renstra's
    # list against the report, and an indicator that silently vanishes looks hidden.
    figures = [
        _figures(indicator, targets[indicator.pk], end_targets[indicator.pk], realizations[indicator.pk], year,
                 bands, benchmarks[indicator.pk], narratives[indicator.pk], past_targets[indicator.pk], result.periods)
        for indicator in indicators
    ]
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
    periods: dict[int, tuple[int, int, str]] | None = None,
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
        missing = history_gaps(past, past_total, (periods or {}).get(past))
        history.append(HistoryPoint(past, past_total.value, past_main, not missing, missing))
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


HISTORY_PERIOD_YEARS = 10  # how far back the data periods of earlier years are read


def data_periods(*, agency: Agency, years) -> dict[int, tuple[int, int, str]]:
    """The years (of `years`) whose records cover only part of the year, as AgencyYear records
    them: year -> (from month, to month, note). One query."""
    years = list(years)
    return {
        y: (start, end, note)
        for y, start, end, note in AgencyYear.objects.filter(
            agency=agency, year__gte=min(years), year__lte=max(years)
        ).values_list("year", "data_from_month", "data_to_month", "data_note")
        if (start, end) != (1, 12)
    } if years else {}


def history_gaps(year: int, total: calc.QuarterTotal, period: tuple[int, int, str] | None) -> tuple[str, ...]:
    """What an earlier year's value lacks (Indonesian), empty when it covers the whole year."""
    missing = []
    if total.value is not None and not total.complete:
        missing.append(f"realisasi hanya sampai triwulan {total.through_quarter}")
    if period is not None:
        label = calc.period_label(period[0], period[1], year)
        missing.append(f"data hanya mencakup {label}" + (f" ({period[2]})" if period[2] else ""))
    return tuple(missing)


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


# ---- counts: computed once, printed everywhere ----


def report_counts(measurement: Measurement, budget: BudgetSummary) -> dict[str, Any]:
    """Every count a document states, from one place (snapshot key "counts").

    Two different things are both "programs" and are named apart:
    - budget: programs/kegiatan/sub kegiatan in the year's budget tree (BudgetSummary rows);
    - with_indicators: programs/kegiatan/sub kegiatan that own a performance indicator of the
      plan (the measurement's non-strategic groups), whether or not they have money that year;
    - supporting: budget programs linked to a tujuan/sasaran (those the efficiency table uses).
    Keys of each are the budget kinds: program, kegiatan, subkegiatan.
    """
    with_indicators = {kind: 0 for kind in BudgetItem.Kind.values}
    groups = {kind: 0 for kind in PlanNode.Kind.values}
    for group in measurement.groups:
        if group.kind_code in with_indicators:
            with_indicators[group.kind_code] += 1
        elif group.kind_code in groups:
            groups[group.kind_code] += 1
    figures = measurement.indicators
    measured = [f for f in figures if f.achievement.value is not None]
    strategic = sum(len(g.indicators) for g in measurement.groups if g.is_strategic)
    states: dict[str, int] = {state.value: 0 for state in calc.IndicatorState}
    for figure in figures:
        states[figure.state.value] += 1
    met = sum(1 for f in measured if f.met)
    return {
        "budget": budget.kind_counts(),
        "with_indicators": with_indicators,
        "supporting": {"program": len(budget.supporting_programs())},
        "groups": {**groups, "strategic": sum(1 for g in measurement.groups if g.is_strategic)},
        "indicators": {
            "total": len(figures),
            "strategic": strategic,
            "other": len(figures) - strategic,
            "measured": len(measured),
            "not_measured": len(figures) - len(measured),
            "met": met,
            "below": len(measured) - met,
            "by_state": states,
        },
    }


# ---- efficiency: capaian against serapan, and whether the activity ran at all ----

# A program whose own capaian is at least this high while one of its kegiatan did not run is a
# finding: the program indicator does not reflect what happened (Pontianak 2.07.03: 96,15 %
# with its only training kegiatan at 0 of 52).
HIGH_PROGRAM_ACHIEVEMENT = Decimal(90)


@dataclass(frozen=True)
class NotRun:
    code: str
    kind: str  # program, kegiatan, subkegiatan
    name: str
    reason: str


@dataclass
class ProgramRun:
    """One program of the budget and/or the measurement: its money, its own capaian, and
    which of it did not run."""

    code: str
    name: str
    node: BudgetNode | None
    achievement: calc.Result
    not_run: str = ""  # the whole program did not run: why
    activities_not_run: list[NotRun] = field(default_factory=list)

    @property
    def ceiling(self) -> Decimal:
        return self.node.ceiling if self.node else Decimal(0)

    @property
    def spent(self) -> Decimal:
        return self.node.spent if self.node else Decimal(0)

    @property
    def absorption(self) -> calc.Result:
        return calc.absorption(self.spent, self.ceiling)

    @property
    def difference(self) -> Decimal | None:
        return calc.efficiency_gap(self.achievement.value, self.absorption.value)

    @property
    def verdict(self) -> calc.EfficiencyVerdict:
        return calc.efficiency_verdict(self.difference, lines=1, not_run=1 if self.not_run else 0,
                                       partly_not_run=1 if self.activities_not_run else 0)


@dataclass
class EfficiencyLine:
    """A tujuan/sasaran against the programs that support it."""

    group: GroupFigures
    programs: list[ProgramRun]

    @property
    def ceiling(self) -> Decimal:
        return sum((p.ceiling for p in self.programs), Decimal(0))

    @property
    def spent(self) -> Decimal:
        return sum((p.spent for p in self.programs), Decimal(0))

    @property
    def absorption(self) -> calc.Result:
        return calc.absorption(self.spent, self.ceiling)

    @property
    def difference(self) -> Decimal | None:
        """capaian − serapan, whatever happened."""
        return calc.efficiency_gap(self.group.achievement.value, self.absorption.value)

    @property
    def verdict(self) -> calc.EfficiencyVerdict:
        return calc.efficiency_verdict(
            self.difference, lines=len(self.programs), not_run=sum(1 for p in self.programs if p.not_run),
            partly_not_run=sum(1 for p in self.programs if not p.not_run and p.activities_not_run))

    @property
    def gap(self) -> Decimal | None:
        """The difference the efficiency table prints: none where an activity did not run, since
        money left unspent by an activity that did not happen is no saving."""
        if self.verdict in (calc.EfficiencyVerdict.NOT_RUN, calc.EfficiencyVerdict.PARTLY_NOT_RUN):
            return None
        return self.difference


def _outputs(group: GroupFigures) -> list[tuple[Decimal | None, str]]:
    return [(f.year_value.value, f.indicator.polarity) for f in group.indicators]


def _output_detail(group: GroupFigures) -> str:
    """" dari target 52 orang": the target the 0 stands against, for the reader."""
    figure = next((f for f in group.indicators if f.target is not None), None)
    if figure is None:
        return ""
    unit = f" {figure.indicator.unit}" if figure.indicator.unit else ""
    return f" dari target {format_id(figure.target.value)}{unit}"


def program_runs(measurement: Measurement, budget: BudgetSummary) -> dict[str, ProgramRun]:
    """Every program of the year's budget or measurement, by code, with what of it did not run:
    a program/kegiatan/sub kegiatan with a pagu and no spending, a kegiatan/sub kegiatan whose
    measured outputs are all 0 (calculations.not_run_reason), a program all of whose kegiatan
    did not run. Codes follow Permendagri 90/2019 (the tree is the code),
    so a kegiatan belongs to the program whose code prefixes its own."""
    groups = {g.code: g for g in measurement.groups if not g.is_strategic}
    nodes = budget.by_code()
    programs: dict[str, ProgramRun] = {}
    for program in budget.programs:
        programs[program.code] = ProgramRun(program.code, program.item.name, program, calc.Result(None, calc.REASON_NO_INDICATORS))
    for group in groups.values():
        if group.kind_code == "program" and group.code not in programs:
            programs[group.code] = ProgramRun(group.code, group.label, None, calc.Result(None, calc.REASON_NO_INDICATORS))
    for code, run in programs.items():
        own = groups.get(code)
        if own is not None and own.kind_code == "program":
            run.achievement = own.achievement
        below = sorted({c for c in [*nodes, *groups] if c.startswith(code + ".")})
        not_run: list[NotRun] = []
        for child in below:
            if any(child.startswith(n.code + ".") for n in not_run):
                continue  # a sub kegiatan of a kegiatan already listed
            node, group = nodes.get(child), groups.get(child)
            reason = calc.not_run_reason(
                ceiling=node.ceiling if node else None, spent=node.spent if node else None,
                outputs=_outputs(group) if group else (),
            )
            if reason == calc.REASON_NO_OUTPUT and group is not None:
                reason += _output_detail(group)
            if reason:
                item_kind = node.item.kind if node else group.kind_code
                not_run.append(NotRun(child, item_kind, node.item.name if node else group.label, reason))
        # A program's own indicator is an outcome: at 0 it failed, it did not necessarily not run
        # (Serang 3.32.03 spent 98,6 % with its kegiatan at 95,67 %). Only its money, or all its
        # kegiatan, say that it did not run.
        own_reason = calc.not_run_reason(ceiling=run.ceiling if run.node else None,
                                         spent=run.spent if run.node else None)
        activities = {c for c in below if (nodes.get(c) and nodes[c].item.kind == "kegiatan")
                      or (groups.get(c) and groups[c].kind_code == "kegiatan")}
        listed = {n.code for n in not_run if n.kind == "kegiatan"}
        if not own_reason and activities and activities <= listed:
            own_reason = "seluruh kegiatannya tidak dilaksanakan"
        run.not_run = own_reason
        run.activities_not_run = [] if own_reason else not_run
    return programs


def efficiency_lines(measurement: Measurement, budget: BudgetSummary) -> list[EfficiencyLine]:
    """Per tujuan/sasaran with linked programs (BudgetItem.objective), in the measurement's order."""
    runs = program_runs(measurement, budget)
    by_objective: dict[str, list[ProgramRun]] = defaultdict(list)
    for program in budget.supporting_programs():
        by_objective[program.item.objective.code].append(runs[program.code])
    return [EfficiencyLine(group, by_objective[group.code]) for group in measurement.groups
            if by_objective.get(group.code)]


# ---- earlier years and the Renstra end target, table-ready ----


def trend_table(measurement: Measurement, *, years: int = 3) -> dict[str, Any]:
    """Realisasi of the last `years` years (N-2, N-1, N) per indicator with the year's target and
    capaian, the Renstra end target, capaian against it and what remains to it (in the unit, in
    the indicator's direction: a lower-is-better indicator still has to fall). Strings (full
    precision) for the snapshot.

    {"years": [N-2, N-1, N], "rows": [{code, name, unit, polarity, group, state, values: [{year,
    value, target (the one that counted that year), achievement, complete, missing}], target,
    achievement, end_year, end_target, end_achievement (by the indicator's formula: for a
    lower-is-better one it is a capaian, not "realisasi as a share of the end target"),
    end_remaining (≥ 0, in the unit), end_direction ("naik"/"turun"), end_reached}]}"""
    year = measurement.year
    span = list(range(year - years + 1, year + 1))
    rows = []
    for group in measurement.groups:
        for figure in group.indicators:
            past = {p.year: p for p in figure.history}
            cells = []
            for y in span:
                if y == year:
                    total = figure.year_value
                    missing = history_gaps(y, total, measurement.periods.get(y))
                    cells.append({"year": y, "value": _s(total.value), "target": _s(figure.target.value)
                                  if figure.target else None, "achievement": _s(figure.achievement.value),
                                  "complete": not missing, "missing": list(missing)})
                else:
                    point = past.get(y)
                    target = point.target if point else None
                    cells.append({"year": y, "value": _s(point.value) if point else None,
                                  "target": _s(target.value) if target else None,
                                  "achievement": _s(target.achievement.value) if target else None,
                                  "complete": point.complete if point else True,
                                  "missing": list(point.missing) if point else []})
            gap = figure.end_gap
            rows.append({
                "code": figure.code,
                "name": figure.indicator.name,
                "unit": figure.indicator.unit,
                "polarity": figure.indicator.polarity,
                "group": group.code,
                "state": figure.state.value,
                "values": cells,
                "target": _s(figure.target.value) if figure.target else None,
                "achievement": _s(figure.achievement.value),
                "end_year": measurement.plan.end_year if measurement.plan else None,
                "end_target": _s(figure.end_target),
                "end_achievement": _s(figure.end_achievement.value),
                "end_remaining": _s(gap.remaining),
                "end_direction": gap.direction,
                "end_reached": gap.reached,
            })
    return {"years": span, "rows": rows}


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
