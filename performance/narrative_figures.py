"""The computed figures a narrative may state: placeholder values and the contexts the prose check
uses, from the measurement layer (performance.measurement, budget.summary) and the staff table.

One place builds both, so `{serapan}` prints the very figure the check holds "89,4 %" against.
Nothing here queries but `narrative_figures_for`; the snapshot and the findings pass what they
already computed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from lkjip.numbers import format_id, format_percent, format_rupiah

from . import calculations as calc
from .placeholders import Values
from .prose_numbers import NOUN_CLASSES, PERCENT, RUPIAH, Context, Figure

if TYPE_CHECKING:
    from agencies.models import Agency
    from budget.summary import BudgetNode, BudgetSummary

    from .measurement import IndicatorFigures, Measurement

STAFF_STATUS = {"PNS": "pns", "PPPK": "pppk", "Non-ASN": "nonasn"}
PERCENT_UNITS = {"%", "persen", "prosentase", "persentase"}
CAPAIAN_WORDS = ("capaian", "mencapai", "tercapai", "dicapai", "persentase", "persentasekan")
CHANGE_WORDS = ("selisih", "penurunan", "kenaikan", "peningkatan", "menurun", "meningkat", "turun", "naik")
BUDGET_WORDS = ("anggaran", "pagu", "belanja", "dana")
ABSORPTION_WORDS = ("serapan", "penyerapan", "terserap", "anggaran", "keuangan")


@dataclass(frozen=True)
class StaffRow:
    dimension: str
    category: str
    status: str
    count: int


@dataclass
class NarrativeFigures:
    """Everything one agency's narratives of one year may state."""

    values: Values
    report: Context
    indicators: dict[str, Context] = field(default_factory=dict)
    codes: frozenset[str] = frozenset()  # indicators measured this year

    def context(self, indicator: str | None) -> Context:
        """An indicator's narrative: that indicator's figures (and the agency's budget and counts);
        a report-level narrative: the agency's figures, every indicator's included."""
        if indicator is None:
            return self.report
        # An indicator not measured this year has no figures to hold its prose against.
        return self.indicators.get(indicator, Context())


def unit_noun(unit: str) -> str | None:
    """The count class of an indicator's unit ("Kegiatan" → kegiatan), for the structure nouns."""
    for pattern, noun in NOUN_CLASSES:
        if noun in ("program", "kegiatan", "subkegiatan", "indikator") and pattern.fullmatch(unit.strip()):
            return noun
    return None


def _is_percent(unit: str) -> bool:
    return unit.strip().lower() in PERCENT_UNITS


def staff_totals(staff: Iterable[StaffRow]) -> dict[str, int]:
    """Headcount by status and in total. Each dimension (jabatan, golongan, …) counts the same
    people, so a status's count is the largest any dimension gives (golongan has no non-ASN)."""
    by_dimension: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in staff:
        by_dimension[row.dimension][row.status] += row.count
    totals = {status: max((d.get(status, 0) for d in by_dimension.values()), default=0) for status in STAFF_STATUS}
    totals["total"] = sum(totals.values())
    return totals


def _budget_counts(nodes: Iterable[BudgetNode]) -> dict[str, int]:
    counts = {"program": 0, "kegiatan": 0, "subkegiatan": 0}
    for node in nodes:
        for _, sub in node.walk():
            counts[sub.item.kind] = counts.get(sub.item.kind, 0) + 1
    return counts


def _add_budget_node(context: Context, node: BudgetNode, rank: int) -> None:
    name = f"{node.item.get_kind_display().lower()} {node.code}"
    context.add(RUPIAH, node.ceiling, f"pagu {name}", format_rupiah(node.ceiling), BUDGET_WORDS, rank)
    context.add(RUPIAH, node.ceiling_original, f"pagu murni {name}", format_rupiah(node.ceiling_original),
                BUDGET_WORDS, rank + 1)
    context.add(RUPIAH, node.spent, f"realisasi {name}", format_rupiah(node.spent), ABSORPTION_WORDS, rank)
    context.add(RUPIAH, node.ceiling - node.spent, f"sisa anggaran {name}", format_rupiah(node.ceiling - node.spent),
                ("sisa",), rank + 1)
    for q, spent in enumerate(node.spent_quarters, start=1):
        context.add(RUPIAH, spent, f"realisasi TW {q} {name}", format_rupiah(spent), (), rank + 2)
    value = node.absorption.value
    context.add(PERCENT, value, f"serapan {name}", format_percent(value), ABSORPTION_WORDS, rank)


