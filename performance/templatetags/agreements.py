"""The year's PK state on pages that do not measure: one line, linking to the PK pages."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html

from performance.agreements import year_state

register = template.Library()


@register.simple_tag
def agreement_notice(agency: object, year: int) -> str:
    """Empty when the year's PK is approved with nothing pending; else the notice (one query)."""
    notice = year_state(agency=agency, year=year).notice  # type: ignore[arg-type]
    if not notice:
        return ""
    url = reverse("performance:agreement_index", args=[agency.code, year])  # type: ignore[attr-defined]
    return format_html('<p class="card warning" role="status">{} <a href="{}">Lihat PK</a></p>', notice, url)
