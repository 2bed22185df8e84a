"""The capaian engine: pure arithmetic on Decimals. No ORM, no rounding, no Django.

Every figure the app shows comes through here. Values keep full precision; rounding
happens only when a figure is displayed (lkjip.numbers.round2). A value that cannot be
computed is None with a reason — never 0 %.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from lkjip.numbers import format_id

HUNDRED = Decimal(100)


class Polarity(StrEnum):
    POSITIVE = "positif"  # higher is better
    NEGATIVE = "negatif"  # lower is better (e.g. TPT, the open unemployment rate)


class Aggregation(StrEnum):
    CUMULATIVE = "kumulatif"
    LAST = "akhir"
    AVERAGE = "rata-rata"


class ObjectiveMethod(StrEnum):
    MEAN = "rata-rata"
    MEDIAN = "median"
    MINIMUM = "minimum"


# Reasons are user-facing text, so they are Indonesian.
REASON_NO_TARGET = "Target belum ditetapkan"
REASON_ZERO_TARGET = "Target bernilai 0, capaian tidak dapat dihitung"
REASON_NO_ACTUAL = "Realisasi belum tersedia"
REASON_NO_CEILING = "Pagu bernilai 0 atau belum ada"
REASON_NO_INDICATORS = "Tidak ada capaian indikator yang tersedia"


@dataclass(frozen=True)
class Result:
    """A computed figure, or None with the Indonesian reason why it is not available."""

    value: Decimal | None
    reason: str = ""

    @property
    def available(self) -> bool:
        return self.value is not None


def achievement(target: Decimal | None, actual: Decimal | None, polarity: Polarity | str) -> Result:
    """Capaian in percent.

    Positive polarity: R / T × 100. Negative polarity: (2T − R) / T × 100, which is
    (T − (R − T)) / T × 100: every point above target counts against the agency as much
    as every point below target counts for it. Not capped.
    """
    if target is None:
        return Result(None, REASON_NO_TARGET)
    if actual is None:
        return Result(None, REASON_NO_ACTUAL)
    if target == 0:
        return Result(None, REASON_ZERO_TARGET)
    if Polarity(polarity) is Polarity.NEGATIVE:
        return Result((2 * target - actual) / target * HUNDRED)
    return Result(actual / target * HUNDRED)


@dataclass(frozen=True)
class QuarterTotal:
    """The year's value from quarterly values, and up to which quarter it is complete."""

    value: Decimal | None
    through_quarter: int  # highest quarter with a value; 0 when none
    complete: bool  # all quarters the method needs are present


def aggregate_quarters(quarters: Sequence[Decimal | None], method: Aggregation | str) -> QuarterTotal:
    """Combine TW I–IV values (None where missing) into the year's value.

    kumulatif sums the quarters, akhir takes the last available quarter, rata-rata averages
    the available ones. `complete` is False when a quarter the method needs is missing, so
    a partial year is never presented as the full year.
    """
    if len(quarters) != 4:
        raise ValueError("expected four quarters")
    present = [(i + 1, q) for i, q in enumerate(quarters) if q is not None]
    if not present:
        return QuarterTotal(None, 0, False)
    through = present[-1][0]
    values = [q for _, q in present]
    method = Aggregation(method)
    if method is Aggregation.LAST:
        return QuarterTotal(values[-1], through, through == 4)
    all_present = len(present) == 4
    if method is Aggregation.CUMULATIVE:
        return QuarterTotal(sum(values, Decimal(0)), through, all_present)
    return QuarterTotal(sum(values, Decimal(0)) / len(values), through, all_present)


def year_value(annual: Decimal | None, quarters: Sequence[Decimal | None], method: Aggregation | str) -> QuarterTotal:
    """An explicitly reported annual value wins; otherwise the quarters are aggregated."""
    if annual is not None:
        return QuarterTotal(annual, 4, True)
    return aggregate_quarters(quarters, method)


REASON_NO_QUARTER_TARGET = (
    "Tidak ada target triwulan; nilai kumulatif sebelum TW IV belum sebanding dengan target tahunan"
)