def _budget_context(budget: BudgetSummary, previous: BudgetSummary | None) -> Context:
    context = Context()
    if budget.is_empty:
        return context
    context.add(RUPIAH, budget.ceiling, "pagu", format_rupiah(budget.ceiling), BUDGET_WORDS, 0)
    context.add(RUPIAH, budget.ceiling_original, "pagu murni", format_rupiah(budget.ceiling_original),
                ("murni",), 1)
    context.add(RUPIAH, budget.spent, "realisasi anggaran", format_rupiah(budget.spent), ABSORPTION_WORDS, 0)
    context.add(RUPIAH, budget.ceiling - budget.spent, "sisa anggaran", format_rupiah(budget.ceiling - budget.spent),
                ("sisa",), 1)
    change = budget.ceiling - budget.ceiling_original
    context.add(RUPIAH, change, "perubahan pagu", format_rupiah(change), ("perubahan", "penambahan", "pengurangan"), 1)
    if budget.ceiling_original:
        share = change / budget.ceiling_original * 100
        context.add(PERCENT, share, "perubahan pagu", format_percent(share), ("perubahan", "anggaran", "pagu"), 1)
    context.add(PERCENT, budget.absorption.value, "serapan", format_percent(budget.absorption.value),
                ABSORPTION_WORDS, 0)
    for q, spent in enumerate(budget.spent_quarters, start=1):
        context.add(RUPIAH, spent, f"realisasi anggaran TW {q}", format_rupiah(spent), (), 3)
    for _, node in budget.rows():
        _add_budget_node(context, node, 3)
    if previous is not None and not previous.is_empty:
        year = previous.year
        context.add(RUPIAH, previous.ceiling, f"pagu tahun {year}", format_rupiah(previous.ceiling), (str(year),), 2)
        context.add(RUPIAH, previous.spent, f"realisasi anggaran tahun {year}", format_rupiah(previous.spent),
                    (str(year),), 2)
        context.add(PERCENT, previous.absorption.value, f"serapan tahun {year}",
                    format_percent(previous.absorption.value), (str(year),), 2)
        for _, node in previous.rows():
            _add_budget_node(context, node, 5)
    counts = _budget_counts(budget.programs)
    for kind, count in counts.items():
        context.add(kind, count, f"jumlah {kind.replace('subkegiatan', 'sub kegiatan')}", format_id(count), (), 0)
    for _, node in budget.rows():
        for kind, count in _budget_counts(node.children).items():
            if count:
                context.add(kind, count, f"jumlah {kind.replace('subkegiatan', 'sub kegiatan')} {node.item.kind} "
                                         f"{node.code}", format_id(count), (), 3)
    return context


def _staff_context(staff: list[StaffRow]) -> Context:
    context = Context()
    if not staff:
        return context
    totals = staff_totals(staff)
    context.add("pegawai", totals["total"], "jumlah pegawai", format_id(totals["total"]),
                ("pegawai", "jumlah", "sdm", "asn"), 0)
    context.add("asn", totals["PNS"] + totals["PPPK"], "jumlah ASN", format_id(totals["PNS"] + totals["PPPK"]),
                ("asn",), 1)
    present = {row.status for row in staff}
    for status, kind in STAFF_STATUS.items():
        if status in present:  # a table without non-ASN rows says nothing about their number
            context.add(kind, totals[status], f"jumlah {status}", format_id(totals[status]), (status.lower(),), 0)
    by_category: dict[tuple[str, str], int] = defaultdict(int)
    by_dimension: dict[str, int] = defaultdict(int)
    for row in staff:
        kind = STAFF_STATUS.get(row.status, "pegawai")
        context.add(kind, row.count, f"jumlah {row.status} {row.category}", format_id(row.count), (), 4)
        by_category[(row.dimension, row.category)] += row.count
        by_dimension[row.dimension] += row.count
    for (_, category), count in by_category.items():
        context.add("pegawai", count, f"jumlah pegawai {category}", format_id(count), (category.lower(),), 3)
    for dimension, count in by_dimension.items():
        context.add("pegawai", count, f"jumlah pegawai menurut {dimension}", format_id(count), (), 2)
    return context


