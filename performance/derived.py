"""Figures derived from a year's measurement, as the LKjIP prints them: the best and weakest
indicators, the change against the previous year, what is below target or not measured, and
the counts the ikhtisar and penutup state. Pure functions, no ORM.

They read the measurement in the snapshot's form (reports.snapshot: figures as full-precision
strings), so the document of an older stored snapshot, made before these figures were stored
with it, gets them from the same functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from lkjip.numbers import as_decimal, as_stored

BEST_WEAKEST = 3  # how many of each the ikhtisar names


def best_and_weakest(achievements: Iterable[tuple[str, Decimal | None]]) -> tuple[list[str], list[str]]:
    """(best first, weakest first) indicator codes by capaian; indicators without one are left
    out. With few indicators the best and the weakest would be the same ones: they are split."""
    ranked = sorted(((code, value) for code, value in achievements if value is not None), key=lambda x: x[1])
    shown = min(BEST_WEAKEST, len(ranked) // 2)
    weakest = [code for code, _ in ranked[:shown]]
    best = [code for code, _ in reversed(ranked[len(ranked) - shown:])]
    return best, weakest


def change(current: Decimal | None, history: Sequence[dict[str, Any]], polarity: str) -> dict[str, Any] | None:
    """The realisasi against the latest earlier year that has one: that year and value, the
    difference (absolute), naik/turun/tetap, and whether that is better (a lower value is better
    for a negative indicator; None when unchanged)."""
    previous = next((h for h in reversed(history) if h.get("value") is not None), None)
    if previous is None or current is None:
        return None
    diff = current - Decimal(previous["value"])
    direction = "naik" if diff > 0 else "turun" if diff < 0 else "tetap"
    better = None if diff == 0 else (diff > 0) == (polarity != "negatif")
    return {"year": previous["year"], "value": previous["value"], "diff": as_stored(abs(diff)),
            "direction": direction, "better": better}


def below_target(indicator: dict[str, Any]) -> bool:
    """Measured and below target as printed (the snapshot's `met` uses the 2-decimal value)."""
    return (indicator.get("achievement") or {}).get("value") is not None and not indicator.get("met")


# A programme, kegiatan or sub kegiatan indicator gets its own paragraphs in BAB III only when
# there is something to say about it (the measurement table lists every one): the agency wrote
# about it, it is below target, far above it (the findings' capaian_di_atas_150), or its
# realisasi moved at least this share of the previous year's.
FAR_ABOVE = Decimal(150)
BIG_CHANGE = Decimal("0.2")
NARRATIVE_KEYS = ("analisis", "pendukung", "penghambat", "upaya")


def has_explanation(indicator: dict[str, Any]) -> bool:
    narratives = indicator.get("narratives") or {}
    return any((narratives.get(k) or "").strip() for k in NARRATIVE_KEYS)


def big_change(indicator: dict[str, Any]) -> bool:
    actual = as_decimal(indicator.get("actual"))
    previous = next((h for h in reversed(indicator.get("history") or []) if h.get("value") is not None), None)
    if previous is None or actual is None:
        return False
    before = Decimal(previous["value"])
    return actual != 0 if before == 0 else abs(actual - before) >= abs(before) * BIG_CHANGE


def to_explain(indicator: dict[str, Any]) -> bool:
    value = as_decimal((indicator.get("achievement") or {}).get("value"))
    return (has_explanation(indicator) or below_target(indicator) or (value is not None and value > FAR_ABOVE)
            or big_change(indicator))


def measurement_figures(measurement: dict[str, Any]) -> dict[str, Any]:
    """What the document states about the measurement as a whole, from the snapshot's
    "measurement" part (groups of indicators and their counts)."""
    groups = measurement.get("groups") or []
    counts = measurement.get("counts") or {}
    indicators = [i for g in groups for i in g["indicators"]]
    strategic = [g for g in groups if g.get("strategic")]
    others = [g for g in groups if not g.get("strategic")]
    kinds: dict[str, int] = {}
    for group in others:
        kinds[group["kind"]] = kinds.get(group["kind"], 0) + 1
    trends = {}
    for indicator in indicators:
        trend = change(as_decimal(indicator.get("actual")), indicator.get("history") or [], indicator["polarity"])
        if trend is not None:
            trends[indicator["code"]] = trend
    return {
        "not_measured": counts.get("indicators", 0) - counts.get("measured", 0),
        "below_count": counts.get("measured", 0) - counts.get("met", 0),
        "below": [i["code"] for i in indicators if below_target(i)],
        "strategic_indicators": sum(len(g["indicators"]) for g in strategic),
        "other_indicators": sum(len(g["indicators"]) for g in others),
        "other_kinds": [{"kind": kind, "count": count} for kind, count in kinds.items()],
        "measured_per_group": {
            g["code"]: sum(1 for i in g["indicators"] if (i.get("achievement") or {}).get("value") is not None)
            for g in groups
        },
        "trends": trends,
        "to_explain": [i["code"] for g in others for i in g["indicators"] if to_explain(i)],
        "unexplained": [i["code"] for i in indicators if below_target(i) and not has_explanation(i)],
        "provisional": any(i.get("provisional") for i in indicators),
        "incomplete": any(i.get("actual") is not None and not i.get("actual_complete") for i in indicators),
    }
