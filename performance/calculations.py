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


# ---- the cap used when averaging ----

# Each indicator's capaian counts at most 120 % in a tujuan/sasaran/program figure unless the
# Pemda's scale says otherwise (RatingScale.objective_cap, or objective_uncapped for none). Why
# 120: no seed states a cap, but Bekasi's own scale tops out at "110–120" (002:L437) and 120 % is
# the ceiling most Pemda LKjIP guidelines use, so one over-achieving output indicator (Tangerang
# IKD18 at 330,96 %) cannot lift a tujuan above what its other indicators show. README explains.
DEFAULT_CAP = Decimal(120)


class CapSource(StrEnum):
    DEFAULT = "bawaan"  # the scale sets none: DEFAULT_CAP
    SCALE = "skala"  # the scale's own objective_cap
    NONE = "tanpa"  # the scale says: no cap


def aggregation_cap(cap: Decimal | None, uncapped: bool) -> tuple[Decimal | None, CapSource]:
    """The cap used in averaging from a scale's settings (both empty: the default)."""
    if uncapped:
        return None, CapSource.NONE
    if cap is not None:
        return cap, CapSource.SCALE
    return DEFAULT_CAP, CapSource.DEFAULT


def cap_statement(cap: Decimal | None) -> str:
    """The sentence a document prints about the cap (Indonesian)."""
    if cap is None:
        return "Capaian indikator dihitung apa adanya dalam rata-rata, tanpa batas atas."
    shown = format_id(cap)
    return f"Capaian indikator di atas {shown} % dihitung {shown} % dalam rata-rata."


# ---- an indicator's state ----


class IndicatorState(StrEnum):
    MEASURED = "terukur"
    NO_TARGET = "tanpa_target"
    NO_ACTUAL = "belum_ada_realisasi"
    NEITHER = "tanpa_target_dan_realisasi"
    NOT_COMPUTABLE = "tidak_dapat_dihitung"  # target 0


STATE_LABEL = {
    IndicatorState.MEASURED: "terukur",
    IndicatorState.NO_TARGET: "tanpa target",
    IndicatorState.NO_ACTUAL: "belum ada realisasi",
    IndicatorState.NEITHER: "tanpa target dan belum ada realisasi",
    IndicatorState.NOT_COMPUTABLE: "capaian tidak dapat dihitung",
}


def indicator_state(*, has_target: bool, has_actual: bool, measured: bool) -> IndicatorState:
    """Why an indicator has (or has no) capaian: it is listed either way, only a measured one
    enters an average."""
    if measured:
        return IndicatorState.MEASURED
    if not has_target and not has_actual:
        return IndicatorState.NEITHER
    if not has_target:
        return IndicatorState.NO_TARGET
    if not has_actual:
        return IndicatorState.NO_ACTUAL
    return IndicatorState.NOT_COMPUTABLE


# ---- the Renstra end target ----


@dataclass(frozen=True)
class EndGap:
    """What is left to reach the Renstra end target, in the indicator's unit.

    remaining ≥ 0 is how far the value still has to rise (positive polarity) or fall
    (negative); reached when nothing remains. None when either value is missing.
    """

    remaining: Decimal | None
    direction: str  # "naik" (higher is better) or "turun" (lower is better)
    reached: bool | None


def end_gap(end_target: Decimal | None, actual: Decimal | None, polarity: Polarity | str) -> EndGap:
    negative = Polarity(polarity) is Polarity.NEGATIVE
    direction = "turun" if negative else "naik"
    if end_target is None or actual is None:
        return EndGap(None, direction, None)
    left = actual - end_target if negative else end_target - actual
    if left <= 0:
        return EndGap(Decimal(0), direction, True)
    return EndGap(left, direction, False)


# ---- did an activity run ----

REASON_NOT_SPENT = "pagu tersedia tetapi realisasi anggaran 0"
REASON_NO_OUTPUT = "realisasi keluaran 0"


