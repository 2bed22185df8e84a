"""Template filters that show numbers the Indonesian way: {{ x|angka }}, {{ x|persen }}, {{ x|rupiah }}."""

from __future__ import annotations

from decimal import Decimal

from django import template

from lkjip.numbers import format_id, format_percent, format_rupiah

register = template.Library()


@register.filter
def angka(value: Decimal | int | None, places: int | None = None) -> str:
    return format_id(value, places)


@register.filter
def persen(value: Decimal | None) -> str:
    return format_percent(value)


@register.filter
def rupiah(value: Decimal | int | None) -> str:
    return format_rupiah(value)


@register.filter
def tanggal(value: object) -> str:
    """A date or an ISO date string (as PK contents store them) → 31 Januari 2025; empty → –."""
    from reports.document import tanggal as long_date

    return long_date(value) or "–"  # type: ignore[arg-type]


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@register.filter
def romawi(quarter: int | None) -> str:
    """1 → I … 4 → IV (triwulan)."""
    return ROMAN.get(quarter, "") if quarter else ""