def _values_both(context: Context, unit: str, value: Decimal | None, label: str, keywords: tuple[str, ...],
                 rank: int) -> None:
    """A recorded value: a count ("nilai") always, a percentage too where the unit is one."""
    context.add("nilai", value, label, format_id(value), keywords, rank)
    noun = unit_noun(unit)
    if noun is not None:  # "12 kegiatan" of an indicator counted in kegiatan is its value, not the budget's
        context.add(noun, value, label, format_id(value), keywords, rank)
    if _is_percent(unit):
        context.add(PERCENT, value, label, format_percent(value), keywords, rank + 1)


def _indicator_context(figure: IndicatorFigures) -> Context:
    from .measurement import quarter_figures

    context = Context()
    indicator = figure.indicator
    unit = indicator.unit
    actual = figure.year_value.value
    main = figure.achievement.value
    context.add(PERCENT, main, "capaian", format_percent(main), CAPAIAN_WORDS, 0)
    targets = [t for t in [figure.target, *figure.other_targets] if t is not None]
    for target in targets:
        _values_both(context, unit, target.value, f"target {target.label}", ("target",), 1)
        for q, value in enumerate(target.quarters, start=1):
            _values_both(context, unit, value, f"target TW {q} {target.label}", ("triwulan", "tw"), 3)
        if target is not figure.target:
            value = target.achievement.value
            context.add(PERCENT, value, f"capaian terhadap {target.label}", format_percent(value),
                        ("capaian", target.document), 2)
        if actual is not None:
            gap = actual - target.value
            _values_both(context, unit, gap, f"selisih realisasi dengan target {target.label}", CHANGE_WORDS, 4)
    _values_both(context, unit, actual, "realisasi", ("realisasi", "terealisasi"), 1)
    end = figure.end_achievement.value
    _values_both(context, unit, figure.end_target, "target akhir Renstra", ("akhir",), 2)
    context.add(PERCENT, end, "capaian terhadap target akhir Renstra", format_percent(end),
                ("capaian", "akhir", "renstra"), 2)
    if end is not None:
        context.add(PERCENT, Decimal(100) - end, "sisa menuju target akhir Renstra", format_percent(Decimal(100) - end),
                    ("sisa", "akhir"), 4)
    _values_both(context, unit, indicator.baseline, "baseline", ("baseline", "awal"), 3)
    entries = [figure.annual, *figure.quarters]
    for entry in entries:
        if entry is None:
            continue
        period = f"TW {entry.quarter}" if entry.quarter else "tahunan"
        _values_both(context, unit, entry.value, f"realisasi {period}", ("realisasi",), 3)
        context.add("nilai", entry.numerator, f"pembilang {period}", format_id(entry.numerator), ("pembilang",), 1)
        context.add("nilai", entry.denominator, f"penyebut {period}", format_id(entry.denominator), ("dari",), 1)
        if entry.numerator is not None and entry.denominator:
            rest = entry.denominator - entry.numerator
            context.add("nilai", rest, f"penyebut dikurangi pembilang {period}", format_id(rest), (), 4)
    for quarter in range(1, 5):
        if figure.quarters[quarter - 1] is None:
            continue
        value = quarter_figures(figures=figure, quarter=quarter).result.value
        context.add(PERCENT, value, f"capaian s.d. TW {quarter}", format_percent(value), ("triwulan", "tw"), 3)
    for point in figure.history:
        year = point.year
        _values_both(context, unit, point.value, f"realisasi tahun {year}", (str(year),), 2)
        if point.target is not None:
            _values_both(context, unit, point.target.value, f"target tahun {year}", (str(year),), 3)
            past = point.target.achievement.value
            context.add(PERCENT, past, f"capaian tahun {year}", format_percent(past), (str(year),), 2)
            if past is not None and main is not None:
                context.add(PERCENT, main - past, f"selisih capaian dengan tahun {year}",
                            format_percent(main - past), (*CHANGE_WORDS, str(year)), 3)
        if point.value is not None and actual is not None:
            _values_both(context, unit, actual - point.value, f"selisih realisasi dengan tahun {year}",
                         (*CHANGE_WORDS, str(year)), 3)
            if point.value:
                change = (actual - point.value) / point.value * 100
                context.add(PERCENT, change, f"perubahan realisasi dari tahun {year}", format_percent(change),
                            (*CHANGE_WORDS, str(year)), 5)
    for benchmark in figure.benchmarks:
        _values_both(context, unit, benchmark.value, f"nilai pembanding {benchmark.get_scope_display()} "
                                                     f"{benchmark.year}", (benchmark.scope,), 3)
    return context


