"""The quarterly entry sheet of one agency, year and triwulan, from records.

What the entry page (and later the API) shows per indicator: the year's authoritative target and
its document, the quarter's Rencana Aksi target, earlier quarters, the value to date by the
indicator's aggregation rule, the capaian to date and its predikat, the entry with its
verification state, the quarter's explanation and the evidence. Built on the measurement layer
(`measure`) in a fixed number of queries, and read in one transaction under the agency's shared
lock so a save in progress is never half seen.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from agencies.locks import agency_lock
from agencies.models import Agency
from evidence.models import Evidence
from evidence.selectors import evidence_for
from lkjip.numbers import as_shown
from periods.locks import PeriodState, agency_periods

from . import calculations as calc
from .measurement import GroupFigures, IndicatorFigures, Measurement, measure, quarter_figures
from .models import Realization
from .rules import EXPLANATION_SECTIONS, explanation_required
from .services import explanations_for

_STORED = object()


@dataclass
class EntryRow:
    figures: IndicatorFigures
    quarter: int
    entry: Realization | None
    explanations: dict[str, str]
    evidence: list[Evidence] = field(default_factory=list)
    bands: list[calc.Band] = field(default_factory=list)

    @property
    def indicator(self):  # noqa: ANN201 - the Indicator
        return self.figures.indicator

    @property
    def target(self):  # noqa: ANN201 - the authoritative TargetFigure or None
        return self.figures.target

    @property
    def quarter_target(self) -> Decimal | None:
        target = self.figures.target
        return target.quarters[self.quarter - 1] if target else None

    @property
    def earlier(self) -> list[tuple[int, Realization | None]]:
        return [(q, self.figures.quarters[q - 1]) for q in range(1, self.quarter)]

    def achievement(self, value: Decimal | None | object = _STORED) -> calc.QuarterAchievement:
        if value is _STORED:
            return quarter_figures(figures=self.figures, quarter=self.quarter)
        return quarter_figures(figures=self.figures, quarter=self.quarter, value=value)

    def rating(self, achievement: calc.QuarterAchievement) -> str | None:
        return calc.rate(as_shown(achievement.result.value), self.bands) if self.bands else None

    @property
    def stored(self) -> calc.QuarterAchievement:
        return self.achievement()

    @property
    def stored_rating(self) -> str | None:
        return self.rating(self.stored)

    @property
    def below_target(self) -> bool:
        return explanation_required(self.stored)

    @property
    def needs_explanation(self) -> bool:
        return explanation_required(self.stored) and any(
            not self.explanations.get(s, "").strip() for s in EXPLANATION_SECTIONS
        )

    @property
    def review(self) -> str | None:
        return self.entry.review if self.entry else None


@dataclass
class EntryGroup:
    group: GroupFigures
    rows: list[EntryRow]


@dataclass
class QuarterSheet:
    agency: Agency
    year: int
    quarter: int
    measurement: Measurement
    period: PeriodState
    periods: dict[int | None, PeriodState]
    groups: list[EntryGroup]

    @property
    def rows(self) -> list[EntryRow]:
        return [row for group in self.groups for row in group.rows]

    @property
    def returned(self) -> list[EntryRow]:
        return [row for row in self.rows if row.review == Realization.Review.RETURNED]

    def row(self, indicator_id: int) -> EntryRow | None:
        return next((row for row in self.rows if row.indicator.pk == indicator_id), None)

    @property
    def counts(self) -> dict[str, int]:
        counts = {state: 0 for state in Realization.Review.values}
        counts["kosong"] = 0
        for row in self.rows:
            counts[row.review or "kosong"] += 1
        return counts

    @property
    def fully_verified(self) -> bool:
        return bool(self.rows) and all(row.review == Realization.Review.VERIFIED for row in self.rows)


def _quarter_end(year: int, quarter: int) -> datetime.date:
    return datetime.date(year, 3 * quarter, 31 if quarter in (1, 4) else 30)


def quarter_sheet(*, agency: Agency, year: int, quarter: int) -> QuarterSheet:
    """Every indicator with a target for the year (the PK's, else the Renstra's: the target
    that counts), in its sasaran as the measurement groups it."""
    with transaction.atomic():
        agency_lock(agency.code, shared=True)
        # The PK version in force at the quarter's end: an amendment from a later date does not
        # change an earlier quarter's Rencana Aksi.
        sheet = measure(agency=agency, year=year, on=_quarter_end(year, quarter))
        periods = agency_periods(agency=agency, year=year)
        explanations = explanations_for(agency=agency, year=year, quarter=quarter)
        entries = [f.quarters[quarter - 1] for f in sheet.indicators if f.quarters[quarter - 1] is not None]
        evidence = evidence_for(realization_ids=[e.pk for e in entries])
    groups = []
    for group in sheet.groups:
        rows = [
            EntryRow(
                figures=figures,
                quarter=quarter,
                entry=figures.quarters[quarter - 1],
                explanations=explanations.get(figures.indicator.pk, {}),
                evidence=evidence.get(figures.quarters[quarter - 1].pk, []) if figures.quarters[quarter - 1] else [],
                bands=sheet.bands,
            )
            for figures in group.indicators
            if figures.target is not None or figures.other_targets
        ]
        if rows:
            groups.append(EntryGroup(group, rows))
    return QuarterSheet(agency, year, quarter, sheet, periods[quarter], periods, groups)
