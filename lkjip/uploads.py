"""Refuse an oversized upload from its Content-Length, before Django spools it to disk."""

from __future__ import annotations

from django.http import HttpRequest


def declared_size_exceeds(request: HttpRequest, limit: int) -> bool:
    """True when the request says it is larger than `limit` bytes (a missing or bad header is
    left to the per-file checks)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit
    except ValueError:
        return False
