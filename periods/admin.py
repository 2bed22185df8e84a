"""Calendars are edited through periods.services (the same checks as the calendar page); quarter
locks, reopenings and sent reminders are shown read-only: they change only through their pages'
services, which record who, when and why."""

from django.contrib import admin

from audit.admin import ReadOnlyAdmin, ServiceAdmin

from .models import QuarterLock, Reopening, ReportingCalendar, SentReminder


@admin.register(ReportingCalendar)
class ReportingCalendarAdmin(ServiceAdmin):
    list_display = ["government", "year", "q1_deadline", "q2_deadline", "q3_deadline", "q4_deadline", "annual_deadline"]
    list_filter = ["year", "government"]


@admin.register(QuarterLock)
class QuarterLockAdmin(ReadOnlyAdmin):
    list_display = ["agency", "year", "quarter", "locked_by_label", "locked_at"]
    list_filter = ["year", "quarter", "agency__government"]


@admin.register(Reopening)
class ReopeningAdmin(ReadOnlyAdmin):
    list_display = ["agency", "year", "quarter", "until", "granted_by_label", "granted_at", "ended_by_label"]
    list_filter = ["year", "agency__government"]


@admin.register(SentReminder)
class SentReminderAdmin(ReadOnlyAdmin):
    list_display = ["sent_on", "email", "agency", "year", "period", "days_left", "sent_at"]
    list_filter = ["sent_on"]