@dataclass(frozen=True)
class QuarterAchievement:
    """Capaian to date at one quarter, and what it was measured against."""

    to_date: QuarterTotal
    target: Decimal | None
    basis: str  # "triwulan" (the quarter's Rencana Aksi target), "tahunan", or "" when none
    result: Result


def quarter_to_date(quarters: Sequence[Decimal | None], quarter: int, method: Aggregation | str) -> QuarterTotal:
    """The value to date at TW `quarter`: TW I … `quarter` combined by the indicator's rule."""
    if not 1 <= quarter <= 4:
        raise ValueError("quarter must be 1-4")
    return aggregate_quarters([*quarters[:quarter], *([None] * (4 - quarter))], method)


def quarter_achievement(
    *,
    quarters: Sequence[Decimal | None],
    quarter: int,
    method: Aggregation | str,
    polarity: Polarity | str,
    annual_target: Decimal | None,
    quarter_target: Decimal | None,
) -> QuarterAchievement:
    """Capaian to date: against the quarter's Rencana Aksi target where the PK has one; else
    against the year's target when the value to date is comparable to it (TW IV, or an
    indicator whose year value is its last or average value). A cumulative indicator before
    TW IV without a quarter target has no capaian yet: a part of the year's sum is not a
    shortfall."""
    to_date = quarter_to_date(quarters, quarter, method)
    if quarters[quarter - 1] is None:
        # Earlier quarters alone are not this quarter's realisasi: no capaian yet.
        target = quarter_target if quarter_target is not None else annual_target
        return QuarterAchievement(to_date, target, "", Result(None, REASON_NO_ACTUAL))
    if quarter_target is not None:
        return QuarterAchievement(to_date, quarter_target, "triwulan", achievement(quarter_target, to_date.value, polarity))
    if quarter == 4 or Aggregation(method) is not Aggregation.CUMULATIVE:
        return QuarterAchievement(to_date, annual_target, "tahunan", achievement(annual_target, to_date.value, polarity))
    return QuarterAchievement(to_date, None, "", Result(None, REASON_NO_QUARTER_TARGET))


def objective_achievement(
    values: Iterable[Decimal | None],
    method: ObjectiveMethod | str = ObjectiveMethod.MEAN,
    cap: Decimal | None = None,
) -> Result:
    """Sasaran capaian from its indicators' capaian.

    Indicators without a capaian are left out (and not counted as 0). `cap`, when set,
    limits each indicator's contribution (e.g. 120), never the value shown per indicator.
    """
    available = [v for v in values if v is not None]
    if not available:
        return Result(None, REASON_NO_INDICATORS)
    if cap is not None:
        available = [min(v, cap) for v in available]
    method = ObjectiveMethod(method)
    if method is ObjectiveMethod.MINIMUM:
        return Result(min(available))
    if method is ObjectiveMethod.MEDIAN:
        ordered = sorted(available)
        mid = len(ordered) // 2
        if len(ordered) % 2:
            return Result(ordered[mid])
        return Result((ordered[mid - 1] + ordered[mid]) / 2)
    return Result(sum(available, Decimal(0)) / len(available))


def absorption(realization: Decimal | None, ceiling: Decimal | None) -> Result:
    """Budget absorption (serapan) in percent: realisasi / pagu × 100."""
    if not ceiling:
        return Result(None, REASON_NO_CEILING)
    return Result((realization or Decimal(0)) / ceiling * HUNDRED)


def efficiency_gap(achievement_pct: Decimal | None, absorption_pct: Decimal | None) -> Decimal | None:
    """Capaian kinerja minus serapan anggaran, in percentage points (the rule Banjar prints).

    Positive means more performance than money spent.
    """
    if achievement_pct is None or absorption_pct is None:
        return None
    return achievement_pct - absorption_pct


# ---- targets ----

