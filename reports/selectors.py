"""Scoped reads for the report pages: an agency's years and its overview figures."""

from __future__ import annotations

from dataclasses import dataclass

from agencies.models import Agency, AgencyYear
from budget.summary import BudgetSummary, budget_summary
from performance.measurement import Measurement, measure
from performance.models import Realization

from .findings import Finding, agency_findings
from .models import LkjipDocument


def official_documents(*, agencies, year: int) -> dict[int, LkjipDocument]:
    """The LKjIP of the year of each agency that has one (its signed version), by agency id."""
    found = (LkjipDocument.objects.filter(agency__in=agencies, year=year, signed_at__isnull=False)
             .select_related("signed_by").defer("snapshot"))
    return {document.agency_id: document for document in found}


def official_document(*, agency: Agency, year: int) -> LkjipDocument | None:
    return official_documents(agencies=[agency], year=year).get(agency.pk)


def agency_years(*, agency: Agency) -> list[int]:
    """Years with a report profile or with realisasi, newest first (Renstra targets for
    future years alone do not make a reporting year)."""
    years = set(AgencyYear.objects.filter(agency=agency).values_list("year", flat=True))
    years |= set(
        Realization.objects.filter(indicator__plan__agency=agency).values_list("year", flat=True).distinct()
    )
    return sorted(years, reverse=True)


def years_by_agency(*, agencies) -> dict[int, list[int]]:
    """agency_years for many agencies in two queries (the home page lists them all)."""
    years: dict[int, set[int]] = {agency.pk: set() for agency in agencies}
    for agency_id, year in AgencyYear.objects.filter(agency__in=agencies).values_list("agency_id", "year"):
        years[agency_id].add(year)
    rows = (
        Realization.objects.filter(indicator__plan__agency__in=agencies)
        .values_list("indicator__plan__agency_id", "year")
        .distinct()
    )
    for agency_id, year in rows:
        years[agency_id].add(year)
    return {agency_id: sorted(found, reverse=True) for agency_id, found in years.items()}


def default_year(*, agency: Agency) -> int | None:
    profile = AgencyYear.objects.filter(agency=agency).order_by("-year").first()
    if profile:
        return profile.year
    years = agency_years(agency=agency)
    return years[0] if years else None


@dataclass
class Overview:
    agency: Agency
    year: int
    profile: AgencyYear | None
    measurement: Measurement
    budget: BudgetSummary
    findings: list[Finding]

    @property
    def met_count(self) -> int:
        return sum(1 for f in self.measurement.indicators if f.met)

    @property
    def budget_row_count(self) -> int:
        return sum(1 for _ in self.budget.rows())

    @property
    def measured_count(self) -> int:
        return sum(1 for f in self.measurement.indicators if f.achievement.value is not None)


def agency_overview(*, agency: Agency, year: int) -> Overview:
    measurement = measure(agency=agency, year=year)
    budget = budget_summary(agency=agency, year=year)
    return Overview(
        agency=agency,
        year=year,
        profile=AgencyYear.objects.filter(agency=agency, year=year).first(),
        measurement=measurement,
        budget=budget,
        findings=agency_findings(measurement=measurement, budget=budget),
    )
