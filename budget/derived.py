"""Figures derived from a year's budget as the LKjIP states them: whether the pagu was revised,
what remains unspent, how many programs, kegiatan and sub kegiatan. Pure, no ORM; reads the
budget in the snapshot's form (reports.snapshot), so an older stored snapshot gets the same."""

from __future__ import annotations

from typing import Any

from lkjip.numbers import as_decimal, as_stored


def budget_figures(budget: dict[str, Any]) -> dict[str, Any]:
    rows = budget.get("rows") or []
    ceiling, original = as_decimal(budget.get("ceiling")), as_decimal(budget.get("ceiling_original"))
    return {
        "revised": ceiling is not None and original is not None and ceiling != original,
        "remaining": as_stored(ceiling - (as_decimal(budget.get("spent")) or 0)) if ceiling is not None else None,
        "programs": sum(1 for r in rows if r["kind"] == "program"),
        "activities": sum(1 for r in rows if r["kind"] == "kegiatan"),
        "subactivities": sum(1 for r in rows if r["kind"] == "subkegiatan"),
    }