# Which document's target the year is measured against: the PK as amended, then the PK,
# then the Renstra as revised, then the Renstra (DOMAIN.md). The others are shown beside it.
TARGET_PRIORITY: tuple[tuple[str, str], ...] = (
    ("pk", "perubahan"),
    ("pk", "murni"),
    ("renstra", "perubahan"),
    ("renstra", "murni"),
    ("iku", "murni"),
    ("renja", "murni"),
)


def authoritative_key(keys: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    """The (document, version) that counts, out of those that have a target."""
    present = set(keys)
    for key in TARGET_PRIORITY:
        if key in present:
            return key
    return None


# ---- rating scales ----


@dataclass(frozen=True)
class Band:
    label: str
    lower: Decimal | None  # None = from −∞
    lower_inclusive: bool
    upper: Decimal | None  # None = to +∞
    upper_inclusive: bool

    def contains(self, value: Decimal) -> bool:
        if self.lower is not None and (value < self.lower or (value == self.lower and not self.lower_inclusive)):
            return False
        if self.upper is not None and (value > self.upper or (value == self.upper and not self.upper_inclusive)):
            return False
        return True

    def describe(self) -> str:
        """'76 ≤ x < 91' style, for messages and the report's methodology section."""
        left = "" if self.lower is None else f"{format_id(self.lower)} {'≤' if self.lower_inclusive else '<'} "
        right = "" if self.upper is None else f" {'≤' if self.upper_inclusive else '<'} {format_id(self.upper)}"
        return f"{left}x{right}"


def rate(value: Decimal | None, bands: Sequence[Band]) -> str | None:
    """The label of the band that holds the value; None when there is no value."""
    if value is None:
        return None
    for band in bands:
        if band.contains(value):
            return band.label
    return None


def validate_bands(bands: Sequence[Band]) -> list[str]:
    """Every problem that stops the bands from covering −∞..+∞ exactly once (Indonesian).

    An empty list means every value, decimals and values above 100 included, falls in
    exactly one band.
    """
    if not bands:
        return ["Skala penilaian tidak memiliki rentang."]
    problems = []
    for band in bands:
        if band.lower is not None and band.upper is not None:
            if band.lower > band.upper or (
                band.lower == band.upper and not (band.lower_inclusive and band.upper_inclusive)
            ):
                problems.append(f"Rentang '{band.label}' kosong ({band.describe()}).")
    if problems:
        return problems

    def start_key(band: Band) -> tuple[int, Decimal, int]:
        if band.lower is None:
            return (0, Decimal(0), 0)
        return (1, band.lower, 0 if band.lower_inclusive else 1)

    ordered = sorted(bands, key=start_key)
    if ordered[0].lower is not None:
        problems.append(f"Tidak ada rentang untuk nilai di bawah {ordered[0].describe()} ('{ordered[0].label}').")
    for current, following in zip(ordered, ordered[1:], strict=False):
        if current.upper is None:
            problems.append(f"Rentang '{current.label}' dan '{following.label}' tumpang tindih.")
            continue
        if following.lower is None:
            problems.append(f"Rentang '{current.label}' dan '{following.label}' tumpang tindih.")
            continue
        if current.upper < following.lower:
            problems.append(
                f"Ada celah antara '{current.label}' ({current.describe()}) dan "
                f"'{following.label}' ({following.describe()})."
            )
        elif current.upper > following.lower:
            problems.append(f"Rentang '{current.label}' dan '{following.label}' tumpang tindih.")
        elif current.upper_inclusive and following.lower_inclusive:
            problems.append(
                f"Nilai batas masuk ke dua rentang: '{current.label}' dan '{following.label}' sama-sama "
                "inklusif pada batasnya."
            )
        elif not current.upper_inclusive and not following.lower_inclusive:
            problems.append(
                f"Nilai batas tidak masuk rentang mana pun: '{current.label}' dan '{following.label}' "
                "sama-sama eksklusif pada batasnya."
            )
    if ordered[-1].upper is not None:
        problems.append(f"Tidak ada rentang untuk nilai di atas {ordered[-1].describe()} ('{ordered[-1].label}').")
    return problems