def _named(figure: Figure, code: str, lower: int) -> Figure:
    """Another indicator's figure, named with its code and ranked below the context's own."""
    return replace(figure, label=f"{figure.label} {code}", rank=figure.rank + lower)


def _measurement_context(measurement: Measurement, indicators: dict[str, Context]) -> Context:
    context = Context()
    figures = measurement.indicators
    if not figures:
        return context
    measured = [f for f in figures if f.achievement.value is not None]
    met = [f for f in measured if f.met]
    context.add("indikator", len(figures), "jumlah indikator", format_id(len(figures)), (), 0)
    context.add("indikator", len(measured), "jumlah indikator yang dapat diukur", format_id(len(measured)), (), 1)
    context.add("indikator", len(met), "jumlah indikator yang mencapai target", format_id(len(met)), ("tercapai",), 1)
    context.add("indikator", len(measured) - len(met), "jumlah indikator yang belum mencapai target",
                format_id(len(measured) - len(met)), ("belum",), 1)
    key = [f for f in figures if f.indicator.is_key]
    context.add("indikator", len(key), "jumlah IKU", format_id(len(key)), ("utama", "iku"), 1)
    if measured:
        share = Decimal(len(met)) / len(measured) * 100
        context.add(PERCENT, share, "persentase indikator yang mencapai target", format_percent(share),
                    ("indikator",), 2)
    for rating, count in measurement.rating_counts().items():
        context.add("indikator", count, f"jumlah indikator berpredikat {rating}", format_id(count),
                    (rating.lower(),), 1)
        if measured:
            share = Decimal(count) / len(figures) * 100
            context.add(PERCENT, share, f"persentase indikator berpredikat {rating}", format_percent(share),
                        (rating.lower(),), 3)
    owners: dict[str, int] = defaultdict(int)
    for group in measurement.groups:
        owners[group.kind_code] += 1
    for kind in ("program", "kegiatan", "subkegiatan"):
        if owners.get(kind):
            context.add(kind, owners[kind], f"jumlah {kind.replace('subkegiatan', 'sub kegiatan')} yang berindikator",
                        format_id(owners[kind]), (), 1)
    for group in measurement.groups:
        value = group.achievement.value
        context.add(PERCENT, value, f"capaian {group.kind.lower()} {group.code}", format_percent(value),
                    ("sasaran", "tujuan", "capaian"), 1)
        context.add("indikator", len(group.indicators), f"jumlah indikator {group.kind.lower()} {group.code}",
                    format_id(len(group.indicators)), (), 3)
    for code, indicator in indicators.items():
        # In the report's own prose an indicator's figure names its indicator.
        context.figures += [_named(figure, code, 2) for figure in indicator.figures]
    return context


def _efficiency_context(measurement: Measurement, budget: BudgetSummary) -> Context:
    """capaian − serapan per sasaran, as the document's efficiency table prints it."""
    context = Context()
    by_objective: dict[str, list[Any]] = defaultdict(list)
    for program in budget.programs:
        if program.item.objective is not None:
            by_objective[program.item.objective.code].append(program)
    for group in measurement.groups:
        programs = by_objective.get(group.code)
        if not programs:
            continue
        ceiling = sum((p.ceiling for p in programs), Decimal(0))
        spent = sum((p.spent for p in programs), Decimal(0))
        absorption = calc.absorption(spent, ceiling).value
        context.add("program", len(programs), f"jumlah program {group.kind.lower()} {group.code}",
                    format_id(len(programs)), (), 2)
        gap = calc.efficiency_gap(group.achievement.value, absorption)
        context.add(PERCENT, absorption, f"serapan {group.kind.lower()} {group.code}", format_percent(absorption),
                    ABSORPTION_WORDS, 3)
        context.add(PERCENT, gap, f"selisih capaian dan serapan {group.code}", format_percent(gap),
                    ("efisien", "selisih"), 3)
        context.add(RUPIAH, ceiling, f"pagu {group.kind.lower()} {group.code}", format_rupiah(ceiling), (), 4)
        context.add(RUPIAH, spent, f"realisasi {group.kind.lower()} {group.code}", format_rupiah(spent), (), 4)
    return context


