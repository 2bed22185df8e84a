"""Which images a document of an agency and year prints."""

from __future__ import annotations

from agencies.models import Agency

from .models import ReportImage


def logo_for(*, agency: Agency) -> ReportImage | None:
    """The agency's own logo, else its Pemda's."""
    own = ReportImage.objects.filter(agency=agency, kind=ReportImage.Kind.AGENCY_LOGO).first()
    return own or ReportImage.objects.filter(government_id=agency.government_id,
                                             kind=ReportImage.Kind.GOVERNMENT_LOGO).first()


def chart_for(*, agency: Agency, year: int) -> ReportImage | None:
    """The chart of the year, else the latest earlier one (the organisation did not change since)."""
    return (ReportImage.objects.filter(agency=agency, kind=ReportImage.Kind.ORG_CHART, year__lte=year)
            .order_by("-year").first())
