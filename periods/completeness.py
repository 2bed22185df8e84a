"""How complete each agency's entries are, per period: the Pemda's dashboard, the agency page,
the home page's "Perlu tindakan" list and the reminder e-mails all read this one selector.

Everything is counted against the *expected indicators* of the agency's year
(`expected_indicators`): the indicators of the Renstra covering the year that have at least
one target for that year. A fixed number of queries, however many agencies and periods:
the plans, the expected indicators (with, per period, whether an entry exists), one aggregate
of the entries by agency, period and review state, the returned entries, and the period
states (periods.locks).
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q

from agencies.models import Agency
from evidence.models import Evidence
from performance.measurement import plan_for
from performance.models import Indicator, Realization, StrategicPlan, Target

from .locks import DEADLINE, QUARTER_LOCKED, Lock, PeriodState, period_states, today
from .models import QUARTERS, Reopening, period_label

ANNUAL = None  # the year's report, as a period
MISSING = "belum diisi"
RETURNED = "dikembalikan"


# ---- the expected indicators: one definition for every page, the lock and the reminders ----


def _plans_covering(*, agencies: Sequence[Agency], year: int) -> dict[int, int]:
    """agency id → id of the Renstra covering the year (the latest-starting one, as plan_for)."""
    plans: dict[int, int] = {}
    rows = (
        StrategicPlan.objects.filter(agency__in=[a.pk for a in agencies], start_year__lte=year, end_year__gte=year)
        .order_by("agency_id", "-start_year", "-end_year", "pk")
        .values_list("agency_id", "pk")
    )
    for agency_id, plan_id in rows:
        plans.setdefault(agency_id, plan_id)
    return plans


def expected_indicators_query(*, plan_ids: Iterable[int], year: int):
    """The expected indicators of these plans for the year (see `expected_indicator_ids`)."""
    has_target = Exists(Target.objects.filter(indicator_id=OuterRef("pk"), year=year))
    return Indicator.objects.filter(has_target, plan_id__in=list(plan_ids))


def expected_indicator_ids(*, agency: Agency, year: int) -> set[int]:
    """The indicators an agency must report on for each quarter of `year`.

    Definition (the only one in the project): the indicators of the agency's Renstra covering
    the year (performance.measurement.plan_for, the plan the entry services write to) that have
    at least one Target for that year, in any document (Renstra, IKU, PK, Renja) and version.
    An indicator without a target that year is not expected: a realisasi entered for it is
    kept and shown, but its absence is not "missing" and it does not block a quarter lock.
    """
    plan = plan_for(agency, year)
    if plan is None:
        return set()
    return set(expected_indicators_query(plan_ids=[plan.pk], year=year).values_list("pk", flat=True))


# ---- per period ----


def period_end(year: int, quarter: int | None) -> datetime.date:
    """The last day of the quarter (of the year for the annual report)."""
    month = 12 if quarter is None else 3 * quarter
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def coverage(with_evidence: int, entered: int) -> Decimal | None:
    """Entries with at least one evidence file ÷ entries, in % (full precision; None: no entries)."""
    return None if not entered else Decimal(with_evidence) * 100 / Decimal(entered)


@dataclass(frozen=True)
class Item:
    """One indicator of one period that needs the agency's attention."""

    indicator_id: int
    code: str
    name: str
    problem: str  # MISSING or RETURNED
    note: str = ""  # the planner's reason for returning it

    @property
    def returned(self) -> bool:
        return self.problem == RETURNED


