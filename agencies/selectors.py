"""Who may see which agency: the one place where agency scoping is decided.

Every other app scopes its reads through `agencies_visible_to`, so a rule change here
changes it everywhere.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Agency, AgencyMembership, Government, GovernmentRole, User


def agencies_visible_to(*, user: User) -> QuerySet[Agency]:
    """Agencies the user is a member of, plus every agency of a Pemda where the user holds a
    government-level role. Superusers see all; anonymous users see none."""
    if not user.is_authenticated:
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    member_of = AgencyMembership.objects.filter(user=user).values("agency_id")
    governments = GovernmentRole.objects.filter(user=user).values("government_id")
    return Agency.objects.filter(Q(pk__in=member_of) | Q(government_id__in=governments))


def agency_get_visible(*, user: User, code: str) -> Agency:
    """The agency with this code, or 404 when it does not exist *or* the user may not see it,
    so an outsider cannot even learn that the code exists."""
    agency = agencies_visible_to(user=user).select_related("government").filter(code=code).first()
    if agency is None:
        raise Http404("Perangkat daerah tidak ditemukan.")
    return agency


def governments_visible_to(*, user: User) -> QuerySet[Government]:
    return Government.objects.filter(pk__in=agencies_visible_to(user=user).values("government_id"))


def user_roles_for_agency(*, user: User, agency: Agency) -> set[str]:
    """Role codes the user holds that apply to this agency (agency and government level)."""
    if not user.is_authenticated:
        return set()
    roles = set(AgencyMembership.objects.filter(user=user, agency=agency).values_list("role", flat=True))
    roles |= {
        f"gov_{role}"
        for role in GovernmentRole.objects.filter(user=user, government_id=agency.government_id).values_list(
            "role", flat=True
        )
    }
    return roles


# ---- what a role may do (every view asks here) ----


def user_may_import(*, user: User) -> bool:
    """Agency planners, Pemda planners and admins import workbooks; the import then checks the
    agency named in the file."""
    return (
        user.is_superuser
        or user.memberships.filter(role=AgencyMembership.Role.PLANNER).exists()
        or user.government_roles.filter(role__in=[GovernmentRole.Role.PLANNER, GovernmentRole.Role.ADMIN]).exists()
    )


def user_may_request_documents(*, user: User, agency: Agency) -> bool:
    """Planners and heads of the agency and every government-level role of its Pemda ask for an
    LKjIP document; operators read and download."""
    return (
        user.is_superuser
        or user.memberships.filter(
            agency=agency, role__in=[AgencyMembership.Role.PLANNER, AgencyMembership.Role.HEAD]
        ).exists()
        or user.government_roles.filter(government_id=agency.government_id).exists()
    )
