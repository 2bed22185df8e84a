"""Writes on agencies and users."""

from __future__ import annotations

from django.db import transaction

from .models import Agency, AgencyMembership, Government, GovernmentRole, User


@transaction.atomic
def user_ensure(*, username: str, password: str, full_name: str = "", is_superuser: bool = False) -> User:
    """Create the user, or reset the password and name of an existing one."""
    user, _ = User.objects.get_or_create(username=username)
    user.full_name = full_name
    user.is_superuser = user.is_staff = is_superuser
    user.set_password(password)
    user.save()
    return user


def membership_grant(*, user: User, agency: Agency, role: str) -> AgencyMembership:
    membership, _ = AgencyMembership.objects.update_or_create(user=user, agency=agency, defaults={"role": role})
    return membership


def government_role_grant(*, user: User, government: Government, role: str) -> GovernmentRole:
    grant, _ = GovernmentRole.objects.get_or_create(user=user, government=government, role=role)
    return grant
