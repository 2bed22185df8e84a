"""Scoped reads for the periods pages: which Pemda and agencies a user acts for, and each
Pemda's latest reporting year."""

from __future__ import annotations

from django.db.models import Max, QuerySet

from agencies.models import Agency, AgencyMembership, AgencyYear, Government, User
from agencies.permissions import governments_visible_to
from performance.models import Realization

from .locks import today

# Who gets the "Perlu tindakan" list and the reminder e-mails of an agency.
ACTION_ROLES = (AgencyMembership.Role.STAFF, AgencyMembership.Role.PLANNER)


def agencies_acted_for(*, user: User) -> QuerySet[Agency]:
    """The agencies where the user enters or verifies realisasi (operator or planner)."""
    if not user.is_authenticated:
        return Agency.objects.none()
    return Agency.objects.filter(memberships__user=user, memberships__role__in=ACTION_ROLES).distinct()


def latest_years(*, governments: list[Government]) -> dict[int, int]:
    """Pemda id → its latest year with data (a report profile or realisasi of one of its
    agencies); this year when it has none. Two queries."""
    ids = [g.pk for g in governments]
    found: dict[int, int] = {}
    for rows in (
        AgencyYear.objects.filter(agency__government_id__in=ids).values("agency__government_id").annotate(top=Max("year")).order_by(),
        Realization.objects.filter(indicator__plan__agency__government_id__in=ids)
        .values("indicator__plan__agency__government_id")
        .annotate(top=Max("year"))
        .order_by(),
    ):
        for row in rows:
            government_id = row.get("agency__government_id") or row.get("indicator__plan__agency__government_id")
            found[government_id] = max(found.get(government_id, 0), row["top"])
    this_year = today().year
    return {pk: found.get(pk, this_year) for pk in ids}


def governments_with_years(*, user: User) -> list[tuple[Government, int]]:
    governments = list(governments_visible_to(user=user).order_by("name"))
    years = latest_years(governments=governments)
    return [(g, years[g.pk]) for g in governments]
