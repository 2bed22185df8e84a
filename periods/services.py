"""Every write of the reporting calendar, the quarter locks and the reopenings.

Keyword-only, one transaction each, with the audit entries written in it (audit.services).
A refusal raises performance.rules.RuleViolation with an Indonesian message and writes nothing;
the pages show the message, the admin shows it as a form error (`instance_violations`).
Writes about one agency take its write lock (agencies.locks), so a lock or a reopening never
lands in the middle of an entry being saved; a calendar change takes the lock of every agency
of the Pemda.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.formats import date_format

from agencies.locks import agency_lock
from agencies.models import Agency, Government
from audit import services as audit
from audit.services import SYSTEM_LABEL, AuditContext
from performance.rules import RuleViolation, Violation

from .completeness import completeness, period_end
from .locks import agency_periods, today
from .models import QUARTERS, QuarterLock, Reopening, ReportingCalendar, period_label

DEADLINE_FIELDS = ("q1_deadline", "q2_deadline", "q3_deadline", "q4_deadline", "annual_deadline")
DEADLINE_LABELS = {
    "q1_deadline": "batas TW I",
    "q2_deadline": "batas TW II",
    "q3_deadline": "batas TW III",
    "q4_deadline": "batas TW IV",
    "annual_deadline": "batas laporan tahunan",
}


def actor_label(ctx: AuditContext) -> str:
    """Who is acting, as stored next to a lock or a reopening: the full name, else the username."""
    if ctx.user_id is None:
        return SYSTEM_LABEL
    user = ctx.user
    return (getattr(user, "full_name", "") or user.get_full_name() or user.get_username())[:200]


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def _require_reason(ctx: AuditContext) -> None:
    if not ctx.reason.strip():
        raise RuleViolation([Violation(None, "reason", "", "alasan wajib diisi")])


# ---- the calendar ----


def calendar_violations(*, year: int, deadlines: Mapping[str, Any]) -> list[Violation]:
    """Each quarter's deadline after the quarter ends, the quarters in order, the annual report
    on or after TW IV. Keys are the field names (q1_deadline … annual_deadline)."""
    problems = []
    for name in DEADLINE_FIELDS:
        value = deadlines.get(name)
        if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
            problems.append(Violation(name, name, "" if value is None else str(value),
                                      f"{DEADLINE_LABELS[name]} wajib diisi dengan tanggal"))
    if problems:
        return problems
    for quarter in QUARTERS:
        name = f"q{quarter}_deadline"
        ends = period_end(year, quarter)
        if deadlines[name] <= ends:
            problems.append(Violation(
                name, name, deadlines[name].isoformat(),
                f"{DEADLINE_LABELS[name]} harus setelah triwulan itu berakhir ({_day(ends)})",
            ))
    for earlier, later in zip(DEADLINE_FIELDS[:3], DEADLINE_FIELDS[1:4], strict=True):
        if deadlines[later] <= deadlines[earlier]:
            problems.append(Violation(
                later, later, deadlines[later].isoformat(),
                f"{DEADLINE_LABELS[later]} harus setelah {DEADLINE_LABELS[earlier]} ({_day(deadlines[earlier])})",
            ))
    if deadlines["annual_deadline"] < deadlines["q4_deadline"]:
        problems.append(Violation(
            "annual_deadline", "annual_deadline", deadlines["annual_deadline"].isoformat(),
            f"batas laporan tahunan tidak boleh sebelum batas TW IV ({_day(deadlines['q4_deadline'])})",
        ))
    return problems


@transaction.atomic
def calendar_set(
    *, government: Government, year: int, deadlines: Mapping[str, datetime.date], ctx: AuditContext
) -> ReportingCalendar:
    """Set the Pemda's five deadlines for the year (created, or changed where they differ)."""
    unknown = set(deadlines) - set(DEADLINE_FIELDS)
    if unknown:
        raise ValueError(f"unknown deadline fields {sorted(unknown)}")
    violations = calendar_violations(year=year, deadlines=deadlines)
    if violations:
        raise RuleViolation(violations)
    # Every agency's locks follow the calendar: let saves in progress finish first.
    for code in sorted(Agency.objects.filter(government=government).values_list("code", flat=True)):
        agency_lock(code)
    calendar, _ = audit.upsert_one(
        model=ReportingCalendar,
        lookup={"government_id": government.pk, "year": year},
        values={name: deadlines[name] for name in DEADLINE_FIELDS},
        ctx=ctx,
    )
    return calendar


# ---- quarter locks ----


def _check_quarter(quarter: int) -> None:
    if quarter not in QUARTERS:
        raise RuleViolation([Violation(None, "quarter", str(quarter), "triwulan harus 1 sampai 4")])