@dataclass
class PeriodCompleteness:
    """One agency's entries for one period (a quarter, or None for the year's report).

    Counts cover the expected indicators only: `entered` = expected indicators with an entry
    for the period (any review state), `missing` = expected without one. For the annual report
    an indicator counts as entered when it has any realisasi of the year (annual or quarterly):
    the year's value is derived from the quarters when no annual value is given; its review
    counts are those of the annual entries.
    """

    agency: Agency
    year: int
    quarter: int | None
    state: PeriodState
    expected: int = 0
    entered: int = 0
    draft: int = 0
    submitted: int = 0
    verified: int = 0
    returned: int = 0
    with_evidence: int = 0
    # Entries of the period for indicators without a target that year that are not verified:
    # they do not count above, but a quarter is only fully verified without them.
    other_unverified: int = 0
    missing_items: list[Item] = field(default_factory=list)
    returned_items: list[Item] = field(default_factory=list)

    @property
    def label(self) -> str:
        return period_label(self.year, self.quarter)

    @property
    def missing(self) -> int:
        return self.expected - self.entered

    @property
    def items(self) -> list[Item]:
        return self.missing_items + self.returned_items

    @property
    def evidence_coverage(self) -> Decimal | None:
        return coverage(self.with_evidence, self.entered)

    @property
    def verified_share(self) -> Decimal | None:
        return None if not self.expected else Decimal(self.verified) * 100 / Decimal(self.expected)

    # the period's lock and dates, from periods.locks
    @property
    def lock(self) -> Lock | None:
        return self.state.lock

    @property
    def locked(self) -> bool:
        return self.state.lock is not None

    @property
    def lock_cause(self) -> str | None:
        """periods.locks.QUARTER_LOCKED, DEADLINE or None."""
        return self.state.lock.cause if self.state.lock else None

    @property
    def quarter_locked(self) -> bool:
        return self.lock_cause == QUARTER_LOCKED

    @property
    def deadline_passed(self) -> bool:
        state = self.state
        return state.deadline is not None and state.today > state.deadline

    @property
    def deadline(self) -> datetime.date | None:
        return self.state.deadline

    @property
    def open_until(self) -> datetime.date | None:
        """The deadline, or the end of a running reopening."""
        return self.state.open_until

    @property
    def reopened(self) -> bool:
        return self.state.reopening is not None

    @property
    def days_left(self) -> int | None:
        return self.state.days_left

    @property
    def ended(self) -> bool:
        """The quarter (the year) is over, so its realisasi can be entered in full."""
        return self.state.today > period_end(self.year, self.quarter)

    @property
    def status_label(self) -> str:
        """The lock state in a few words (the lock's full message says the rest)."""
        if self.quarter_locked:
            return "dikunci perencana"
        if self.locked:
            return "lewat batas waktu"
        if self.reopened:
            return "dibuka kembali"
        return "terbuka"

    @property
    def fully_verified(self) -> bool:
        """Every expected indicator has an entry and every entry is verified: it may be locked."""
        return (
            self.expected > 0 and self.missing == 0 and self.verified == self.expected and not self.other_unverified
        )

    @property
    def needs_action(self) -> bool:
        """Still open, and something is missing or was returned."""
        return not self.locked and bool(self.missing or self.returned)

    @property
    def lock_refusal(self) -> str:
        """Why the quarter may not be locked yet ("" when it may)."""
        if self.quarter is None:
            return "laporan tahunan tidak dikunci per triwulan"
        if self.quarter_locked:
            return self.lock.message  # type: ignore[union-attr]
        if self.expected == 0:
            return (
                f"{self.label} belum dapat dikunci: belum ada indikator dengan target tahun {self.year} "
                "pada Renstra yang berlaku"
            )
        parts = []
        if self.missing:
            parts.append(f"{self.missing} indikator belum diisi")
        unverified = self.entered - self.verified + self.other_unverified
        if unverified:
            parts.append(f"{unverified} realisasi belum diverifikasi")
        if not parts:
            return ""
        return f"{self.label} belum dapat dikunci: " + " dan ".join(parts) + "."


