"""What a list or detail endpoint may show: the same rules as the pages (agencies.permissions)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from rest_framework import serializers

from agencies.models import Agency
from agencies.permissions import Access, agencies_visible_to, agency_for_user
from audit.models import AuditEntry


class Filters(serializers.Serializer):
    """The filters most lists share; a list adds its own in a subclass."""

    agency = serializers.SlugField(required=False, max_length=80, help_text="kode instansi, mis. bekasi-disnaker")
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    changed_since = serializers.DateTimeField(
        required=False, help_text="hanya data yang berubah (menurut riwayat perubahan) sejak waktu ini (ISO 8601)"
    )


def parse(serializer_class: type[serializers.Serializer], request: Any) -> dict[str, Any]:
    """The validated query parameters; a bad one is a 400 naming it."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def scoped_agencies(*, user: Any, code: str | None) -> QuerySet[Agency]:
    """The agencies a list may draw from: all the user may see, or the one asked for (404 when
    it is not one of them, as for a code that does not exist)."""
    if code:
        agency, _ = agency_for_user(user=user, code=code)
        return Agency.objects.filter(pk=agency.pk)
    return agencies_visible_to(user=user)


def agency_and_access(*, user: Any, code: str) -> tuple[Agency, Access]:
    return agency_for_user(user=user, code=code)


def changed_since(queryset: QuerySet, model: type[models.Model], since: datetime.datetime | None, *,
                  family: tuple[str, ...] = (), match: dict[str, str] | None = None) -> QuerySet:
    """Records with an audit entry at or after `since`: every write goes through the services,
    which log it, so the trail says what changed (also for bulk imports). `family` names the
    object types whose changes are part of the record as the API shows it (a reviu's rows and
    notes, an evaluation's scores, a realisasi's evidence): an entry of one of them counts when
    its scope equals the record's on `match` ({entry field: record field}); so a child that was
    deleted since still marks its parent."""
    if since is None:
        return queryset
    touched = AuditEntry.objects.filter(object_type=model._meta.model_name, at__gte=since).values("object_id")
    condition = Q(pk__in=touched)
    if family:
        related = AuditEntry.objects.filter(
            object_type__in=family, at__gte=since, **{entry: OuterRef(field) for entry, field in (match or {}).items()}
        )
        condition = Exists(related) | condition
    return queryset.filter(condition)
