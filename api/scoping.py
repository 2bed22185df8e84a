"""What a list or detail endpoint may show: the same rules as the pages (agencies.permissions)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.db.models import QuerySet
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


def changed_since(queryset: QuerySet, model: type[models.Model], since: datetime.datetime | None) -> QuerySet:
    """Records with an audit entry at or after `since`: every write goes through the services,
    which log it, so the trail says what changed (also for bulk imports)."""
    if since is None:
        return queryset
    touched = AuditEntry.objects.filter(object_type=model._meta.model_name, at__gte=since).values("object_id")
    return queryset.filter(pk__in=touched)
