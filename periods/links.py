"""Where a period's entries are typed: the quarterly entry page (performance:entry), or the
agency's page for the year while that page is not there (the annual report, or a branch
without it)."""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse


def entry_url(code: str, year: int, quarter: int | None) -> str:
    if quarter is not None:
        try:
            return reverse("performance:entry", args=[code, year, quarter])
        except NoReverseMatch:
            pass
    return reverse("reports:overview", args=[code, year])


def absolute(path: str) -> str:
    """An address for an e-mail: SITE_URL (the address printed in documents) + the path."""
    return settings.SITE_URL.rstrip("/") + path