def _placeholder_values(measurement: Measurement, budget: BudgetSummary, staff: list[StaffRow]) -> Values:
    totals = staff_totals(staff) if staff else None
    counts = _budget_counts(budget.programs) if not budget.is_empty else None
    report = {
        "serapan": format_percent(budget.absorption.value) if budget.absorption.value is not None else None,
        "pagu": format_rupiah(budget.ceiling) if not budget.is_empty else None,
        "realisasi_anggaran": format_rupiah(budget.spent) if not budget.is_empty else None,
        "jumlah_pegawai": format_id(totals["total"]) if totals else None,
        "jumlah_pns": format_id(totals["PNS"]) if totals else None,
        "jumlah_pppk": format_id(totals["PPPK"]) if totals else None,
        "jumlah_program": format_id(counts["program"]) if counts else None,
        "jumlah_kegiatan": format_id(counts["kegiatan"]) if counts else None,
        "jumlah_subkegiatan": format_id(counts["subkegiatan"]) if counts else None,
        "jumlah_indikator": format_id(len(measurement.indicators)) if measurement.plan is not None else None,
    }
    indicators = {}
    for figure in measurement.indicators:
        achievement = figure.achievement.value
        indicators[figure.code] = {
            "capaian": format_percent(achievement) if achievement is not None else None,
            "target": format_id(figure.target.value) if figure.target is not None else None,
            "realisasi": format_id(figure.year_value.value) if figure.year_value.value is not None else None,
            "predikat": figure.rating,
        }
    return Values(report=report, indicators=indicators)


def narrative_figures(
    *, measurement: Measurement, budget: BudgetSummary, staff: Iterable[StaffRow],
    previous_budget: BudgetSummary | None = None,
) -> NarrativeFigures:
    staff = list(staff)
    budget_context = _budget_context(budget, previous_budget)
    staff_context = _staff_context(staff)
    by_code = budget.by_code() if not budget.is_empty else {}
    indicators: dict[str, Context] = {}
    for group in measurement.groups:
        for figure in group.indicators:
            own = _indicator_context(figure)
            own.add("indikator", len(group.indicators), f"jumlah indikator {group.kind.lower()} {group.code}",
                    format_id(len(group.indicators)), (), 2)
            own.add(PERCENT, group.achievement.value, f"capaian {group.kind.lower()} {group.code}",
                    format_percent(group.achievement.value), ("sasaran", "tujuan", "program", "kegiatan"), 2)
            indicators[figure.code] = own
    report = Context()
    report.extend(budget_context)
    report.extend(staff_context)
    report.extend(_efficiency_context(measurement, budget))
    report.extend(_measurement_context(measurement, indicators))
    for group in measurement.groups:
        for figure in group.indicators:
            # An indicator's prose may cite the agency's budget, its staff, its own program's money.
            own = indicators[figure.code]
            item = figure.indicator.owner_budget_item
            node = by_code.get(item.code) if item is not None else None
            if node is not None:
                for _, sub in node.walk():
                    _add_budget_node(own, sub, 1)
                for kind, count in _budget_counts(node.children).items():
                    own.add(kind, count, f"jumlah {kind.replace('subkegiatan', 'sub kegiatan')}", format_id(count),
                            (), 0)
            if item is not None:
                # A kegiatan's prose speaks of its sub kegiatan's targets and realisasi too.
                for other in measurement.indicators:
                    below = other.indicator.owner_budget_item
                    if below is not None and below.code.startswith(item.code + "."):
                        own.figures += [_named(f, other.code, 2) for f in indicators[other.code].figures
                                        if f.kind in ("nilai", PERCENT) and "TW" not in f.label]
            own.extend(budget_context)
            own.extend(staff_context)
    return NarrativeFigures(
        values=_placeholder_values(measurement, budget, staff),
        report=report,
        indicators=indicators,
        codes=frozenset(indicators),
    )


def narrative_figures_for(*, agency: Agency, year: int, measurement: Measurement | None = None,
                          budget: BudgetSummary | None = None) -> NarrativeFigures:
    """The same, reading what is not given: the measurement, the budget of the year and the one
    before, the staff table."""
    from agencies.models import StaffCount
    from budget.summary import budget_summary

    from .measurement import measure

    measurement = measurement or measure(agency=agency, year=year)
    budget = budget or budget_summary(agency=agency, year=year)
    staff = [StaffRow(s.dimension, s.category, s.status, s.count)
             for s in StaffCount.objects.filter(agency=agency, year=year)]
    return narrative_figures(measurement=measurement, budget=budget, staff=staff,
                             previous_budget=budget_summary(agency=agency, year=year - 1))
