"""Whether a period's entries may still change, and if not, why.

One answer for every write path: the entry forms, the workbook importer, the admin and the API
ask `period_states` (or `period_lock` for one period) before writing realisasi or budget
spending of a period, and show the lock's own message. The causes (after DHIS2's distinct
lock messages): the Pemda's deadline has passed (unless it granted the agency a reopening that
still runs), or the agency planner closed the quarter. A third cause, an approved PK, guards
targets and lives in performance.rules.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format

from agencies.models import Agency

from .models import QUARTERS, QuarterLock, Reopening, ReportingCalendar, period_label

DEADLINE = "deadline"
QUARTER_LOCKED = "quarter_locked"


@dataclass(frozen=True)
class Lock:
    cause: str
    message: str


@dataclass(frozen=True)
class PeriodState:
    """One period (a quarter, or None for the year's report) of one agency on one day."""

    year: int
    quarter: int | None
    today: datetime.date
    deadline: datetime.date | None
    reopening: Reopening | None
    quarter_lock: QuarterLock | None

    @property
    def label(self) -> str:
        return period_label(self.year, self.quarter)

    @property
    def days_left(self) -> int | None:
        """Days until the deadline that applies (a running reopening's end wins)."""
        end = self.open_until
        return None if end is None else (end - self.today).days

    @property
    def open_until(self) -> datetime.date | None:
        if self.reopening is not None:
            return self.reopening.until
        return self.deadline

    @property
    def lock(self) -> Lock | None:
        if self.quarter_lock is not None:
            lock = self.quarter_lock
            return Lock(
                QUARTER_LOCKED,
                f"{self.label} sudah dikunci oleh {lock.locked_by_label} pada "
                f"{date_format(timezone.localtime(lock.locked_at), 'j F Y')}.",
            )
        if self.deadline is not None and self.today > self.deadline and self.reopening is None:
            return Lock(
                DEADLINE,
                f"Batas waktu pengisian {self.label} telah lewat pada {date_format(self.deadline, 'j F Y')}.",
            )
        return None

    @property
    def locked(self) -> bool:
        return self.lock is not None


def today() -> datetime.date:
    return timezone.localdate()


def period_states(
    *, agencies: list[Agency], years: Iterable[int], on: datetime.date | None = None
) -> dict[tuple[int, int, int | None], PeriodState]:
    """(agency id, year, quarter or None) → its state, for every agency and year given: three
    queries however many."""
    on = on or today()
    years = sorted(set(years))
    calendars = {
        (c.government_id, c.year): c
        for c in ReportingCalendar.objects.filter(
            government_id__in={a.government_id for a in agencies}, year__in=years
        )
    }
    ids = [a.pk for a in agencies]
    locks = {
        (q.agency_id, q.year, q.quarter): q for q in QuarterLock.objects.filter(agency_id__in=ids, year__in=years)
    }
    reopenings: dict[tuple[int, int, int | None], Reopening] = {}
    # The running reopening that lasts longest is the one that counts.
    for r in Reopening.objects.filter(agency_id__in=ids, year__in=years, until__gte=on).order_by("until", "pk"):
        reopenings[(r.agency_id, r.year, r.quarter)] = r
    states = {}
    for agency in agencies:
        for year in years:
            calendar = calendars.get((agency.government_id, year))
            for quarter in (*QUARTERS, None):
                key = (agency.pk, year, quarter)
                states[key] = PeriodState(
                    year=year,
                    quarter=quarter,
                    today=on,
                    deadline=calendar.deadline(quarter) if calendar else None,
                    reopening=reopenings.get(key),
                    quarter_lock=locks.get(key) if quarter else None,
                )
    return states


def agency_periods(*, agency: Agency, year: int, on: datetime.date | None = None) -> dict[int | None, PeriodState]:
    states = period_states(agencies=[agency], years=[year], on=on)
    return {quarter: state for (_, _, quarter), state in states.items()}


def agency_years_periods(
    *, agency: Agency, years: Iterable[int], on: datetime.date | None = None
) -> dict[tuple[int, int | None], PeriodState]:
    """(year, quarter) → state for one agency over several years (an import's rows)."""
    states = period_states(agencies=[agency], years=years, on=on)
    return {(year, quarter): state for (_, year, quarter), state in states.items()}


def period_lock(*, agency: Agency, year: int, quarter: int | None, on: datetime.date | None = None) -> Lock | None:
    return agency_periods(agency=agency, year=year, on=on)[quarter].lock
