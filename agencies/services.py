"""Writes on Pemda, agencies, their reporting years, staff counts, users and roles.

Every change of a record is audited (audit.services) in the transaction that makes it;
agency-level writes hold the agency's write lock (agencies.locks).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from audit import services as audit
from audit.services import AuditContext, UpsertResult

from .locks import agency_lock
from .models import Agency, AgencyMembership, AgencyYear, Government, GovernmentRole, StaffCount, User


@transaction.atomic(savepoint=False)
def user_ensure(*, username: str, password: str, full_name: str = "", is_superuser: bool = False) -> User:
    """Create the user, or reset the password and name of an existing one (the demo loader)."""
    user, _ = User.objects.get_or_create(username=username)
    user.full_name = full_name
    user.is_superuser = user.is_staff = is_superuser
    user.set_password(password)
    user.save()
    return user


def government_upsert(*, name: str, values: dict[str, Any], ctx: AuditContext) -> tuple[Government, UpsertResult]:
    return audit.upsert_one(model=Government, lookup={"name": name}, values=values, ctx=ctx)


@transaction.atomic(savepoint=False)
def agency_upsert(*, code: str, values: dict[str, Any], ctx: AuditContext) -> tuple[Agency, UpsertResult]:
    agency_lock(code)
    return audit.upsert_one(model=Agency, lookup={"code": code}, values=values, ctx=ctx)


@transaction.atomic(savepoint=False)
def agency_year_upsert(
    *, agency: Agency, year: int, values: dict[str, Any], ctx: AuditContext
) -> tuple[AgencyYear, UpsertResult]:
    agency_lock(agency.code)
    return audit.upsert_one(model=AgencyYear, lookup={"agency_id": agency.pk, "year": year}, values=values, ctx=ctx)


@transaction.atomic(savepoint=False)
def staff_counts_replace(
    *, agency: Agency, year: int, rows: dict[tuple[str, str, str], dict[str, Any]], ctx: AuditContext
) -> UpsertResult[StaffCount]:
    """rows: (dimension, category, status) → count, order. The year's table is replaced whole."""
    agency_lock(agency.code)
    existing = {(s.dimension, s.category, s.status): s for s in StaffCount.objects.filter(agency=agency, year=year)}
    wanted = {
        (dimension, category, status): {
            "agency_id": agency.pk, "year": year, "dimension": dimension, "category": category, "status": status,
            **values,
        }
        for (dimension, category, status), values in rows.items()
    }
    result = audit.upsert(model=StaffCount, existing=existing, wanted=wanted, fields=["count", "order"], ctx=ctx)
    result.deleted = audit.objects_delete(objects=[s for key, s in existing.items() if key not in wanted], ctx=ctx)
    return result


@transaction.atomic(savepoint=False)
def membership_grant(*, user: User, agency: Agency, role: str, ctx: AuditContext) -> AgencyMembership:
    agency_lock(agency.code)
    membership, _ = audit.upsert_one(
        model=AgencyMembership, lookup={"user_id": user.pk, "agency_id": agency.pk}, values={"role": role}, ctx=ctx
    )
    return membership


@transaction.atomic(savepoint=False)
def government_role_grant(*, user: User, government: Government, role: str, ctx: AuditContext,
                          head: bool | None = None, position: str | None = None) -> GovernmentRole:
    """Grant (or keep) the role; `head` (the unit's head, e.g. the Inspektur) and `position`
    (jabatan) are set when given and left as they are when None."""
    values = {name: value for name, value in (("head", head), ("position", position)) if value is not None}
    grant, _ = audit.upsert_one(
        model=GovernmentRole, lookup={"user_id": user.pk, "government_id": government.pk, "role": role},
        values=values, ctx=ctx,
    )
    return grant
