"""Deadline reminders: N days before a period closes (settings.REMINDER_DAYS, default 7, 3, 1),
each operator and planner of an agency with entries still missing or returned in it gets one
e-mail listing them, with links.

Which periods: those whose deadline (from the Pemda's calendar) or, for an agency granted a
reopening, whose reopening end is exactly N days after the reminder's date. Which entries:
periods.completeness.action_periods, the same selector as the home page's "Perlu tindakan".
Who: the agency's members with role operator (staff) or planner, active, with an e-mail address.

Idempotent per day: every e-mail sent is recorded as a SentReminder (user, agency, period,
day; unique), claimed before the message goes out and released again if sending fails, so
running the task and the command on the same day, twice, or at once, sends each reminder once.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.formats import date_format

from agencies.models import Agency, AgencyMembership, User

from .completeness import PeriodCompleteness, action_periods
from .links import absolute, entry_url
from .models import Reopening, ReportingCalendar, SentReminder
from .selectors import ACTION_ROLES
from .services import DEADLINE_FIELDS
from .templatetags.periods import sisa_hari

SENT, DUE, SKIPPED, FAILED = "terkirim", "akan dikirim", "dilewati", "gagal"


def _one_line(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Reminder:
    user: User
    period: PeriodCompleteness

    @property
    def agency(self) -> Agency:
        return self.period.agency

    @property
    def days_left(self) -> int:
        return self.period.days_left  # type: ignore[return-value]

    @property
    def key(self) -> tuple[int, int, int, int]:
        return (self.user.pk, self.agency.pk, self.period.year, self.period.quarter or 0)

    @property
    def closes(self) -> str:
        return date_format(self.period.open_until, "j F Y")

    @property
    def summary(self) -> str:
        p = self.period
        parts = [f"{p.missing} belum diisi"] if p.missing else []
        parts += [f"{p.returned} dikembalikan"] if p.returned else []
        return ", ".join(parts)

    @property
    def subject(self) -> str:
        p = self.period
        return _one_line(
            f"[LKjIP] {p.label} {self.agency.name}: {self.summary} — batas {self.closes} ({sisa_hari(self.days_left)})"
        )[:250]

    @property
    def body(self) -> str:
        p = self.period
        name = self.user.full_name or self.user.get_full_name() or self.user.get_username()
        what = "pembukaan kembali" if p.reopened else "pengisian"
        lines = [
            f"Yth. {_one_line(name)},",
            "",
            f"Batas {what} realisasi {p.label} {_one_line(self.agency.name)} ({_one_line(self.agency.government.name)})"
            f" adalah {self.closes} ({sisa_hari(self.days_left)}). Sesudah itu realisasinya tidak dapat diubah lagi.",
            "",
            f"Masih perlu dilengkapi ({self.summary}):",
        ]
        for item in p.items:
            line = f"- {item.code} {_one_line(item.name)}: {item.problem}"
            if item.returned and item.note:
                line += f" — alasan: {_one_line(item.note)}"
            lines.append(line)
        lines += [
            "",
            f"Isi atau perbaiki di: {absolute(entry_url(self.agency.code, p.year, p.quarter))}",
            f"Ringkasan perangkat daerah: {absolute(entry_url(self.agency.code, p.year, None))}",
            "",
            "Pesan ini dikirim otomatis oleh aplikasi LKjIP kepada operator dan perencana perangkat daerah.",
        ]
        return "\n".join(lines)

    def message(self) -> EmailMessage:
        return EmailMessage(subject=self.subject, body=self.body, to=[self.user.email])


def reminders_due(*, on: datetime.date, days: list[int] | None = None) -> list[Reminder]:
    """Every reminder the day `on` calls for (sent or not)."""
    days = sorted(set(settings.REMINDER_DAYS if days is None else days))
    dates = [on + datetime.timedelta(days=n) for n in days]
    if not dates:
        return []
    # The periods that close on one of those dates: by the Pemda's calendar, or a reopening's end.
    by_deadline = Q()
    for name in DEADLINE_FIELDS:
        by_deadline |= Q(**{f"{name}__in": dates})
    governments_by_year: dict[int, set[int]] = defaultdict(set)
    for government_id, year in ReportingCalendar.objects.filter(by_deadline).values_list("government_id", "year"):
        governments_by_year[year].add(government_id)
    agencies_by_year: dict[int, set[int]] = defaultdict(set)
    for agency_id, year in Reopening.objects.filter(until__in=dates).values_list("agency_id", "year"):
        agencies_by_year[year].add(agency_id)
    periods: list[PeriodCompleteness] = []
    for year in sorted(set(governments_by_year) | set(agencies_by_year)):
        agencies = list(
            Agency.objects.filter(Q(government_id__in=governments_by_year[year]) | Q(pk__in=agencies_by_year[year]))
            .select_related("government")
            .order_by("name")
        )
        periods += [p for p in action_periods(agencies=agencies, on=on, years=[year]) if p.days_left in days]
    if not periods:
        return []
    people: dict[int, list[User]] = defaultdict(list)
    memberships = (
        AgencyMembership.objects.filter(
            agency__in={p.agency.pk for p in periods}, role__in=ACTION_ROLES, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__username")
    )
    for membership in memberships:
        people[membership.agency_id].append(membership.user)
    return [Reminder(user=user, period=p) for p in periods for user in people[p.agency.pk]]


@dataclass
class Outcome:
    reminder: Reminder
    status: str  # SENT, DUE (dry run), SKIPPED (already sent that day), FAILED
    error: str = ""


def reminders_send(*, on: datetime.date, dry_run: bool = False, days: list[int] | None = None) -> list[Outcome]:
    """Send the day's reminders that have not gone out yet (dry_run: only say which would)."""
    due = reminders_due(on=on, days=days)
    sent_before = set(
        SentReminder.objects.filter(sent_on=on).values_list("user_id", "agency_id", "year", "period")
    )
    outcomes = []
    for reminder in due:
        if reminder.key in sent_before:
            outcomes.append(Outcome(reminder, SKIPPED))
            continue
        if dry_run:
            outcomes.append(Outcome(reminder, DUE))
            continue
        user_id, agency_id, year, period = reminder.key
        try:
            # Claim it first: a second run at the same moment meets the unique constraint.
            with transaction.atomic():
                claim = SentReminder.objects.create(
                    user_id=user_id, agency_id=agency_id, year=year, period=period, sent_on=on,
                    days_left=reminder.days_left, email=reminder.user.email,
                )
        except IntegrityError:
            outcomes.append(Outcome(reminder, SKIPPED))
            continue
        try:
            reminder.message().send()
        except Exception as exc:  # noqa: BLE001 - any mail failure: release the claim, retry next run
            SentReminder.objects.filter(pk=claim.pk).delete()
            outcomes.append(Outcome(reminder, FAILED, str(exc)))
            continue
        outcomes.append(Outcome(reminder, SENT))
    return outcomes