def not_run_reason(
    *, ceiling: Decimal | None = None, spent: Decimal | None = None,
    outputs: Sequence[tuple[Decimal | None, Polarity | str]] = (),
) -> str:
    """Why a program/kegiatan/sub kegiatan did not run, or "" when nothing says so.

    It did not run when it had a pagu and spent nothing, or when every measured output of it
    (realisasi, polarity) is 0 where more is better (0 of 30 trained). A lower-is-better
    indicator at 0 is a success, not a sign that nothing happened.
    """
    if ceiling is not None and ceiling > 0 and (spent or Decimal(0)) == 0:
        return REASON_NOT_SPENT
    positive = [value for value, polarity in outputs
                if value is not None and Polarity(polarity) is Polarity.POSITIVE]
    measured = [value for value, _ in outputs if value is not None]
    if positive and len(positive) == len(measured) and all(value == 0 for value in positive):
        return REASON_NO_OUTPUT
    return ""


class EfficiencyVerdict(StrEnum):
    EFFICIENT = "efisien"
    NOT_EFFICIENT = "tidak_efisien"
    NOT_RUN = "tidak_dilaksanakan"
    PARTLY_NOT_RUN = "sebagian_tidak_dilaksanakan"
    NOT_ASSESSED = "belum_dapat_dinilai"


VERDICT_LABEL = {
    EfficiencyVerdict.EFFICIENT: "efisien",
    EfficiencyVerdict.NOT_EFFICIENT: "tidak efisien",
    EfficiencyVerdict.NOT_RUN: "tidak dilaksanakan",
    EfficiencyVerdict.PARTLY_NOT_RUN: "sebagian kegiatan tidak dilaksanakan",
    EfficiencyVerdict.NOT_ASSESSED: "belum dapat dinilai",
}


def efficiency_verdict(gap: Decimal | None, *, lines: int, not_run: int, partly_not_run: int = 0) -> EfficiencyVerdict:
    """The word for one efficiency line (a sasaran's programs, or one program).

    `lines` supporting items, `not_run` of them did not run at all, `partly_not_run` ran only in
    part (one of their kegiatan did not run). Money not spent because an activity did not run is
    no saving: such a line is never called efficient, whatever capaian − serapan gives.
    """
    if lines and not_run == lines:
        return EfficiencyVerdict.NOT_RUN
    if not_run or partly_not_run:
        return EfficiencyVerdict.PARTLY_NOT_RUN
    if gap is None:
        return EfficiencyVerdict.NOT_ASSESSED
    return EfficiencyVerdict.EFFICIENT if gap >= 0 else EfficiencyVerdict.NOT_EFFICIENT


# ---- the period an earlier year's data covers ----

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")


def period_label(from_month: int, to_month: int, year: int) -> str:
    """"Oktober–Desember 2022"; "" for the whole year."""
    if (from_month, to_month) == (1, 12):
        return ""
    if from_month == to_month:
        return f"{MONTHS[from_month - 1]} {year}"
    return f"{MONTHS[from_month - 1]}–{MONTHS[to_month - 1]} {year}"


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


# The scale a Pemda without one is rated on: the criteria of Permendagri 86/2017 (evaluation of
# the results of the RKPD/Renja): 91 ≤ 100 Sangat Tinggi, 76 ≤ 90 Tinggi, 66 ≤ 75 Sedang,
# 51 ≤ 65 Rendah, ≤ 50 Sangat Rendah. The regulation's bands are whole numbers with gaps
# (90–91 …) and end at 100; here each band starts at its printed lower bound and runs up to the
# next one, and the top band is open, so 90,5 is Tinggi and 131,71 Sangat Tinggi (as Banjar and
# Bekasi, which print this scale, rate values above 100).
DEFAULT_SCALE_REGULATION = "Permendagri Nomor 86 Tahun 2017"
DEFAULT_SCALE_NAME = f"Kriteria Penilaian Tingkat Capaian Kinerja ({DEFAULT_SCALE_REGULATION})"
DEFAULT_SCALE_SOURCE = (
    "Peraturan Menteri Dalam Negeri Nomor 86 Tahun 2017, kriteria penilaian tingkat capaian kinerja pada evaluasi "
    "hasil rencana pembangunan daerah; dipakai sebagai skala bawaan karena Pemda belum menetapkan skala penilaian"
)
DEFAULT_BANDS: tuple[Band, ...] = (
    Band("Sangat Tinggi", Decimal(91), True, None, False),
    Band("Tinggi", Decimal(76), True, Decimal(91), False),
    Band("Sedang", Decimal(66), True, Decimal(76), False),
    Band("Rendah", Decimal(51), True, Decimal(66), False),
    Band("Sangat Rendah", None, False, Decimal(51), False),
)


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
