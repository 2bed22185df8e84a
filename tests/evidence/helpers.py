"""Entries made the way the app makes them: through the performance services."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.models import Agency
from audit.models import Channel
from audit.services import AuditContext
from performance.models import Realization
from performance.services import EntryInput, entries_save, entries_transition
from tests import factories

YEAR = 2025


def quarter_entry(agency: Agency, *, code: str = "TPT", quarter: int = 1, value: str = "7.5",
                  source: str = "", user=None) -> Realization:
    """One indicator with a PK target and a draft realisasi for the quarter."""
    indicator = factories.measured_indicator(agency, code=code, actual=None)
    entries_save(
        agency=agency, year=YEAR, quarter=quarter,
        entries=[EntryInput(indicator_id=indicator.pk, status="final", value=Decimal(value), source=source)],
        ctx=AuditContext(user=user, channel=Channel.FORM),
    )
    return Realization.objects.select_related("indicator__plan__agency").get(
        indicator=indicator, year=YEAR, quarter=quarter
    )


def verified(entry: Realization, planner=None) -> Realization:
    agency = entry.indicator.plan.agency
    for transition in ("submit", "verify"):
        entries_transition(agency=agency, year=entry.year, quarter=entry.quarter, transition=transition,
                           indicator_ids=[entry.indicator_id], ctx=AuditContext(user=planner, channel=Channel.FORM))
    return Realization.objects.select_related("indicator__plan__agency").get(pk=entry.pk)


def upload(data: bytes, name: str = "bukti.pdf", claimed: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, claimed)
