"""The reporting calendar of a Pemda, the quarters an agency has closed and the reopenings a
Pemda grants: together they decide whether a period's entries may still change (locks.py)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Government
from audit.scope import Scope, agency_scope

QUARTERS = (1, 2, 3, 4)
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_label(year: int, quarter: int | None) -> str:
    return f"TW {ROMAN[quarter]} {year}" if quarter else f"laporan tahunan {year}"


def default_deadlines(year: int) -> dict[str, datetime.date]:
    """The 15th of the month after each quarter; the LKjIP itself by the end of March of the
    next year (Permenpan-RB 53/2014: at the latest three months after the year ends)."""
    return {
        "q1_deadline": datetime.date(year, 4, 15),
        "q2_deadline": datetime.date(year, 7, 15),
        "q3_deadline": datetime.date(year, 10, 15),
        "q4_deadline": datetime.date(year + 1, 1, 15),
        "annual_deadline": datetime.date(year + 1, 3, 31),
    }


class ReportingCalendar(models.Model):
    """A Pemda's entry deadlines for one year. Entries of a period may change through the end
    of its deadline day (Asia/Jakarta); a Pemda without a calendar for the year has no deadline."""

    government = models.ForeignKey(Government, models.CASCADE, related_name="calendars", verbose_name=_("pemda"))
    year = models.PositiveSmallIntegerField(_("tahun"))
    q1_deadline = models.DateField(_("batas TW I"))
    q2_deadline = models.DateField(_("batas TW II"))
    q3_deadline = models.DateField(_("batas TW III"))
    q4_deadline = models.DateField(_("batas TW IV"))
    annual_deadline = models.DateField(_("batas laporan tahunan"))

    class Meta:
        verbose_name = _("kalender pelaporan")
        verbose_name_plural = _("kalender pelaporan")
        ordering = ["government", "year"]
        constraints = [
            models.UniqueConstraint(fields=["government", "year"], name="calendar_unique_year"),
            # Deadlines follow the quarters; the year's report comes after TW IV. (That each
            # deadline falls after its quarter ends is checked by the form: it needs the year.)
            models.CheckConstraint(
                condition=Q(q1_deadline__lt=models.F("q2_deadline"))
                & Q(q2_deadline__lt=models.F("q3_deadline"))
                & Q(q3_deadline__lt=models.F("q4_deadline"))
                & Q(q4_deadline__lte=models.F("annual_deadline")),
                name="calendar_deadlines_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"Kalender {self.government} {self.year}"

    AUDIT_RELATED = ("government",)

    def audit_scope(self) -> Scope:
        return Scope(government_id=self.government_id, year=self.year)

    def deadline(self, quarter: int | None) -> datetime.date:
        return getattr(self, f"q{quarter}_deadline" if quarter else "annual_deadline")


class QuarterLock(models.Model):
    """An agency planner closed a fully verified quarter: its entries are read-only."""

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="quarter_locks")
    year = models.PositiveSmallIntegerField(_("tahun"))
    quarter = models.PositiveSmallIntegerField(_("triwulan"))
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    locked_by_label = models.CharField(_("dikunci oleh"), max_length=200)
    locked_at = models.DateTimeField(_("dikunci pada"))

    class Meta:
        verbose_name = _("kunci triwulan")
        verbose_name_plural = _("kunci triwulan")
        ordering = ["agency", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "quarter"], name="quarterlock_unique"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="quarterlock_quarter_1_4"),
        ]

    def __str__(self) -> str:
        return f"{self.agency.code} {period_label(self.year, self.quarter)} dikunci"

    AUDIT_RELATED = ("agency",)

    def audit_scope(self) -> Scope:
        return agency_scope(self.agency, year=self.year, quarter=self.quarter)

    @property
    def label(self) -> str:
        return period_label(self.year, self.quarter)

    def running(self, on: datetime.date) -> bool:
        return self.until >= on


class Reopening(models.Model):
    """The Pemda lets one agency enter a period after its deadline, until a date, for a reason."""

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="reopenings")
    year = models.PositiveSmallIntegerField(_("tahun"))
    quarter = models.PositiveSmallIntegerField(_("triwulan"), null=True, blank=True, help_text=_("kosong: laporan tahunan"))
    until = models.DateField(_("dibuka sampai"))
    reason = models.TextField(_("alasan"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    granted_by_label = models.CharField(_("diberikan oleh"), max_length=200)
    granted_at = models.DateTimeField(_("diberikan pada"))
    # Ended early by the Pemda (periods.services.reopening_end): `until` was set to the day before.
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    ended_by_label = models.CharField(_("diakhiri oleh"), max_length=200, blank=True)
    ended_at = models.DateTimeField(_("diakhiri pada"), null=True, blank=True)
    end_reason = models.TextField(_("alasan diakhiri"), blank=True)

    class Meta:
        verbose_name = _("pembukaan kembali")
        verbose_name_plural = _("pembukaan kembali")
        ordering = ["agency", "year", "quarter", "-until"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4), name="reopening_quarter_1_4"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="reopening_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.agency.code} {period_label(self.year, self.quarter)} dibuka s.d. {self.until:%Y-%m-%d}"

    AUDIT_RELATED = ("agency",)

    def audit_scope(self) -> Scope:
        return agency_scope(self.agency, year=self.year, quarter=self.quarter)

    @property
    def label(self) -> str:
        return period_label(self.year, self.quarter)

    def running(self, on: datetime.date) -> bool:
        return self.until >= on


class SentReminder(models.Model):
    """One reminder e-mail that went out: to whom, about which agency's period, on which day.

    What makes the reminders idempotent (periods.reminders): a user gets at most one reminder
    per agency, period and day, however often the task or the command runs. A delivery log
    like audit.ImportBatch, not a record anyone edits, so it writes no audit entries.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    period = models.PositiveSmallIntegerField(_("periode"), help_text=_("1-4: triwulan; 0: laporan tahunan"))
    sent_on = models.DateField(_("tanggal pengingat"))
    days_left = models.SmallIntegerField(_("sisa hari"))
    email = models.EmailField(_("dikirim ke"))
    sent_at = models.DateTimeField(_("dikirim pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("pengingat terkirim")
        verbose_name_plural = _("pengingat terkirim")
        ordering = ["-sent_on", "agency", "year", "period"]
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "year", "period", "sent_on"], name="reminder_once_a_day"),
            models.CheckConstraint(condition=Q(period__gte=0, period__lte=4), name="reminder_period_0_4"),
        ]

    def __str__(self) -> str:
        return f"{self.email} · {self.agency_id} {period_label(self.year, self.period or None)} · {self.sent_on}"