def completeness(
    *,
    agencies: Sequence[Agency],
    year: int,
    quarters: Iterable[int | None] = QUARTERS,
    on: datetime.date | None = None,
    with_items: bool = True,
) -> dict[tuple[int, int | None], PeriodCompleteness]:
    """(agency id, quarter or None) → its completeness, for every agency and period asked for.

    Seven queries whatever the number of agencies and periods (three for the period states,
    one each for the plans, the expected indicators, the entry counts and the returned entries);
    fewer when nothing is planned. `with_items=False` leaves the item lists empty (the counts
    stay) and skips the returned entries' query.
    """
    agencies = list(agencies)
    quarters = list(dict.fromkeys(quarters))
    on = on or today()
    states = period_states(agencies=agencies, years=[year], on=on)
    result = {
        (a.pk, q): PeriodCompleteness(agency=a, year=year, quarter=q, state=states[(a.pk, year, q)])
        for a in agencies
        for q in quarters
    }
    if not agencies:
        return result
    plans = _plans_covering(agencies=agencies, year=year)
    if not plans:
        return result
    agency_of_plan = {plan_id: agency_id for agency_id, plan_id in plans.items()}

    # 1. The expected indicators, each with whether it has an entry per period (for the year's
    #    report: any realisasi of the year).
    flags = {}
    for q in quarters:
        entries = Realization.objects.filter(indicator_id=OuterRef("pk"), year=year)
        flags[f"has_{q or 'year'}"] = Exists(entries if q is None else entries.filter(quarter=q))
    expected = (
        expected_indicators_query(plan_ids=plans.values(), year=year)
        .annotate(**flags)
        .order_by("plan_id", "order", "code")
        .values("pk", "plan_id", "code", "name", *flags)
    )
    for row in expected:
        agency_id = agency_of_plan[row["plan_id"]]
        for q in quarters:
            period = result[(agency_id, q)]
            period.expected += 1
            if row[f"has_{q or 'year'}"]:
                period.entered += 1
            elif with_items:
                period.missing_items.append(Item(row["pk"], row["code"], row["name"], MISSING))

    # 2. The entries, counted by agency, period, review state and whether they are expected.
    has_target = Exists(Target.objects.filter(indicator_id=OuterRef("indicator_id"), year=year))
    has_evidence = Exists(Evidence.objects.filter(realization_id=OuterRef("pk")))
    in_periods = Q(quarter__in=[q for q in quarters if q is not None])
    if ANNUAL in quarters:
        in_periods |= Q(quarter__isnull=True)
    entries = Realization.objects.filter(in_periods, indicator__plan_id__in=plans.values(), year=year)
    review = Realization.Review
    counts = (
        entries.annotate(expected=has_target, has_evidence=has_evidence)
        .values("indicator__plan_id", "quarter", "expected")
        .annotate(
            total=Count("pk"),
            draft=Count("pk", filter=Q(review=review.DRAFT)),
            submitted=Count("pk", filter=Q(review=review.SUBMITTED)),
            verified=Count("pk", filter=Q(review=review.VERIFIED)),
            returned=Count("pk", filter=Q(review=review.RETURNED)),
            with_evidence=Count("pk", filter=Q(has_evidence=True)),
        )
        .order_by()
    )
    for row in counts:
        period = result[(agency_of_plan[row["indicator__plan_id"]], row["quarter"])]
        if not row["expected"]:
            period.other_unverified += row["total"] - row["verified"]
            continue
        period.draft += row["draft"]
        period.submitted += row["submitted"]
        period.verified += row["verified"]
        period.returned += row["returned"]
        period.with_evidence += row["with_evidence"]

    # 3. The returned entries, with the planner's reason.
    if with_items:
        returned = (
            entries.filter(review=review.RETURNED)
            .annotate(expected=has_target)
            .filter(expected=True)
            .order_by("indicator__plan_id", "indicator__order", "indicator__code")
            .values("indicator_id", "indicator__plan_id", "indicator__code", "indicator__name", "quarter",
                    "review_note")
        )
        for row in returned:
            key = (agency_of_plan[row["indicator__plan_id"]], row["quarter"])
            if key in result:
                result[key].returned_items.append(
                    Item(row["indicator_id"], row["indicator__code"], row["indicator__name"], RETURNED,
                         row["review_note"])
                )
    return result


def agency_completeness(
    *, agency: Agency, year: int, on: datetime.date | None = None
) -> list[PeriodCompleteness]:
    """The four quarters of one agency's year (the agency page)."""
    found = completeness(agencies=[agency], year=year, quarters=QUARTERS, on=on)
    return [found[(agency.pk, q)] for q in QUARTERS]


def action_periods(
    *,
    agencies: Sequence[Agency],
    on: datetime.date | None = None,
    years: Iterable[int] | None = None,
) -> list[PeriodCompleteness]:
    """Periods that need the agency's action: over (the quarter or year has ended), not locked,
    with entries missing or returned. The home page's "Perlu tindakan" list and the reminder
    e-mails. Years by default: this year, the last one (its TW IV and report fall due in this
    one) and any year with a running reopening. Ordered by what is due first."""
    on = on or today()
    if years is None:
        reopened = Reopening.objects.filter(agency__in=[a.pk for a in agencies], until__gte=on).values_list("year", flat=True)
        years = {on.year - 1, on.year, *reopened}
    years = sorted(set(years))
    found = []
    for year in years:
        periods = completeness(agencies=agencies, year=year, quarters=(*QUARTERS, ANNUAL), on=on)
        found += [p for p in periods.values() if p.ended and p.needs_action]
    far = datetime.date.max
    found.sort(key=lambda p: (p.open_until or far, p.agency.name, p.year, p.quarter or 5))
    return found


__all__ = [
    "ANNUAL", "DEADLINE", "QUARTER_LOCKED", "Item", "PeriodCompleteness", "action_periods", "agency_completeness",
    "completeness", "coverage", "expected_indicator_ids", "expected_indicators_query", "period_end",
]