@transaction.atomic
def quarter_lock(*, agency: Agency, year: int, quarter: int, ctx: AuditContext) -> QuarterLock:
    """The agency planner closes a fully verified quarter: every expected indicator
    (periods.completeness.expected_indicator_ids) has an entry and every entry is verified.
    Otherwise refused, saying how many are missing and unverified."""
    _check_quarter(quarter)
    agency_lock(agency.code)
    period = completeness(agencies=[agency], year=year, quarters=[quarter], with_items=False)[(agency.pk, quarter)]
    refusal = period.lock_refusal
    if refusal:
        raise RuleViolation([Violation(None, "quarter", str(quarter), refusal)])
    lock = QuarterLock(
        agency=agency, year=year, quarter=quarter, locked_by=ctx.user if ctx.user_id else None,
        locked_by_label=actor_label(ctx), locked_at=ctx.at,
    )
    audit.instance_save(instance=lock, ctx=ctx)
    return lock


@transaction.atomic
def quarter_unlock(*, agency: Agency, year: int, quarter: int, ctx: AuditContext) -> None:
    """Open a locked quarter again (the reason is required and goes into the trail). A passed
    deadline still holds afterwards: only the Pemda's reopening lifts that."""
    _check_quarter(quarter)
    _require_reason(ctx)
    agency_lock(agency.code)
    lock = QuarterLock.objects.select_related("agency").filter(agency=agency, year=year, quarter=quarter).first()
    if lock is None:
        raise RuleViolation([Violation(None, "quarter", str(quarter), f"{period_label(year, quarter)} tidak sedang dikunci")])
    audit.objects_delete(objects=[lock], ctx=ctx)


# ---- reopenings ----


@transaction.atomic
def reopening_grant(
    *, agency: Agency, year: int, quarter: int | None, until: datetime.date, ctx: AuditContext
) -> Reopening:
    """The Pemda lets the agency enter a period (a quarter, None: the year's report) after its
    deadline, through `until`. Needs a reason and a calendar for the year; `until` is today or
    later and after the period's deadline (a reopening ending before it would change nothing).
    A quarter the agency has locked stays locked until its planner unlocks it."""
    if quarter is not None:
        _check_quarter(quarter)
    _require_reason(ctx)
    agency_lock(agency.code)
    label = period_label(year, quarter)
    state = agency_periods(agency=agency, year=year)[quarter]
    problems = []
    if state.deadline is None:
        problems.append(Violation(
            None, "period", label,
            f"Pemda belum menetapkan kalender pelaporan {year}: {label} belum memiliki batas waktu, "
            "jadi tidak perlu dibuka kembali",
        ))
    if until < state.today:
        problems.append(Violation(None, "until", until.isoformat(),
                                  f"tanggal akhir pembukaan tidak boleh sebelum hari ini ({_day(state.today)})"))
    elif state.deadline is not None and until <= state.deadline:
        problems.append(Violation(
            None, "until", until.isoformat(),
            f"tanggal akhir pembukaan harus setelah batas waktu {label} ({_day(state.deadline)})",
        ))
    if problems:
        raise RuleViolation(problems)
    reopening = Reopening(
        agency=agency, year=year, quarter=quarter, until=until, reason=ctx.reason.strip(),
        granted_by=ctx.user if ctx.user_id else None, granted_by_label=actor_label(ctx), granted_at=ctx.at,
    )
    audit.instance_save(instance=reopening, ctx=ctx)
    return reopening


@transaction.atomic
def reopening_end(*, reopening: Reopening, ctx: AuditContext) -> Reopening:
    """End a running reopening early: it lasted through yesterday. The reason is required; who
    ended it, when and why are kept on the record and in the trail."""
    _require_reason(ctx)
    agency_lock(reopening.agency.code)
    reopening = Reopening.objects.select_for_update().select_related("agency").get(pk=reopening.pk)
    now = today()
    if reopening.until < now:
        raise RuleViolation([Violation(reopening.pk, "until", reopening.until.isoformat(),
                                       f"pembukaan ini sudah berakhir pada {_day(reopening.until)}")])
    reopening.until = now - datetime.timedelta(days=1)
    reopening.ended_by = ctx.user if ctx.user_id else None
    reopening.ended_by_label = actor_label(ctx)
    reopening.ended_at = ctx.at
    reopening.end_reason = ctx.reason.strip()
    audit.instance_save(instance=reopening, ctx=ctx)
    return reopening


# ---- the admin ----


def instance_violations(*, instance: Any, deleting: bool = False) -> list[Violation]:
    """The admin edits calendars only (locks and reopenings are read-only there)."""
    if isinstance(instance, ReportingCalendar) and not deleting:
        return calendar_violations(
            year=instance.year, deadlines={name: getattr(instance, name) for name in DEADLINE_FIELDS}
        )
    return []


@transaction.atomic
def instance_save(*, instance: Any, ctx: AuditContext) -> dict:
    violations = instance_violations(instance=instance)
    if violations:
        raise RuleViolation(violations)
    return audit.instance_save(instance=instance, ctx=ctx)
