"""{% entry_url code year quarter %} and {{ days|sisa_hari }}."""

from __future__ import annotations

from django import template

from periods.links import entry_url as _entry_url

register = template.Library()


@register.simple_tag
def entry_url(code: str, year: int, quarter: int | None) -> str:
    return _entry_url(code, year, quarter)


@register.filter
def sisa_hari(days: int | None) -> str:
    """Days left until a deadline, in words."""
    if days is None:
        return "–"
    if days > 1 or days < -1:
        return f"{days} hari lagi" if days > 0 else f"lewat {-days} hari"
    return {1: "besok", 0: "hari ini", -1: "lewat 1 hari"}[days]
