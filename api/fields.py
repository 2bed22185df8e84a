from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field({"type": "string", "format": "decimal", "nullable": True, "example": "7.3300"})
class DecimalString(serializers.Field):
    """A stored Decimal as a string, exactly as stored (no rounding to a field's places, no float)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Decimal) -> str:
        return str(value)


@extend_schema_field(OpenApiTypes.OBJECT)
class Json(serializers.Field):
    """A structure the app already serialises (the snapshot, a PK's contents): passed through."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> Any:
        return value
